"""Set, change or remove the journal's passphrase: what to type, and the warning first."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MIN_LENGTH = 8
WARNING = ("If you forget this passphrase, nobody can recover your journal — not you, not "
           "Keel's makers, not anyone. There is no reset and no back door. Write it down "
           "somewhere safe, away from this computer.")


@dataclass(frozen=True)
class PassphraseChoice:
    """What the user typed: the current passphrase (change/remove) and the new one (set/change)."""

    current: str | None = None
    new: str | None = None


class PassphraseDialog(QDialog):
    """``mode`` is "set", "change" or "remove"."""

    def __init__(self, parent: QWidget | None, mode: str) -> None:
        super().__init__(parent)
        self.mode = mode
        self.choice: PassphraseChoice | None = None
        titles = {"set": "Encrypt the journal", "change": "Change the passphrase",
                  "remove": "Remove encryption"}
        self.setWindowTitle(titles[mode])
        self.setObjectName("passphraseDialog")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = {
            "set": ("Keel will encrypt the whole journal file and every backup with this "
                    "passphrase. You will type it each time Keel starts."),
            "change": "The journal and every backup are re-encrypted with the new passphrase.",
            "remove": ("The journal and its backups become ordinary files again: anyone who "
                       "can read your files can read your journal."),
        }[mode]
        text = QLabel(intro, wordWrap=True)
        layout.addWidget(text)
        form = QFormLayout()
        self.current = self._field("Current passphrase")
        self.new = self._field("New passphrase")
        self.again = self._field("New passphrase again")
        if mode in ("change", "remove"):
            form.addRow(self._label("&Current passphrase:", self.current), self.current)
        if mode in ("set", "change"):
            form.addRow(self._label("&New passphrase:", self.new), self.new)
            form.addRow(self._label("New passphrase &again:", self.again), self.again)
        layout.addLayout(form)
        self.warning = QLabel(WARNING, objectName="passphraseWarning", wordWrap=True)
        self.understand = QCheckBox("I &understand that a forgotten passphrase cannot be recovered")
        self.understand.setAccessibleName("I understand")
        if mode in ("set", "change"):
            layout.addWidget(self.warning)
            layout.addWidget(self.understand)
        else:
            self.warning.hide()
            self.understand.hide()
        self.message = QLabel("", objectName="unlockMessage", wordWrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton({"set": "&Encrypt", "change": "&Change",
                                     "remove": "&Remove encryption"}[mode],
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            button.setAutoDefault(False)  # Return in a field means OK, never Cancel
        for field in (self.current, self.new, self.again):
            field.returnPressed.connect(self._on_ok_clicked)
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.current if mode != "set" else self.new).setFocus()

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        field.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        return field

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def problem(self) -> str | None:
        """Why what was typed cannot be used yet (None when it can)."""
        if self.mode in ("change", "remove") and not self.current.text():
            return "Type the current passphrase."
        if self.mode in ("set", "change"):
            new = self.new.text()
            if len(new) < MIN_LENGTH:
                return f"Use at least {MIN_LENGTH} characters; a few words are easy to remember."
            if "\x00" in new:
                return "A passphrase cannot contain a NUL character."
            if new != self.again.text():
                return "The two new passphrases differ. Type them again."
            if not self.understand.isChecked():
                return "Tick “I understand” first: nobody can recover a forgotten passphrase."
        return None

    @Slot()
    def _on_ok_clicked(self) -> None:
        problem = self.problem()
        if problem:
            from desktop.ui.widgets.fit import grow_to_fit

            self.message.setText(problem)
            self.message.show()
            grow_to_fit(self)
            return
        self.choice = PassphraseChoice(
            current=self.current.text() if self.mode != "set" else None,
            new=self.new.text() if self.mode != "remove" else None)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, mode: str) -> PassphraseChoice | None:
        """What the user typed, checked for sense; None when they cancelled."""
        dialog = cls(parent, mode)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice
