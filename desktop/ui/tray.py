"""Keel's tray icon: how many prompts are due, the window, snoozing, quitting, and reminders.

Menu: "Check in now (N due)", "Open Keel", Snooze ▸ (1 hour / Until tomorrow / Until next
week), "Quit". Clicking the icon opens the window; clicking a reminder opens the check-in.
Reminders go out as native notifications where the desktop has a notification service
(``desktop.ui.native_notifier``); the tray shows them only where it has none.
Where the desktop has no system tray (:func:`tray_available` false), the shell builds no
Tray and shows reminders in the window's banner instead.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

from desktop.core.reminders import Notification
from desktop.ui.main_window import MainWindow
from desktop.ui.reminder_service import ReminderService

CHECKIN_PAGE = "checkin"
"""The page a reminder opens."""

SNOOZE_LABELS = (("hour", "For 1 hour"), ("tomorrow", "Until tomorrow"),
                 ("week", "Until next week"))
MESSAGE_MS = 15_000
"""How long a reminder stays on screen (desktops may cap it)."""


def tray_available() -> bool:
    """Whether this desktop shows tray icons (some Linux desktops do not)."""
    return bool(QSystemTrayIcon.isSystemTrayAvailable())


def tray_icon() -> QIcon:
    """The app icon, or a standard one when the icon files are missing."""
    from desktop.ui.application import app_icon

    icon = app_icon()
    if icon.isNull():
        icon = QApplication.windowIcon()
    if icon.isNull():
        style = QApplication.style()
        icon = style.standardIcon(QStyle.StandardPixmap.SP_FileDialogInfoView)
    return icon


def checkin_caption(count: int) -> str:
    """The first menu entry's text for ``count`` due prompts."""
    return f"Check in now ({count} due)" if count > 0 else "Check in now"


class Tray(QSystemTrayIcon):
    """The tray icon and its menu, wired to the main window and the reminder service."""

    def __init__(self, window: MainWindow, service: ReminderService,
                 parent: QObject | None = None) -> None:
        super().__init__(tray_icon(), parent)
        self.window = window
        self.service = service
        self.setToolTip("Keel")
        self.last_message_kind = ""
        """"reminder" or "info": what a click on the shown message should open."""

        self.menu = QMenu()
        self.menu.setAccessibleName("Keel tray menu")
        self.checkin_action = QAction(checkin_caption(0), self.menu)
        self.checkin_action.triggered.connect(self._on_checkin_triggered)
        self.open_action = QAction("Open Keel", self.menu)
        self.open_action.triggered.connect(self._on_open_triggered)
        self.snooze_menu = QMenu("Snooze reminders", self.menu)
        self.snooze_actions: dict[str, QAction] = {}
        for choice, label in SNOOZE_LABELS:
            action = QAction(label, self.snooze_menu)
            action.triggered.connect(lambda _checked=False, c=choice: self._snooze(c))
            self.snooze_menu.addAction(action)
            self.snooze_actions[choice] = action
        self.quit_action = QAction("Quit Keel", self.menu)
        self.quit_action.triggered.connect(self._on_quit_triggered)
        self.menu.addAction(self.checkin_action)
        self.menu.addAction(self.open_action)
        self.menu.addMenu(self.snooze_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.menu.setDefaultAction(self.open_action)
        self.setContextMenu(self.menu)

        self.activated.connect(self._on_icon_activated)
        self.messageClicked.connect(self._on_message_clicked)
        service.due_count_changed.connect(self._on_service_due_count_changed)

    # Showing -----------------------------------------------------------------------
    def open_window(self) -> None:
        """Show the main window (it may be hidden in the tray) and bring it forward."""
        self.window.raise_window()

    def open_checkin(self) -> None:
        """Show the window on the check-in page."""
        self.window.raise_window()
        self.window.show_page(CHECKIN_PAGE)

    # Slots -------------------------------------------------------------------------
    @Slot()
    def _on_checkin_triggered(self) -> None:
        self.open_checkin()

    @Slot()
    def _on_open_triggered(self) -> None:
        self.open_window()

    @Slot()
    def _on_quit_triggered(self) -> None:
        self.window.quit_requested()

    def show_info(self, title: str, text: str) -> None:
        """A message that is not a reminder; clicking it opens the window."""
        self.last_message_kind = "info"
        self.showMessage(title, text, self.icon(), MESSAGE_MS)

    @Slot()
    def _on_message_clicked(self) -> None:
        if self.last_message_kind == "info":
            self.open_window()
        else:
            self.open_checkin()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_window()

    @Slot(int)
    def _on_service_due_count_changed(self, count: int) -> None:
        self.checkin_action.setText(checkin_caption(count))
        self.setToolTip(f"Keel — {count} prompt{'s' if count != 1 else ''} due" if count
                        else "Keel — nothing due")

    def show_reminder(self, note: Notification) -> None:
        """A reminder as a tray message (where no native notification could be shown);
        clicking it opens the check-in."""
        self.last_message_kind = "reminder"
        self.showMessage(note.summary, f"{note.body} Click to check in.", self.icon(), MESSAGE_MS)

    def _snooze(self, choice: str) -> None:
        until = self.service.snooze(choice)
        text = f"Reminders snoozed until {_local_words(until)}."
        self.setToolTip(f"Keel — {text}")
        self.window.statusBar().showMessage(text, 5000)


def _local_words(when: datetime) -> str:
    local = when.astimezone()
    return local.strftime("%a %d %b, %H:%M")
