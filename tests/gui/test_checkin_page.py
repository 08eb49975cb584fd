"""The Check-in page end to end: every answer kind typed and stored, refusals, skips, drafts, demo data."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton

from db import checkins, drafts, prompts_state
from desktop.core.records import AnswerKind, Prompt
from desktop.due_now import all_prompts
from desktop.ui.widgets.answer_widgets import answer_widget_for
from desktop.ui.widgets.prompt_card import PromptCard
from tests.gui.conftest import NOW, fixed_clock

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


def checkin_page(window):  # type: ignore[no-untyped-def]
    window.show_page("checkin")
    return window.pages["checkin"]


def card_for(page, prompt_id: str) -> PromptCard:  # type: ignore[no-untyped-def]
    return next(card for card in page.cards if card.prompt.id == prompt_id)


def button_labelled(card: PromptCard, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in card.answer.buttons if b.text() == text)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    """Click a button where a person would: on a radio button, its round indicator."""
    if isinstance(button, QRadioButton):
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, LEFT)


def wait_until_stored(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """Finishing stores the check-in off the UI thread; the done view follows."""
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.done_view, timeout=5000)


def answer_generically(qtbot, card: PromptCard) -> None:  # type: ignore[no-untyped-def]
    """Answer one card as a person would, whatever its kind."""
    kind = card.prompt.answer
    if kind in (AnswerKind.SCALE, AnswerKind.YESNO, AnswerKind.CHOICE):
        click(qtbot, card.answer.buttons[0])
    elif kind is AnswerKind.NUMBER:
        qtbot.keyClicks(card.answer.edit, "2")
    else:
        qtbot.keyClicks(card.answer.edit, "Nothing new to report.")


def test_new_users_first_checkin_stores_every_answer_kind(qtbot, make_window):
    window = make_window(clock=fixed_clock(NOW))
    page = checkin_page(window)
    kinds = {card.prompt.answer for card in page.cards}
    assert kinds == set(AnswerKind)
    assert "first check-in" in page.banner.label.text()
    assert window.sidebar.buttons["checkin"].text().endswith(f"· {len(page.cards)}")
    assert page.progress_label.text() == f"0 of {len(page.cards)} answered"

    # Scale: click 6, then the right arrow moves the pick to 7.
    worry = card_for(page, "worry-level")
    qtbot.mouseClick(button_labelled(worry, "6"), LEFT)
    qtbot.keyClick(button_labelled(worry, "6"), Qt.Key.Key_Right)
    assert worry.answer.value() == (None, 7.0)
    # Number, yes/no, choice, text.
    qtbot.keyClicks(card_for(page, "xrisk-conversations").answer.edit, "3")
    qtbot.mouseClick(button_labelled(card_for(page, "critic-talk"), "Yes"), LEFT)
    tripwire = card_for(page, "tripwire-crossed")
    click(qtbot, button_labelled(tripwire, "One is getting close"))
    qtbot.keyClicks(card_for(page, "view-shift-argument").answer.edit,
                    "A talk on scaling made me less worried.")
    # A skip with its reason.
    runway = card_for(page, "runway-months")
    qtbot.mouseClick(runway.skip_button, LEFT)
    assert runway.reason_edit.isVisible()
    qtbot.keyClicks(runway.reason_edit, "No savings figure to hand")
    assert page.progress_label.text() == f"6 of {len(page.cards)} answered"
    # The reason behind a prompt is one click away, with its experts.
    qtbot.mouseClick(worry.why_button, LEFT)
    why = worry.why_label.text()
    assert worry.why_label.isVisible() and "Expert 4" in why
    # Keel's reason and the expert's point are labelled apart, with the seed's locator.
    assert "Why Keel asks:" in why and "Raised by Expert 4" in why and "From Expert" not in why
    assert "not to underestimate the possibility of value drift" in why
    tripwire.why_button.setChecked(True)
    assert "Keel's own idea" in tripwire.why_label.text()
    assert "Expert" not in tripwire.why_label.text()

    qtbot.keyClicks(page.reflection_edit, "Felt **steady** this week.")
    qtbot.keyClick(page.reflection_edit, Qt.Key.Key_Return, CTRL)
    wait_until_stored(qtbot, page)

    stored = checkins.list_checkins(window.context.db)
    assert len(stored) == 1
    checkin = stored[0]
    assert checkin.completed_at == NOW and not checkin.adhoc
    assert checkin.reflection == "Felt **steady** this week."
    answers = {a.prompt_id: a for a in checkin.answers}
    assert set(answers) == {"worry-level", "xrisk-conversations", "critic-talk",
                            "tripwire-crossed", "view-shift-argument", "runway-months"}
    assert answers["worry-level"].value == 7.0
    assert answers["xrisk-conversations"].value == 3.0
    assert answers["critic-talk"].value is True
    assert answers["tripwire-crossed"].value == "One is getting close"
    assert answers["view-shift-argument"].value == "A talk on scaling made me less worried."
    assert answers["runway-months"].skipped
    assert answers["runway-months"].skip_reason == "No savings figure to hand"
    # A calm summary, and no draft left behind.
    assert page.stack.currentWidget() is page.done_view
    assert page.done_heading.text() == "Saved."
    assert drafts.load_draft(window.context.db, "checkin") is None


def test_out_of_range_number_is_refused_with_a_message_and_kept(qtbot, make_window):
    window = make_window(clock=fixed_clock(NOW))
    page = checkin_page(window)
    card = card_for(page, "xrisk-conversations")
    qtbot.keyClicks(card.answer.edit, "-2")
    assert card.problem_label.isVisible()
    assert "lowest answer is 0" in card.problem_label.text()
    qtbot.mouseClick(card_for(page, "critic-talk").answer.buttons[0], LEFT)

    qtbot.mouseClick(page.finish_button, LEFT)
    assert page.message_label.isVisible() and "lowest answer is 0" in page.message_label.text()
    assert card.answer.edit.text() == "-2"  # what was typed is kept
    assert checkins.list_checkins(window.context.db) == []

    card.answer.edit.clear()
    qtbot.keyClicks(card.answer.edit, "4")
    assert not card.problem_label.isVisible()
    qtbot.mouseClick(page.finish_button, LEFT)
    wait_until_stored(qtbot, page)
    assert {a.prompt_id: a.value for a in checkins.list_checkins(window.context.db)[0].answers} \
        == {"xrisk-conversations": 4.0, "critic-talk": True}


def test_number_widget_keeps_typed_value_and_explains_range(qtbot):
    prompt = Prompt("share", "conscience", (10,), "Share of time?", "why", AnswerKind.NUMBER,
                    "weekly", unit="%", minimum=0, maximum=100)
    widget = answer_widget_for(prompt)
    qtbot.addWidget(widget)
    qtbot.keyClicks(widget.edit, "150")
    assert widget.validate() == "150 is out of range: answer between 0 and 100%."
    assert widget.value() is None and widget.edit.text() == "150"
    widget.edit.clear()
    qtbot.keyClicks(widget.edit, "abc")
    assert "not a number" in (widget.validate() or "")
    widget.edit.clear()
    assert widget.value() is None and widget.validate() is None  # "not answered"
    qtbot.keyClick(widget.edit, Qt.Key.Key_Up)
    qtbot.keyClick(widget.edit, Qt.Key.Key_Up)
    assert widget.value() == (None, 1.0)


def test_draft_survives_closing_the_window_mid_checkin(qtbot, make_window):
    window = make_window(clock=fixed_clock(NOW))
    page = checkin_page(window)
    worry = card_for(page, "worry-level")
    qtbot.mouseClick(button_labelled(worry, "8"), LEFT)
    qtbot.keyClicks(card_for(page, "xrisk-conversations").answer.edit, "-1")  # not valid yet
    skip = card_for(page, "runway-months")
    qtbot.mouseClick(skip.skip_button, LEFT)
    qtbot.keyClicks(skip.reason_edit, "later")
    qtbot.keyClicks(page.reflection_edit, "half a thought")
    # Autosave about a second after the last change, before anything closes.
    qtbot.waitUntil(lambda: drafts.load_draft(window.context.db, "checkin") is not None,
                    timeout=3000)
    qtbot.keyClicks(page.reflection_edit, " about vesting")
    window.close()  # no Finish pressed

    again = make_window(clock=fixed_clock(NOW))
    page2 = checkin_page(again)
    assert not page2.banner.isHidden() and "Resumed" in page2.banner.label.text()
    assert card_for(page2, "worry-level").answer.value() == (None, 8.0)
    assert card_for(page2, "xrisk-conversations").answer.edit.text() == "-1"
    assert card_for(page2, "runway-months").skipped
    assert card_for(page2, "runway-months").reason_edit.text() == "later"
    assert page2.reflection_edit.toPlainText() == "half a thought about vesting"
    # Abandoning never left a check-in row behind.
    assert checkins.list_checkins(again.context.db) == []


def test_nothing_due_offers_an_adhoc_checkin(qtbot, make_window):
    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    db = window.context.open()
    ids = [p.id for p in all_prompts(db)[0]]
    prompts_state.snooze_all(db, ids, NOW + timedelta(days=10))
    window.journal_opened()
    page = checkin_page(window)
    assert page.stack.currentWidget() is page.empty_view
    assert page.empty_heading.text().startswith("Nothing is due until ")
    assert window.sidebar.buttons["checkin"].text().endswith("Check-in")  # no badge

    qtbot.mouseClick(page.adhoc_button, LEFT)
    assert page.stack.currentWidget() is page.form_view and page.cards
    assert all(card.prompt.cadence in ("weekly", "fortnightly", "monthly", "quarterly", "yearly")
               for card in page.cards)
    answer_generically(qtbot, page.cards[0])
    page.finish()
    wait_until_stored(qtbot, page)
    stored = checkins.list_checkins(db)
    assert len(stored) == 1 and stored[0].adhoc and len(stored[0].answers) == 1


def test_demo_journal_has_a_due_checkin_that_completes(qtbot, make_window):
    from desktop.demo import generate

    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    db = window.context.open()
    generate(db, 2, NOW)
    before = len(checkins.list_checkins(db))
    window.journal_opened()
    page = checkin_page(window)
    assert page.stack.currentWidget() is page.form_view and page.cards
    for card in page.cards:
        answer_generically(qtbot, card)
    assert page.progress_label.text() == f"{len(page.cards)} of {len(page.cards)} answered"
    asked = {card.prompt.id for card in page.cards}
    qtbot.keyClicks(page.reflection_edit, "Demo reflection")
    qtbot.keyClick(page.reflection_edit, Qt.Key.Key_Return, CTRL)
    wait_until_stored(qtbot, page)

    stored = checkins.list_checkins(db)
    assert len(stored) == before + 1
    newest = max(stored, key=lambda c: (c.completed_at or NOW, c.id))
    assert newest.completed_at == NOW and newest.reflection == "Demo reflection"
    assert {a.prompt_id for a in newest.answers} == asked
    assert page.stack.currentWidget() is page.done_view


def test_checkin_is_operable_from_the_keyboard_alone(qtbot, make_window):
    from PySide6.QtWidgets import QApplication

    window = make_window(clock=fixed_clock(NOW))
    page = checkin_page(window)
    first = page.cards[0]
    first.answer.first_focus().setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first.answer.first_focus())

    def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)

    # Tab visits each prompt's answer in order (plus its Why? and Skip), then the reflection.
    visited = []
    for _ in range(len(page.cards) * 3):
        widget = QApplication.focusWidget()
        owner = next((c for c in page.cards if c.answer.first_focus() is widget), None)
        if owner is not None:
            visited.append(owner.prompt.id)
            if owner.prompt.answer in (AnswerKind.SCALE, AnswerKind.YESNO, AnswerKind.CHOICE):
                press(Qt.Key.Key_Right)  # arrows pick within a row
            elif owner.prompt.answer is AnswerKind.NUMBER:
                press(Qt.Key.Key_Up)  # steps from "not answered" to the minimum
            else:
                qtbot.keyClicks(widget, "typed")
        press(Qt.Key.Key_Tab)
    assert visited == [c.prompt.id for c in page.cards]
    assert QApplication.focusWidget() is page.reflection_edit
    total = len(page.cards)
    assert page.progress_label.text() == f"{total} of {total} answered"
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.finish_button
    press(Qt.Key.Key_Return, CTRL)
    wait_until_stored(qtbot, page)
    assert len(checkins.list_checkins(window.context.db)[0].answers) == total
    assert page.stack.currentWidget() is page.done_view
