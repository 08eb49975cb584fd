"""The experts' assessment of one option as a compact form, with each answer's history.

Answers are stored as history (see :mod:`desktop.core.assessment`): the form shows the
current answer of each question, offers earlier ones from a "History" button, and reports
only the answers the user changed, in the storage convention (scale → ``number`` =
0-based label index; yes/no → 1/0; choice and text → ``text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.assessment import AssessmentQuestion, answer_history, latest_answers
from desktop.core.panel import experts_label
from desktop.core.provenance import raised_by, source_line
from desktop.core.records import AnswerKind, AssessmentAnswer
from desktop.ui.models.options_table_model import format_day

UNANSWERED = "— not answered —"

Value = tuple[str | None, float | None]
"""(text, number) as stored."""


def stored_value(question: AssessmentQuestion, answer: AssessmentAnswer | None) -> Value:
    """The (text, number) pair of ``answer`` for comparison with the form."""
    if answer is None:
        return (None, None)
    if question.answer in (AnswerKind.SCALE, AnswerKind.YESNO):
        return (None, None if answer.number is None else float(round(answer.number)))
    text = (answer.text or "").strip()
    return (text or None, None)



def assessment_tip(q: AssessmentQuestion) -> str:
    """A question's tooltip: who raised the point, the paraphrase, and where in the seed."""
    where = source_line(q.sources)
    return f"{raised_by(q.experts)}: {q.why}" + (f"\nIn the seed: {where}" if where else "")

class AssessmentForm(QWidget):
    """One row per question, grouped under the questions' sections."""

    edited = Signal()
    """The user changed an answer (not yet saved)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._questions: list[AssessmentQuestion] = []
        self._inputs: dict[str, QWidget] = {}
        self._history_buttons: dict[str, QToolButton] = {}
        self._loaded: dict[str, Value] = {}
        self._loading = False
        self._tz: tzinfo | None = None
        self._host = QWidget()
        self._grid = QGridLayout(self._host)
        self._grid.setContentsMargins(4, 4, 12, 4)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # Building --------------------------------------------------------------------
    def set_questions(self, questions: Sequence[AssessmentQuestion]) -> None:
        """Build one row per question, in order, grouped by section."""
        self._questions = list(questions)
        row = 0
        section = None
        previous: QWidget | None = None
        for q in self._questions:
            if q.section != section:
                section = q.section
                header = QLabel(section or "Other questions", objectName="assessmentSection")
                self._grid.addWidget(header, row, 0, 1, 3)
                row += 1
            label = QLabel(f"{q.question} <span style='color:palette(placeholder-text)'>"
                           f"· {experts_label(q.experts)}</span>")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            tip = assessment_tip(q)
            label.setToolTip(tip)
            widget = self._input_for(q)
            label.setBuddy(widget)
            widget.setToolTip(tip)
            history = QToolButton()
            history.setText("History")
            history.setAccessibleName(f"Earlier answers: {q.question}")
            history.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            history.setObjectName("historyButton")  # keel.qss leaves room for the arrow
            history.setMenu(QMenu(history))
            history.setEnabled(False)
            self._grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(history, row, 2, Qt.AlignmentFlag.AlignTop)
            self._inputs[q.id] = widget
            self._history_buttons[q.id] = history
            if previous is not None:
                QWidget.setTabOrder(previous, widget)
            previous = widget
            row += 1
        self._grid.setRowStretch(row, 1)

    def _input_for(self, q: AssessmentQuestion) -> QWidget:
        if q.answer is AnswerKind.TEXT:
            edit = QLineEdit(placeholderText="In your own words")
            edit.setAccessibleName(q.question)
            edit.textEdited.connect(self._on_input_changed)
            return edit
        box = QComboBox()
        box.setAccessibleName(q.question)
        box.addItem(UNANSWERED, None)
        if q.answer is AnswerKind.SCALE:
            for i, label in enumerate(q.labels):
                box.addItem(label, float(i))
        elif q.answer is AnswerKind.YESNO:
            box.addItem("Yes", 1.0)
            box.addItem("No", 0.0)
        else:
            for label in q.labels:
                box.addItem(label, label)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(14)
        box.activated.connect(self._on_input_changed)
        return box

    # Values --------------------------------------------------------------------
    def input_for(self, question_id: str) -> QWidget:
        """The answer widget of one question (tests drive it like a user)."""
        return self._inputs[question_id]

    def history_button(self, question_id: str) -> QToolButton:
        return self._history_buttons[question_id]

    def value(self, question_id: str) -> Value:
        """The (text, number) the form holds for one question."""
        q = next(q for q in self._questions if q.id == question_id)
        widget = self._inputs[question_id]
        if isinstance(widget, QLineEdit):
            text = widget.text().strip()
            return (text or None, None)
        data = widget.currentData()  # type: ignore[attr-defined]
        if data is None:
            return (None, None)
        if q.answer is AnswerKind.CHOICE:
            return (str(data), None)
        return (None, float(data))

    def set_value(self, question_id: str, text: str | None, number: float | None) -> None:
        widget = self._inputs[question_id]
        if isinstance(widget, QLineEdit):
            widget.setText(text or "")
            widget.setCursorPosition(0)
            return
        assert isinstance(widget, QComboBox)
        data: Any = text if text is not None else number
        index = widget.findData(data)
        widget.setCurrentIndex(max(index, 0))

    def load(self, answers: Sequence[AssessmentAnswer], tz: tzinfo | None = None) -> None:
        """Show the current answers of one option and fill each question's history."""
        self._tz = tz
        latest = latest_answers(answers)
        self._loading = True
        try:
            self._loaded = {}
            for q in self._questions:
                current = stored_value(q, latest.get(q.id))
                self._loaded[q.id] = current
                self.set_value(q.id, *current)
                self._fill_history(q, answer_history(answers, q.id))
        finally:
            self._loading = False

    def _fill_history(self, q: AssessmentQuestion, history: list[AssessmentAnswer]) -> None:
        button = self._history_buttons[q.id]
        menu = button.menu()
        menu.clear()
        for answer in history:
            when = format_day(answer.answered_at.astimezone(self._tz).date())
            shown = q.format(answer) or "(cleared)"
            if len(shown) > 70:
                shown = shown[:69] + "…"
            action = QAction(f"{when} — {shown}", menu)
            action.setEnabled(False)
            menu.addAction(action)
        count = len(history)
        button.setEnabled(count > 0)
        button.setText(f"History ({count})" if count > 1 else "History")
        button.setToolTip("No earlier answers yet" if count == 0 else
                          f"{count} answer{'s' if count != 1 else ''} given, newest first")

    def changed_answers(self) -> list[tuple[str, str | None, float | None]]:
        """(question id, text, number) for every answer that differs from the stored one."""
        changed = []
        for q in self._questions:
            now = self.value(q.id)
            if now != self._loaded.get(q.id, (None, None)):
                changed.append((q.id, now[0], now[1]))
        return changed

    def answered_count(self) -> int:
        return sum(1 for q in self._questions if self.value(q.id) != (None, None))

    def payload(self) -> dict[str, list[Any]]:
        """The form's current values, for a draft."""
        return {q.id: list(self.value(q.id)) for q in self._questions}

    def load_payload(self, payload: dict[str, Any]) -> None:
        """Put a draft's values back (the stored answers stay the baseline for changes)."""
        for q in self._questions:
            if q.id in payload and isinstance(payload[q.id], list) and len(payload[q.id]) == 2:
                text, number = payload[q.id]
                self.set_value(q.id, text, number)

    @Slot()
    def _on_input_changed(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()
