"""macOS and Windows: the reminder as a tray message, the best Qt offers there.

Qt has no native notification API with buttons on these systems; a
``QSystemTrayIcon.showMessage`` becomes a Notification Center banner (macOS) or a toast
(Windows) with Keel's icon, and a click on it opens the check-in. The snooze buttons are
not offered there. This needs Qt's widgets, so only ``keel remind`` on macOS and Windows
loads them. (Not exercised by the Linux test suite: no macOS or Windows machine here.)
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.reminders import ACTION_CHECKIN, Notification

MESSAGE_MS = 15_000


def show_and_wait(note: Notification, wait_seconds: float,
                  on_shown: Callable[[], None]) -> str | None:
    """Show ``note`` from a temporary tray icon; ``checkin`` if it was clicked in time."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from desktop.platform.notifications import NotificationError

    app = QApplication.instance() or QApplication(["keel"])
    if not QSystemTrayIcon.isSystemTrayAvailable():
        raise NotificationError("this desktop shows no tray or notifications")
    from desktop.ui.application import app_icon

    icon = QSystemTrayIcon(app_icon())
    icon.show()
    clicked: list[str] = []
    def on_clicked() -> None:
        clicked.append(ACTION_CHECKIN)
        app.quit()

    icon.messageClicked.connect(on_clicked)
    icon.showMessage(note.summary, note.body, app_icon(), MESSAGE_MS)
    on_shown()
    QTimer.singleShot(int(max(wait_seconds, 1) * 1000), app.quit)
    app.exec()
    icon.hide()
    return clicked[0] if clicked else None
