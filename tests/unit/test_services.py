"""db/ services round-trip through a real SQLite file: check-ins, prompts, history, options, flags."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db import checkins, flag_actions, options, profile_history, prompts_state, settings
from db.engine import Database
from db.snapshot import load_snapshot
from db.validation import InvalidInput
from desktop.core.records import AnswerKind, JobOption

T0 = datetime(2025, 3, 3, 18, 30, tzinfo=UTC)


def reopen(db: Database) -> Database:
    """The same journal file through a fresh engine, so nothing is read from memory."""
    db.close()
    return Database(db.path)


# --------------------------------------------------------------------------- check-ins


def test_complete_checkin_stores_answers_reflection_and_prompt_state(db: Database) -> None:
    done = checkins.complete_checkin(
        db,
        "Calm week. *Read* two papers.",
        [
            checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=6),
            checkins.AnswerInput("switch-within-3-months", AnswerKind.YESNO, number=1),
            checkins.AnswerInput("view-shift-argument", AnswerKind.TEXT, text="Nothing 🙂 moved"),
            checkins.AnswerInput(
                "xrisk-reading", AnswerKind.NUMBER, skipped=True, skip_reason="Travelling"
            ),
        ],
        when=T0 + timedelta(minutes=10),
    )
    assert done.completed_at == T0 + timedelta(minutes=10)

    db = reopen(db)
    last = checkins.last_completed_checkin(db)
    assert last is not None and last.id == done.id
    assert last.reflection == "Calm week. *Read* two papers."
    values = {a.prompt_id: a.value for a in last.answers}
    assert values == {
        "worry-level": 6.0,
        "switch-within-3-months": True,
        "view-shift-argument": "Nothing 🙂 moved",
        "xrisk-reading": None,
    }
    skipped = next(a for a in last.answers if a.prompt_id == "xrisk-reading")
    assert skipped.skipped and skipped.skip_reason == "Travelling"

    states = prompts_state.get_states(db)
    assert states["worry-level"].last_answered_at == T0 + timedelta(minutes=10)
    assert states["xrisk-reading"].last_asked_at == T0 + timedelta(minutes=10)
    assert states["xrisk-reading"].last_answered_at is None
    assert states["xrisk-reading"].skip_streak == 1


def test_complete_checkin_is_all_or_nothing(db: Database) -> None:
    with pytest.raises(InvalidInput):
        checkins.complete_checkin(
            db,
            "A reflection that must not be half-saved",
            [
                checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=4),
                checkins.AnswerInput("good-faith-action", AnswerKind.TEXT, text="bad \ud800 text"),
                checkins.AnswerInput("xrisk-conversations", AnswerKind.NUMBER, number=2),
            ],
            when=T0,
        )
    db = reopen(db)
    assert checkins.list_checkins(db) == []
    assert checkins.all_answers(db) == []
    assert prompts_state.get_states(db) == {}
    assert checkins.last_completed_checkin(db) is None


def test_complete_checkin_creates_the_checkin(db: Database) -> None:
    done = checkins.complete_checkin(
        db, "", [checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=3)], when=T0
    )
    assert [c.id for c in checkins.list_checkins(db)] == [done.id]


def test_skip_streak_counts_skips_in_a_row_and_resets_on_answer(db: Database) -> None:
    for week in range(3):
        checkins.complete_checkin(db, "", [checkins.AnswerInput(
            "xrisk-reading", AnswerKind.NUMBER, skipped=True, skip_reason="busy")],
            when=T0 + timedelta(weeks=week))
    assert prompts_state.get_states(db)["xrisk-reading"].skip_streak == 3
    checkins.complete_checkin(db, "", [checkins.AnswerInput(
        "xrisk-reading", AnswerKind.NUMBER, number=1.5)], when=T0 + timedelta(weeks=3))
    state = prompts_state.get_states(db)["xrisk-reading"]
    assert state.skip_streak == 0
    assert state.last_answered_at == T0 + timedelta(weeks=3)


def test_answers_series_and_listing_order(db: Database) -> None:
    for week, worry in enumerate([7, 6, None, 5]):
        item = (
            checkins.AnswerInput("worry-level", AnswerKind.SCALE, skipped=True)
            if worry is None
            else checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=worry)
        )
        checkins.complete_checkin(db, "", [item], when=T0 + timedelta(weeks=week))

    history = checkins.answers_for_prompt(db, "worry-level")
    assert [a.number for a in history if not a.skipped] == [7.0, 6.0, 5.0]
    assert history[0].answered_at == T0
    assert [a.skipped for a in history] == [False, False, True, False]
    recent = checkins.answers_for_prompt(db, "worry-level", since=T0 + timedelta(weeks=2))
    assert len(recent) == 2

    listed = checkins.list_checkins(db)
    assert [c.started_at for c in listed] == sorted((c.started_at for c in listed), reverse=True)
    assert len(checkins.list_checkins(db, limit=2)) == 2
    assert len(checkins.list_checkins(db, since=T0 + timedelta(weeks=3))) == 1
    assert all(len(c.answers) == 1 for c in listed)


# --------------------------------------------------------------------------- prompt states


def test_prompt_settings_and_own_prompts_round_trip(db: Database) -> None:
    prompts_state.set_enabled(db, "xrisk-reading", False)
    prompts_state.set_cadence_override(db, "worry-level", "fortnightly")
    until = T0 + timedelta(days=14)
    prompts_state.snooze_all(db, ["job-performance", "good-faith-action"], until)
    with pytest.raises(InvalidInput):
        prompts_state.set_cadence_override(db, "worry-level", "hourly")

    first = prompts_state.add_custom_prompt(
        db, "environment", "Did you climb this week?", "Time outside work.",
        AnswerKind.CHOICE, labels=("Yes", "No"), cadence="weekly",
    )
    second = prompts_state.add_custom_prompt(
        db, "reading", "Pages read?", "", AnswerKind.NUMBER, unit="pages", minimum=0,
        maximum=500, cadence="monthly",
    )
    assert (first.id, second.id) == ("own-1", "own-2")
    prompts_state.update_custom_prompt(
        db, first.id, "environment", "Did you climb or hike?", "Outside.", AnswerKind.YESNO
    )
    prompts_state.archive_custom_prompt(db, second.id)
    third = prompts_state.add_custom_prompt(db, "x", "Q?", "", AnswerKind.TEXT)
    assert third.id == "own-3"  # ids are never reused, even after archiving

    db = reopen(db)
    states = prompts_state.get_states(db)
    assert states["xrisk-reading"].enabled is False
    assert states["worry-level"].cadence_override == "fortnightly"
    assert states["job-performance"].snoozed_until == until
    assert states["good-faith-action"].snoozed_until == until
    prompts_state.set_cadence_override(db, "worry-level", None)
    assert prompts_state.get_states(db)["worry-level"].cadence_override is None

    own = prompts_state.list_custom_prompts(db)
    assert [p.id for p in own] == ["own-1", "own-3"]
    assert own[0].question == "Did you climb or hike?"
    assert own[0].answer is AnswerKind.YESNO and own[0].custom and own[0].experts == ()
    archived = prompts_state.list_custom_prompts(db, include_archived=True)
    pages = next(p for p in archived if p.id == "own-2")
    assert (pages.unit, pages.minimum, pages.maximum) == ("pages", 0.0, 500.0)


def test_own_choice_prompt_needs_choices(db: Database) -> None:
    with pytest.raises(InvalidInput):
        prompts_state.add_custom_prompt(db, "t", "Which?", "", AnswerKind.CHOICE, labels=("A",))
    assert prompts_state.list_custom_prompts(db) == []


# --------------------------------------------------------------------------- history


def test_baseline_versions_are_kept(db: Database) -> None:
    profile_history.add_baseline(db, "Worried, because of X.", 7, when=T0)
    profile_history.add_baseline(db, "Still worried; X and Y.", 6, when=T0 + timedelta(days=30))
    db = reopen(db)
    versions = profile_history.baselines(db)
    assert [(v.text, v.worry) for v in versions] == [
        ("Worried, because of X.", 7), ("Still worried; X and Y.", 6)
    ]
    latest = profile_history.latest_baseline(db)
    assert latest is not None and latest.worry == 6
    with pytest.raises(InvalidInput):
        profile_history.add_baseline(db, "too much", 11)


def test_tripwire_edits_append_versions_and_archive_hides(db: Database) -> None:
    wire = profile_history.add_tripwire(db, "Team open-sources weights", when=T0)
    other = profile_history.add_tripwire(db, "Safety commitment dropped", when=T0)
    edited = profile_history.edit_tripwire(
        db, wire.id, "Team open-sources frontier weights", when=T0 + timedelta(days=3)
    )
    assert edited.text == "Team open-sources frontier weights"
    profile_history.archive_tripwire(db, other.id)

    db = reopen(db)
    (active,) = profile_history.tripwires(db)
    assert active.text == "Team open-sources frontier weights"
    assert [v.text for v in active.history] == [
        "Team open-sources weights", "Team open-sources frontier weights"
    ]
    everything = profile_history.tripwires(db, include_archived=True)
    assert len(everything) == 2
    assert next(t for t in everything if t.id == other.id).archived_at is not None


def test_financial_snapshots_round_trip(db: Database) -> None:
    profile_history.add_snapshot(db, 30000, 4000, None, None, when=T0)
    profile_history.add_snapshot(
        db, 42000.5, 4500, 120000, date(2025, 9, 1), currency="eur", when=T0 + timedelta(days=90)
    )
    db = reopen(db)
    assert len(profile_history.snapshots(db)) == 2
    latest = profile_history.latest_snapshot(db)
    assert latest is not None
    assert (latest.liquid_savings, latest.next_vest_date, latest.currency) == (
        42000.5, date(2025, 9, 1), "EUR"
    )
    with pytest.raises(InvalidInput):
        profile_history.add_snapshot(db, -1, 100, None, None)


# --------------------------------------------------------------------------- options


def _option(**kw: object) -> JobOption:
    values: dict = {"id": None, "organisation": "Meridian AI", "role": "ML Engineer"}
    values.update(kw)
    return JobOption(**values)


def test_option_save_update_and_events(db: Database) -> None:
    saved = options.save_option(db, _option(status="interviewing", pay=200000), when=T0)
    assert saved.id is not None and saved.created_at == T0
    assert options.events(db) == [("on-new-option", T0)]

    later = T0 + timedelta(days=5)
    from dataclasses import replace

    options.save_option(db, replace(saved, status="accepted", notes="Signed."), when=later)
    db = reopen(db)
    got = options.get_option(db, saved.id)
    assert got is not None and got.status == "accepted" and got.notes == "Signed."
    assert got.created_at == T0 and got.updated_at == later
    assert [k for k, _ in options.events(db)] == ["on-new-option", "on-accept"]
    assert options.events(db, since=later) == [("on-accept", later)]

    with pytest.raises(InvalidInput):
        options.save_option(db, _option(status="dreaming"))
    with pytest.raises(InvalidInput):
        options.save_option(db, _option(organisation="  "))


def test_list_and_delete_options(db: Database) -> None:
    a = options.save_option(db, _option(organisation="A", status="offer"), when=T0)
    b = options.save_option(db, _option(organisation="B", status="declined"), when=T0 + timedelta(1))
    assert [o.organisation for o in options.list_options(db)] == ["B", "A"]
    assert [o.id for o in options.list_options(db, statuses={"offer"})] == [a.id]
    assert b.id is not None
    options.delete_option(db, b.id)
    assert [o.id for o in options.list_options(db)] == [a.id]


def test_assessment_answers_keep_history(db: Database) -> None:
    opt = options.save_option(db, _option())
    assert opt.id is not None
    options.record_assessment(db, opt.id, "timelines-effect", number=2, when=T0)
    options.record_assessment(db, opt.id, "timelines-effect", number=3, when=T0 + timedelta(1))
    options.record_assessment(db, opt.id, "team-judgement", text="A mix", when=T0)
    db = reopen(db)
    history = options.assessment_answers(db, opt.id)
    assert [(a.question_id, a.number, a.text) for a in history] == [
        ("timelines-effect", 2.0, None),
        ("team-judgement", None, "A mix"),
        ("timelines-effect", 3.0, None),
    ]
    assert list(options.all_assessment_answers(db)) == [opt.id]
    with pytest.raises(LookupError):
        options.record_assessment(db, 9999, "timelines-effect", number=1)


def test_decision_moves_status_situation_and_records_event(db: Database) -> None:
    settings.save_profile(db, settings.get_profile(db).__class__(situation="weighing", rhythm="monthly"))
    old = options.save_option(db, _option(organisation="Old Lab", status="current", frontier=True))
    safe = options.save_option(
        db, _option(organisation="Halcyon", status="offer", work_kind="safety", frontier=False)
    )
    assert old.id is not None and safe.id is not None
    decision = options.record_decision(
        db, safe.id, "Move to Halcyon", "Safety work.", [old.id], "If the team folds.", when=T0
    )
    assert decision.revisit_on == T0.date() + timedelta(days=182)

    db = reopen(db)
    assert options.get_option(db, safe.id).status == "current"  # type: ignore[union-attr]
    assert options.get_option(db, old.id).status == "left"  # type: ignore[union-attr]
    profile = settings.get_profile(db)
    assert profile.situation == "elsewhere"
    assert profile.rhythm == "monthly"  # the rest of the profile is untouched
    assert ("on-accept", T0) in options.events(db)
    (stored,) = options.decisions(db)
    assert stored.alternatives == (old.id,) and stored.chosen_option_id == safe.id

    lab = options.save_option(db, _option(organisation="Frontier Co", frontier=True))
    assert lab.id is not None
    options.record_decision(db, lab.id, "Back to a lab", "", [], "", when=T0 + timedelta(1))
    assert settings.get_profile(db).situation == "at-lab"
    assert options.get_option(db, safe.id).status == "left"  # type: ignore[union-attr]
    assert [d.summary for d in options.decisions(db)] == ["Back to a lab", "Move to Halcyon"]


def test_decision_to_stay_changes_nothing_else_and_can_be_revisited(db: Database) -> None:
    current = options.save_option(db, _option(status="current"))
    decision = options.record_decision(
        db, None, "Stay for now", "", [], "", revisit_on=date(2025, 6, 1), when=T0
    )
    assert decision.revisit_on == date(2025, 6, 1)
    assert options.get_option(db, current.id).status == "current"  # type: ignore[arg-type, union-attr]
    assert [k for k, _ in options.events(db)] == ["on-new-option"]
    assert decision.id is not None
    revisited = options.mark_decision_revisited(db, decision.id, when=T0 + timedelta(days=90))
    assert revisited.revisited_at == T0 + timedelta(days=90)


def test_failed_decision_changes_nothing(db: Database) -> None:
    current = options.save_option(db, _option(status="current"))
    with pytest.raises(LookupError):
        options.record_decision(db, 12345, "Join a ghost", "", [], "")
    assert options.decisions(db) == []
    assert options.get_option(db, current.id).status == "current"  # type: ignore[arg-type, union-attr]


# --------------------------------------------------------------------------- flags, snapshot


def test_flag_actions_newest_first(db: Database) -> None:
    flag_actions.dismiss_flag(db, "no-xrisk-reading", "Reading on holiday", when=T0)
    until = T0 + timedelta(days=7)
    flag_actions.snooze_flag(db, "worry-drift:1:down", "Think first", until, when=T0 + timedelta(1))
    db = reopen(db)
    actions = flag_actions.flag_actions(db)
    assert [(a.flag_id, a.action) for a in actions] == [
        ("worry-drift:1:down", "snoozed"), ("no-xrisk-reading", "dismissed")
    ]
    assert actions[0].until == until and actions[1].note == "Reading on holiday"


def test_load_snapshot_holds_everything(db: Database) -> None:
    settings.save_profile(db, settings.get_profile(db).__class__(situation="at-lab"))
    profile_history.add_baseline(db, "Base", 7, when=T0)
    profile_history.add_tripwire(db, "Wire", when=T0)
    profile_history.add_snapshot(db, 1, 1, None, None, when=T0)
    opt = options.save_option(db, _option(status="current"), when=T0)
    options.record_decision(db, None, "Stay", "", [], "", when=T0)
    flag_actions.dismiss_flag(db, "k", "", when=T0)
    old = checkins.complete_checkin(
        db, "", [checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=7)],
        when=T0 - timedelta(days=60),
    )
    new = checkins.complete_checkin(
        db, "r", [checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=5)],
        when=T0,
    )

    snap = load_snapshot(db)
    assert snap.profile.situation == "at-lab"
    assert [a.number for a in snap.answers] == [7.0, 5.0]
    assert [c.id for c in snap.checkins] == [new.id, old.id]
    assert snap.prompt_states[0].prompt_id == "worry-level"
    assert len(snap.baselines) == len(snap.tripwires) == len(snap.snapshots) == 1
    assert [o.id for o in snap.options] == [opt.id]
    assert len(snap.decisions) == len(snap.flag_actions) == 1
    assert snap.events == (("on-new-option", T0),)

    recent = load_snapshot(db, since=T0 - timedelta(days=1))
    assert [a.number for a in recent.answers] == [5.0]
    assert [c.id for c in recent.checkins] == [new.id]


def test_each_save_is_its_own_checkin(db: Database) -> None:
    item = checkins.AnswerInput("worry-level", AnswerKind.SCALE, number=5)
    first = checkins.complete_checkin(db, "", [item], when=T0)
    second = checkins.complete_checkin(db, "again", [item], when=T0)
    assert first.id != second.id
    assert len(checkins.all_answers(db)) == 2
