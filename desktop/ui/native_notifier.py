"""Native notifications from the running app (Linux: the freedesktop service on D-Bus).

:meth:`NativeNotifier.deliver` shows a :class:`~desktop.core.reminders.Notification`
through :class:`desktop.platform.notifications.DBusNotifier` and returns False when there
is no notification service (the caller then uses the tray or the window). A click on one
of its buttons arrives as :attr:`NativeNotifier.action_invoked` on the UI thread: the
wait for it runs on a plain thread, which only emits the signal. A new reminder replaces
the one still on screen, so there is never more than one.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.reminders import Notification

log = logging.getLogger(__name__)

WAIT_SECONDS = 12 * 3600.0
"""How long a shown reminder's buttons keep working (a later click does nothing)."""


class NativeNotifier(QObject):
    action_invoked = Signal(str)
    """A button (or the notification itself, ``default``) was clicked."""

    def __init__(self, parent: QObject | None = None, address: str | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.last_id = 0
        self.last_problem: str | None = None
        self._notifier: Any = None

    def deliver(self, note: Notification) -> bool:
        """Show ``note``; False (and :attr:`last_problem` set) when it could not be shown."""
        from desktop.platform.notifications import DBusNotifier, NotificationError, supported

        if not supported():
            self.last_problem = "this platform has no freedesktop notification service"
            return False
        try:
            notifier = DBusNotifier(self.address)
        except NotificationError as exc:
            self.last_problem = str(exc)
            log.info("no native notification: %s", exc)
            return False
        try:
            nid = notifier.notify(note, replaces=self.last_id)
        except NotificationError as exc:
            notifier.close()
            self.last_problem = str(exc)
            log.info("no native notification: %s", exc)
            return False
        self.last_problem = None
        self.last_id = nid
        previous, self._notifier = self._notifier, notifier
        if previous is not None:
            previous.close()  # its waiting thread sees the connection end and stops
        threading.Thread(target=self._wait, args=(notifier, nid), daemon=True,
                         name="keel-notification-wait").start()
        return True

    def _wait(self, notifier, nid: int) -> None:  # type: ignore[no-untyped-def]
        try:
            action = notifier.wait(nid, WAIT_SECONDS)
        except Exception:  # noqa: BLE001 - a closed connection or the bus going away
            action = None
        if action:
            self.action_invoked.emit(action)

    def close(self) -> None:
        """Stop listening (the app is quitting)."""
        if self._notifier is not None:
            self._notifier.close()
            self._notifier = None
