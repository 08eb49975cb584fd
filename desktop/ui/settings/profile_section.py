"""Settings: where you stand and when Keel asks (situation, rhythm, day, quiet hours)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.records import RHYTHMS, Profile, Situation
from desktop.ui.errors import show_error
from desktop.ui.settings.base import SettingsSection

log = logging.getLogger(__name__)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RHYTHM_LABELS = {"weekly": "Every week", "fortnightly": "Every two weeks",
                 "monthly": "Every month"}


class ProfileSection(SettingsSection):
    title = "You and your rhythm"
    subtitle = ("Which prompts apply depends on your situation; your rhythm sets how often "
                "a check-in comes round. Changes are saved at once.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._loading = False
        self.situation_combo = QComboBox(objectName="settingsSituation")
        self.situation_combo.addItem("Not set", None)
        for situation in Situation:
            self.situation_combo.addItem(situation.label, situation.value)
        self.rhythm_combo = QComboBox(objectName="settingsRhythm")
        for rhythm in RHYTHMS:
            self.rhythm_combo.addItem(RHYTHM_LABELS.get(rhythm, rhythm), rhythm)
        self.weekday_combo = QComboBox(objectName="settingsWeekday")
        self.weekday_combo.addItems(WEEKDAYS)
        self.quiet_start = QSpinBox(objectName="quietStart", minimum=0, maximum=23, suffix=":00")
        self.quiet_end = QSpinBox(objectName="quietEnd", minimum=0, maximum=23, suffix=":00")
        self.quiet_start.setAccessibleName("Quiet hours start")
        self.quiet_end.setAccessibleName("Quiet hours end")
        quiet = QHBoxLayout()
        quiet.addWidget(QLabel("from"))
        quiet.addWidget(self.quiet_start)
        quiet.addWidget(QLabel("to"))
        quiet.addWidget(self.quiet_end)
        quiet.addStretch(1)
        self.day_boxes: list[QCheckBox] = []
        days = QHBoxLayout()
        for number, name in enumerate(WEEKDAYS):
            box = QCheckBox(name[:3])
            box.setAccessibleName(f"Remind on {name}")
            self.day_boxes.append(box)
            days.addWidget(box)
            box.toggled.connect(self._on_field_changed)
            box.setProperty("weekday", number)
        days.addStretch(1)
        self.rerun_button = QPushButton("Run onboarding again…", objectName="rerunOnboarding")
        self.rerun_button.setToolTip("Walk through onboarding again; your baseline gets a new "
                                     "version, nothing is overwritten.")
        self.onboarded_label = QLabel(objectName="mutedLabel", wordWrap=True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Situation:", self.situation_combo)
        form.addRow("Check-in &rhythm:", self.rhythm_combo)
        form.addRow("Preferred &day:", self.weekday_combo)
        from desktop.ui.settings import SECTIONS

        if not any(module.endswith(".reminders_section") for module, _cls in SECTIONS):
            # Shown here only while no Reminders section owns these settings.
            form.addRow("Quiet hours:", quiet)
            form.addRow("Reminder days:", days)
        else:
            for widget in (self.quiet_start, self.quiet_end, *self.day_boxes):
                widget.setParent(self)
                widget.hide()
        self.body.addLayout(form)
        rerun_row = QHBoxLayout()
        rerun_row.addWidget(self.onboarded_label, 1)
        rerun_row.addWidget(self.rerun_button)
        self.body.addLayout(rerun_row)

        for combo in (self.situation_combo, self.rhythm_combo, self.weekday_combo):
            combo.currentIndexChanged.connect(self._on_field_changed)
        for spin in (self.quiet_start, self.quiet_end):
            spin.valueChanged.connect(self._on_field_changed)
        self.rerun_button.clicked.connect(self.run_onboarding)
        self.setEnabled(False)

    def journal_opened(self) -> None:
        self.setEnabled(True)
        self.load()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & Change.PROFILE:
            self.load()

    def load(self) -> None:
        """Show the stored profile."""
        from db.settings import get_profile

        profile = get_profile(self.context.db)
        self._loading = True
        try:
            self._select(self.situation_combo, profile.situation)
            self._select(self.rhythm_combo, profile.rhythm)
            self.weekday_combo.setCurrentIndex(max(0, min(6, profile.preferred_weekday)))
            self.quiet_start.setValue(profile.quiet_start)
            self.quiet_end.setValue(profile.quiet_end)
            for number, box in enumerate(self.day_boxes):
                box.setChecked(number in profile.reminder_days)
        finally:
            self._loading = False
        self.onboarded_label.setText(
            "You finished onboarding." if profile.onboarded
            else "You have not been through onboarding yet — it takes about five minutes.")

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        found = combo.findData(value)
        combo.setCurrentIndex(found if found >= 0 else 0)

    def profile_from_fields(self, profile: Profile) -> Profile:
        """``profile`` with what the fields show."""
        return replace(
            profile,
            situation=self.situation_combo.currentData(),
            rhythm=self.rhythm_combo.currentData() or "weekly",
            preferred_weekday=self.weekday_combo.currentIndex(),
            quiet_start=self.quiet_start.value(),
            quiet_end=self.quiet_end.value(),
            reminder_days=tuple(n for n, box in enumerate(self.day_boxes) if box.isChecked()),
        )

    @Slot()
    def _on_field_changed(self) -> None:
        from db.settings import get_profile, save_profile

        if self._loading:
            return
        try:
            db = self.context.db
            save_profile(db, self.profile_from_fields(get_profile(db)))
        except Exception as exc:  # noqa: BLE001 - the user is told; the fields keep their values
            log.warning("saving the profile failed: %s", type(exc).__name__)
            show_error(self, "Could not save your settings", exc)
            return
        self.status_message.emit("Settings saved")
        self.data_changed.emit(Change.PROFILE)
