"""One prompt of a check-in as a card: the question, its answer widget, the reason behind
it (one click away) and a Skip with an optional reason.

The reason keeps the voices apart: "Why Keel asks" is Keel's own line; "Raised by
Expert 4" names the experts behind the prompt with, per expert, the few words of the seed
that locate their point; a prompt that is Keel's own idea (tripwires) says so.

For ``worry-level`` the card shows the user's baseline beside the scale (Expert 4's
drift test needs the starting point in view); for ``tripwire-crossed`` it lists the
user's tripwires above the choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.provenance import KEEL_OWN, WHY_KEEL, raised_by
from desktop.core.records import BaselineVersion, Prompt, Tripwire
from desktop.ui.widgets.answer_widgets import AnswerWidget, Value, answer_widget_for

WORRY_PROMPT = "worry-level"
TRIPWIRE_PROMPT = "tripwire-crossed"


def why_html(prompt: Prompt) -> str:
    """The card's reason: Keel's "why", then who raised the point and where in the seed."""
    lines = [f"<b>{WHY_KEEL}:</b> {_escape(prompt.why)}" if prompt.why else ""]
    if prompt.experts:
        where = "; ".join(f"Expert {c.expert}: “{_escape(c.locator)}”" for c in prompt.sources)
        source = f" <span style='font-style: italic'>(seed: {where})</span>" if where else ""
        lines.append(f"<b>{raised_by(prompt.experts)}</b>{source}")
    elif not prompt.custom:
        lines.append(f"<span style='font-style: italic'>{KEEL_OWN}.</span>")
    return "<br>".join(line for line in lines if line)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

SNOOZE_CHOICES = (("For a week", 7), ("For a month", 30), ("For three months", 91))
"""The snooze menu: label and days (Keel's own choices)."""


class PromptCard(QFrame):
    """A card holding one prompt's question, answer, "why" and skip."""

    changed = Signal()
    """The answer, the skip or the skip reason changed."""
    snooze_chosen = Signal(str, int)
    """The user asked not to be asked this prompt for a while: (prompt id, days)."""

    def __init__(self, prompt: Prompt, baseline: BaselineVersion | None = None,
                 tripwires: Sequence[Tripwire] = (), parent: QWidget | None = None,
                 about: str = "", echoes: Sequence[Any] = ()) -> None:
        super().__init__(parent)
        self.prompt = prompt
        self.setObjectName("card")
        self.setProperty("role", "prompt")

        self.about = about
        """The option the prompt asks about ("" when it is not about one)."""
        question = _escape(prompt.question)
        if about:  # "Which best describes this role?" — which role: say so
            question = (f"<span style='font-weight: normal'>About <b>{_escape(about)}</b>"
                        f"</span><br>{question}")
        self.question = QLabel(question, objectName="promptQuestion", wordWrap=True)
        self.question.setTextFormat(Qt.TextFormat.RichText)
        self.answer: AnswerWidget = answer_widget_for(prompt)
        self.answer.setAccessibleName(f"{prompt.question} ({about})" if about else prompt.question)
        self.answer.first_focus().setAccessibleDescription(prompt.question)
        self.question.setBuddy(self.answer.first_focus())

        self.context_label = QLabel(objectName="promptContext", wordWrap=True)
        self.context_label.setTextFormat(Qt.TextFormat.RichText)
        self.context_label.hide()
        if prompt.id == WORRY_PROMPT:
            self._show_baseline(baseline)
        elif prompt.id == TRIPWIRE_PROMPT:
            self._show_tripwires(tripwires)

        self.echo_label = QLabel(objectName="promptEcho", wordWrap=True)
        self.echo_label.setTextFormat(Qt.TextFormat.RichText)
        self.echoes = tuple(echoes)
        if self.echoes:  # the user's own earlier answers, so a drift is seen, not guessed
            parts = []
            for echo in self.echoes:
                value = echo.value if len(echo.value) <= 160 else echo.value[:159] + "…"
                day = f"{echo.when.astimezone().day} {echo.when.astimezone():%b %Y}"
                parts.append(f"<b>{_escape(value)}</b> — {day} ({_escape(echo.words)})")
            self.echo_label.setText("You answered: " + " · ".join(parts))
            self.echo_label.setAccessibleName("Your earlier answers")
        else:
            self.echo_label.hide()

        self.problem_label = QLabel(objectName="answerProblem", wordWrap=True)
        self.problem_label.setAccessibleName("Problem with this answer")
        self.problem_label.hide()

        self.why_button = QPushButton("Why?", objectName="whyButton", checkable=True)
        self.why_button.setFlat(True)
        self.why_button.setAccessibleName(f"Why Keel asks: {prompt.question}")
        self.why_button.setToolTip("Show why Keel asks this and which experts raised the point")
        self.skip_button = QPushButton("Skip", objectName="skipButton", checkable=True)
        self.skip_button.setFlat(True)
        self.skip_button.setAccessibleName(f"Skip: {prompt.question}")
        self.skip_button.setToolTip("Skip this prompt this time (it is remembered as skipped)")
        self.snooze_button = QPushButton("Snooze", objectName="snoozeButton")
        self.snooze_button.setFlat(True)
        self.snooze_button.setAccessibleName(f"Snooze: {prompt.question}")
        self.snooze_button.setToolTip("Do not ask this prompt for a while (it comes back by itself)")
        snooze_menu = QMenu(self.snooze_button)
        for label, days in SNOOZE_CHOICES:
            snooze_menu.addAction(label).triggered.connect(
                lambda _c=False, d=days: self.snooze_chosen.emit(self.prompt.id, d))
        self.snooze_button.setMenu(snooze_menu)
        self.status_label = QLabel(objectName="mutedLabel")

        self.why_label = QLabel(why_html(prompt), objectName="promptWhy", wordWrap=True)
        self.why_label.setTextFormat(Qt.TextFormat.RichText)
        self.why_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.why_label.hide()

        self.reason_edit = QLineEdit(objectName="skipReason")
        self.reason_edit.setPlaceholderText("Why skip? (optional — e.g. “not relevant this week”)")
        self.reason_edit.setAccessibleName("Reason for skipping (optional)")
        self.reason_edit.setClearButtonEnabled(True)
        self.reason_edit.hide()

        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.why_button)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.snooze_button)
        actions.addStretch(1)
        actions.addWidget(self.status_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 10)
        layout.setSpacing(8)
        layout.addWidget(self.question)
        layout.addWidget(self.context_label)
        layout.addWidget(self.echo_label)
        layout.addWidget(self.answer)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.reason_edit)
        layout.addLayout(actions)
        layout.addWidget(self.why_label)

        self.answer.changed.connect(self._on_answer_changed)
        self.why_button.toggled.connect(self._on_why_button_toggled)
        self.skip_button.toggled.connect(self._on_skip_button_toggled)
        self.reason_edit.textEdited.connect(self._on_reason_edit_edited)
        self._update_status()

    def focus_chain(self) -> list[QWidget]:
        """The card's focusable widgets in tab order (the page chains the cards)."""
        return [*self.answer.focus_chain(), self.reason_edit, self.why_button, self.skip_button]

    # Context -------------------------------------------------------------------
    def _show_baseline(self, baseline: BaselineVersion | None) -> None:
        if baseline is None:
            return
        parts = []
        when = f"{baseline.created_at:%d %B %Y}".lstrip("0")
        if baseline.worry is not None:
            parts.append(f"<b>Your baseline ({when}): {baseline.worry} of 10.</b>")
        else:
            parts.append(f"<b>Your baseline ({when}):</b>")
        statement = baseline.text.strip()
        if len(statement) > 320:
            statement = statement[:317].rstrip() + "…"
        if statement:
            parts.append(f"“{_escape(statement)}”")
        self.context_label.setText(" ".join(parts))
        self.context_label.show()

    def _show_tripwires(self, tripwires: Sequence[Tripwire]) -> None:
        if not tripwires:
            self.context_label.setText("You have not set any tripwires yet — you can add them "
                                       "in Settings.")
        else:
            items = "".join(f"<li>{_escape(t.text)}</li>" for t in tripwires)
            self.context_label.setText(f"<b>Your tripwires:</b><ul style='margin: 2px 0 0 -20px'>"
                                       f"{items}</ul>")
        self.context_label.show()

    # State ---------------------------------------------------------------------
    @property
    def skipped(self) -> bool:
        return self.skip_button.isChecked()

    def skip_reason(self) -> str:
        return self.reason_edit.text().strip()

    def value(self) -> Value | None:
        """The answer, or None when unanswered (or skipped)."""
        return None if self.skipped else self.answer.value()

    def is_done(self) -> bool:
        """Answered (validly) or skipped: counts toward the progress."""
        return self.skipped or self.value() is not None

    def problem(self) -> str | None:
        """Why the answer cannot be saved as typed, or None."""
        return None if self.skipped else self.answer.validate()

    def answer_input(self) -> Any:
        """An ``AnswerInput`` for ``db.checkins.complete_checkin``, or None if unanswered."""
        from db.checkins import AnswerInput

        if self.skipped:
            return AnswerInput(self.prompt.id, self.prompt.answer, skipped=True,
                               skip_reason=self.skip_reason() or None)
        current = self.answer.value()
        if current is None:
            return None
        text, number = current
        return AnswerInput(self.prompt.id, self.prompt.answer, text=text, number=number)

    def draft(self) -> dict[str, Any]:
        """Everything typed into the card, for the autosaved draft."""
        return {"value": self.answer.draft(), "skipped": self.skipped,
                "reason": self.reason_edit.text()}

    def restore(self, data: dict[str, Any]) -> None:
        """Put back what :meth:`draft` returned."""
        self.answer.restore(data.get("value"))
        self.reason_edit.setText(str(data.get("reason") or ""))
        self.skip_button.setChecked(bool(data.get("skipped")))
        self._update_status()

    def has_input(self) -> bool:
        """Whether anything at all was typed or picked (valid or not)."""
        typed = self.answer.draft()
        return bool(self.skipped or self.reason_edit.text() or (typed not in (None, "", [])))

    # Slots ---------------------------------------------------------------------
    @Slot()
    def _on_answer_changed(self) -> None:
        self._update_status()
        self.changed.emit()

    @Slot(bool)
    def _on_why_button_toggled(self, shown: bool) -> None:
        self.why_label.setVisible(shown)
        self.why_button.setText("Hide why" if shown else "Why?")

    @Slot(bool)
    def _on_skip_button_toggled(self, skipped: bool) -> None:
        self.answer.setEnabled(not skipped)
        self.reason_edit.setVisible(skipped)
        self.skip_button.setText("Answer instead" if skipped else "Skip")
        if skipped and self.skip_button.hasFocus():
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_status()
        self.changed.emit()

    @Slot(str)
    def _on_reason_edit_edited(self, _text: str) -> None:
        self.changed.emit()

    def _update_status(self) -> None:
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.problem_label.setVisible(problem is not None)
        self.setProperty("invalid", problem is not None)
        if self.skipped:
            self.status_label.setText("Skipped")
        elif problem is None and self.answer.value() is not None:
            self.status_label.setText("✓ Answered")
        else:
            self.status_label.setText("")
        self.style().unpolish(self)
        self.style().polish(self)
