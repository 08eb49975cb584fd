"""Settings ▸ Reminders: quiet hours, reminder days, reminders while Keel is closed (the
system scheduler), staying in the tray, start at login."""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.ui.settings.base import SettingsSection

log = logging.getLogger(__name__)

KEEP_IN_TRAY_KEY = "keep_in_tray"
"""Settings key: closing the window keeps Keel running in the tray (default on)."""

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def keep_in_tray(db: object) -> bool:
    """Whether closing the window should keep Keel in the tray (the stored setting)."""
    from db.settings import get_value

    return bool(get_value(db, KEEP_IN_TRAY_KEY, True))  # type: ignore[arg-type]


class RemindersSection(SettingsSection):
    """Quiet hours, reminder days, reminders while closed, the tray and start at login."""

    title = "Reminders"
    subtitle = ("Keel reminds you when a check-in is due, once per batch, with your "
                "desktop's own notifications.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._loading = False

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        quiet_label = QLabel("&Quiet hours from")
        self.quiet_start = self._hour_combo("Quiet hours start")
        quiet_label.setBuddy(self.quiet_start)
        until_label = QLabel("&until")
        self.quiet_end = self._hour_combo("Quiet hours end")
        until_label.setBuddy(self.quiet_end)
        quiet_row = QHBoxLayout()
        quiet_row.setSpacing(8)
        quiet_row.addWidget(self.quiet_start)
        quiet_row.addWidget(until_label)
        quiet_row.addWidget(self.quiet_end)
        quiet_row.addStretch(1)
        grid.addWidget(quiet_label, 0, 0)
        grid.addLayout(quiet_row, 0, 1)

        days_label = QLabel("Remind me on")
        days_row = QHBoxLayout()
        days_row.setSpacing(16)  # each day apart from the next box, not run into it
        self.day_boxes: list[QCheckBox] = []
        for short, full in zip(DAY_NAMES, DAY_FULL_NAMES, strict=True):
            box = QCheckBox(short)
            box.setAccessibleName(f"Remind me on {full}")
            box.toggled.connect(self._on_profile_changed)
            days_row.addWidget(box)
            self.day_boxes.append(box)
        days_row.addStretch(1)
        grid.addWidget(days_label, 1, 0)
        grid.addLayout(days_row, 1, 1)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)

        self.closed_box = QCheckBox("Remind me even when Keel is &closed")
        self.closed_box.setAccessibleName("Remind me even when Keel is closed")
        self.closed_box.toggled.connect(self._on_closed_box_toggled)
        self.body.addWidget(self.closed_box)
        self.closed_note = QLabel(objectName="mutedLabel", wordWrap=True)
        self.closed_note.setAccessibleName("Reminders while closed status")
        self.body.addWidget(self.closed_note)

        self.keep_in_tray_box = QCheckBox("&Keep Keel running in the tray when the window is closed")
        self.keep_in_tray_box.setAccessibleName(
            "Keep Keel running in the tray when the window is closed")
        self.keep_in_tray_box.setChecked(True)
        self.keep_in_tray_box.toggled.connect(self._on_keep_in_tray_box_toggled)
        self.body.addWidget(self.keep_in_tray_box)
        self.tray_note = QLabel("This desktop shows no tray icons: Keel quits when its window "
                                "closes. Reminders while Keel is closed keep reaching you.",
                                objectName="mutedLabel", wordWrap=True)
        self.tray_note.hide()
        self.body.addWidget(self.tray_note)

        self.autostart_box = QCheckBox("Start Keel at &login (hidden in the tray)")
        self.autostart_box.setAccessibleName("Start Keel at login")
        self.autostart_box.toggled.connect(self._on_autostart_box_toggled)
        self.body.addWidget(self.autostart_box)
        self.autostart_note = QLabel(objectName="mutedLabel", wordWrap=True)
        self.autostart_note.setAccessibleName("Start at login status")
        self.body.addWidget(self.autostart_note)

        self.quiet_start.currentIndexChanged.connect(self._on_profile_changed)
        self.quiet_end.currentIndexChanged.connect(self._on_profile_changed)
        self.setTabOrder(self.quiet_start, self.quiet_end)
        self.setTabOrder(self.quiet_end, self.day_boxes[0])
        for before, after in zip(self.day_boxes, self.day_boxes[1:]):
            self.setTabOrder(before, after)
        self.setTabOrder(self.day_boxes[-1], self.closed_box)
        self.setTabOrder(self.closed_box, self.keep_in_tray_box)
        self.setTabOrder(self.keep_in_tray_box, self.autostart_box)
        self._show_closed_status()
        self._show_autostart_status()

    @staticmethod
    def _hour_combo(name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for hour in range(24):
            combo.addItem(f"{hour:02d}:00", hour)
        return combo

    # Loading -------------------------------------------------------------------------
    def journal_opened(self) -> None:
        """Show the stored reminder settings."""
        from db.settings import get_profile
        from desktop.ui.tray import tray_available

        db = self.context.db
        profile = get_profile(db)
        self._loading = True
        try:
            self.quiet_start.setCurrentIndex(profile.quiet_start % 24)
            self.quiet_end.setCurrentIndex(profile.quiet_end % 24)
            for day, box in enumerate(self.day_boxes):
                box.setChecked(day in profile.reminder_days)
            self.keep_in_tray_box.setChecked(keep_in_tray(db))
        finally:
            self._loading = False
        has_tray = tray_available()
        self.keep_in_tray_box.setEnabled(has_tray)
        self.tray_note.setVisible(not has_tray)
        self._show_closed_status()
        self._show_autostart_status()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        """Reload when the profile changed elsewhere (onboarding, the profile section)."""
        if changed & (Change.PROFILE | Change.SETTINGS | Change.REMINDERS | Change.AUTOSTART):
            self.journal_opened()

    # Saving --------------------------------------------------------------------------
    @Slot()
    def _on_profile_changed(self) -> None:
        if self._loading:
            return
        from db.settings import get_profile, save_profile

        days = tuple(day for day, box in enumerate(self.day_boxes) if box.isChecked())
        db = self.context.db
        profile = replace(get_profile(db), quiet_start=self.quiet_start.currentData(),
                          quiet_end=self.quiet_end.currentData(), reminder_days=days)
        try:
            save_profile(db, profile)
        except Exception as exc:  # said in words, nothing lost on screen
            from desktop.ui.errors import user_message

            self.status_message.emit(f"Reminder settings not saved: {user_message(exc)}")
            return
        if not days:
            self.status_message.emit("No reminder days chosen: Keel will not remind you.")
        else:
            self.status_message.emit("Reminder settings saved.")
        self.data_changed.emit(Change.REMINDERS)

    @Slot(bool)
    def _on_keep_in_tray_box_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        from db.settings import set_value

        set_value(self.context.db, KEEP_IN_TRAY_KEY, checked)
        self.status_message.emit("Closing the window now keeps Keel in the tray." if checked
                                 else "Closing the window now quits Keel.")
        self.data_changed.emit(Change.REMINDERS)

    @Slot(bool)
    def _on_autostart_box_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        from desktop.core.autostart import AutostartError
        from desktop.platform.autostart import for_platform, launch_command

        target = for_platform()
        try:
            if checked:
                target.enable(launch_command())
            else:
                target.disable()
        except (AutostartError, OSError) as exc:
            log.warning("changing start at login failed: %s", exc)
            self._show_autostart_status(problem=str(exc))
            return
        self.status_message.emit("Keel will start at login." if checked
                                 else "Keel will no longer start at login.")
        self._show_autostart_status()
        self.data_changed.emit(Change.AUTOSTART)

    @Slot(bool)
    def _on_closed_box_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        from desktop.closed_reminders import turn_off, turn_on
        from desktop.ui.tasks import run_in_background

        # systemctl / launchctl / schtasks can take a while: off the UI thread.
        self.closed_box.setEnabled(False)
        self.closed_note.setText("Asking your system's scheduler…")
        if checked:
            run_in_background(turn_on, str(self.context.paths.data_dir),
                              on_done=self._on_closed_changed, on_error=self._on_closed_failed)
        else:
            run_in_background(turn_off, on_done=self._on_closed_changed,
                              on_error=self._on_closed_failed)

    def _on_closed_changed(self, said: str) -> None:
        self.closed_box.setEnabled(True)
        self.status_message.emit(said.split(". ")[0] + ".")
        self._show_closed_status()
        self.data_changed.emit(Change.REMINDERS)

    def _on_closed_failed(self, exc: BaseException) -> None:
        from desktop.core.errors import UserError

        self.closed_box.setEnabled(True)
        problem = str(exc) if isinstance(exc, UserError | OSError) else type(exc).__name__
        log.warning("changing reminders while closed failed: %s", problem)
        self._show_closed_status(problem=problem)

    def _show_closed_status(self, problem: str | None = None) -> None:
        from desktop.platform.scheduler import for_platform

        try:
            status = for_platform().status(ask=False)  # files only: no tool on the UI thread
        except Exception as exc:  # noqa: BLE001 - e.g. the scheduler cannot be asked
            self.closed_box.setEnabled(False)
            self.closed_note.setText(f"Not available here: {type(exc).__name__}.")
            return
        self._loading = True
        try:
            self.closed_box.setChecked(status.installed)
        finally:
            self._loading = False
        if problem:
            text = f"Could not change it: {problem}"
        elif status.installed:
            text = (f"{status.detail} It checks every half hour and shows one notification "
                    "per due check-in, even after the computer slept.")
        else:
            text = ("Your system's scheduler runs a small check every half hour; it never "
                    "asks for your passphrase and never opens the window by itself.")
        self.closed_note.setText(text)

    def _show_autostart_status(self, problem: str | None = None) -> None:
        from desktop.platform.autostart import for_platform

        try:
            status = for_platform().status()
        except Exception as exc:  # e.g. no registry access
            self.autostart_box.setEnabled(False)
            self.autostart_note.setText(f"Start at login is not available here: {exc}")
            return
        self._loading = True
        try:
            self.autostart_box.setChecked(status.enabled and status.written_by_keel)
        finally:
            self._loading = False
        if problem:
            text = f"Could not change start at login: {problem}"
        elif status.enabled and not status.written_by_keel:
            text = f"Another entry at {status.location} already starts Keel; Keel leaves it alone."
        elif status.enabled:
            text = f"Keel starts at login from {status.location}."
        else:
            text = ("Optional: reminders while Keel is closed do not need it. With a tray, "
                    "Keel starts hidden there; without one it does not open its window.")
        self.autostart_note.setText(text)
