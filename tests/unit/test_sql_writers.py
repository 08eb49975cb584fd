"""The SQL writers of drafts, flag actions, prompt states and own prompts (issue 14,
"One data path"): the model's defaults supplied by the SQL, the same rules as the ORM
services had, and the same results through the app's journal and through ``sqlite3``
alone (:class:`db.plain_journal.PlainJournal`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import drafts, flag_actions, prompts_state
from db.access import Journal
from db.engine import Database
from db.plain_journal import PlainJournal
from db.validation import InvalidInput
from desktop.core.records import AnswerKind, PromptState
from tests.unit.test_intake import attempt, mutated_keel

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


# --------------------------------------------------------------------------- check-ins

NOW = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def test_checkin_writers_store_what_the_orm_reads(db: Database) -> None:
    # The ORM models parse times and booleans their own way: an independent reader of what
    # the SQL writers stored (the Keel-format export reads every table like this).
    from sqlalchemy import select
    from sqlalchemy.orm import Session as OrmSession

    from db import checkins, models

    done = checkins.complete_checkin(db, "Calm 🧭", [
        checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=6),
        checkins.AnswerInput("switch-within-3-months", AnswerKind.YESNO, number=3),
        checkins.AnswerInput("view-shift-argument", AnswerKind.TEXT, skipped=True,
                             skip_reason="tired", text="dropped")], when=NOW, adhoc=True)
    prompts_state.add_custom_prompt(db, "t", "Q?", "", AnswerKind.TEXT)
    flag_actions.dismiss_flag(db, "k", "n", when=NOW)
    with OrmSession(db.engine) as orm:
        (row,) = orm.scalars(select(models.CheckIn))
        assert (row.id, row.started_at, row.completed_at, row.adhoc, row.reflection) == (
            done.id, NOW.replace(tzinfo=None), NOW.replace(tzinfo=None), True, "Calm 🧭")
        answers = list(orm.scalars(select(models.Answer).order_by(models.Answer.id)))
        assert [(a.value_number, a.value_text, a.skipped, a.skip_reason) for a in answers] == [
            (6.0, None, False, None), (1.0, None, False, None), (None, None, True, "tired")]
        assert [a.id for a in answers] == [a.id for a in done.answers]
        states = {s.prompt_id: s for s in orm.scalars(select(models.PromptState))}
        skipped = states["view-shift-argument"]
        assert (skipped.enabled, skipped.skip_streak, skipped.last_answered_at,
                skipped.last_asked_at) == (True, 1, None, NOW.replace(tzinfo=None))
        (own,) = orm.scalars(select(models.CustomPrompt))
        assert (own.archived, own.created_at.tzinfo) == (False, None)
        (flag,) = orm.scalars(select(models.FlagAction))
        assert (flag.created_at, flag.until) == (NOW.replace(tzinfo=None), None)
    assert checkins.get_checkin(db, done.id) == done == checkins.last_completed_checkin(db)
    assert checkins.get_checkin(db, done.id + 1) is None


def test_a_refused_answer_writes_nothing_on_either_journal(journal: Journal) -> None:
    from db import checkins

    for bad in (checkins.AnswerInput("", AnswerKind.TEXT, text="x"),
                checkins.AnswerInput("q", "nonsense", text="x"),  # type: ignore[arg-type]
                checkins.AnswerInput("q" * 101, AnswerKind.TEXT, text="x")):
        with pytest.raises(InvalidInput):
            checkins.complete_checkin(journal, "r", [
                checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=2), bad])
    assert checkins.list_checkins(journal) == [] and checkins.all_answers(journal) == []
    assert prompts_state.get_states(journal) == {}


# --------------------------------------------------------------------------- fuzzing

MINE = ("checkins", "answers", "prompt_states", "custom_prompts", "drafts", "flag_actions")
FIGURES = {"tried": 0, "accepted": 0, "refused": 0}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.journal_file import open_database

    folder = tmp_path_factory.mktemp("template")
    open_database(folder / "keel.sqlite3").close()
    return folder / "keel.sqlite3"


@pytest.fixture(scope="module")
def these_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo journal's export holding only the tables this part's writers import."""
    import json

    from db import portable
    from db.journal_file import open_database
    from desktop.demo import generate

    folder = tmp_path_factory.mktemp("sample")
    db = open_database(folder / "keel.sqlite3")
    try:
        generate(db, 0.15, NOW)
        prompts_state.add_custom_prompt(db, "values", "Which way?", "", AnswerKind.CHOICE,
                                        labels=("Left", "Right"))
        drafts.save_draft(db, "entry:new", {"body": "half"})
        flag_actions.snooze_flag(db, "worry-drift:1", "later", NOW, when=NOW)
        whole = json.loads("".join(portable.iter_export_json(db, NOW)))
    finally:
        db.close()
    whole["tables"] = {name: rows for name, rows in whole["tables"].items() if name in MINE}
    assert all(whole["tables"].get(name) for name in MINE)
    return whole


@settings(max_examples=int(os.environ.get("KEEL_FUZZ_EXAMPLES", "40")), deadline=None,
          derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_checkin_and_prompt_rows_are_refused_in_one_line_or_usable(
        template: Path, tmp_path: Path, these_tables: dict[str, Any], data: Any) -> None:
    # Hostile values in check-in, answer, prompt-state, own-prompt, draft and flag-action
    # rows: each file is refused in one line (db.intake or the writer), or accepted and
    # then due, both exports and a re-import work (test_intake.attempt).
    payload, merge = data.draw(mutated_keel(these_tables))
    FIGURES["tried"] += 1
    outcome = attempt(template, tmp_path / f"case{FIGURES['tried']}", payload,
                      merge_into_used=merge)
    FIGURES["accepted" if outcome == "accepted" else "refused"] += 1


def test_zz_checkin_fuzz_figures() -> None:
    """The figures for docs/RELIABILITY_REPORT.md (runs after the fuzzing above)."""
    print(f"\nfuzzed check-in and prompt rows through the writers: {FIGURES}")
