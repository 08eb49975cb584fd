"""Reminder decisions: one per batch, quiet hours, allowed days, snooze, sleep, simulated month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desktop.core.records import AnswerKind, Profile, Prompt, PromptState
from desktop.core.reminders import (
    ReminderState,
    allowed_day,
    decide,
    detect_clock_jump,
    in_quiet_hours,
    next_allowed_time,
    snooze,
    snooze_until,
)
from desktop.core.schedule import due_prompts

LONDON = ZoneInfo("Europe/London")
PROFILE = Profile(situation="at-lab", rhythm="weekly", preferred_weekday=0, quiet_start=22,
                  quiet_end=8)
TICK = timedelta(minutes=15)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# ---------------------------------------------------------------- small rules


@pytest.mark.parametrize(
    ("hour", "start", "end", "quiet"),
    [
        (23, 22, 8, True), (3, 22, 8, True), (8, 22, 8, False), (21, 22, 8, False),
        (22, 22, 8, True), (13, 12, 14, True), (14, 12, 14, False), (11, 12, 14, False),
        (3, 8, 8, False), (0, 0, 7, True),
    ],
    ids=[
        "late-evening", "night", "quiet-end-is-awake", "before-start", "at-start",
        "same-day-window", "same-day-end", "same-day-before", "equal-means-none", "from-midnight",
    ],
)
def test_in_quiet_hours(hour: int, start: int, end: int, quiet: bool) -> None:
    profile = Profile(quiet_start=start, quiet_end=end)
    assert in_quiet_hours(local(2024, 3, 6, hour), profile) is quiet


@pytest.mark.parametrize(
    ("day", "days", "allowed"),
    [(4, (0, 1, 2, 3, 4), True), (9, (0, 1, 2, 3, 4), False), (10, (6,), True), (10, (), False)],
    ids=["weekday-allowed", "saturday-off", "only-sunday", "no-days"],
)
def test_allowed_day(day: int, days: tuple[int, ...], allowed: bool) -> None:
    assert allowed_day(local(2024, 3, day, 12), Profile(reminder_days=days)) is allowed


@pytest.mark.parametrize(
    ("previous", "now", "jumped"),
    [
        (utc(2024, 3, 1, 12), utc(2024, 3, 1, 12, 15), False),
        (utc(2024, 3, 1, 12), utc(2024, 3, 1, 12, 17), False),
        (utc(2024, 3, 1, 12), utc(2024, 3, 1, 12, 17, 1), True),
        (utc(2024, 3, 1, 12), utc(2024, 3, 4, 12), True),
        (utc(2024, 3, 1, 12), utc(2024, 3, 1, 11), True),
    ],
    ids=["on-time", "within-slack", "just-late", "three-day-sleep", "clock-set-back"],
)
def test_detect_clock_jump(previous: datetime, now: datetime, jumped: bool) -> None:
    assert detect_clock_jump(previous, now, TICK) is jumped


@pytest.mark.parametrize(
    ("choice", "now", "expected"),
    [
        ("hour", utc(2024, 3, 6, 23, 30), utc(2024, 3, 7, 0, 30)),
        ("tomorrow", utc(2024, 3, 6, 23, 30), utc(2024, 3, 7, 8)),
        ("tomorrow", utc(2024, 3, 30, 12), utc(2024, 3, 31, 7)),  # 08:00 BST after DST
        ("week", utc(2024, 3, 6, 12), utc(2024, 3, 11, 8)),  # Wednesday → Monday
        ("week", utc(2024, 3, 11, 12), utc(2024, 3, 18, 8)),  # Monday → next Monday
    ],
    ids=["hour", "tomorrow", "tomorrow-over-dst", "week-from-wednesday", "week-from-monday"],
)
def test_snooze_until(choice: str, now: datetime, expected: datetime) -> None:
    assert snooze_until(choice, now, LONDON, PROFILE) == expected


def test_snooze_until_refuses_unknown_choice() -> None:
    with pytest.raises(ValueError, match="unknown snooze"):
        snooze_until("forever", utc(2024, 3, 6), LONDON, PROFILE)


def test_next_allowed_time_skips_quiet_hours_and_days_off() -> None:
    weekdays = replace(PROFILE, reminder_days=(0, 1, 2, 3, 4))
    # Friday 23:00 → Saturday and Sunday are off → Monday 08:00.
    assert next_allowed_time(utc(2024, 3, 8, 23), LONDON, weekdays) == utc(2024, 3, 11, 8)
    assert next_allowed_time(utc(2024, 3, 8, 12), LONDON, weekdays) == utc(2024, 3, 8, 12)
    assert next_allowed_time(utc(2024, 3, 8, 12), LONDON, replace(PROFILE, reminder_days=())) \
        is None


# ---------------------------------------------------------------- decide, one rule at a time

BATCH = frozenset({"a", "b"})
BASE = utc(2024, 3, 6, 10)
CHECKED_IN = BASE - timedelta(minutes=30)
NOTIFIED = ReminderState(last_notified_at=BASE - timedelta(hours=1), last_notified_batch=BATCH)


@pytest.mark.parametrize(
    ("due", "state", "now", "last_checkin", "notify", "next_check"),
    [
        (BATCH, ReminderState(), BASE, None, True, None),
        (frozenset(), ReminderState(), BASE, None, False, None),
        (BATCH, NOTIFIED, BASE, None, False, None),
        (frozenset({"a"}), NOTIFIED, BASE, None, False, None),
        (BATCH | {"c"}, NOTIFIED, BASE, None, False, BASE + timedelta(hours=11)),
        (BATCH | {"c"}, NOTIFIED, BASE + timedelta(hours=11), None, True, None),
        (frozenset({"c"}), NOTIFIED, BASE + timedelta(hours=11, minutes=30), CHECKED_IN, True,
         None),
        (frozenset({"c"}), NOTIFIED, BASE + timedelta(hours=1), CHECKED_IN, False,
         CHECKED_IN + timedelta(hours=12)),
        (BATCH, ReminderState(snoozed_until=BASE + timedelta(hours=1)), BASE, None, False,
         BASE + timedelta(hours=1)),
        (BATCH, ReminderState(snoozed_until=BASE - timedelta(minutes=1)), BASE, None, True, None),
        (BATCH, ReminderState(), utc(2024, 3, 6, 23), None, False, utc(2024, 3, 7, 8)),
        (BATCH, ReminderState(), utc(2024, 3, 7, 8), None, True, None),
    ],
    ids=[
        "new-batch", "nothing-due", "same-batch", "subset-of-batch", "joiner-within-12h",
        "joiner-after-12h", "new-batch-after-checkin", "just-checked-in", "snoozed",
        "snooze-over", "quiet-hours-defer", "quiet-hours-over",
    ],
)
def test_decide(
    due: frozenset[str],
    state: ReminderState,
    now: datetime,
    last_checkin: datetime | None,
    notify: bool,
    next_check: datetime | None,
) -> None:
    result = decide(due, state, PROFILE, now, LONDON, last_checkin)
    assert result.notify is notify
    assert result.count == len(due)
    assert result.next_check_at == next_check
    if notify:
        assert result.new_state.last_notified_at == now
        assert result.new_state.last_notified_batch == due
        again = decide(due, result.new_state, PROFILE, now + TICK, LONDON, last_checkin)
        assert again.notify is False, "one notification per batch"


def test_disallowed_day_defers_to_next_allowed_day() -> None:
    weekdays = replace(PROFILE, reminder_days=(0, 1, 2, 3, 4))
    saturday = utc(2024, 3, 9, 12)
    result = decide(BATCH, ReminderState(), weekdays, saturday, LONDON, None)
    assert (result.notify, result.next_check_at) == (False, utc(2024, 3, 11, 8))


def test_batch_due_again_after_being_cleared_notifies_again() -> None:
    cleared = decide(frozenset(), NOTIFIED, PROFILE, BASE, LONDON, None).new_state
    assert decide(BATCH, cleared, PROFILE, BASE + TICK, LONDON, None).notify is True


def test_snooze_forgets_the_batch_so_it_reminds_once_more() -> None:
    state = snooze(NOTIFIED, BASE + timedelta(hours=1))
    assert decide(BATCH, state, PROFILE, BASE + TICK, LONDON, None).notify is False
    assert decide(BATCH, state, PROFILE, BASE + timedelta(hours=1), LONDON, None).notify is True


# ---------------------------------------------------------------- a simulated month

PROMPTS = [
    Prompt(id=f"w{i}", theme="reading", experts=(4,), question=f"Q{i}?", why="Why.",
           answer=AnswerKind.SCALE, cadence="weekly")
    for i in range(3)
]
MONTH_START = utc(2024, 3, 1)  # a Friday; London changes to summer time on 31 March
MONTH_END = utc(2024, 4, 1)
MONDAYS_0800 = [utc(2024, 3, 4, 8), utc(2024, 3, 11, 8), utc(2024, 3, 18, 8),
                utc(2024, 3, 25, 8)]


@dataclass
class Simulation:
    """A fake clock ticking every 15 minutes, a user, and the reminder service."""

    profile: Profile = PROFILE
    respond_after: timedelta | None = timedelta(hours=2)
    """How long after a notification the user checks in (None: never)."""
    snooze_choice: str | None = None
    """Snooze the first notification with this choice instead of checking in."""
    sleeps: list[tuple[datetime, datetime]] = field(default_factory=list)
    adhoc_at: list[datetime] = field(default_factory=list)
    states: dict[str, PromptState] = field(default_factory=dict)
    reminder: ReminderState = field(default_factory=ReminderState)
    last_checkin_at: datetime | None = None
    notifications: list[tuple[datetime, int]] = field(default_factory=list)
    jumps: list[datetime] = field(default_factory=list)
    _pending: list[tuple[datetime, Callable[[datetime], None]]] = field(default_factory=list)

    def check_in(self, now: datetime, *, everything: bool = False) -> None:
        plan = due_prompts(PROMPTS, self.states, self.profile, now, LONDON)
        for prompt in PROMPTS if everything else plan.due:
            self.states[prompt.id] = replace(
                self.states.get(prompt.id, PromptState(prompt.id)), last_answered_at=now
            )
        self.last_checkin_at = now

    def run(self, start: datetime = MONTH_START, end: datetime = MONTH_END) -> None:
        # Everything was answered on Monday 26 February, so weekly prompts fall due on Mondays.
        for prompt in PROMPTS:
            self.states.setdefault(prompt.id, PromptState(prompt.id, last_answered_at=utc(2024, 2,
                                                                                          26, 9)))
        for when in self.adhoc_at:
            self._pending.append((when, lambda t: self.check_in(t, everything=True)))
        now, previous = start, None
        snoozed_once = False
        while now < end:
            for sleep_start, sleep_end in self.sleeps:
                if sleep_start <= now < sleep_end:
                    now = sleep_end
            if previous is not None and detect_clock_jump(previous, now, TICK):
                self.jumps.append(now)
            for item in sorted(p for p in self._pending if p[0] <= now):
                self._pending.remove(item)
                item[1](item[0])
            plan = due_prompts(PROMPTS, self.states, self.profile, now, LONDON)
            result = decide(plan.due_ids, self.reminder, self.profile, now, LONDON,
                            self.last_checkin_at)
            self.reminder = result.new_state
            if result.notify:
                self.notifications.append((now, result.count))
                if self.snooze_choice and not snoozed_once:
                    snoozed_once = True
                    until = snooze_until(self.snooze_choice, now, LONDON, self.profile)
                    self.reminder = snooze(self.reminder, until)
                elif self.respond_after is not None:
                    self._pending.append((now + self.respond_after, self.check_in))
            previous, now = now, now + TICK

    @property
    def times(self) -> list[datetime]:
        return [when for when, _ in self.notifications]


def test_weekly_rhythm_notifies_exactly_once_a_week_after_quiet_hours() -> None:
    sim = Simulation()
    sim.run()
    # Due at local midnight on Mondays; quiet hours (22–8) defer each to 08:00.
    assert sim.times == MONDAYS_0800
    assert all(count == 3 for _, count in sim.notifications)


def test_three_day_sleep_gives_one_notification_on_waking() -> None:
    wake = utc(2024, 3, 13, 19)
    sim = Simulation(sleeps=[(utc(2024, 3, 10, 20), wake)])
    sim.run()
    assert sim.jumps == [wake]
    assert sim.times == [MONDAYS_0800[0], wake, MONDAYS_0800[2], MONDAYS_0800[3]]


def test_three_week_sleep_gives_one_notification_not_three() -> None:
    wake = utc(2024, 3, 29, 12)
    sim = Simulation(sleeps=[(utc(2024, 3, 5, 20), wake)])
    sim.run()
    assert sim.times == [MONDAYS_0800[0], wake]


def test_waking_in_quiet_hours_defers_the_one_notification() -> None:
    sim = Simulation(sleeps=[(utc(2024, 3, 10, 20), utc(2024, 3, 13, 23))])
    sim.run()
    assert sim.times == [MONDAYS_0800[0], utc(2024, 3, 14, 8), MONDAYS_0800[2],
                         MONDAYS_0800[3]]


def test_ignored_reminder_is_not_repeated_for_the_same_batch() -> None:
    sim = Simulation(respond_after=None)
    sim.run()
    assert sim.times == [MONDAYS_0800[0]]


@pytest.mark.parametrize(
    ("choice", "second"),
    [("hour", utc(2024, 3, 4, 9)), ("tomorrow", utc(2024, 3, 5, 8))],
    ids=["hour", "tomorrow"],
)
def test_snooze_defers_the_reminder_once(choice: str, second: datetime) -> None:
    sim = Simulation(snooze_choice=choice)
    sim.run()
    assert sim.times == [MONDAYS_0800[0], second, *MONDAYS_0800[1:]]


def test_snooze_for_a_week_skips_to_the_next_checkin_day() -> None:
    sim = Simulation(snooze_choice="week")
    sim.run()
    # Snoozed on Monday 4 March until Monday 11 March 08:00: one reminder that day, not two.
    assert sim.times == MONDAYS_0800


def test_adhoc_checkin_before_due_time_gives_no_reminder_that_week() -> None:
    sim = Simulation(adhoc_at=[utc(2024, 3, 16, 15)])  # Saturday before Monday 18 March
    sim.run()
    assert sim.times == [MONDAYS_0800[0], MONDAYS_0800[1], MONDAYS_0800[3]]


def test_reminders_only_on_chosen_days() -> None:
    sim = Simulation(profile=replace(PROFILE, reminder_days=(1, 2, 3, 4)))  # not Mondays
    sim.run()
    assert sim.times == [utc(2024, 3, 5, 8), utc(2024, 3, 12, 8), utc(2024, 3, 19, 8),
                         utc(2024, 3, 26, 8)]


def test_dst_week_still_notifies_at_0800_local() -> None:
    sim = Simulation()
    sim.run(start=utc(2024, 3, 25), end=utc(2024, 4, 9))
    assert sim.times == [utc(2024, 3, 25, 8), utc(2024, 4, 1, 7), utc(2024, 4, 8, 7)]


# ------------------------------------------------ clock jumps back and forth (issue 15, item 7)

AHEAD = timedelta(days=4)


def test_a_notification_stamped_by_a_clock_ahead_counts_as_now() -> None:
    """Reminded with the clock four days ahead, then set back: a prompt joining the batch
    waits 12 hours from now (before: four days and 12 hours)."""
    state = ReminderState(last_notified_at=BASE + AHEAD, last_notified_batch=BATCH)
    decision = decide(BATCH | {"c"}, state, PROFILE, BASE, LONDON, None)
    assert not decision.notify and decision.next_check_at == BASE + timedelta(hours=12)
    assert decision.new_state.last_notified_at == BASE  # moved once, stored
    later = decide(BATCH | {"c"}, decision.new_state, PROFILE, BASE + timedelta(hours=12),
                   LONDON, None)  # 22:00 in London: quiet hours until 08:00
    assert not later.notify and later.next_check_at == utc(2024, 3, 7, 8)
    assert decide(BATCH | {"c"}, later.new_state, PROFILE, utc(2024, 3, 7, 8), LONDON,
                  None).notify


def test_a_snooze_chosen_under_a_clock_ahead_keeps_its_length() -> None:
    state = snooze(ReminderState(), BASE + AHEAD + timedelta(hours=1), BASE + AHEAD)
    decision = decide(BATCH, state, PROFILE, BASE, LONDON, None)
    assert not decision.notify and decision.next_check_at == BASE + timedelta(hours=1)
    assert decide(BATCH, decision.new_state, PROFILE, BASE + timedelta(hours=1, minutes=1),
                  LONDON, None).notify


def test_an_old_snooze_far_ahead_is_dropped() -> None:
    """A state from before Keel stored when the snooze was chosen: a snooze longer than any
    choice gives was set by a clock that ran ahead."""
    state = ReminderState(snoozed_until=BASE + timedelta(days=40))
    assert decide(BATCH, state, PROFILE, BASE, LONDON, None).notify
    week = ReminderState(snoozed_until=BASE + timedelta(days=7))
    assert not decide(BATCH, week, PROFILE, BASE, LONDON, None).notify


def test_a_check_in_stamped_ahead_does_not_silence_reminders() -> None:
    decision = decide(BATCH, ReminderState(), PROFILE, BASE, LONDON, BASE + timedelta(days=30))
    assert decision.notify  # before: silent until 30 days and 12 hours later
    recent = decide(BATCH, ReminderState(), PROFILE, BASE, LONDON, BASE - timedelta(hours=1))
    assert not recent.notify  # a real check-in an hour ago still holds leftovers 12 hours


def test_clock_forward_by_months_gives_one_notification() -> None:
    state = ReminderState(last_notified_at=BASE, last_notified_batch=BATCH)
    months = BASE + timedelta(days=120)
    first = decide(BATCH | {"c", "d"}, state, PROFILE, months, LONDON, None)
    assert first.notify
    again = decide(BATCH | {"c", "d"}, first.new_state, PROFILE, months + timedelta(minutes=1),
                   LONDON, None)
    assert not again.notify


def test_snooze_state_round_trips_its_start() -> None:
    from desktop.core.reminders import state_from_json, state_to_json

    state = snooze(ReminderState(), BASE + timedelta(hours=1), BASE)
    assert state_from_json(state_to_json(state)) == state
    old = state_to_json(state)
    del old["snoozed_at"]
    assert state_from_json(old).snoozed_at is None


def _weekly(pid: str) -> Prompt:
    return Prompt(id=pid, theme="reading", experts=(4,), question="Q?", why="Why.",
                  answer=AnswerKind.SCALE, cadence="weekly")


def test_answers_stamped_ahead_leave_the_prompt_due() -> None:
    """Answered while the clock ran a month ahead, then set back: the prompt is asked once
    more (Keel's rule) instead of waiting a month and a week."""
    from desktop.core.schedule import one_checkin_per_period

    prompt = _weekly("p")
    ahead = PromptState("p", last_answered_at=BASE + timedelta(days=30))
    plan = due_prompts([prompt], [ahead], PROFILE, BASE, LONDON)
    assert [p.id for p in plan.due] == ["p"]
    kept = one_checkin_per_period(plan, BASE + timedelta(days=30), PROFILE, BASE, LONDON)
    assert [p.id for p in kept.due] == ["p"]  # before: nothing until the clock caught up
    recent = PromptState("p", last_answered_at=BASE - timedelta(days=1))
    assert due_prompts([prompt], [recent], PROFILE, BASE, LONDON).due == ()
