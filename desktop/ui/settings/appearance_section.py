"""Settings: light, dark, or the same as the system. Applied at once, kept per data folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Slot
from PySide6.QtWidgets import QApplication, QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from desktop.context import AppContext
from desktop.ui.settings.base import SettingsSection
from desktop.ui.theme import SCHEME_KEY, SCHEMES, scheme_choice, set_scheme_choice


class AppearanceSection(SettingsSection):
    title = "Appearance"
    subtitle = "Keel's colours: light, dark, or whatever your system uses at the moment."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        row.setSpacing(16)
        for key, caption in SCHEMES:
            button = QRadioButton(caption, objectName=f"scheme-{key}")
            button.setAccessibleName(f"Colours: {caption}")
            self.group.addButton(button)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.buttons[scheme_choice()].setChecked(True)
        self.group.buttonToggled.connect(self._on_button_toggled)

    def _settings(self) -> QSettings:
        return QSettings(str(self.context.paths.data_dir / "window.ini"),
                         QSettings.Format.IniFormat)

    @Slot(object, bool)
    def _on_button_toggled(self, button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        key = next(k for k, b in self.buttons.items() if b is button)
        self.choose(key)

    def choose(self, key: str) -> None:
        """Apply ``key`` ("system", "light", "dark") now and keep it for the next start."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            set_scheme_choice(app, key)
        settings = self._settings()
        settings.setValue(SCHEME_KEY, key)
        settings.sync()
        if not self.buttons[key].isChecked():
            self.buttons[key].setChecked(True)
        self.status_message.emit(f"Colours: {dict(SCHEMES)[key]}")
