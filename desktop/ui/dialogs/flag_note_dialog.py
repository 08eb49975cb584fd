"""A small dialog asking for an optional note (and, for a snooze, how long) before a flag
is dismissed or snoozed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

SNOOZE_CHOICES: tuple[tuple[str, int], ...] = (
    ("1 week", 7),
    ("2 weeks", 14),
    ("1 month", 30),
    ("3 months", 91),
)
"""(label, days) offered for a snooze."""


@dataclass(frozen=True)
class FlagNote:
    """What the user chose: their note, and for a snooze its length in days."""

    note: str
    snooze_days: int | None = None


class FlagNoteDialog(QDialog):
    """Dismiss or snooze one flag, with an optional note kept in the flag history."""

    def __init__(self, parent: QWidget | None, action: str, message: str) -> None:
        super().__init__(parent)
        self.action = action
        snooze = action == "snooze"
        self.setWindowTitle("Snooze flag" if snooze else "Dismiss flag")
        layout = QVBoxLayout(self)
        intro = QLabel(message)
        intro.setWordWrap(True)
        intro.setObjectName("flagNoteMessage")
        layout.addWidget(intro)
        explain = QLabel(
            "It comes back when the snooze ends." if snooze
            else "It stays hidden until the situation changes. Dismissals are kept in the "
                 "flag history."
        )
        explain.setObjectName("mutedLabel")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.length = QComboBox()
        self.length.setAccessibleName("Snooze for")
        for label, days in SNOOZE_CHOICES:
            self.length.addItem(label, days)
        if snooze:
            form.addRow("Snooze &for:", self.length)
        else:
            self.length.hide()
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Optional: why? (e.g. “talked to Sam on Friday”)")
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        note_label = QLabel("&Note:")
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton("Snooze" if snooze else "Dismiss",
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 60, self.sizeHint().height())

    def result_note(self) -> FlagNote:
        days = self.length.currentData() if self.action == "snooze" else None
        return FlagNote(self.note.toPlainText().strip(), days)

    @classmethod
    def ask(cls, parent: QWidget | None, action: str, message: str) -> FlagNote | None:
        """Ask for a note; ``action`` is ``dismiss`` or ``snooze``. None when cancelled."""
        dialog = cls(parent, action, message)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_note()
