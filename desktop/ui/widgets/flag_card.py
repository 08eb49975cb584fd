"""One active flag as a card: severity (accent bar, icon and word), the message, why it
matters (the experts behind it), the evidence, one next step, and Dismiss…/Snooze…."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.dialogs.flag_note_dialog import FlagNoteDialog

if TYPE_CHECKING:  # the flag rules load on the start-up preload thread
    from desktop.core.flags import Flag

SEVERITY_WORDS = {3: "Important", 2: "Warning", 1: "Notice"}
SEVERITY_KINDS = {3: "important", 2: "warning", 1: "notice"}
_SEVERITY_ICONS = {
    3: QStyle.StandardPixmap.SP_MessageBoxCritical,
    2: QStyle.StandardPixmap.SP_MessageBoxWarning,
    1: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def experts_phrase(experts: tuple[int, ...]) -> str:
    """"Expert 4", "Experts 4 and 1", "Experts 4, 1 and 10"."""
    if not experts:
        return ""
    if len(experts) == 1:
        return f"Expert {experts[0]}"
    names = [str(n) for n in experts]
    return f"Experts {', '.join(names[:-1])} and {names[-1]}"


class FlagCard(QFrame):
    """A card for one flag; the dialog is asked here, storing is left to the page."""

    dismiss_chosen = Signal(str, str)
    """The user dismissed the flag: (flag key, note)."""
    snooze_chosen = Signal(str, str, int)
    """The user snoozed the flag: (flag key, note, days)."""

    def __init__(self, flag: Flag, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flag = flag
        self.setObjectName("flagCard")
        kind = SEVERITY_KINDS.get(flag.severity, "notice")
        self.setProperty("severity", kind)
        word = SEVERITY_WORDS.get(flag.severity, "Notice")
        self.setAccessibleName(f"{word}: {flag.message}")

        bar = QFrame(objectName="flagAccent")
        bar.setProperty("severity", kind)
        bar.setFixedWidth(5)

        icon = QLabel()
        size = self.fontMetrics().height()
        pixmap_icon = self.style().standardIcon(_SEVERITY_ICONS.get(flag.severity,
                                                _SEVERITY_ICONS[1]))
        icon.setPixmap(pixmap_icon.pixmap(QSize(size, size)))
        severity = QLabel(word.upper(), objectName="flagSeverity")
        severity.setProperty("severity", kind)
        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(icon)
        head.addWidget(severity)
        if flag.experts:
            source = QLabel(f"· {experts_phrase(flag.experts)}", objectName="mutedLabel")
            head.addWidget(source)
        head.addStretch(1)

        self.title = QLabel(flag.message, objectName="flagTitle")
        self.title.setWordWrap(True)

        body = QVBoxLayout()
        body.setSpacing(6)
        body.addLayout(head)
        body.addWidget(self.title)
        if flag.why:
            who = experts_phrase(flag.experts)
            lead = f"<b>Why:</b> {_escape(flag.why)}"
            if who and "Expert" not in flag.why:
                lead += f" <span>({who})</span>"
            why = QLabel(lead, objectName="flagWhy")
            why.setWordWrap(True)
            body.addWidget(why)
        if flag.evidence:
            lines = "".join(f"<li>{_escape(line)}</li>" for line in flag.evidence)
            evidence = QLabel(
                f"<b>Evidence</b><ul style='margin-left:-24px; margin-top:2px;"
                f" margin-bottom:0px'>{lines}</ul>",
                objectName="flagEvidence")
            evidence.setWordWrap(True)
            body.addWidget(evidence)
        if flag.next_step:
            step = QLabel(f"<b>Next step:</b> {_escape(flag.next_step)}", objectName="flagStep")
            step.setWordWrap(True)
            body.addWidget(step)

        self.dismiss_button = QPushButton("Dismiss…")
        self.dismiss_button.setAccessibleName(f"Dismiss flag: {flag.message}")
        self.dismiss_button.setToolTip("Hide this flag with a note; it is kept in the history")
        self.snooze_button = QPushButton("Snooze…")
        self.snooze_button.setAccessibleName(f"Snooze flag: {flag.message}")
        self.snooze_button.setToolTip("Hide this flag for a while")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.dismiss_button)
        body.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(bar)
        inner = QVBoxLayout()
        inner.setContentsMargins(0, 10, 0, 0)
        inner.addLayout(body)
        layout.addLayout(inner, 1)

        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        self.snooze_button.clicked.connect(self._on_snooze_clicked)

    @Slot()
    def _on_dismiss_clicked(self) -> None:
        answer = FlagNoteDialog.ask(self, "dismiss", self.flag.message)
        if answer is not None:
            self.dismiss_chosen.emit(self.flag.key, answer.note)

    @Slot()
    def _on_snooze_clicked(self) -> None:
        answer = FlagNoteDialog.ask(self, "snooze", self.flag.message)
        if answer is not None:
            self.snooze_chosen.emit(self.flag.key, answer.note, answer.snooze_days or 7)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
