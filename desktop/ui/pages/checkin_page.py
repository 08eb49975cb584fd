"""The Check-in page: the prompts due now, grouped by theme, then a free reflection.

What is due comes from ``desktop.due_now.compute_due`` (never recomputed here). Every
answer, skip and the reflection are autosaved as the draft ``checkin`` about a second
after each change and when the window closes; the next time the page opens, that draft
is resumed automatically (a banner says so). Finish (Ctrl+Return) stores everything
through ``db.checkins.complete_checkin`` in one transaction; the check-in row is created
in that same transaction, so abandoning a check-in never leaves an empty row behind.

An ad-hoc check-in (when nothing is due, or after finishing) asks the prompts the
scheduler would pick if the user had been away for a long time — the due plan computed
far in the future, limited to periodic prompts. That reuses the scheduler's choices
(prompts switched off or not applying to the user's situation stay out) and its
catch-up ranking, so an ad-hoc check-in is the dozen most important questions rather
than all fifty.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import DUE_READS, EVERYTHING, Change
from desktop.core.records import EVENT_CADENCES, Prompt
from desktop.core.resurface import ECHO_WINDOW, answer_words, earlier_answers
from desktop.core.schedule import JOIN_NEXT_CHECKIN
from desktop.core.themes import theme_by_id, theme_title
from desktop.ui.errors import show_error
from desktop.ui.pages.base import Page
from desktop.ui.tasks import run_in_background, run_write
from desktop.ui.widgets.banner import Banner
from desktop.ui.widgets.confirm import Confirm
from desktop.ui.widgets.markdown_view import MarkdownView
from desktop.ui.widgets.prompt_card import PromptCard

if TYPE_CHECKING:
    from db.checkins import AnswerInput
    from desktop.core.schedule import DuePlan
    from desktop.today_data import TodayView

log = logging.getLogger(__name__)

DRAFT_KEY = "checkin"
AUTOSAVE_MS = 1000
"""The draft is written this long after the last change (and at once on close)."""
ADHOC_HORIZON = timedelta(days=3650)
"""How far ahead an ad-hoc check-in looks to pick its prompts."""
AWAY_AFTER = timedelta(days=21)
"""A catch-up after this long without a check-in is introduced as "you were away"."""


def long_day(when: datetime) -> str:
    """``"Monday 7 December"`` (no leading zero, on every platform)."""
    return f"{when:%A} {when.day} {when:%B}"


def finish_checkin(db: Any, reflection: str, inputs: Sequence[AnswerInput], now: datetime,
                   tz: Any, adhoc: bool) -> TodayView:
    """Worker: store the check-in (one transaction), drop its draft, and read once what
    Today, the done view and the reminders show next — what is due and the flags."""
    from db import checkins, drafts
    from desktop.today_data import build_today_view

    checkins.complete_checkin(db, reflection, inputs, when=now, adhoc=adhoc)
    try:
        drafts.discard_draft(db, DRAFT_KEY)
    except Exception:  # noqa: BLE001 - the check-in is saved; a stale draft is harmless
        log.warning("could not discard the check-in draft")
    return build_today_view(db, now, tz)


class CheckinPage(Page):
    """Answer the due prompts; the draft survives closing the window."""

    title = "Check-in"

    badge_changed = Signal(str)
    """The sidebar badge text for this page: the number of prompts due, or ""."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.cards: list[PromptCard] = []
        self.adhoc = False
        self.plan: DuePlan | None = None
        self._finishing = False
        """A finished check-in is being stored (the form stays until it is)."""
        self._stale = False
        """What is due changed while the page was hidden: rebuild it when shown."""
        self._dirty = False
        self._loading = False

        # Header ---------------------------------------------------------------
        self.title_label = QLabel("Check-in", objectName="pageTitle")
        self.subtitle_label = QLabel(objectName="pageSubtitle", wordWrap=True)
        self.banner = Banner()

        # The form: prompts grouped by theme, then the reflection ----------------
        self.content = QWidget(objectName="checkinContent")
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 4, 0, 16)
        self.content_layout.setSpacing(10)
        self.groups = QWidget()
        self.groups_layout = QVBoxLayout(self.groups)
        self.groups_layout.setContentsMargins(0, 0, 0, 0)
        self.groups_layout.setSpacing(10)
        self.content_layout.addWidget(self.groups)
        self.content_layout.addWidget(self._build_reflection())
        self.content_layout.addStretch(1)

        column = QWidget(objectName="checkinColumn")
        column_layout = QHBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(self.content, 100)
        column_layout.addStretch(1)
        self.content.setMaximumWidth(self.fontMetrics().averageCharWidth() * 120)
        self.scroll = QScrollArea(objectName="checkinScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(column)

        self.progress_label = QLabel(objectName="checkinProgress")
        self.progress_bar = QProgressBar(objectName="checkinProgressBar")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setAccessibleName("Check-in progress")
        self.progress_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.state_label = QLabel(objectName="mutedLabel")
        self.message_label = QLabel(objectName="finishProblem", wordWrap=True)
        self.message_label.hide()
        self.finish_button = QPushButton("&Finish check-in", objectName="finishCheckin")
        self.finish_button.setToolTip("Save every answer and the reflection (Ctrl+Return)")
        self.finish_button.setDefault(True)
        footer = QFrame(objectName="checkinFooter")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(0, 8, 0, 0)
        footer_layout.addWidget(self.progress_label)
        footer_layout.addWidget(self.progress_bar, 1)
        footer_layout.addSpacing(12)
        footer_layout.addWidget(self.state_label, 1)
        footer_layout.addWidget(self.finish_button)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.scroll, 1)
        form_layout.addWidget(self.message_label)
        form_layout.addWidget(footer)

        # Nothing due / saved ----------------------------------------------------
        self.empty_view, self.empty_heading, self.empty_text, self.adhoc_button = (
            self._build_message_view("Check in anyway", "adhocCheckin"))
        self.done_view, self.done_heading, self.done_text, self.again_button = (
            self._build_message_view("Check in again", "againCheckin"))

        self.stack = QStackedWidget()
        self.stack.addWidget(form)
        self.stack.addWidget(self.empty_view)
        self.stack.addWidget(self.done_view)
        self.form_view = form

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._preview_timer = QTimer(self, singleShot=True, interval=150)
        self._preview_timer.timeout.connect(self._update_preview)

        self.finish_button.clicked.connect(self.finish)
        self.adhoc_button.clicked.connect(self._on_adhoc_button_clicked)
        self.again_button.clicked.connect(self._on_adhoc_button_clicked)
        self.reflection_edit.textChanged.connect(self._on_reflection_edit_changed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.finish,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                      whatsThis="Check-in: finish and save" if keys == "Ctrl+Return" else "")
        self.subtitle_label.setText("Opening your journal…")
        self.setEnabled(False)

    # Building ------------------------------------------------------------------
    def _build_reflection(self) -> QWidget:
        box = QFrame(objectName="card")
        heading = QLabel("Reflection", objectName="themeTitle")
        hint = QLabel("Anything else on your mind this week — a conversation, a doubt, a "
                      "decision. Markdown works; the preview is on the right.",
                      objectName="mutedLabel", wordWrap=True)
        self.reflection_edit = QPlainTextEdit(objectName="reflectionEdit")
        self.reflection_edit.setPlaceholderText("Write freely (optional)")
        self.reflection_edit.setAccessibleName("Reflection (Markdown)")
        self.reflection_edit.setTabChangesFocus(True)
        self.reflection_preview = MarkdownView(objectName="reflectionPreview")
        self.reflection_preview.setAccessibleName("Reflection preview")
        self.reflection_preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        height = self.fontMetrics().lineSpacing() * 10
        for widget in (self.reflection_edit, self.reflection_preview):
            widget.setMinimumHeight(height)
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        heading.setBuddy(self.reflection_edit)
        editors = QHBoxLayout()
        editors.setSpacing(10)
        editors.addWidget(self.reflection_edit, 1)
        editors.addWidget(self.reflection_preview, 1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(editors)
        return box

    def _build_message_view(self, action: str, name: str) -> tuple[QWidget, QLabel, QLabel,
                                                                    QPushButton]:
        view = QWidget()
        card = QFrame(objectName="card")
        heading = QLabel(objectName="messageHeading", wordWrap=True,
                         alignment=Qt.AlignmentFlag.AlignCenter)
        text = QLabel(objectName="mutedLabel", wordWrap=True,
                      alignment=Qt.AlignmentFlag.AlignCenter)
        button = QPushButton(action, objectName=name)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(10)
        inner.addWidget(heading)
        inner.addWidget(text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        row.addStretch(1)
        inner.addSpacing(6)
        inner.addLayout(row)
        card.setMaximumWidth(self.fontMetrics().averageCharWidth() * 80)
        outer = QVBoxLayout(view)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card, 3)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        return view, heading, text, button

    def _earlier_by_prompt(self, now: datetime) -> dict[str, list[Any]]:
        """Answers of the last year and a bit, by prompt (one read): the user's own answers
        from about six and twelve months ago go beside each prompt (Expert 4's mirror)."""
        from db.checkins import all_answers

        by_prompt: dict[str, list[Any]] = {}
        for answer in all_answers(self.context.db, since=now - timedelta(days=365 + ECHO_WINDOW)):
            if not answer.skipped and (answer.text or answer.number is not None):
                by_prompt.setdefault(answer.prompt_id, []).append(answer)
        return by_prompt

    def _newest_option_label(self, prompts: Sequence[Prompt]) -> str:
        """The option a new-option prompt asks about: the newest one added ("" if none)."""
        if not any(p.cadence in JOIN_NEXT_CHECKIN for p in prompts):
            return ""
        from db.options import list_options

        added = [o for o in list_options(self.context.db) if o.created_at is not None]
        if not added:
            return ""
        return max(added, key=lambda o: o.created_at).title  # type: ignore[arg-type,return-value]

    def _build_form(self, prompts: Sequence[Prompt], adhoc: bool) -> None:
        from db import profile_history

        self._loading = True
        self._clear_form()
        self.adhoc = adhoc
        db = self.context.db
        baseline = profile_history.latest_baseline(db)
        tripwires = profile_history.tripwires(db)
        about = self._newest_option_label(prompts)
        now = self.context.now()
        earlier = self._earlier_by_prompt(now)
        order: list[str] = []
        by_theme: dict[str, list[Prompt]] = {}
        for prompt in prompts:
            if prompt.theme not in by_theme:
                order.append(prompt.theme)
                by_theme[prompt.theme] = []
            by_theme[prompt.theme].append(prompt)
        for theme_id in order:
            theme = theme_by_id(theme_id)
            heading = QLabel(theme_title(theme_id), objectName="themeTitle")
            self.groups_layout.addWidget(heading)
            if theme is not None and theme.summary:
                summary = QLabel(theme.summary, objectName="mutedLabel", wordWrap=True)
                self.groups_layout.addWidget(summary)
            for prompt in by_theme[theme_id]:
                card = PromptCard(prompt, baseline, tripwires,
                                  about=about if prompt.cadence in JOIN_NEXT_CHECKIN else "",
                                  echoes=earlier_answers(
                                      [(a.answered_at, answer_words(prompt, a))
                                       for a in earlier.get(prompt.id, ())], now))
                card.changed.connect(self._on_card_changed)
                card.snooze_chosen.connect(self._on_card_snooze_chosen)
                self.groups_layout.addWidget(card)
                self.cards.append(card)
        chain = [w for card in self.cards for w in card.focus_chain()]
        chain += [self.reflection_edit, self.finish_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.reflection_edit.clear()
        self.reflection_preview.set_markdown_text("")
        self.message_label.hide()
        self.state_label.setText("")
        self._dirty = False
        self._loading = False
        self._update_progress()
        kind = "Ad-hoc check-in · " if adhoc else ""
        today = self.context.now().astimezone(self.context.tz)
        n = len(self.cards)
        self.subtitle_label.setText(
            f"{kind}{long_day(today)} · {n} prompt{'s' if n != 1 else ''}, grouped by theme. "
            "Answer what you can, skip what does not fit, then press Ctrl+Return to finish.")
        self.stack.setCurrentWidget(self.form_view)
        self.scroll.verticalScrollBar().setValue(0)

    def _clear_form(self) -> None:
        self.cards = []
        while self.groups_layout.count():
            item = self.groups_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    # Loading -------------------------------------------------------------------
    def journal_opened(self) -> None:
        self.setEnabled(True)
        self.reload()

    def reload(self) -> None:
        """Resume the saved draft, or show what is due now (or that nothing is)."""
        from db import drafts

        self._autosave.stop()
        self.banner.hide()
        plan = self._compute_plan()
        draft = drafts.load_draft(self.context.db, DRAFT_KEY)
        if draft is not None and self._resume(draft.payload, draft.updated_at, plan):
            return
        if plan.due:
            self._build_form(plan.due, adhoc=False)
            self._show_catch_up(plan)
        else:
            self._show_nothing_due(plan)

    def _compute_plan(self, now: datetime | None = None) -> DuePlan:
        from desktop.due_now import compute_due

        plan, problems = compute_due(self.context.db, now or self.context.now(), self.context.tz)
        for problem in problems:
            log.warning("prompt library: %s", problem)
        if now is None:
            self.plan = plan
            self.badge_changed.emit(str(len(plan.due)) if plan.due else "")
        return plan

    def _show_catch_up(self, plan: DuePlan) -> None:
        if not plan.catch_up:
            return
        from db.checkins import last_completed_checkin

        n = len(plan.due)
        last = last_completed_checkin(self.context.db)
        away = (last is None or last.completed_at is None
                or self.context.now() - last.completed_at > AWAY_AFTER)
        if last is None:
            text = (f"Your first check-in: here are the {n} most important prompts to start "
                    "with. The others will come up in the next check-ins, a few at a time.")
        elif away:
            text = (f"You were away for a while — here are the {n} most important prompts; "
                    f"the rest ({plan.held_back}) can wait for the next check-ins.")
        else:
            text = (f"More prompts are due than fit in one sitting — here are the {n} most "
                    f"important; the other {plan.held_back} will come in the next check-ins.")
        self.banner.show_message(text, kind="info")

    def _next_text(self, plan: DuePlan) -> str:
        if plan.next_due_at is None:
            return "No prompt is scheduled — you can check in whenever you like."
        return long_day(plan.next_due_at.astimezone(self.context.tz))

    def _show_nothing_due(self, plan: DuePlan) -> None:
        from db.checkins import last_completed_checkin

        self._clear_form()
        self.adhoc = False
        last = last_completed_checkin(self.context.db)
        self.subtitle_label.setText("Nothing to answer right now.")
        if plan.next_due_at is not None:
            self.empty_heading.setText(f"Nothing is due until {self._next_text(plan)}.")
        else:
            self.empty_heading.setText("Nothing is due.")
        when = (f"Your last check-in was on {long_day(last.completed_at.astimezone(self.context.tz))}. "
                if last is not None and last.completed_at is not None else "")
        self.empty_text.setText(f"{when}Check in anyway? An ad-hoc check-in asks the most "
                                "important questions for your situation.")
        self.stack.setCurrentWidget(self.empty_view)

    def _resume(self, payload: dict[str, Any], saved_at: datetime, plan: DuePlan) -> bool:
        from desktop.due_now import all_prompts

        known = {p.id: p for p in all_prompts(self.context.db)[0]}
        ids = [pid for pid in payload.get("prompt_ids", []) if pid in known]
        if not ids:
            return False
        ids += [p.id for p in plan.due if p.id not in ids and not payload.get("adhoc")]
        prompts = [known[pid] for pid in ids]
        self._build_form(prompts, adhoc=bool(payload.get("adhoc")))
        self._loading = True
        answers = payload.get("answers", {})
        for card in self.cards:
            if isinstance(answers.get(card.prompt.id), dict):
                card.restore(answers[card.prompt.id])
        self.reflection_edit.setPlainText(str(payload.get("reflection") or ""))
        self._update_preview()
        self._loading = False
        self._update_progress()
        when = saved_at.astimezone(self.context.tz)
        done = sum(card.is_done() for card in self.cards)
        self.banner.show_message(
            f"Resumed your unfinished check-in from {long_day(when)} at {when:%H:%M} — "
            f"{done} of {len(self.cards)} answers are back where you left them.",
            [("Start over", self._on_start_over)], kind="info")
        self.state_label.setText("Draft restored")
        return True

    def _on_plan_read(self, plan: DuePlan) -> None:
        self.plan = plan
        self.badge_changed.emit(str(len(plan.due)) if plan.due else "")

    def activated(self) -> None:
        if not self.isEnabled():
            return
        stale, self._stale = self._stale, False
        if stale and not (self.stack.currentWidget() is self.form_view and self._has_input()):
            self.reload()  # something changed what is due while the page was hidden
        elif self.stack.currentWidget() is not self.form_view:
            self.reload()  # time has passed: something may be due now
        elif self.cards:
            self.cards[0].answer.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if not self.isEnabled() or not changed & DUE_READS:
            return
        if not self.isVisible():
            # Rebuild the form when the page is shown; only the sidebar's count now, read
            # off the UI thread.
            self._stale = True
            if self.context.today_view is not None:  # read by the write that caused this
                self._on_plan_read(self.context.today_view.plan)
                return
            from desktop.due_now import compute_due

            run_in_background(compute_due, self.context.db, self.context.now(), self.context.tz,
                              on_done=lambda found: self._on_plan_read(found[0]))
            return
        if self.stack.currentWidget() is self.form_view and self._has_input():
            self._compute_plan()  # keep what the user typed; only the badge moves
            return
        if self.stack.currentWidget() is self.done_view:
            self._compute_plan()
            return
        self.reload()

    # Draft ---------------------------------------------------------------------
    def _has_input(self) -> bool:
        return bool(self.reflection_edit.toPlainText().strip()) or any(
            card.has_input() for card in self.cards)

    def draft_payload(self) -> dict[str, Any]:
        """Everything typed so far, as stored under the ``checkin`` draft key."""
        return {
            "version": 1,
            "adhoc": self.adhoc,
            "prompt_ids": [card.prompt.id for card in self.cards],
            "answers": {card.prompt.id: card.draft() for card in self.cards},
            "reflection": self.reflection_edit.toPlainText(),
        }

    @Slot()
    def save_draft(self) -> None:
        """Write every answer, skip and the reflection to the draft (autosave)."""
        from db import drafts

        self._autosave.stop()
        if not self._dirty or not self.isEnabled() or not self.cards or self._finishing:
            return
        try:
            if self._has_input():
                drafts.save_draft(self.context.db, DRAFT_KEY, self.draft_payload())
                self.state_label.setText(
                    f"Draft autosaved at {self.context.now().astimezone(self.context.tz):%H:%M}")
            else:
                drafts.discard_draft(self.context.db, DRAFT_KEY)
        except Exception as exc:  # noqa: BLE001 - the answers stay on screen
            log.warning("check-in autosave failed: %s", type(exc).__name__)
            self.state_label.setText("Autosave failed — your answers are still here")
            return
        self._dirty = False

    def flush(self) -> None:
        self.save_draft()

    @Slot()
    def _on_start_over(self) -> None:
        from db import drafts

        if self._has_input() and not Confirm.ask(
                self, "Start over", "Discard the answers of your unfinished check-in?",
                confirm="Discard answers", destructive=True):
            return
        self._autosave.stop()
        drafts.discard_draft(self.context.db, DRAFT_KEY)
        self._dirty = False
        self.reload()

    # Editing -------------------------------------------------------------------
    @Slot()
    def _on_card_changed(self) -> None:
        if self._loading:
            return
        self._changed()

    @Slot(str, int)
    def _on_card_snooze_chosen(self, prompt_id: str, days: int) -> None:
        """Store the snooze (``prompt_states.snoozed_until``); the card leaves the form."""
        from db.prompts_state import snooze_prompt

        until = self.context.now() + timedelta(days=days)
        run_write(self, "Could not snooze the prompt", snooze_prompt, self.context.db,
                  prompt_id, until, changes=Change.PROMPTS,
                  on_done=lambda _none: self._on_snoozed(prompt_id, until))

    def _on_snoozed(self, prompt_id: str, until: datetime) -> None:
        card = next((c for c in self.cards if c.prompt.id == prompt_id), None)
        if card is not None:
            self.cards.remove(card)
            self.groups_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
            self._changed()  # the draft no longer holds it
        day = until.astimezone(self.context.tz)
        self.status_message.emit(f"Snoozed until {long_day(day)}")
        self._compute_plan()  # the badge counts one prompt fewer

    @Slot()
    def _on_reflection_edit_changed(self) -> None:
        self._preview_timer.start()
        if not self._loading:
            self._changed()

    def _changed(self) -> None:
        self._dirty = True
        self._autosave.start()
        self.message_label.hide()
        self._update_progress()

    @Slot()
    def _update_preview(self) -> None:
        self.reflection_preview.set_markdown_text(self.reflection_edit.toPlainText())

    def _update_progress(self) -> None:
        total = len(self.cards)
        done = sum(card.is_done() for card in self.cards)
        self.progress_label.setText(f"{done} of {total} answered")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    # Finishing -----------------------------------------------------------------
    @Slot()
    def finish(self) -> None:
        """Save the whole check-in at once (off the UI thread), or say plainly what stops it."""
        if not self.isEnabled() or self.stack.currentWidget() is not self.form_view:
            return
        for card in self.cards:
            problem = card.problem()
            if problem is not None:
                self._say(f"One answer needs a look before the check-in can be saved: {problem}")
                self.scroll.ensureWidgetVisible(card)
                card.answer.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
                return
        inputs = [item for item in (card.answer_input() for card in self.cards) if item]
        reflection = self.reflection_edit.toPlainText()
        if not inputs and not reflection.strip():
            self._say("Nothing to save yet: answer or skip a prompt, or write a reflection.")
            return
        if self._finishing:
            return  # the first press is still saving
        self._finishing = True
        self._autosave.stop()
        self.finish_button.setEnabled(False)
        self.state_label.setText("Saving…")
        left = len(self.cards) - len(inputs)
        run_write(self, "Could not save the check-in", finish_checkin, self.context.db,
                  reflection, inputs, self.context.now(), self.context.tz, self.adhoc,
                  changes=Change.CHECKINS | Change.PROMPTS,  # asked/skipped per prompt too
                  on_done=lambda view: self._on_finished(view, len(inputs), left),
                  on_error=self._on_finish_failed)

    def _on_finished(self, view: TodayView, saved: int, left: int) -> None:
        """The check-in is stored: show what comes next from the view read with it, and
        hand that view to the others (Today, the reminders) so nobody reads it again."""
        self._finishing = False
        self.finish_button.setEnabled(True)
        self._dirty = False
        self.context.today_view = view
        self.plan = view.plan
        self.badge_changed.emit(str(len(view.due)) if view.due else "")
        self._show_done(saved, left, view.plan)
        self.status_message.emit("Check-in saved")

    def _on_finish_failed(self, exc: BaseException) -> None:
        # The answers stay on screen and in the draft.
        self._finishing = False
        self.finish_button.setEnabled(True)
        log.warning("saving a check-in failed: %s", type(exc).__name__)
        self._dirty = True
        self.save_draft()
        show_error(self, "Could not save the check-in", exc)

    def _say(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def _show_done(self, saved: int, left: int, plan: DuePlan) -> None:
        self._clear_form()
        self.banner.hide()
        self.done_heading.setText("Saved.")
        lines = []
        if plan.due:
            lines.append(f"{len(plan.due)} more prompt{'s are' if len(plan.due) != 1 else ' is'} "
                         "still due — held back to keep each check-in short. Continue whenever "
                         "you like.")
            self.again_button.setText("Continue with the next prompts")
        else:
            next_text = self._next_text(plan)
            lines.append(f"Next check-in: {next_text}." if plan.next_due_at else next_text)
            self.again_button.setText("Check in again")
        if left:
            lines.append(f"{left} unanswered prompt{'s' if left != 1 else ''} will be asked again.")
        self.done_text.setText(" ".join(lines))
        self.subtitle_label.setText(f"{saved} answer{'s' if saved != 1 else ''} saved.")
        self.stack.setCurrentWidget(self.done_view)
        self.again_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_adhoc_button_clicked(self) -> None:
        if self.plan is not None and self.plan.due:
            self._build_form(self.plan.due, adhoc=False)
            self._show_catch_up(self.plan)
            return
        self.start_adhoc()

    def start_adhoc(self) -> None:
        """Start a check-in now even though nothing is due."""
        later = self._compute_plan(self.context.now() + ADHOC_HORIZON)
        prompts = [p for p in later.due if p.cadence not in EVENT_CADENCES]
        self.banner.hide()
        self._build_form(prompts, adhoc=True)
        if self.cards:
            self.cards[0].answer.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
