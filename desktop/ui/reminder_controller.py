"""Puts reminders in front of the user: the tray when there is one, the window's banner when not.

Built by the shell once the journal is open. It owns the :class:`ReminderService` and, where
the desktop shows tray icons, the :class:`Tray`; it decides what closing the window does
(hide into the tray, or quit) and says the things a user is told once: that Keel is still
running in the tray, or — with no tray — that reminders need Keel running, with start at
login as the way to get that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from desktop.context import AppContext
from desktop.core.changes import Change
from desktop.ui.main_window import MainWindow
from desktop.ui.reminder_service import DEFAULT_INTERVAL_MS, ReminderService
from desktop.ui.tray import CHECKIN_PAGE, Tray, tray_available

log = logging.getLogger(__name__)

TRAY_TOLD_KEY = "tray_close_message_shown"
"""Settings key: the user was told that closing the window keeps Keel in the tray."""
NO_TRAY_TOLD_KEY = "no_tray_notice_shown"
"""Settings key: the user was told that, without a tray, reminders need Keel running."""

STILL_RUNNING_TITLE = "Keel is still running"
STILL_RUNNING_TEXT = ("Keel stays in the tray so it can remind you when a check-in is due. "
                      "Choose Quit Keel in the tray menu to close it.")
NO_TRAY_TEXT = ("Reminders reach you only while Keel is running, and this desktop has no "
                "tray to keep it in. Let Keel start at login so it is always there to remind you.")


class ReminderController(QObject):
    """Wires the reminder service to the tray or, without one, to the window."""

    def __init__(self, app: QApplication, window: MainWindow, context: AppContext,
                 clock: Callable[[], datetime] | None = None,
                 interval_ms: int = DEFAULT_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.window = window
        self.context = context
        self.service = ReminderService(context, clock, interval_ms, self)
        self.tray: Tray | None = None
        self._banner_has_no_tray_notice = False
        self._banner_about_checkin = False

    def start(self) -> None:
        """Show the tray (or not), announce what is overdue, start checking."""
        db = self.context.db
        if tray_available():
            from desktop.ui.settings.reminders_section import keep_in_tray

            self.tray = Tray(self.window, self.service, self)
            self.tray.show()
            self.app.setQuitOnLastWindowClosed(False)  # a closed dialog must not quit Keel
            self.window.keep_running_on_close = keep_in_tray(db)
            self.window.closing.connect(self._on_window_closing)
            self.app.aboutToQuit.connect(self._on_app_about_to_quit)
        else:
            self.service.notify_requested.connect(self._on_service_notify_requested)
            if not self.window.isVisible():
                self.window.show()  # --background without a tray would be invisible
        self.service.overdue_announced.connect(self._on_service_overdue_announced)
        self.window.page_data_changed.connect(self._on_page_data_changed)
        self.service.start()
        if self.tray is None and not self._banner_has_no_tray_notice:
            self._tell_no_tray(prefix="", actions=[])

    def stop(self) -> None:
        """Stop checking and take the icon out of the tray."""
        self.service.stop()
        if self.tray is not None:
            self.tray.hide()

    # Closing the window ---------------------------------------------------------------
    @Slot()
    def _on_window_closing(self) -> None:
        if getattr(self.window, "quitting", False) or self.tray is None:
            return
        from db.settings import get_value, set_value
        from desktop.ui.settings.reminders_section import keep_in_tray

        db = self.context.db
        keep = keep_in_tray(db)
        self.window.keep_running_on_close = keep
        if not keep:
            QTimer.singleShot(0, self.app.quit)
            return
        if not get_value(db, TRAY_TOLD_KEY, False):
            self.tray.show_info(STILL_RUNNING_TITLE, STILL_RUNNING_TEXT)
            set_value(db, TRAY_TOLD_KEY, True)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.stop()

    # Reminders in the window -----------------------------------------------------------
    @Slot(str)
    def _on_service_overdue_announced(self, text: str) -> None:
        actions = [("Check in now", self._open_checkin)]
        if self.tray is None and self._should_tell_no_tray():
            self._tell_no_tray(prefix=text + " ", actions=actions)
        else:
            self.window.banner.show_message(text, actions)
        self._banner_about_checkin = True

    @Slot(int, str)
    def _on_service_notify_requested(self, _count: int, text: str) -> None:
        """No tray: the reminder goes to the window's banner, and the taskbar is flagged."""
        QApplication.alert(self.window)
        if self._banner_about_checkin and not self.window.banner.isHidden():
            return  # the banner already asks the user to check in
        self.window.banner.show_message(text.replace(" Click to check in.", ""),
                                        [("Check in now", self._open_checkin)])
        self._banner_about_checkin = True

    @Slot(object)
    def _on_page_data_changed(self, changed: Change) -> None:
        # A check-in or a settings change alters what is due (a finished check-in hands
        # over what it read, so nothing is read again).
        self.service.check_now(self.context.today_view)
        if self._banner_about_checkin and (changed & Change.CHECKINS
                                           or self.service.due_count == 0):
            # "Your first check-in is ready" / "… is overdue" no longer holds.
            self.window.banner.hide()
            self._banner_about_checkin = False

    def _open_checkin(self) -> None:
        self.window.banner.hide()
        self._banner_about_checkin = False
        self.window.raise_window()
        self.window.show_page(CHECKIN_PAGE)

    # Told once: no tray -------------------------------------------------------------------
    def _should_tell_no_tray(self) -> bool:
        from db.settings import get_value

        if get_value(self.context.db, NO_TRAY_TOLD_KEY, False):
            return False
        try:
            from desktop.platform.autostart import for_platform

            return not for_platform().status().enabled
        except Exception:  # unknown status: tell
            return True

    def _tell_no_tray(self, prefix: str, actions: list[tuple[str, Callable[[], None]]]) -> None:
        if not prefix and not self._should_tell_no_tray():
            return
        from db.settings import set_value

        self.window.banner.show_message(
            prefix + NO_TRAY_TEXT, [*actions, ("Start Keel at login", self._enable_autostart)])
        self._banner_has_no_tray_notice = True
        set_value(self.context.db, NO_TRAY_TOLD_KEY, True)

    def _enable_autostart(self) -> None:
        from desktop.core.autostart import AutostartError
        from desktop.platform.autostart import for_platform, launch_command

        try:
            status = for_platform().enable(launch_command())
        except (AutostartError, OSError) as exc:
            self.window.banner.show_message(f"Keel could not set itself to start at login: {exc}",
                                            kind="error")
            return
        self.window.banner.show_message(
            f"Keel will start at login ({status.location}), so reminders can reach you.")
        for page in self.window.pages.values():
            page.refresh(Change.AUTOSTART)  # the Settings page's toggle follows
