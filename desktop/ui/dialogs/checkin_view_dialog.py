"""One past check-in, read-only: each answer under its question, and the reflection.
Opened from a search result; the answer that matched is marked and scrolled to."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.context import AppContext


def _day(when: Any, tz: Any) -> str:
    local = when.astimezone(tz)
    return f"{local:%A} {local.day} {local:%B %Y}"


def answer_text(answer: Any, prompt: Any = None) -> str:
    """How an answer reads ("Skipped", "7 of 10", "3 hours", the text): the numbers with
    the prompt's unit or scale, as beside a prompt at check-in (``answer_words``)."""
    from desktop.core.resurface import answer_words

    if answer.skipped:
        return "Skipped" + (f" — {answer.skip_reason}" if answer.skip_reason else "")
    return answer_words(prompt, answer) or "—"


class CheckinViewDialog(QDialog):
    def __init__(self, context: AppContext, checkin_id: int, answer_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from db.checkins import get_checkin
        from desktop.core.markup import render_markdown
        from desktop.due_now import all_prompts

        self.setObjectName("checkinViewDialog")
        self.matched_text = ""
        """The text of the answer the search matched ("" when none was given)."""
        self.checkin = get_checkin(context.db, checkin_id)
        prompts, _problems = all_prompts(context.db)
        by_id = {p.id: p for p in prompts}
        questions = {p.id: p.question for p in prompts}
        self.browser = QTextBrowser(objectName="entryReader")
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName("The check-in, read-only")
        heading = QLabel(objectName="pageTitle", wordWrap=True)
        note = QLabel("Read-only: a past check-in stays as you wrote it.",
                      objectName="mutedLabel")
        if self.checkin is None:
            heading.setText("Check-in not found")
            self.browser.setPlainText("This check-in is no longer in the journal.")
        else:
            when = self.checkin.completed_at or self.checkin.started_at
            heading.setText(f"Check-in of {_day(when, context.tz)}")
            self.setWindowTitle(heading.text())
            tint = self.palette().color(QPalette.ColorRole.AlternateBase).name()
            parts = []
            for answer in self.checkin.answers:
                question = escape(questions.get(answer.prompt_id, answer.prompt_id))
                marked = answer.id is not None and answer.id == answer_id
                style = f" style='background-color: {tint}'" if marked else ""
                anchor = f"<a name='answer-{answer.id}'></a>"
                block = (f"{anchor}<p{style}><b>{question}</b><br>"
                         f"{'▶ ' if marked else ''}"
                         f"{escape(answer_text(answer, by_id.get(answer.prompt_id)))}</p>")
                if marked:
                    self.matched_text = answer_text(answer, by_id.get(answer.prompt_id))
                parts.append(block)
            if self.checkin.reflection.strip():
                parts.append("<h3>Reflection</h3>" + render_markdown(self.checkin.reflection))
            self.browser.setHtml("".join(parts) or "<p>No answers in this check-in.</p>")
        self.matched_answer_id = answer_id
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * 34)
        if answer_id is not None:
            self.browser.scrollToAnchor(f"answer-{answer_id}")
