"""The reminder service over a simulated month: exactly the notifications a user should get."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.checkins import AnswerInput, complete_checkin
from db.settings import get_profile, save_profile
from desktop.context import AppContext
from desktop.core.records import AnswerKind, Prompt
from desktop.due_now import compute_due
from desktop.paths import Paths
from desktop.platform.reminder_files import read_state
from desktop.ui.reminder_service import ReminderService

STEP = timedelta(minutes=30)
"""The simulated timer interval (the app uses a minute; the logic is the same)."""

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday: the user's check-in day (``preferred_weekday`` 0), in UTC for clarity."""


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _answer(prompt: Prompt) -> AnswerInput:
    if prompt.answer in (AnswerKind.TEXT, AnswerKind.CHOICE):
        return AnswerInput(prompt.id, prompt.answer,
                           text=prompt.labels[0] if prompt.labels else "fine")
    return AnswerInput(prompt.id, prompt.answer, number=1)


def check_in(context: AppContext, when: datetime, adhoc: bool = False) -> int:
    """Answer every due prompt at ``when`` (repeating while a catch-up holds some back)."""
    answered = 0
    for _round in range(10):
        plan, _problems = compute_due(context.db, when, context.tz)
        if not plan.due:
            break
        complete_checkin(context.db, "", [_answer(p) for p in plan.due], when=when,
                         adhoc=adhoc)
        answered += len(plan.due)
    return answered


@pytest.fixture
def context(qtbot, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A real journal in which the user answered everything at START (after onboarding)."""
    clock = FakeClock(START)
    ctx = AppContext(Paths(tmp_path / "journal"), clock=clock, tz=UTC)
    (tmp_path / "journal").mkdir(mode=0o700)
    ctx.open()
    save_profile(ctx.db, replace(get_profile(ctx.db), onboarded=True, rhythm="weekly",
                                 preferred_weekday=0, quiet_start=22, quiet_end=8))
    check_in(ctx, START)
    yield ctx
    ctx.close()


class Recorder:
    """Collects what the service emitted, with the simulated time it happened."""

    def __init__(self, service: ReminderService, clock: FakeClock) -> None:
        self.notified: list[tuple[datetime, int, str]] = []
        self.counts: list[int] = []
        service.notify_requested.connect(
            lambda note: self.notified.append((clock.now, service.due_count, note.body)))
        service.due_count_changed.connect(self.counts.append)


def run_until(service: ReminderService, clock: FakeClock, until: datetime) -> None:
    """Tick every STEP up to and including ``until``, as the timer would."""
    while clock.now + STEP <= until:
        clock.now += STEP
        service.tick()


def _service(context: AppContext) -> tuple[ReminderService, FakeClock, Recorder]:
    clock = context.clock
    assert isinstance(clock, FakeClock)
    # A day between safety re-reads: the service must find every change from the due times
    # and the decisions alone (and the test stays fast).
    service = ReminderService(context, clock=clock,
                              interval_ms=int(STEP.total_seconds() * 1000),
                              recheck_every=timedelta(days=1))
    return service, clock, Recorder(service, clock)


def test_a_month_of_reminders(context: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    service, clock, seen = _service(context)
    service.check_now()
    assert seen.notified == []  # everything was just answered

    # Week 1: due Monday 9 at midnight, inside quiet hours: one reminder when they end.
    run_until(service, clock, datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    assert [when for when, _n, _t in seen.notified] == [datetime(2026, 3, 9, 8, 0, tzinfo=UTC)]
    first_count = seen.notified[0][1]
    assert first_count > 0
    assert f"{first_count} question" in seen.notified[0][2]
    assert seen.counts[-1] == first_count

    # Keel restarts mid-morning: the same batch is not announced again.
    service, clock, seen_after_restart = _service(context)
    service.check_now()
    assert seen_after_restart.notified == []
    check_in(context, clock.now)
    service.check_now()
    assert seen_after_restart.counts[-1] == 0

    # Week 2: reminded at 8:00; snoozed for an hour at 8:30, then until tomorrow at 10:00.
    seen = seen_after_restart
    run_until(service, clock, datetime(2026, 3, 16, 8, 30, tzinfo=UTC))
    service.snooze("hour")
    stored = read_state(context.paths.data_dir)  # the file `keel remind` shares
    assert stored is not None and stored.snoozed_until == datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    run_until(service, clock, datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    service.snooze("tomorrow")
    run_until(service, clock, datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    check_in(context, clock.now)
    service.check_now()
    assert [when for when, _n, _t in seen.notified] == [
        datetime(2026, 3, 16, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 16, 9, 30, tzinfo=UTC),  # the hour's snooze ended
        datetime(2026, 3, 17, 8, 0, tzinfo=UTC),  # "until tomorrow" ends when quiet hours do
    ]

    # Week 3: an ad-hoc check-in on Sunday evening answers the prompts before they are due.
    run_until(service, clock, datetime(2026, 3, 22, 20, 0, tzinfo=UTC))
    assert check_in(context, clock.now, adhoc=True) == 0  # nothing due yet...
    monday = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)
    for _round in range(10):  # ...so the user answers what Monday would ask, a day early
        coming, _problems = compute_due(context.db, monday, context.tz)
        if not coming.due:
            break
        complete_checkin(context.db, "", [_answer(p) for p in coming.due],
                         when=clock.now, adhoc=True)
    run_until(service, clock, datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
    assert len(seen.notified) == 3  # ...so Monday 23 brings no reminder

    # A three-day sleep across the next due time (Monday 30): one reminder on waking.
    caplog.set_level(logging.INFO, logger="desktop.ui.reminder_service")
    clock.now = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    service.tick()
    assert "clock jumped" in caplog.text
    run_until(service, clock, datetime(2026, 4, 1, 23, 30, tzinfo=UTC))
    times = [when for when, _n, _t in seen.notified]
    assert times[3:] == [datetime(2026, 4, 1, 12, 0, tzinfo=UTC)]

    # Never a reminder in quiet hours.
    assert all(8 <= when.hour < 22 for when in times)


def test_reminder_days_move_the_reminder_to_the_next_allowed_day(context: AppContext) -> None:
    save_profile(context.db, replace(get_profile(context.db), reminder_days=(1, 2, 3, 4)))
    service, clock, seen = _service(context)
    run_until(service, clock, datetime(2026, 3, 10, 23, 0, tzinfo=UTC))
    assert [when for when, _n, _t in seen.notified] == [datetime(2026, 3, 10, 8, 0, tzinfo=UTC)]


def test_snooze_week_waits_for_the_next_check_in_day(context: AppContext) -> None:
    service, clock, seen = _service(context)
    run_until(service, clock, datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    assert len(seen.notified) == 1
    until = service.snooze("week")
    assert until == datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
    run_until(service, clock, datetime(2026, 3, 16, 7, 30, tzinfo=UTC))
    assert len(seen.notified) == 1


def test_overdue_check_in_is_announced_in_words(context: AppContext) -> None:
    context.clock.now = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    service, _clock, _seen = _service(context)
    announced: list[str] = []
    service.overdue_announced.connect(announced.append)
    service.announce_overdue()
    assert announced == ["Your weekly check-in is 5 days overdue."]


def test_nothing_announced_when_nothing_is_due(context: AppContext) -> None:
    service, _clock, _seen = _service(context)
    assert service.announce_overdue() is None


# ------------------------------------------------------------- clock jumps (issue 15, item 7)


def test_clock_ahead_by_months_then_set_back(context: AppContext) -> None:
    """The clock runs three months ahead: one reminder at the jump; the user checks in
    and snoozes under the wrong clock. Set back to the real date, reminders go on: the
    prompts the wrong clock stamped are asked once more (Keel's rule, STAMP_AHEAD_SLACK),
    the snooze keeps its length. Before: silent until the clock reached June again."""
    service, clock, seen = _service(context)
    service.check_now()
    clock.now = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)  # ahead by three months
    service.tick()
    assert [when for when, _n, _t in seen.notified] == [clock.now]  # one, not a flood
    check_in(context, clock.now)
    service.check_now()
    service.snooze("hour")
    state = read_state(context.paths.data_dir)
    assert state is not None and state.snoozed_at == clock.now

    clock.now = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # set back to the real date
    service.tick()
    state = read_state(context.paths.data_dir)
    assert state is not None and state.snoozed_until == clock.now + timedelta(hours=1)
    assert state.last_notified_at is not None and state.last_notified_at <= clock.now
    run_until(service, clock, datetime(2026, 3, 9, 21, 30, tzinfo=UTC))
    times = [when for when, _n, _t in seen.notified]
    assert times[1:] == [datetime(2026, 3, 9, 11, 0, tzinfo=UTC)]  # the hour's snooze ended
    assert seen.notified[1][1] > 0
    check_in(context, clock.now)
    service.check_now()
    run_until(service, clock, datetime(2026, 3, 16, 12, 0, tzinfo=UTC))  # the next week
    assert [when for when, _n, _t in seen.notified][2:] == [datetime(2026, 3, 16, 8, 0, tzinfo=UTC)]

