"""Puts reminders in front of the user: a native notification, else the tray, else the banner.

Built by the shell once the journal is open. It owns the :class:`ReminderService`, the
:class:`NativeNotifier` and, where the desktop shows tray icons, the :class:`Tray`. A
reminder goes out as the desktop's own notification (with Check in now, Snooze 1 hour
and Tomorrow); where there is no notification service, as a tray message; without a
tray, also in the window's banner. It decides what closing the window does (hide into
the tray, or quit) and says the things a user is told once: that Keel is still running
in the tray, or — with no tray — that Keel can remind while closed (the scheduler entry
of ``keel reminders on``). Started at login without a tray, Keel has nothing to show and
quits: the scheduler entry reminds instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from desktop.context import AppContext
from desktop.core.changes import DUE_READS, Change
from desktop.core.reminders import ACTION_CHECKIN, ACTION_DEFAULT, ACTION_SNOOZE, Notification
from desktop.ui.main_window import MainWindow
from desktop.ui.native_notifier import NativeNotifier
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
NO_TRAY_TEXT = ("This desktop has no tray to keep Keel in, so reminders stop when its window "
                "closes — unless your system's scheduler runs Keel's reminder check. Turn that on "
                "and a due check-in reaches you as a notification even with Keel closed.")
CLOSED_REMINDERS_ACTION = "Remind me while Keel is closed"


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
        self.native = NativeNotifier(self)
        self.native.action_invoked.connect(self._on_native_action_invoked)
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
        elif not self.window.isVisible():
            # Started at login (--background) on a desktop with no tray: there is nowhere
            # to wait quietly, and opening the window at every login is not asked for.
            log.info("started in the background without a tray; nothing to show, quitting")
            QTimer.singleShot(0, self.app.quit)
            return
        self.service.notify_requested.connect(self._on_service_notify_requested)
        self.service.overdue_announced.connect(self._on_service_overdue_announced)
        self.window.page_data_changed.connect(self._on_page_data_changed)
        self.service.start()
        if self.tray is None and not self._banner_has_no_tray_notice:
            self._tell_no_tray(prefix="", actions=[])

    def stop(self) -> None:
        """Stop checking and take the icon out of the tray."""
        self.service.stop()
        self.native.close()
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

    @Slot(object)
    def _on_service_notify_requested(self, note: Notification) -> None:
        """Deliver one reminder: natively if the desktop can, else in the tray; without a
        tray the window's banner says it too, and the taskbar is flagged."""
        shown = self.native.deliver(note)
        if not shown and self.tray is not None:
            self.tray.show_reminder(note)
        if self.tray is not None:
            return
        QApplication.alert(self.window)
        if self._banner_about_checkin and not self.window.banner.isHidden():
            return  # the banner already asks the user to check in
        self.window.banner.show_message(f"{note.summary}: {note.body}",
                                        [("Check in now", self._open_checkin)])
        self._banner_about_checkin = True

    @Slot(str)
    def _on_native_action_invoked(self, action: str) -> None:
        """A click on the native notification: check in, or snooze."""
        if action in (ACTION_DEFAULT, ACTION_CHECKIN):
            self._open_checkin()
        elif action in ACTION_SNOOZE:
            until = self.service.snooze(ACTION_SNOOZE[action])
            self.window.statusBar().showMessage(
                f"Reminders snoozed until {until.astimezone():%a %d %b, %H:%M}.", 5000)

    @Slot(object)
    def _on_page_data_changed(self, changed: Change) -> None:
        # A check-in or a settings change alters what is due (a finished check-in hands
        # over what it read, so nothing is read again). Other writes (an entry saved, a
        # flag dismissed…) cannot: checking then read what is due on the UI thread.
        if not changed & (DUE_READS | Change.REMINDERS):
            return
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
            from desktop.platform.scheduler import for_platform

            return not for_platform().status(ask=False).installed
        except Exception:  # unknown status: tell
            return True

    def _tell_no_tray(self, prefix: str, actions: list[tuple[str, Callable[[], None]]]) -> None:
        if not prefix and not self._should_tell_no_tray():
            return
        from db.settings import set_value

        self.window.banner.show_message(
            prefix + NO_TRAY_TEXT, [*actions, (CLOSED_REMINDERS_ACTION, self._enable_closed_reminders)])
        self._banner_has_no_tray_notice = True
        set_value(self.context.db, NO_TRAY_TOLD_KEY, True)

    def _enable_closed_reminders(self) -> None:
        from desktop.closed_reminders import turn_on
        from desktop.core.errors import UserError

        try:
            said = turn_on(str(self.context.paths.data_dir))
        except (UserError, OSError) as exc:
            self.window.banner.show_message(
                f"Keel could not set up reminders while it is closed: {exc}", kind="error")
            return
        self.window.banner.show_message(said)
        for page in self.window.pages.values():
            page.refresh(Change.REMINDERS)  # the Settings page's switch follows
