"""One active flag as a card: severity (accent bar, icon and word), the message, the experts'
point ("Raised by Expert 4"), Keel's own reasoning ("Why Keel asks"), any number Keel chose
("Keel's threshold"), the other side where the seed has one, the evidence, one next step,
and Dismiss…/Snooze…."""

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

from desktop.core.provenance import (
    KEEL_THRESHOLD,
    OTHER_VIEW,
    RAISED_BY,
    WHY_KEEL,
    experts_label,
    flag_lines,
)
from desktop.ui.dialogs.flag_note_dialog import FlagNoteDialog
from desktop.ui.widgets.wrap_label import WrapLabel

if TYPE_CHECKING:  # the flag rules load on the start-up preload thread
    from desktop.core.flags import Flag

SEVERITY_WORDS = {3: "Important", 2: "Warning", 1: "Notice"}
SEVERITY_KINDS = {3: "important", 2: "warning", 1: "notice"}
_SEVERITY_ICONS = {
    3: QStyle.StandardPixmap.SP_MessageBoxCritical,
    2: QStyle.StandardPixmap.SP_MessageBoxWarning,
    1: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


_LINE_NAMES = {RAISED_BY: "flagPoint", WHY_KEEL: "flagWhy", KEEL_THRESHOLD: "flagThreshold",
               OTHER_VIEW: "flagCounterpoint", "In the seed": "flagSource"}
"""Object names of the attribution lines (the style sheet and tests find them by name)."""


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
            source = QLabel(f"· {experts_label(flag.experts)}", objectName="mutedLabel")
            head.addWidget(source)
        head.addStretch(1)

        self.title = WrapLabel(flag.message, objectName="flagTitle")

        body = QVBoxLayout()
        body.setSpacing(6)
        body.addLayout(head)
        body.addWidget(self.title)
        for label, text in flag_lines(flag):
            line = WrapLabel(f"<b>{_escape(label)}:</b> {_escape(text)}",
                             objectName=_LINE_NAMES.get(label.split(" Expert")[0], "flagWhy"))
            body.addWidget(line)
        if flag.evidence:
            lines = "".join(f"<li>{_escape(line)}</li>" for line in flag.evidence)
            evidence = WrapLabel(
                f"<b>Evidence</b><ul style='margin-left:-24px; margin-top:2px;"
                f" margin-bottom:0px'>{lines}</ul>",
                objectName="flagEvidence")
            body.addWidget(evidence)
        if flag.next_step:
            step = WrapLabel(f"<b>Next step:</b> {_escape(flag.next_step)}", objectName="flagStep")
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
