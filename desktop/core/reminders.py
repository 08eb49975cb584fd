"""Whether to show a reminder now: one per due batch, never in quiet hours, never a flood.

Pure decisions for the tray's reminder service. The service ticks on a timer (and
when it notices the machine woke, see :func:`detect_clock_jump`), recomputes which
prompts are due with :func:`desktop.core.schedule.due_prompts`, and asks
:func:`decide` whether to notify. It stores the returned ``new_state`` and, if a
``next_check_at`` is given, makes sure it ticks again by then.

The rules, in the order they apply:

1. Nothing due → nothing shown. A batch answered by a check-in (ad hoc or not) is no
   longer due, so its reminder never fires.
2. Snoozed → wait until the snooze ends.
3. Already notified about this batch (the same prompts, or fewer of them) → silent.
   A prompt joining a batch already notified waits until 12 hours after that
   notification, so a slow trickle of newly due prompts never turns into a stream of
   notifications. A check-in completed after the last notification closes that batch;
   prompts still due right after a check-in (those a catch-up held back) wait 12 hours.
4. Quiet hours or a day the user turned off → wait until the next allowed moment,
   then notify once.

After a long sleep the due set is a single batch, so the wake-up gives exactly one
notification however many periods were missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from desktop.core.records import Profile

__all__ = [
    "CLOCK_JUMP_SLACK",
    "RENOTIFY_AFTER",
    "SNOOZE_CHOICES",
    "ReminderDecision",
    "ReminderState",
    "allowed_day",
    "decide",
    "detect_clock_jump",
    "in_quiet_hours",
    "next_allowed_time",
    "snooze",
    "snooze_until",
]

RENOTIFY_AFTER = timedelta(hours=12)
"""Minimum gap before prompts joining an already-notified batch notify again."""

CLOCK_JUMP_SLACK = timedelta(minutes=2)
"""How late a timer tick may be before we conclude the machine slept."""

SNOOZE_CHOICES = ("hour", "tomorrow", "week")
"""What the tray's Snooze menu offers."""


@dataclass(frozen=True)
class ReminderState:
    """What the reminder service remembers between ticks (persist it in settings)."""

    last_notified_at: datetime | None = None
    last_notified_batch: frozenset[str] = field(default_factory=frozenset)
    """Prompt ids the last notification was about."""
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class ReminderDecision:
    """The answer of :func:`decide`."""

    notify: bool
    count: int
    """How many prompts are due (for the notification text and the tray menu)."""
    next_check_at: datetime | None
    """When to look again at the latest (quiet hours, a snooze or the 12-hour gap end);
    ``None`` when only a change in what is due can change the answer."""
    new_state: ReminderState


def in_quiet_hours(local_dt: datetime, profile: Profile) -> bool:
    """Whether ``local_dt`` (a local wall time) lies in the user's quiet hours.

    Quiet hours run from ``quiet_start`` (inclusive) to ``quiet_end`` (exclusive),
    may wrap past midnight (22 → 8), and are off when both hours are equal.
    """
    start, end, hour = profile.quiet_start % 24, profile.quiet_end % 24, local_dt.hour
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def allowed_day(local_dt: datetime, profile: Profile) -> bool:
    """Whether reminders may be shown on the local day of ``local_dt`` (0 = Monday)."""
    return local_dt.weekday() in profile.reminder_days


def _allowed(moment: datetime, profile: Profile, tz: tzinfo) -> bool:
    local = moment.astimezone(tz)
    return allowed_day(local, profile) and not in_quiet_hours(local, profile)


def next_allowed_time(now: datetime, tz: tzinfo, profile: Profile) -> datetime | None:
    """``now`` if reminders may be shown now, else the next moment they may (UTC).

    ``None`` when the user allows no day at all.
    """
    if _allowed(now, profile, tz):
        return now
    if not profile.reminder_days:
        return None
    # Permission only changes at local midnight (a new day) or when quiet hours end.
    today = now.astimezone(tz).date()
    candidates: list[datetime] = []
    for offset in range(9):
        day = today + timedelta(days=offset)
        for hour in (0, profile.quiet_end % 24):
            moment = datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)
            if moment > now and _allowed(moment, profile, tz):
                candidates.append(moment)
    return min(candidates, default=None)


def decide(
    due_ids: frozenset[str],
    state: ReminderState,
    profile: Profile,
    now: datetime,
    tz: tzinfo,
    last_checkin_at: datetime | None,
) -> ReminderDecision:
    """Decide whether to notify about the prompts due ``now`` (see the module rules)."""
    due_ids = frozenset(due_ids)
    count = len(due_ids)
    snoozed = state.snoozed_until if state.snoozed_until and state.snoozed_until > now else None
    batch = state.last_notified_batch
    if (
        last_checkin_at is not None
        and state.last_notified_at is not None
        and last_checkin_at >= state.last_notified_at
    ):
        batch = frozenset()  # the user checked in since: that batch is closed
    state = replace(state, last_notified_batch=batch, snoozed_until=snoozed)

    if not due_ids:
        return ReminderDecision(False, 0, None, replace(state, last_notified_batch=frozenset()))
    if snoozed is not None:
        return ReminderDecision(False, count, snoozed, state)
    if due_ids <= batch:
        return ReminderDecision(False, count, None, state)
    if batch and state.last_notified_at is not None:
        again = state.last_notified_at + RENOTIFY_AFTER
        if now < again:
            return ReminderDecision(False, count, again, state)
    if last_checkin_at is not None and now < last_checkin_at + RENOTIFY_AFTER:
        # Just checked in: prompts left over (a catch-up's held-back ones) can wait.
        return ReminderDecision(False, count, last_checkin_at + RENOTIFY_AFTER, state)
    allowed_at = next_allowed_time(now, tz, profile)
    if allowed_at is None or allowed_at > now:
        return ReminderDecision(False, count, allowed_at, state)
    notified = ReminderState(last_notified_at=now, last_notified_batch=due_ids)
    return ReminderDecision(True, count, None, notified)


def detect_clock_jump(previous_tick: datetime, now: datetime, interval: timedelta) -> bool:
    """Whether the wall clock jumped: the tick came more than 2 minutes later than due.

    A jump means the machine slept (or the clock was set); the service should then
    re-check at once. A clock set backwards is a jump too.
    """
    elapsed = now - previous_tick
    return elapsed > interval + CLOCK_JUMP_SLACK or elapsed < -CLOCK_JUMP_SLACK


def _at_local_hour(day: date, hour: int, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(hour % 24), tzinfo=tz).astimezone(UTC)


def snooze_until(choice: str, now: datetime, tz: tzinfo, profile: Profile) -> datetime:
    """When a snooze chosen ``now`` ends (UTC).

    ``hour``: an hour from now. ``tomorrow``: tomorrow (local) when quiet hours end.
    ``week``: the next check-in day (``profile.preferred_weekday``) after today, when
    quiet hours end — the start of the next rhythm week.
    """
    today = now.astimezone(tz).date()
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return _at_local_hour(today + timedelta(days=1), profile.quiet_end, tz)
    if choice == "week":
        ahead = (profile.preferred_weekday - today.weekday()) % 7 or 7
        return _at_local_hour(today + timedelta(days=ahead), profile.quiet_end, tz)
    raise ValueError(f"unknown snooze choice {choice!r}; expected one of {SNOOZE_CHOICES}")


def snooze(state: ReminderState, until: datetime) -> ReminderState:
    """The state after the user snoozes reminders until ``until``.

    The current batch is forgotten, so when the snooze ends and prompts are still
    due the user is reminded once more.
    """
    return replace(state, snoozed_until=until, last_notified_batch=frozenset())
