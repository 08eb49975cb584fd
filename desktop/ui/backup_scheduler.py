"""Automatic daily backups while Keel runs.

A timer looks every hour (and once shortly after the journal opens) at when the newest
automatic backup was made; when it is a day old or more, a verified online backup runs
in the background (``run_in_background``), so the window never waits for it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.context import AppContext

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000
FIRST_CHECK_MS = 20_000
DAILY = timedelta(hours=23, minutes=30)


def _backup_if_due(database: Any, backups: Any, now: Any, passphrase: Any = None) -> Any:
    """Worker: make a daily backup when none is younger than a day; return it or None."""
    from db.backup import last_automatic_backup, make_backup

    last = last_automatic_backup(backups, now)
    if last is not None and now - last < DAILY:
        return None
    return make_backup(database, backups, "daily", now, passphrase)


class BackupScheduler(QObject):
    backup_made = Signal(object)
    """A daily backup was written and checked (argument: ``db.backup.BackupInfo``)."""
    backup_failed = Signal(str)
    """A daily backup could not be made (argument: a message for the user)."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._busy = False
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check_now)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        """Start the hourly timer; the first look comes after ``first_check_ms``."""
        self._timer.start()
        QTimer.singleShot(first_check_ms, self, self.check_now)

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def check_now(self) -> None:
        """Back up in the background when the newest automatic backup is a day old."""
        if self._busy:
            return
        from desktop.ui.tasks import run_in_background

        self._busy = True
        paths = self.context.paths
        run_in_background(_backup_if_due, paths.database, paths.backups, self.context.now(),
                          self.context.passphrase, on_done=self._on_task_done, on_error=self._on_task_error)

    def _on_task_done(self, info: Any) -> None:
        self._busy = False
        if info is not None:
            log.info("daily backup written (%d bytes)", info.size)
            self.backup_made.emit(info)

    def _on_task_error(self, exc: BaseException) -> None:
        self._busy = False
        from desktop.ui.errors import user_message

        self.backup_failed.emit(user_message(exc))
