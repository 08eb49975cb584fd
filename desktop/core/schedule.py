"""When each prompt is due: calendar-aware, time-zone-aware and clock-injected.

Pure functions over the shared records. Every function takes ``now`` (an aware
``datetime``) and ``tz`` (the user's local zone, a ``zoneinfo.ZoneInfo``); nothing
reads the system clock.

How a periodic prompt is scheduled:

* Its *effective cadence* is the user's override if they set one; otherwise the
  prompt's own cadence, slowed down to the user's check-in rhythm when the rhythm is
  slower (someone who asked to be asked monthly is not asked a weekly prompt every
  week).
* The next due day is the local calendar day of the last answer (or skip) stepped by
  that cadence. Months are stepped on the calendar and clamped to the month's end
  (31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February).
* Weekly and fortnightly prompts are then moved to the *nearest* occurrence of the
  user's check-in day, so a check-in done a couple of days early or late still counts
  for that week and the rhythm does not drift.
* A prompt falls due at local midnight of that day. Midnight is computed in local wall
  time and only then converted to UTC, so it stays at midnight across daylight-saving
  changes and when the user moves to another time zone.

A long absence never becomes a flood: :func:`due_prompts` returns one entry per
prompt however many periods were missed, and caps the list at ``limit`` (the most
important first), reporting how many were held back.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import overload

from desktop.core.records import (
    CADENCES,
    EVENT_CADENCES,
    CheckIn,
    Decision,
    Profile,
    Prompt,
    PromptState,
)

__all__ = [
    "CadenceStep",
    "DuePlan",
    "add_months",
    "cadence_interval",
    "checkins_streak",
    "due_prompts",
    "effective_cadence",
    "local_midnight",
    "next_due",
    "upcoming",
]

_ALIGNED = ("weekly", "fortnightly")
"""Cadences that land on the user's check-in day."""


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the month's end.

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class CadenceStep:
    """A calendar step: whole months first (clamped to month end), then whole days.

    Adding a step to a ``date`` moves calendar days; adding it to a ``datetime``
    moves its wall-clock date and keeps its wall-clock time and ``tzinfo`` (like
    ``dateutil.relativedelta``), so a local midnight stays a local midnight.
    """

    months: int = 0
    days: int = 0

    @overload
    def apply(self, value: datetime, times: int = 1) -> datetime: ...
    @overload
    def apply(self, value: date, times: int = 1) -> date: ...

    def apply(self, value: date, times: int = 1) -> date:
        """Return ``value`` moved by this step ``times`` times (computed in one go,
        so 31 January + 2 months is 31 March, not 28/29 March)."""
        if isinstance(value, datetime):
            moved = self.apply(value.date(), times)
            return datetime.combine(moved, value.timetz()).replace(fold=value.fold)
        return add_months(value, self.months * times) + timedelta(days=self.days * times)

    @overload
    def __radd__(self, other: datetime) -> datetime: ...
    @overload
    def __radd__(self, other: date) -> date: ...

    def __radd__(self, other: date) -> date:
        if not isinstance(other, date):
            return NotImplemented
        return self.apply(other)


_STEPS: dict[str, CadenceStep] = {
    "weekly": CadenceStep(days=7),
    "fortnightly": CadenceStep(days=14),
    "monthly": CadenceStep(months=1),
    "quarterly": CadenceStep(months=3),
    "yearly": CadenceStep(months=12),
}


def cadence_interval(cadence: str) -> CadenceStep:
    """Return the calendar step of a periodic cadence (``weekly`` … ``yearly``).

    Raises ``ValueError`` for event cadences and unknown names.
    """
    try:
        return _STEPS[cadence]
    except KeyError:
        raise ValueError(f"not a periodic cadence: {cadence!r}") from None


def effective_cadence(prompt: Prompt, state: PromptState | None, profile: Profile) -> str:
    """The cadence a prompt is actually asked on.

    The user's override wins. Otherwise a periodic prompt faster than the user's
    check-in rhythm is slowed to that rhythm; event cadences are kept.
    """
    if state is not None and state.cadence_override:
        return state.cadence_override
    cadence = prompt.cadence
    slower_rhythm = (
        cadence in CADENCES
        and profile.rhythm in CADENCES
        and CADENCES.index(profile.rhythm) > CADENCES.index(cadence)
    )
    if slower_rhythm:
        return profile.rhythm
    return cadence


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The UTC instant of local midnight starting ``day`` in ``tz``.

    Where midnight does not exist (a daylight-saving jump at midnight), the first
    instant of the day is used.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """Treat a naive datetime (as SQLite may return) as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


STAMP_AHEAD_SLACK = timedelta(hours=1)
"""Keel's rule for a clock set back: a stored time more than this after ``now`` was
written while the clock ran ahead, so it says nothing about how long ago it was. Such an
answer or check-in is left out of the schedule (the prompt counts as unanswered, so it is
asked once more) instead of silencing reminders until the clock catches up with it."""


def written_ahead(stamp: datetime | None, now: datetime) -> bool:
    """Was ``stamp`` written by a clock that ran ahead of ``now`` (:data:`STAMP_AHEAD_SLACK`)?"""
    stamp = _aware(stamp)
    return stamp is not None and stamp > now + STAMP_AHEAD_SLACK


def _last_handled(state: PromptState | None, now: datetime | None = None) -> datetime | None:
    """When the prompt was last answered or skipped, whichever is later (with ``now``,
    times :func:`written_ahead` of it left out)."""
    if state is None:
        return None
    times = [t for t in (_aware(state.last_answered_at), _aware(state.last_asked_at))
             if t and (now is None or not written_ahead(t, now))]
    return max(times) if times else None


def _align_to_weekday(day: date, weekday: int) -> date:
    """The occurrence of ``weekday`` nearest to ``day`` (ties go forward)."""
    forward = (weekday - day.weekday()) % 7
    return day + timedelta(days=forward) if forward <= 3 else day - timedelta(days=7 - forward)


def _blocked(prompt: Prompt, state: PromptState | None, profile: Profile) -> bool:
    """Switched off, or not meant for the user's current situation."""
    if state is not None and not state.enabled:
        return True
    return not prompt.applies_to(profile.situation)


def _snooze_end(state: PromptState | None, now: datetime) -> datetime | None:
    until = _aware(state.snoozed_until) if state is not None else None
    return until if until is not None and until > now else None


def next_due(
    prompt: Prompt,
    state: PromptState | None,
    profile: Profile,
    now: datetime,
    tz: tzinfo,
) -> datetime | None:
    """When a periodic prompt is next due (UTC), or ``None`` if it is not scheduled.

    ``None`` for prompts switched off, not applying to ``profile.situation``, and
    event prompts (see :func:`due_prompts`). A prompt never answered is due ``now``.
    A snoozed prompt is due no earlier than the end of its snooze. The result may be
    in the past: that is an overdue prompt.
    """
    if _blocked(prompt, state, profile):
        return None
    cadence = effective_cadence(prompt, state, profile)
    if cadence not in _STEPS:
        return None
    last = _last_handled(state, now)
    if last is None:
        due = now
    else:
        day = cadence_interval(cadence).apply(last.astimezone(tz).date())
        if cadence in _ALIGNED:
            day = _align_to_weekday(day, profile.preferred_weekday)
        due = local_midnight(day, tz)
    snooze = _snooze_end(state, now)
    if snooze is not None and snooze > due:
        return snooze
    return due


@dataclass(frozen=True)
class DuePlan:
    """What a check-in started ``now`` should ask."""

    due: tuple[Prompt, ...] = ()
    """Prompts to ask, in theme order (as themes first appear in the library), then
    by priority."""
    catch_up: bool = False
    """More prompts were overdue than fit in one check-in (e.g. after a long absence)."""
    held_back: int = 0
    """Overdue prompts left out of this check-in; they come back in the next one."""
    next_due_at: datetime | None = None
    """Earliest future time at which a prompt not due now falls due (UTC)."""

    @property
    def due_ids(self) -> frozenset[str]:
        """The ids of the due prompts (a reminder batch)."""
        return frozenset(p.id for p in self.due)


def _state_map(
    states: Mapping[str, PromptState] | Iterable[PromptState],
) -> Mapping[str, PromptState]:
    if isinstance(states, Mapping):
        return states
    return {s.prompt_id: s for s in states}


def _event_due(
    cadence: str,
    last: datetime | None,
    now: datetime,
    tz: tzinfo,
    events: Sequence[tuple[str, datetime]],
    decisions: Sequence[Decision],
) -> tuple[bool, datetime | None]:
    """Whether an event prompt is due now, and when it will be if not (or ``None``)."""
    if cadence == "decision-revisit":
        today = now.astimezone(tz).date()
        last_day = last.astimezone(tz).date() if last is not None else None
        future: list[datetime] = []
        for decision in decisions:
            if decision.revisit_on is None or decision.revisited_at is not None:
                continue
            if last_day is not None and last_day >= decision.revisit_on:
                continue
            if decision.revisit_on <= today:
                return True, None
            future.append(local_midnight(decision.revisit_on, tz))
        return False, min(future, default=None)
    for kind, happened in events:
        when = _aware(happened)
        if kind == cadence and when is not None and when <= now and (last is None or when > last):
            return True, None
    return False, None


def due_prompts(
    prompts: Sequence[Prompt],
    states: Mapping[str, PromptState] | Iterable[PromptState],
    profile: Profile,
    now: datetime,
    tz: tzinfo,
    events: Iterable[tuple[str, datetime]] = (),
    decisions: Iterable[Decision] = (),
    limit: int = 12,
) -> DuePlan:
    """Decide which prompts a check-in started ``now`` asks.

    ``states`` maps prompt id to :class:`PromptState` (or is an iterable of them);
    prompts without a state are treated as new and enabled. ``events`` are
    ``(kind, when)`` pairs (``on-new-option``, ``on-accept``, ``on-vesting``).

    Event prompts are due when their event happened after they were last answered
    (or, for ``decision-revisit``, when an unrevisited decision's revisit date has
    come and the prompt was not answered since). If more prompts are due than
    ``limit``, event prompts are kept first, then periodic ones by priority and by
    how long they have been overdue; the rest are counted in ``held_back``.
    """
    state_of = _state_map(states)
    events = tuple(events)
    decisions = tuple(decisions)
    now = _aware(now) or now
    order = {p.id: i for i, p in enumerate(prompts)}

    event_due: list[Prompt] = []
    periodic_due: list[tuple[Prompt, timedelta]] = []
    future: list[datetime] = []
    for prompt in prompts:
        state = state_of.get(prompt.id)
        if _blocked(prompt, state, profile):
            continue
        cadence = effective_cadence(prompt, state, profile)
        if cadence in EVENT_CADENCES:
            snooze = _snooze_end(state, now)
            is_due, later = _event_due(
                cadence, _last_handled(state, now), now, tz, events, decisions
            )
            if is_due and snooze is None:
                event_due.append(prompt)
            elif is_due and snooze is not None:
                future.append(snooze)
            elif later is not None:
                future.append(max(later, snooze) if snooze else later)
            continue
        when = next_due(prompt, state, profile, now, tz)
        if when is None:
            continue
        if when <= now:
            periodic_due.append((prompt, now - when))
        else:
            future.append(when)

    room = max(limit - len(event_due), 0)
    periodic_due.sort(key=lambda item: (item[0].priority, -item[1], order[item[0].id]))
    kept_periodic = [p for p, _ in periodic_due[:room]]
    held_back = len(periodic_due) - len(kept_periodic)
    kept_events = event_due[: max(limit, 0)]
    held_back += len(event_due) - len(kept_events)

    theme_rank: dict[str, int] = {}
    for prompt in prompts:
        theme_rank.setdefault(prompt.theme, len(theme_rank))
    chosen = sorted(
        kept_events + kept_periodic,
        key=lambda p: (theme_rank[p.theme], p.priority, order[p.id]),
    )
    return DuePlan(
        due=tuple(chosen),
        catch_up=held_back > 0,
        held_back=held_back,
        next_due_at=min(future, default=None),
    )


def upcoming(
    prompts: Sequence[Prompt],
    states: Mapping[str, PromptState] | Iterable[PromptState],
    profile: Profile,
    now: datetime,
    tz: tzinfo,
    days: int = 30,
    decisions: Iterable[Decision] = (),
) -> list[tuple[datetime, Prompt]]:
    """What is coming: ``(due time, prompt)`` for prompts falling due after ``now``
    and within ``days`` days, soonest first (one entry per prompt: its next time).

    Periodic prompts, plus ``decision-revisit`` prompts when a decision's revisit
    date is ahead (pass ``decisions``). Prompts already due are not listed.
    """
    state_of = _state_map(states)
    horizon = now + timedelta(days=days)
    order = {p.id: i for i, p in enumerate(prompts)}
    decisions = tuple(decisions)
    coming: list[tuple[datetime, Prompt]] = []
    for prompt in prompts:
        state = state_of.get(prompt.id)
        cadence = effective_cadence(prompt, state, profile)
        when: datetime | None
        if cadence == "decision-revisit" and not _blocked(prompt, state, profile):
            is_due, when = _event_due(cadence, _last_handled(state), now, tz, (), decisions)
            if is_due:
                continue
        else:
            when = next_due(prompt, state, profile, now, tz)
        if when is not None and now < when <= horizon:
            coming.append((when, prompt))
    coming.sort(key=lambda item: (item[0], item[1].priority, order[item[1].id]))
    return coming


_EPOCH = date(2000, 1, 3)
"""A Monday; fortnight periods are counted from it so they do not move."""


def _period_index(day: date, profile: Profile) -> int:
    """Index of the rhythm period holding ``day`` (weeks start on the check-in day)."""
    if profile.rhythm == "monthly":
        return day.year * 12 + day.month - 1
    length = 14 if profile.rhythm == "fortnightly" else 7
    start = _EPOCH + timedelta(days=profile.preferred_weekday)
    return (day - start).days // length


def checkins_streak(
    checkins: Iterable[CheckIn],
    profile: Profile,
    now: datetime,
    tz: tzinfo,
) -> int:
    """How many rhythm periods in a row, counting back from now, had a completed check-in.

    Periods are the user's rhythm (weeks starting on their check-in day, fortnights,
    or calendar months, in local time). The current period counts only once done;
    until then the streak is that of the periods before it. Ad-hoc check-ins count.
    """
    done: set[int] = set()
    for checkin in checkins:
        finished = _aware(checkin.completed_at)
        if finished is None or finished > now:
            continue
        done.add(_period_index(finished.astimezone(tz).date(), profile))
    current = _period_index(now.astimezone(tz).date(), profile)
    period = current if current in done else current - 1
    streak = 0
    while period in done:
        streak += 1
        period -= 1
    return streak


def period_start(profile: Profile, now: datetime, tz: tzinfo) -> datetime:
    """When the rhythm period holding ``now`` began (local midnight, as UTC)."""
    today = now.astimezone(tz).date()
    if profile.rhythm == "monthly":
        return local_midnight(today.replace(day=1), tz)
    length = 14 if profile.rhythm == "fortnightly" else 7
    start = _EPOCH + timedelta(days=profile.preferred_weekday)
    offset = (today - start).days % length
    return local_midnight(today - timedelta(days=offset), tz)


def next_period_start(profile: Profile, now: datetime, tz: tzinfo) -> datetime:
    """When the next rhythm period begins (the next check-in day, local midnight)."""
    start = period_start(profile, now, tz).astimezone(tz).date()
    if profile.rhythm == "monthly":
        return local_midnight(add_months(start, 1), tz)
    return local_midnight(start + timedelta(days=14 if profile.rhythm == "fortnightly" else 7), tz)


JOIN_NEXT_CHECKIN = frozenset({"on-new-option"})
"""Event prompts that wait for the next check-in once this period's is done (Keel's
choice): adding an option right after a check-in must not make half a dozen prompts
due at once. A decision's revisit, an acceptance and a vest stay due at once."""


def one_checkin_per_period(plan: DuePlan, last_checkin_at: datetime | None, profile: Profile,
                           now: datetime, tz: tzinfo) -> DuePlan:
    """Keep the rhythm: once the user has checked in during this period, periodic prompts
    (including those a catch-up held back) wait for the next check-in day; only event
    prompts stay due. Without this, finishing a capped catch-up check-in would make the
    held-back prompts due at once — the flood the rhythm exists to prevent. Prompts raised
    by a new option (:data:`JOIN_NEXT_CHECKIN`) wait with them and join that check-in."""
    last = _aware(last_checkin_at)
    if last is None or last < period_start(profile, now, tz) or written_ahead(last, now):
        return plan
    events = tuple(p for p in plan.due
                   if p.cadence in EVENT_CADENCES and p.cadence not in JOIN_NEXT_CHECKIN)
    return DuePlan(due=events, catch_up=False, held_back=0,
                   next_due_at=next_period_start(profile, now, tz))
