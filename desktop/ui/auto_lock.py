"""Lock an encrypted journal after some idle minutes: save drafts, close the file, ask again.

Only an encrypted journal is ever locked (a plain one has nothing to lock). The idle
minutes live in the journal's settings (``AUTO_LOCK_KEY``; 0 = never). While locked the
window is hidden, the database is closed and ``AppContext.paused`` makes any attempt to
reopen it fail with a plain message instead of reading the file.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from desktop.context import AppContext

log = logging.getLogger(__name__)

AUTO_LOCK_KEY = "auto_lock_minutes"
"""Settings key: lock an encrypted journal after this many idle minutes (0 = never)."""
CHOICES = (0, 5, 15, 30, 60)
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel}


def idle_minutes(db: Any) -> int:
    """The stored auto-lock minutes (0 when unset or not a number)."""
    from db.settings import get_value

    try:
        return max(0, int(get_value(db, AUTO_LOCK_KEY, 0) or 0))
    except (TypeError, ValueError):
        return 0


class AutoLock(QObject):
    locked = Signal()
    """The journal was closed and the window hidden."""
    unlocked = Signal()
    """The passphrase was typed again and the journal reopened."""

    def __init__(self, app: Any, window: Any, context: AppContext,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.window = window
        self.context = context
        self.minutes = 0
        self.is_locked = False
        self._last_input = time.monotonic()
        self._timer = QTimer(self, interval=30_000)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        """Read the setting, watch for input and check every 30 seconds."""
        self.reload()
        self.app.installEventFilter(self)
        self._timer.start()

    def reload(self) -> None:
        """Read the idle minutes again (after Settings changed them)."""
        try:
            self.minutes = idle_minutes(self.context.db)
        except Exception:  # noqa: BLE001 - a closed journal keeps the last value
            log.warning("auto-lock: could not read the setting")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT:
            self._last_input = time.monotonic()
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_input

    @Slot()
    def _on_timer_timeout(self) -> None:
        if not self.context.passphrase or self.is_locked:
            return
        self.reload()  # Settings may have changed it (a millisecond's read)
        if (self.minutes > 0 and not self.is_locked and self.context.passphrase
                and self.idle_seconds() >= self.minutes * 60):
            self.lock()

    def lock(self) -> None:
        """Save drafts, close the journal, hide the window and ask for the passphrase."""
        if self.is_locked or not self.context.passphrase:
            return
        from desktop.ui.lifecycle import close_journal

        self.is_locked = True
        close_journal(self.window, self.context,
                      "Keel is locked. Type the passphrase to open the journal again.")
        self.window.hide()
        self.locked.emit()
        QTimer.singleShot(0, self._ask)

    def _ask(self) -> None:
        from desktop.ui.dialogs.unlock_dialog import UnlockDialog

        passphrase = UnlockDialog.ask(None, self.context.paths.data_dir)
        if passphrase is None:
            self.app.quit()  # drafts were saved when it locked
            return
        self.unlock(passphrase)

    def unlock(self, passphrase: str) -> None:
        """Reopen the journal with a checked passphrase and show the window again."""
        from desktop.ui.lifecycle import open_journal

        self.is_locked = False
        self._last_input = time.monotonic()
        self.window.show()
        if open_journal(self.window, self.context, passphrase):
            self.unlocked.emit()
