"""The SQL writers of drafts, flag actions, prompt states and own prompts (issue 14,
"One data path"): the model's defaults supplied by the SQL, the same rules as the ORM
services had, and the same results through the app's journal and through ``sqlite3``
alone (:class:`db.plain_journal.PlainJournal`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import drafts, flag_actions, prompts_state
from db.access import Journal
from db.engine import Database
from db.plain_journal import PlainJournal
from db.validation import InvalidInput
from desktop.core.records import AnswerKind, PromptState

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["app", "plain"])
def journal(request: pytest.FixtureRequest, db: Database) -> Iterator[Journal]:
    """The migrated test journal, opened the app's way and the short commands' way."""
    if request.param == "app":
        yield db
        return
    plain = PlainJournal(Path(db.path))
    try:
        yield plain
    finally:
        plain.close()


def test_a_draft_round_trips_every_character_and_keeps_its_time_when_unchanged(
        journal: Journal) -> None:
    payload = {"body": "lone \ud800 surrogate, emoji 🙂, NUL \x00", "n": 3}
    drafts.save_draft(journal, "entry:new", payload)
    first = drafts.load_draft(journal, "entry:new")
    assert first is not None and first.payload == payload
    drafts.save_draft(journal, "entry:new", payload)  # unchanged: a no-op
    again = drafts.load_draft(journal, "entry:new")
    assert again is not None and again.updated_at == first.updated_at
    drafts.save_draft(journal, "entry:new", {"body": "changed"})
    changed = drafts.load_draft(journal, "entry:new")
    assert changed is not None and changed.payload == {"body": "changed"}
    assert changed.updated_at >= first.updated_at
    drafts.discard_draft(journal, "entry:new")
    assert drafts.load_draft(journal, "entry:new") is None


def test_listing_drafts_matches_the_prefix_exactly(journal: Journal) -> None:
    for key in ("option:1", "option:2", "Option:3", "opt%on:4", "opt_on:5", "checkin"):
        drafts.save_draft(journal, key, {"k": key})
    assert sorted(d.key for d in drafts.list_drafts(journal, "option:")) == ["option:1",
                                                                           "option:2"]
    assert [d.key for d in drafts.list_drafts(journal, "opt%")] == ["opt%on:4"]
    assert len(drafts.list_drafts(journal)) == 6


def test_flag_actions_need_a_key_and_keep_every_character(journal: Journal) -> None:
    with pytest.raises(InvalidInput):
        flag_actions.dismiss_flag(journal, "", "note")
    with pytest.raises(InvalidInput):
        flag_actions.dismiss_flag(journal, "k", "bad \ud800 note")
    done = flag_actions.snooze_flag(journal, "worry-drift:1", "ʻOkina 🙂", T0 + timedelta(7),
                                    when=T0)
    assert flag_actions.flag_actions(journal) == [done]
    assert done.until == T0 + timedelta(7) and done.created_at == T0


def test_a_prompt_state_starts_with_the_models_defaults(journal: Journal) -> None:
    prompts_state.set_cadence_override(journal, "worry-level", "monthly")
    prompts_state.snooze_all(journal, ["xrisk-reading"], T0)
    prompts_state.set_enabled(journal, "job-performance", False)
    states = prompts_state.get_states(journal)
    assert states["worry-level"] == PromptState("worry-level", True, "monthly")
    assert states["xrisk-reading"] == PromptState("xrisk-reading", snoozed_until=T0)
    assert states["job-performance"] == PromptState("job-performance", enabled=False)
    # Each writer sets its own column and leaves the others alone.
    prompts_state.set_enabled(journal, "worry-level", False)
    prompts_state.snooze_prompt(journal, "worry-level", T0)
    assert prompts_state.get_states(journal)["worry-level"] == PromptState(
        "worry-level", False, "monthly", snoozed_until=T0)
    prompts_state.snooze_prompt(journal, "worry-level", None)
    assert prompts_state.get_states(journal)["worry-level"].snoozed_until is None


def test_recording_answers_and_skips_keeps_the_streak(journal: Journal) -> None:
    with journal.write() as session:
        prompts_state.record_asked(session, [("q", True), ("q", True)], T0)
    state = prompts_state.get_states(journal)["q"]
    assert (state.skip_streak, state.last_asked_at, state.last_answered_at) == (2, T0, None)
    with journal.write() as session:
        prompts_state.record_asked(session, [("q", False)], T0 + timedelta(1))
        prompts_state.record_asked(session, [("q", True)], T0 + timedelta(2))
    state = prompts_state.get_states(journal)["q"]
    assert (state.skip_streak, state.last_asked_at, state.last_answered_at) == (
        1, T0 + timedelta(2), T0 + timedelta(1))
    assert state.enabled


def test_own_prompts_that_vanished_say_so(journal: Journal) -> None:
    with pytest.raises(LookupError):
        prompts_state.update_custom_prompt(journal, "own-9", "t", "Q?", "", AnswerKind.TEXT)
    with pytest.raises(LookupError):
        prompts_state.archive_custom_prompt(journal, "own-9")
    made = prompts_state.add_custom_prompt(journal, "", "How many?", "why", AnswerKind.NUMBER,
                                           unit="h", minimum=0, maximum=10, cadence="monthly")
    assert (made.id, made.theme, made.unit, made.minimum, made.maximum) == (
        "own-1", "own", "h", 0.0, 10.0)
    assert prompts_state.list_custom_prompts(journal) == [made]
