"""Settings page: prompt on/off and cadence through the model/view, own prompts, profile, baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop.core.changes import Change
from desktop.core.records import AnswerKind, Prompt, PromptState
from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard
from desktop.ui.models.prompt_settings_model import (
    CADENCE_COLUMN,
    QUESTION_COLUMN,
    PromptRole,
    PromptSettingsModel,
)
from tests.gui.conftest import NOW, fixed_clock


@pytest.fixture(autouse=True)
def _no_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OnboardingWizard, "ask", classmethod(lambda cls, parent, ctx: False))


def _prompt(pid: str, theme: str, cadence: str = "weekly") -> Prompt:
    return Prompt(pid, theme, (4,), f"Question {pid}?", "why", AnswerKind.TEXT, cadence)


def test_model_groups_by_theme_and_stores_edits(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, object]] = []
    model = PromptSettingsModel(lambda p, on: calls.append((p, on)),
                                lambda p, c: calls.append((p, c)))
    model.set_prompts([_prompt("a", "reading"), _prompt("b", "value-drift"),
                       _prompt("c", "reading", "on-new-option")],
                      {"b": PromptState("b", enabled=False)})
    assert model.rowCount() == 2
    drift, reading = model.index(0, 0), model.index(1, 0)
    assert drift.data() == "Value drift  (0 of 1 on)"
    assert model.rowCount(reading) == 2
    first = model.index(0, QUESTION_COLUMN, reading)
    assert first.data() == "Question a?"
    assert first.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(first, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert calls == [("a", False)]
    assert reading.data() == "Reading  (1 of 2 on)"
    cadence = model.index(0, CADENCE_COLUMN, reading)
    assert model.setData(cadence, "monthly")
    assert cadence.data() == "Monthly (changed)"
    event = model.index(1, CADENCE_COLUMN, reading)
    assert not model.setData(event, "monthly")  # event prompts keep their trigger
    qtmodeltester.check(model)


def test_model_refuses_an_edit_the_store_rejects(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    def broken(_p: str, _on: bool) -> None:
        raise OSError("disk full")

    model = PromptSettingsModel(broken, None)
    model.set_prompts([_prompt("a", "reading")], {})
    failures: list[str] = []
    model.write_failed.connect(failures.append)
    index = model.index(0, 0, model.index(0, 0))
    assert not model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert failures
    qtmodeltester.check(model)


def _settings(make_window):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("settings")
    return window, window.pages["settings"]


def test_toggle_and_cadence_through_the_view_are_stored(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.prompts_state import get_states

    window, page = _settings(make_window)
    section = page.section("PromptsSection")
    view, proxy = section.view, section.proxy
    assert section.model.prompt_count() >= 40
    qtbot.keyClicks(section.filter_edit, "conversations")
    assert proxy.rowCount() >= 1
    theme = proxy.index(0, 0)
    row = proxy.index(0, QUESTION_COLUMN, theme)
    prompt = row.data(PromptRole)
    assert "conversation" in prompt.question.lower() or "conversation" in theme.data().lower()
    view.scrollTo(row)
    rect = view.visualRect(row)
    # Click the check box the way a person does: space on the current row.
    view.setCurrentIndex(row)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert get_states(window.context.db)[prompt.id].enabled is False
    assert rect.isValid()

    cadence = proxy.index(0, CADENCE_COLUMN, theme)
    view.setCurrentIndex(cadence)
    view.edit(cadence)
    editor = view.indexWidget(cadence) or view.findChild(QComboBox)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("quarterly"))
    editor.activated.emit(editor.currentIndex())
    assert get_states(window.context.db)[prompt.id].cadence_override == "quarterly"
    assert "Quarterly" in cadence.data()


def test_own_prompt_of_each_kind_appears_in_all_prompts(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.due_now import all_prompts

    window, page = _settings(make_window)
    own = page.section("OwnPromptsSection")
    specs = [
        ("How steady do I feel?", "scale", "Shaky\nOK\nSteady", "", "", ""),
        ("Hours on side projects?", "number", "", "hours", "0", "80"),
        ("Did I speak up?", "yesno", "", "", "", ""),
        ("Which mood?", "choice", "Calm\nTense", "", "", ""),
        ("What surprised me?", "text", "", "", "", ""),
    ]
    for question, kind, labels, unit, low, high in specs:
        qtbot.mouseClick(own.new_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(own.question_edit, question)
        own.kind_combo.setCurrentIndex(own.kind_combo.findData(kind))
        if labels:
            assert own.labels_edit.isVisibleTo(own)
            own.labels_edit.setPlainText(labels)
        if unit:
            assert own.unit_edit.isVisibleTo(own)
            qtbot.keyClicks(own.unit_edit, unit)
            qtbot.keyClicks(own.min_edit, low)
            qtbot.keyClicks(own.max_edit, high)
        qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    prompts, _ = all_prompts(window.context.db)
    mine = {p.question: p for p in prompts if p.custom}
    assert set(mine) == {s[0] for s in specs}
    assert mine["How steady do I feel?"].labels == ("Shaky", "OK", "Steady")
    number = mine["Hours on side projects?"]
    assert (number.answer, number.unit, number.minimum, number.maximum) == (
        AnswerKind.NUMBER, "hours", 0.0, 80.0)
    assert mine["Which mood?"].labels == ("Calm", "Tense")
    assert own.model.rowCount() == 5
    # the prompt tree shows them too
    assert page.section("PromptsSection").model.index_of(number.id).isValid()


def test_bad_range_is_refused_and_nothing_typed_is_lost(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.prompts_state import list_custom_prompts

    window, page = _settings(make_window)
    own = page.section("OwnPromptsSection")
    qtbot.keyClicks(own.question_edit, "Hours reading papers?")
    own.kind_combo.setCurrentIndex(own.kind_combo.findData("number"))
    qtbot.keyClicks(own.min_edit, "ten")
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    assert list_custom_prompts(window.context.db) == []
    assert own.question_edit.text() == "Hours reading papers?"


def test_edit_and_archive_own_prompt(make_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.prompts_state import add_custom_prompt, list_custom_prompts
    from desktop.ui.widgets.confirm import Confirm

    window = make_window(clock=fixed_clock(NOW))
    add_custom_prompt(window.context.db, "own", "Old wording?", "", AnswerKind.TEXT)
    window.pages["settings"].refresh(Change.OWN_PROMPTS)
    own = window.pages["settings"].section("OwnPromptsSection")
    own.list_view.setCurrentIndex(own.model.index(0))
    assert own.question_edit.text() == "Old wording?"
    own.question_edit.selectAll()
    qtbot.keyClicks(own.question_edit, "New wording?")
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    assert [p.question for p in list_custom_prompts(window.context.db)] == ["New wording?"]
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    qtbot.mouseClick(own.archive_button, Qt.MouseButton.LeftButton)
    assert list_custom_prompts(window.context.db) == []


def test_profile_changes_are_stored_at_once(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.settings import get_profile

    window, page = _settings(make_window)
    profile = page.section("ProfileSection")
    profile.situation_combo.setCurrentIndex(profile.situation_combo.findData("weighing"))
    profile.rhythm_combo.setCurrentIndex(profile.rhythm_combo.findData("monthly"))
    profile.weekday_combo.setCurrentIndex(4)
    stored = get_profile(window.context.db)
    assert (stored.situation, stored.rhythm, stored.preferred_weekday) == ("weighing", "monthly", 4)


def test_baseline_edit_adds_a_version_and_tripwires_keep_history(make_window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.profile_history import add_baseline, baselines, tripwires
    from desktop.ui.widgets.confirm import Confirm

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    # Dated before the window's fixed clock, so the order does not depend on today's date.
    add_baseline(db, "Worried, moderately.", 5, when=NOW - timedelta(days=30))
    window.pages["settings"].refresh(Change.BASELINE)
    section = window.pages["settings"].section("BaselineSection")
    assert section.baseline_edit.toPlainText() == "Worried, moderately."
    qtbot.keyClicks(section.baseline_edit, " More now.")
    section.worry_spin.setValue(7)
    qtbot.mouseClick(section.save_baseline_button, Qt.MouseButton.LeftButton)
    assert [(b.text, b.worry) for b in baselines(db)] == [
        ("Worried, moderately.", 5), ("Worried, moderately. More now.", 7)]
    assert section.history_model.rowCount() == 2

    qtbot.keyClicks(section.tripwire_edit, "We ship a hype demo")
    qtbot.mouseClick(section.add_tripwire_button, Qt.MouseButton.LeftButton)
    section.tripwire_view.setCurrentIndex(section.tripwire_model.index(0))
    section.tripwire_edit.selectAll()
    qtbot.keyClicks(section.tripwire_edit, "We ship a hype demo of frontier work")
    qtbot.mouseClick(section.reword_button, Qt.MouseButton.LeftButton)
    [wire] = tripwires(db)
    assert [v.text for v in wire.history] == ["We ship a hype demo",
                                              "We ship a hype demo of frontier work"]
    assert "Earlier wordings" in section.tripwire_history_label.text()
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    qtbot.mouseClick(section.archive_tripwire_button, Qt.MouseButton.LeftButton)
    assert tripwires(db) == [] and len(tripwires(db, include_archived=True)) == 1


def test_section_list_scrolls_to_a_section(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _window, page = _settings(make_window)
    titles = page.index_model.stringList()
    assert titles[:4] == ["You and your rhythm", "Baseline and tripwires", "Prompts",
                          "Your own questions"]
    page.scroll_to(len(page.sections) - 1)
    assert page.scroll.verticalScrollBar().value() > 0


def test_baseline_typed_in_settings_survives_closing_the_window(qtbot, make_window):  # type: ignore[no-untyped-def]
    """Typed, not saved as a version, window closed: the text is back on the next start."""
    from db import drafts

    window = make_window(clock=fixed_clock(NOW))
    window.show_page("settings")
    section = window.pages["settings"].section("BaselineSection")
    section.baseline_edit.setFocus()
    qtbot.keyClicks(section.baseline_edit, "I now think the risk is mostly misuse.")
    qtbot.waitUntil(lambda: drafts.load_draft(window.context.db, "settings:baseline") is not None,
                    timeout=3000)
    assert section.baseline_state.text().startswith("Draft kept")
    window.close()

    again = make_window(clock=fixed_clock(NOW))
    again.show_page("settings")
    restored = again.pages["settings"].section("BaselineSection")
    assert restored.baseline_edit.toPlainText().endswith("I now think the risk is mostly misuse.")
    assert restored.baseline_state.text() == "Unsaved changes restored"


def test_reloading_the_same_prompts_updates_rows_in_place(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """A finished check-in (Change.PROMPTS: asked dates) reloads the tree: the rows that
    changed are updated without a reset, which made the view measure all ~270 rows."""
    model = PromptSettingsModel(None, None)
    prompts = [_prompt("a", "reading"), _prompt("b", "reading"), _prompt("c", "value-drift")]
    assert model.set_prompts(prompts, {}, NOW)
    resets: list[int] = []
    changed: list[tuple[int, int, bool]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), b.row(), a.parent().isValid())))
    states = {"b": PromptState("b", enabled=False, last_asked_at=NOW)}
    assert not model.set_prompts(prompts, states, NOW)  # same prompts, same cadences
    assert resets == []
    assert (1, 1, True) in changed  # prompt b's row
    reading = model.index(1, 0)
    assert reading.data() == "Reading  (1 of 2 on)"  # its theme's count follows
    assert model.index(1, QUESTION_COLUMN, reading).data(
        Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    changed.clear()
    assert not model.set_prompts(prompts, states, NOW)
    assert changed == [] and resets == []  # nothing changed: nothing said
    assert model.set_prompts(prompts, {"b": PromptState("b", cadence_override="monthly")}, NOW)
    assert resets == []  # a cadence changed: columns refitted, still no reset
    assert model.set_prompts(prompts[:2], states, NOW)  # a prompt went: rebuilt
    assert resets == [1]
    qtmodeltester.check(model)
