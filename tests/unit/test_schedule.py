"""Prompt scheduling: month ends, leap days, DST, time zones, catch-up, snooze, events, streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.core.records import AnswerKind, CheckIn, Decision, Profile, Prompt, PromptState
from desktop.core.schedule import (
    CadenceStep,
    DuePlan,
    add_months,
    cadence_interval,
    checkins_streak,
    due_prompts,
    next_due,
    upcoming,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = 0


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_prompt(
    pid: str,
    cadence: str = "weekly",
    *,
    theme: str = "reading",
    priority: int = 2,
    applies: tuple[str, ...] = (),
) -> Prompt:
    return Prompt(
        id=pid, theme=theme, experts=(4,), question=f"Question {pid}?", why="Because.",
        answer=AnswerKind.TEXT, cadence=cadence, applies=applies, priority=priority,
    )


def answered(pid: str, when: datetime, **kw: object) -> PromptState:
    return PromptState(prompt_id=pid, last_answered_at=when, **kw)  # type: ignore[arg-type]


PROFILE = Profile(situation="at-lab", rhythm="weekly", preferred_weekday=MONDAY)


# ---------------------------------------------------------------- calendar stepping


@pytest.mark.parametrize(
    ("cadence", "start", "expected"),
    [
        ("monthly", date(2023, 1, 31), date(2023, 2, 28)),
        ("monthly", date(2024, 1, 31), date(2024, 2, 29)),
        ("monthly", date(2024, 3, 31), date(2024, 4, 30)),
        ("monthly", date(2024, 12, 15), date(2025, 1, 15)),
        ("quarterly", date(2023, 11, 30), date(2024, 2, 29)),
        ("yearly", date(2024, 2, 29), date(2025, 2, 28)),
        ("yearly", date(2023, 2, 28), date(2024, 2, 28)),
        ("weekly", date(2024, 2, 26), date(2024, 3, 4)),
        ("fortnightly", date(2024, 2, 22), date(2024, 3, 7)),
    ],
    ids=[
        "31jan-monthly-common-year", "31jan-monthly-leap-year", "31mar-monthly",
        "december-to-january", "30nov-quarterly-leap", "29feb-yearly", "28feb-yearly",
        "weekly-over-month-end", "fortnightly-over-leap-day",
    ],
)
def test_cadence_interval_steps_on_the_calendar(cadence: str, start: date, expected: date) -> None:
    assert start + cadence_interval(cadence) == expected


def test_steps_of_several_months_do_not_drift_after_clamping() -> None:
    assert CadenceStep(months=1).apply(date(2024, 1, 31), times=2) == date(2024, 3, 31)
    assert add_months(date(2024, 1, 31), -2) == date(2023, 11, 30)


def test_stepping_a_datetime_keeps_the_local_wall_time_across_dst() -> None:
    before = datetime(2024, 3, 25, 0, 0, tzinfo=LONDON)
    after = before + cadence_interval("weekly")
    assert (after.hour, after.date()) == (0, date(2024, 4, 1))
    assert after.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    "cadence", ["on-new-option", "daily", ""], ids=["event", "unknown", "empty"]
)
def test_cadence_interval_refuses_non_periodic(cadence: str) -> None:
    with pytest.raises(ValueError, match="periodic"):
        cadence_interval(cadence)


# ---------------------------------------------------------------- next_due


@pytest.mark.parametrize(
    ("cadence", "last", "tz", "expected_local"),
    [
        ("monthly", utc(2023, 1, 31, 12), LONDON, datetime(2023, 2, 28)),
        ("monthly", utc(2024, 1, 31, 12), LONDON, datetime(2024, 2, 29)),
        ("yearly", utc(2024, 2, 29, 12), LONDON, datetime(2025, 2, 28)),
        ("quarterly", utc(2024, 11, 30, 18), NEW_YORK, datetime(2025, 2, 28)),
        # 1 Jan 02:00 UTC is still 31 Dec in New York: the local day is what counts.
        ("monthly", utc(2024, 1, 1, 2), NEW_YORK, datetime(2024, 1, 31)),
        ("monthly", utc(2024, 2, 1, 2), NEW_YORK, datetime(2024, 2, 29)),
    ],
    ids=[
        "31jan-to-28feb", "31jan-to-29feb", "29feb-yearly-to-28feb", "quarterly-month-end",
        "local-day-31dec-utc-1jan", "local-day-31jan-utc-1feb",
    ],
)
def test_next_due_month_ends_and_leap_days(
    cadence: str, last: datetime, tz: ZoneInfo, expected_local: datetime
) -> None:
    prompt = make_prompt("p", cadence)
    due = next_due(prompt, answered("p", last), PROFILE, last + timedelta(days=1), tz)
    assert due == expected_local.replace(tzinfo=tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("tz", "weekday", "last", "expected_utc"),
    [
        (LONDON, MONDAY, utc(2024, 3, 25, 9), utc(2024, 3, 31, 23)),
        (LONDON, MONDAY, utc(2024, 10, 21, 8), utc(2024, 10, 28, 0)),
        (LONDON, 6, utc(2024, 3, 24, 9), utc(2024, 3, 31, 0)),
        (NEW_YORK, MONDAY, utc(2024, 3, 4, 15), utc(2024, 3, 11, 4)),
        (NEW_YORK, MONDAY, utc(2024, 10, 28, 14), utc(2024, 11, 4, 5)),
        (NEW_YORK, 6, utc(2024, 10, 27, 14), utc(2024, 11, 3, 4)),
    ],
    ids=[
        "london-spring-forward", "london-fall-back", "london-sunday-on-dst-day",
        "new-york-spring-forward", "new-york-fall-back", "new-york-sunday-on-dst-day",
    ],
)
def test_weekly_due_stays_at_local_midnight_of_checkin_day_across_dst(
    tz: ZoneInfo, weekday: int, last: datetime, expected_utc: datetime
) -> None:
    profile = Profile(preferred_weekday=weekday)
    due = next_due(make_prompt("p"), answered("p", last), profile, last, tz)
    assert due == expected_utc
    local = due.astimezone(tz)
    assert (local.hour, local.minute, local.weekday()) == (0, 0, weekday)


@pytest.mark.parametrize(
    ("answered_on", "expected_due"),
    [
        (datetime(2024, 3, 4, 9), date(2024, 3, 11)),   # on the check-in day
        (datetime(2024, 3, 5, 20), date(2024, 3, 11)),  # a day late: next Monday still
        (datetime(2024, 3, 7, 9), date(2024, 3, 11)),   # Thursday: nearer the last Monday
        (datetime(2024, 3, 9, 15), date(2024, 3, 18)),  # Saturday ad hoc: counts for 11 March
        (datetime(2024, 3, 10, 23), date(2024, 3, 18)),  # late Sunday: counts for 11 March
    ],
    ids=["on-day", "one-day-late", "thursday", "saturday-early", "sunday-night-early"],
)
def test_weekly_due_lands_on_the_nearest_checkin_day(
    answered_on: datetime, expected_due: date
) -> None:
    last = answered_on.replace(tzinfo=LONDON).astimezone(UTC)
    due = next_due(make_prompt("p"), answered("p", last), PROFILE, last, LONDON)
    assert due is not None and due.astimezone(LONDON).date() == expected_due


def test_fortnightly_due_is_two_weeks_on_on_the_checkin_day() -> None:
    last = utc(2024, 3, 4, 9)
    due = next_due(make_prompt("p", "fortnightly"), answered("p", last), PROFILE, last, LONDON)
    assert due == utc(2024, 3, 18)


def test_a_skip_counts_like_an_answer_for_scheduling() -> None:
    state = PromptState("p", last_answered_at=utc(2024, 1, 1, 9), last_asked_at=utc(2024, 3, 4, 9))
    due = next_due(make_prompt("p"), state, PROFILE, utc(2024, 3, 5), LONDON)
    assert due == utc(2024, 3, 11)


def test_never_answered_prompt_is_due_now() -> None:
    now = utc(2024, 5, 1, 12)
    assert next_due(make_prompt("p"), None, PROFILE, now, LONDON) == now
    plan = due_prompts([make_prompt("p")], {}, PROFILE, now, LONDON)
    assert [p.id for p in plan.due] == ["p"]


@pytest.mark.parametrize(
    ("tz", "now", "is_due", "next_at"),
    [
        (LONDON, utc(2024, 3, 11, 2), True, None),
        (NEW_YORK, utc(2024, 3, 11, 2), False, utc(2024, 3, 11, 4)),
        (NEW_YORK, utc(2024, 3, 11, 4), True, None),
        (ZoneInfo("Asia/Tokyo"), utc(2024, 3, 10, 14), False, utc(2024, 3, 10, 15)),
    ],
    ids=["still-in-london", "moved-to-new-york", "new-york-midnight", "moved-to-tokyo"],
)
def test_change_of_time_zone_between_two_checks(
    tz: ZoneInfo, now: datetime, is_due: bool, next_at: datetime | None
) -> None:
    """Answered in London on Monday 4 March; the next check happens after a move."""
    states = {"p": answered("p", utc(2024, 3, 4, 10))}
    plan = due_prompts([make_prompt("p")], states, PROFILE, now, tz)
    assert bool(plan.due) is is_due
    assert plan.next_due_at == next_at


# ---------------------------------------------------------------- due_prompts


def test_laptop_closed_three_months_gives_one_capped_catch_up() -> None:
    prompts = (
        [make_prompt(f"p3-{i}", theme="environment", priority=3) for i in range(6)]
        + [make_prompt(f"p2-{i}", theme="reading", priority=2) for i in range(10)]
        + [make_prompt(f"p1-{i}", "monthly", theme="value-drift", priority=1) for i in range(4)]
    )
    states = {p.id: answered(p.id, utc(2024, 1, 1, 9)) for p in prompts}
    # Half of the priority-2 prompts were answered a month later: less overdue.
    for i in range(5):
        states[f"p2-{i}"] = answered(f"p2-{i}", utc(2024, 2, 5, 9))
    # The priority-1 prompts are the least overdue of all, yet must be kept.
    for i in range(4):
        states[f"p1-{i}"] = answered(f"p1-{i}", utc(2024, 2, 26, 9))
    plan = due_prompts(prompts, states, PROFILE, utc(2024, 4, 2, 9), LONDON, limit=12)

    ids = [p.id for p in plan.due]
    assert plan.catch_up is True
    assert len(ids) == 12 == len(set(ids)), "one entry per prompt, never one per missed week"
    assert plan.held_back == 8
    assert {f"p1-{i}" for i in range(4)} <= set(ids), "priority 1 is kept first"
    assert {f"p2-{i}" for i in range(5, 10)} <= set(ids), "then the most overdue"
    assert not any(i.startswith("p3-") for i in ids)
    assert ids[-4:] == [f"p1-{i}" for i in range(4)], "shown in library theme order"


def test_a_few_overdue_prompts_are_not_a_catch_up() -> None:
    prompts = [make_prompt(f"p{i}") for i in range(3)]
    states = {p.id: answered(p.id, utc(2024, 1, 1, 9)) for p in prompts}
    plan = due_prompts(prompts, states, PROFILE, utc(2024, 4, 2, 9), LONDON, limit=12)
    assert (len(plan.due), plan.catch_up, plan.held_back) == (3, False, 0)


def test_due_prompts_are_grouped_by_theme_in_library_order_then_priority() -> None:
    prompts = [
        make_prompt("a", theme="social-circle", priority=3),
        make_prompt("b", theme="conscience", priority=2),
        make_prompt("c", theme="social-circle", priority=1),
        make_prompt("d", theme="conscience", priority=1),
    ]
    plan = due_prompts(prompts, {}, PROFILE, utc(2024, 4, 2), LONDON)
    assert [p.id for p in plan.due] == ["c", "a", "d", "b"]


@pytest.mark.parametrize(
    ("snoozed_until", "now", "is_due", "next_at"),
    [
        (utc(2024, 3, 12, 9), utc(2024, 3, 11, 9), False, utc(2024, 3, 12, 9)),
        (utc(2024, 3, 12, 9), utc(2024, 3, 12, 9, 1), True, None),
        (utc(2024, 3, 5), utc(2024, 3, 11, 9), True, None),
    ],
    ids=["snoozed", "snooze-over", "snooze-ended-before-due"],
)
def test_snoozed_prompt_waits_for_the_snooze_to_end(
    snoozed_until: datetime, now: datetime, is_due: bool, next_at: datetime | None
) -> None:
    states = {"p": answered("p", utc(2024, 3, 4, 9), snoozed_until=snoozed_until)}
    plan = due_prompts([make_prompt("p")], states, PROFILE, now, LONDON)
    assert bool(plan.due) is is_due
    assert plan.next_due_at == next_at


def test_switched_off_prompt_is_never_due_nor_upcoming() -> None:
    prompt = make_prompt("p")
    states = {"p": PromptState("p", enabled=False)}
    now = utc(2024, 3, 11, 9)
    assert next_due(prompt, states["p"], PROFILE, now, LONDON) is None
    plan = due_prompts([prompt], states, PROFILE, now, LONDON)
    assert plan.due == () and plan.next_due_at is None
    assert upcoming([prompt], states, PROFILE, now, LONDON) == []


@pytest.mark.parametrize(
    ("prompt_cadence", "override", "rhythm", "expected_local"),
    [
        ("weekly", "monthly", "weekly", date(2024, 2, 29)),
        ("monthly", "weekly", "weekly", date(2024, 2, 5)),
        ("weekly", None, "monthly", date(2024, 2, 29)),
        ("weekly", "weekly", "monthly", date(2024, 2, 5)),
        ("yearly", None, "monthly", date(2025, 1, 31)),
    ],
    ids=[
        "override-slower", "override-faster", "rhythm-slows-weekly",
        "override-beats-rhythm", "rhythm-never-speeds-up",
    ],
)
def test_cadence_override_and_rhythm(
    prompt_cadence: str, override: str | None, rhythm: str, expected_local: date
) -> None:
    last = utc(2024, 1, 31, 12)  # a Wednesday
    state = answered("p", last, cadence_override=override)
    profile = Profile(rhythm=rhythm, preferred_weekday=MONDAY)
    due = next_due(make_prompt("p", prompt_cadence), state, profile, last, LONDON)
    assert due is not None and due.astimezone(LONDON).date() == expected_local


@pytest.mark.parametrize(
    ("applies", "situation", "is_due"),
    [
        (("at-lab",), "at-lab", True),
        (("at-lab",), "weighing", False),
        (("at-lab", "elsewhere"), "elsewhere", True),
        ((), "student", True),
        (("at-lab",), None, True),
    ],
    ids=["applies", "left-the-lab", "one-of-several", "applies-to-all", "situation-unknown"],
)
def test_prompt_that_no_longer_applies_after_situation_change(
    applies: tuple[str, ...], situation: str | None, is_due: bool
) -> None:
    prompt = make_prompt("p", applies=applies)
    profile = Profile(situation=situation)
    plan = due_prompts([prompt], {}, profile, utc(2024, 3, 11, 9), LONDON)
    assert bool(plan.due) is is_due


# ---------------------------------------------------------------- event prompts

LAST = utc(2024, 3, 1, 12)
NOW = utc(2024, 3, 10, 12)


@pytest.mark.parametrize("kind", ["on-new-option", "on-accept", "on-vesting"])
@pytest.mark.parametrize(
    ("last", "events", "is_due"),
    [
        (LAST, [("KIND", utc(2024, 3, 5))], True),
        (LAST, [("KIND", utc(2024, 2, 5))], False),
        (None, [("KIND", utc(2024, 2, 5))], True),
        (None, [], False),
        (LAST, [("other", utc(2024, 3, 5))], False),
        (LAST, [("KIND", utc(2024, 3, 20))], False),
    ],
    ids=[
        "event-after-answer", "event-before-answer", "never-answered", "no-event",
        "other-event", "future-event",
    ],
)
def test_event_prompts(
    kind: str, last: datetime | None, events: list[tuple[str, datetime]], is_due: bool
) -> None:
    events = [(kind if k == "KIND" else k, when) for k, when in events]
    states = {"e": PromptState("e", last_answered_at=last)}
    plan = due_prompts([make_prompt("e", kind)], states, PROFILE, NOW, LONDON, events=events)
    assert bool(plan.due) is is_due


def decision(revisit_on: date | None, revisited_at: datetime | None = None) -> Decision:
    return Decision(
        id=1, decided_at=utc(2024, 1, 1), chosen_option_id=None, summary="Stay for now",
        revisit_on=revisit_on, revisited_at=revisited_at,
    )


@pytest.mark.parametrize(
    ("tz", "decisions", "last", "is_due", "next_at"),
    [
        (LONDON, [decision(date(2024, 5, 10))], None, True, None),
        (NEW_YORK, [decision(date(2024, 5, 10))], None, False, utc(2024, 5, 10, 4)),
        (LONDON, [decision(date(2024, 5, 11))], None, False, utc(2024, 5, 10, 23)),
        (LONDON, [decision(date(2024, 5, 1), utc(2024, 5, 2))], None, False, None),
        (LONDON, [decision(date(2024, 5, 1))], utc(2024, 5, 3), False, None),
        (LONDON, [decision(date(2024, 5, 1))], utc(2024, 4, 20), True, None),
        (LONDON, [decision(None)], None, False, None),
    ],
    ids=[
        "revisit-today", "not-yet-today-in-new-york", "revisit-tomorrow", "already-revisited",
        "answered-since", "answered-before-date", "no-revisit-date",
    ],
)
def test_decision_revisit_prompt(
    tz: ZoneInfo,
    decisions: list[Decision],
    last: datetime | None,
    is_due: bool,
    next_at: datetime | None,
) -> None:
    now = utc(2024, 5, 10, 2)  # 10 May in London, still 9 May in New York
    states = {"r": PromptState("r", last_answered_at=last)}
    plan = due_prompts(
        [make_prompt("r", "decision-revisit")], states, PROFILE, now, tz, decisions=decisions
    )
    assert bool(plan.due) is is_due
    assert plan.next_due_at == next_at


def test_event_prompts_are_kept_in_a_catch_up() -> None:
    prompts = [make_prompt(f"w{i}", priority=1) for i in range(5)]
    prompts.append(make_prompt("new", "on-new-option", priority=3))
    plan = due_prompts(
        prompts, {}, PROFILE, NOW, LONDON, events=[("on-new-option", utc(2024, 3, 9))], limit=3
    )
    assert "new" in {p.id for p in plan.due}
    assert (len(plan.due), plan.held_back, plan.catch_up) == (3, 3, True)


# ---------------------------------------------------------------- upcoming


def test_upcoming_lists_the_next_time_of_each_prompt_soonest_first() -> None:
    prompts = [
        make_prompt("month", "monthly"),
        make_prompt("week"),
        make_prompt("year", "yearly"),
        make_prompt("new"),
    ]
    last = utc(2024, 3, 4, 9)
    states = {p: answered(p, last) for p in ("month", "week", "year")}
    coming = upcoming(prompts, states, PROFILE, utc(2024, 3, 5), LONDON, days=30)
    assert [(when, p.id) for when, p in coming] == [
        (utc(2024, 3, 11), "week"),
        (utc(2024, 4, 3, 23), "month"),
    ]


def test_due_plan_exposes_the_batch_ids() -> None:
    plan = DuePlan(due=(make_prompt("a"), make_prompt("b")))
    assert plan.due_ids == frozenset({"a", "b"})


# ---------------------------------------------------------------- streak


def checkin(when: datetime | None, started: datetime | None = None) -> CheckIn:
    return CheckIn(id=1, started_at=started or when or utc(2024, 1, 1), completed_at=when,
                   adhoc=False)


STREAK_NOW = utc(2024, 3, 20, 12)  # Wednesday; the week began Monday 18 March


@pytest.mark.parametrize(
    ("rhythm", "done", "expected"),
    [
        ("weekly", [], 0),
        ("weekly", [utc(2024, 3, 18, 9), utc(2024, 3, 11, 9), utc(2024, 3, 4, 9)], 3),
        ("weekly", [utc(2024, 3, 11, 9), utc(2024, 3, 4, 9)], 2),
        ("weekly", [utc(2024, 3, 18, 9), utc(2024, 3, 4, 9)], 1),
        ("weekly", [utc(2024, 3, 17, 9), utc(2024, 3, 16, 9), utc(2024, 3, 10, 9)], 2),
        ("weekly", [utc(2024, 3, 4, 9)], 0),
        ("fortnightly", [utc(2024, 3, 18, 9), utc(2024, 3, 4, 9), utc(2024, 2, 19, 9)], 3),
        ("monthly", [utc(2024, 3, 1), utc(2024, 2, 28), utc(2024, 1, 2)], 3),
        ("monthly", [utc(2024, 2, 28), utc(2023, 12, 2)], 1),
    ],
    ids=[
        "none", "three-with-current", "current-not-done-yet", "gap-breaks", "two-in-one-week",
        "lapsed", "fortnightly", "monthly", "monthly-gap",
    ],
)
def test_checkins_streak(rhythm: str, done: list[datetime], expected: int) -> None:
    profile = Profile(rhythm=rhythm, preferred_weekday=MONDAY)
    assert checkins_streak([checkin(t) for t in done], profile, STREAK_NOW, LONDON) == expected


def test_unfinished_checkins_do_not_keep_the_rhythm() -> None:
    checkins = [checkin(None, started=utc(2024, 3, 18, 9)), checkin(utc(2024, 3, 11, 9))]
    assert checkins_streak(checkins, PROFILE, STREAK_NOW, LONDON) == 1


def test_after_a_checkin_this_period_only_event_prompts_stay_due() -> None:
    """Finishing a capped catch-up must not make the held-back prompts due at once."""
    from zoneinfo import ZoneInfo

    from desktop.core.records import AnswerKind, Profile, Prompt
    from desktop.core.schedule import DuePlan, next_period_start, one_checkin_per_period

    tz = ZoneInfo("Europe/London")
    profile = Profile(rhythm="weekly", preferred_weekday=0)
    weekly = Prompt("a", "reading", (4,), "q", "w", AnswerKind.NUMBER, "weekly", unit="h")
    event = Prompt("b", "team", (9,), "q", "w", AnswerKind.TEXT, "on-accept")
    plan = DuePlan(due=(weekly, event), catch_up=True, held_back=30)
    wednesday = datetime(2026, 11, 25, 12, tzinfo=UTC)
    monday_morning = datetime(2026, 11, 23, 9, tzinfo=UTC)

    kept = one_checkin_per_period(plan, monday_morning, profile, wednesday, tz)
    assert kept.due == (event,) and kept.held_back == 0 and not kept.catch_up
    assert kept.next_due_at == next_period_start(profile, wednesday, tz)
    assert kept.next_due_at.astimezone(tz).weekday() == 0

    last_week = datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert one_checkin_per_period(plan, last_week, profile, wednesday, tz) is plan
    assert one_checkin_per_period(plan, None, profile, wednesday, tz) is plan


def test_prompts_raised_by_a_new_option_join_the_next_check_in() -> None:
    """Adding an option right after a check-in: its prompts wait for the next check-in
    day instead of falling due at once (issue 19); before this period's check-in they
    simply join it."""
    from zoneinfo import ZoneInfo

    from desktop.core.records import AnswerKind, Profile, Prompt
    from desktop.core.schedule import DuePlan, next_period_start, one_checkin_per_period

    tz = ZoneInfo("Europe/London")
    profile = Profile(rhythm="weekly", preferred_weekday=0)
    new_option = tuple(Prompt(f"n{i}", "team", (9,), "q", "w", AnswerKind.TEXT, "on-new-option")
                       for i in range(6))
    accept = Prompt("b", "team", (9,), "q", "w", AnswerKind.TEXT, "on-accept")
    plan = DuePlan(due=(*new_option, accept))
    wednesday = datetime(2026, 11, 25, 12, tzinfo=UTC)
    just_now = datetime(2026, 11, 25, 11, tzinfo=UTC)
    kept = one_checkin_per_period(plan, just_now, profile, wednesday, tz)
    assert kept.due == (accept,)
    assert kept.next_due_at == next_period_start(profile, wednesday, tz)
    last_week = datetime(2026, 11, 18, 9, tzinfo=UTC)
    assert one_checkin_per_period(plan, last_week, profile, wednesday, tz).due == plan.due
