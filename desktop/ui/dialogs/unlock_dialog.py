"""The dialog that asks for an encrypted journal's passphrase before anything is opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class UnlockDialog(QDialog):
    """Ask for the passphrase; a wrong one is said in the dialog and nothing is written."""

    def __init__(self, parent: QWidget | None, data_dir: Path, target: Path | None = None,
                 intro: str | None = None) -> None:
        super().__init__(parent)
        from desktop.paths import DB_FILENAME

        self.database = target or data_dir / DB_FILENAME
        """The file the passphrase is checked against: the journal, or an encrypted backup
        (``db.recovery.backup_key_wanted``)."""
        self.passphrase: str | None = None
        self.unlock_seconds: float | None = None
        """How long checking the accepted passphrase took (key derivation included)."""
        for_backups = target is not None  # an interrupted decrypt, or a lost journal
        self.setWindowTitle("Encrypted backups" if for_backups else "Unlock Keel")
        self.setObjectName("unlockDialog")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.intro = QLabel(intro or "Your journal is encrypted. Type its passphrase to open it.",
                            objectName="unlockIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        label = QLabel("&Passphrase:")
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        label.setBuddy(self.field)
        layout.addWidget(label)
        layout.addWidget(self.field)
        self.message = QLabel("", objectName="unlockMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        self.message.hide()
        layout.addWidget(self.message)
        note = QLabel("Forgot it? Nobody can open encrypted backups without their passphrase."
                      if for_backups else "Forgot it? Nobody can recover an encrypted journal "
                      "without its passphrase.", objectName="mutedLabel")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.unlock_button = buttons.addButton("&Open backups" if for_backups else "&Unlock",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():
            # Return in the field unlocks (below); no button takes Return for itself,
            # so a button that had focus once never turns Return into "Cancel".
            button.setAutoDefault(False)
        self.field.returnPressed.connect(self._on_unlock_button_clicked)
        buttons.accepted.connect(self._on_unlock_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    @Slot()
    def _on_unlock_button_clicked(self) -> None:
        from db.crypto import WrongPassphrase, unlock
        from desktop.core.errors import UserError
        from desktop.paths import DB_FILENAME

        typed = self.field.text()
        if not typed:
            self._say("Type the passphrase first.")
            return
        try:
            self.unlock_seconds = unlock(self.database, typed)
        except WrongPassphrase:
            what = "this journal" if self.database.name == DB_FILENAME else "these backups"
            self._say(f"That passphrase does not open {what}. Nothing was changed; "
                      "try again.")
            self.field.selectAll()
            return
        except UserError as exc:
            self._say(str(exc))
            return
        self.passphrase = typed
        self.accept()

    def _say(self, text: str) -> None:
        from desktop.ui.widgets.fit import grow_to_fit

        self.message.setText(text)
        self.message.show()
        grow_to_fit(self)
        self.field.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, data_dir: Path, target: Path | None = None,
            intro: str | None = None) -> str | None:
        """The checked passphrase, or None when the user cancelled."""
        dialog = cls(parent, data_dir, target, intro)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        cls.last_unlock_seconds = dialog.unlock_seconds
        return dialog.passphrase

    last_unlock_seconds: float | None = None
    """The key-check time of the last accepted unlock (for the start-up report)."""


def ask(parent: QWidget | None, data_dir: Path) -> str | None:
    """Module-level shortcut for ``UnlockDialog.ask``."""
    return UnlockDialog.ask(parent, data_dir)
