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

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from desktop.core.records import Profile, Prompt
from desktop.core.schedule import written_ahead
from desktop.core.themes import theme_title

__all__ = [
    "ACTION_CHECKIN",
    "ACTION_DEFAULT",
    "CLOCK_JUMP_SLACK",
    "NOTIFICATION_ACTIONS",
    "RENOTIFY_AFTER",
    "SNOOZE_CHOICES",
    "Notification",
    "ReminderDecision",
    "ReminderSchedule",
    "ReminderState",
    "allowed_day",
    "batch_tokens",
    "decide",
    "detect_clock_jump",
    "in_quiet_hours",
    "most_important_theme",
    "next_allowed_time",
    "reminder_notification",
    "schedule_from_json",
    "schedule_to_json",
    "snooze",
    "snooze_until",
    "state_from_json",
    "state_to_json",
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
    snoozed_at: datetime | None = None
    """When the snooze was chosen (None in states written before Keel stored it): a clock
    set back since then moves the snooze's end back with it (:func:`decide`)."""


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
    state = _clock_set_back(state, now)
    if written_ahead(last_checkin_at, now):
        last_checkin_at = None  # says nothing about how long ago it was (STAMP_AHEAD_SLACK)
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


LONGEST_SNOOZE = timedelta(days=8)
"""Longer than any snooze :func:`snooze_until` gives ("week": at most 7 days and some
hours); a snooze ending further ahead was set by a clock that ran ahead."""


def _clock_set_back(state: ReminderState, now: datetime) -> ReminderState:
    """``state`` with its times :func:`~desktop.core.schedule.written_ahead` of ``now``
    (the clock was set back since they were written) moved back: a notification counts as
    made now, a snooze keeps its length from now. Without this, a clock set back by days
    silenced reminders for those days (or months). The decision's ``new_state`` stores
    the moved times, so they move once."""
    if written_ahead(state.last_notified_at, now):
        state = replace(state, last_notified_at=now)
    until, since = state.snoozed_until, state.snoozed_at
    if until is not None and since is not None and written_ahead(since, now):
        state = replace(state, snoozed_until=now + max(until - since, timedelta(0)),
                        snoozed_at=now)
    elif until is not None and since is None and until > now + LONGEST_SNOOZE:
        state = replace(state, snoozed_until=None)
    return state


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


def snooze(state: ReminderState, until: datetime, now: datetime | None = None) -> ReminderState:
    """The state after the user snoozes reminders, ``now``, until ``until``.

    The current batch is forgotten, so when the snooze ends and prompts are still
    due the user is reminded once more.
    """
    return replace(state, snoozed_until=until, snoozed_at=now, last_notified_batch=frozenset())


# ----------------------------------------------------------------- what a reminder says

ACTION_DEFAULT = "default"
"""The freedesktop action a click on the notification's body invokes."""
ACTION_CHECKIN = "checkin"
NOTIFICATION_ACTIONS: tuple[tuple[str, str], ...] = (
    (ACTION_DEFAULT, "Check in now"),
    (ACTION_CHECKIN, "Check in now"),
    ("snooze-hour", "Snooze 1 hour"),
    ("snooze-tomorrow", "Tomorrow"),
)
"""(key, label) of the notification's buttons; a click on the body counts as Check in now."""
ACTION_SNOOZE = {"snooze-hour": "hour", "snooze-tomorrow": "tomorrow"}
"""Which :func:`snooze_until` choice each snooze button stands for."""

RHYTHM_WORDS = {"weekly": "weekly", "fortnightly": "fortnightly", "monthly": "monthly"}


@dataclass(frozen=True)
class Notification:
    """One reminder, as every platform shows it (the platform code only delivers it)."""

    summary: str
    body: str
    actions: tuple[tuple[str, str], ...] = NOTIFICATION_ACTIONS


def plural(count: int, word: str) -> str:
    """``1 question`` / ``3 questions``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def most_important_theme(due: Iterable[Prompt]) -> str | None:
    """The theme of the most important due prompt (Keel's rule: the lowest ``priority``
    number, then the first in check-in order), or None when nothing is due."""
    best: Prompt | None = None
    for prompt in due:
        if best is None or prompt.priority < best.priority:
            best = prompt
    return best.theme if best is not None else None


def reminder_notification(count: int, theme: str | None, rhythm: str) -> Notification:
    """What a reminder about ``count`` due prompts says; ``theme`` (an id) is named in the
    body when known. The one place the words of a reminder are decided."""
    kind = RHYTHM_WORDS.get(rhythm, "")
    summary = f"Your {kind} check-in is ready" if kind else "Your check-in is ready"
    body = f"{plural(count, 'question')} waiting"
    if theme:
        body += f", starting with {theme_title(theme)}"
    return Notification(summary, body + ".")


# ------------------------------------------------------- what the two processes share


def batch_tokens(prompt_ids: Iterable[str]) -> frozenset[str]:
    """Short stand-ins for prompt ids in the files ``keel remind`` reads: a batch can be
    compared without the files naming the questions."""
    return frozenset(hashlib.sha256(pid.encode()).hexdigest()[:12] for pid in prompt_ids)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _tokens(value: Any) -> frozenset[str]:
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def state_to_json(state: ReminderState) -> dict[str, Any]:
    """A JSON-ready dict of ``state`` (times as ISO 8601 with their offset)."""
    return {
        "last_notified_at": _iso(state.last_notified_at),
        "last_notified_batch": sorted(state.last_notified_batch),
        "snoozed_until": _iso(state.snoozed_until),
        "snoozed_at": _iso(state.snoozed_at),
    }


def state_from_json(value: Any) -> ReminderState:
    """The state stored by :func:`state_to_json`; anything unreadable gives a fresh state."""
    if not isinstance(value, Mapping):
        return ReminderState()
    return ReminderState(_time(value.get("last_notified_at")),
                         _tokens(value.get("last_notified_batch")),
                         _time(value.get("snoozed_until")),
                         _time(value.get("snoozed_at")))


@dataclass(frozen=True)
class ReminderSchedule:
    """What the app tells ``keel remind`` about a journal it may not read (an encrypted
    one): when prompts fall due and how many, and the reminder settings. Nothing the user
    wrote, no question and no theme."""

    written_at: datetime
    due_count: int
    due_batch: frozenset[str]
    """:func:`batch_tokens` of the prompts due when it was written."""
    next_due_at: datetime | None
    next_count: int
    """How many prompts are due at ``next_due_at``."""
    next_batch: frozenset[str]
    last_checkin_at: datetime | None
    profile: Profile

    def due_at(self, now: datetime) -> tuple[int, frozenset[str]]:
        """How many prompts are due at ``now`` and their tokens, as far as the file knows."""
        if self.next_due_at is not None and now >= self.next_due_at:
            return self.next_count, self.next_batch
        return self.due_count, self.due_batch


_SCHEDULE_PROFILE = ("rhythm", "preferred_weekday", "quiet_start", "quiet_end")


def schedule_to_json(schedule: ReminderSchedule) -> dict[str, Any]:
    """A JSON-ready dict of ``schedule``."""
    profile = schedule.profile
    return {
        "written_at": _iso(schedule.written_at),
        "due_count": schedule.due_count,
        "due_batch": sorted(schedule.due_batch),
        "next_due_at": _iso(schedule.next_due_at),
        "next_count": schedule.next_count,
        "next_batch": sorted(schedule.next_batch),
        "last_checkin_at": _iso(schedule.last_checkin_at),
        "reminder_days": list(profile.reminder_days),
        **{name: getattr(profile, name) for name in _SCHEDULE_PROFILE},
    }


def schedule_from_json(value: Any) -> ReminderSchedule | None:
    """The schedule stored by :func:`schedule_to_json`; None when it is unreadable."""
    if not isinstance(value, Mapping):
        return None
    written = _time(value.get("written_at"))
    if written is None:
        return None
    defaults = Profile()
    fields: dict[str, Any] = {}
    for name in _SCHEDULE_PROFILE:
        item = value.get(name, getattr(defaults, name))
        if isinstance(item, type(getattr(defaults, name))) and not isinstance(item, bool):
            fields[name] = item
    days = value.get("reminder_days")
    if isinstance(days, list) and all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        fields["reminder_days"] = tuple(days)

    def count(key: str) -> int:
        item = value.get(key)
        return item if isinstance(item, int) and not isinstance(item, bool) and item >= 0 else 0

    return ReminderSchedule(
        written_at=written,
        due_count=count("due_count"),
        due_batch=_tokens(value.get("due_batch")),
        next_due_at=_time(value.get("next_due_at")),
        next_count=count("next_count"),
        next_batch=_tokens(value.get("next_batch")),
        last_checkin_at=_time(value.get("last_checkin_at")),
        profile=replace(defaults, **fields),
    )
