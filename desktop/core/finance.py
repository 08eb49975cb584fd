"""Financial lock-in arithmetic: runway, vesting schedule and the next vest.

Expert 10 warns against money or lifestyle making a move to work more focused on doing good
hard. These pure functions turn the latest :class:`FinancialSnapshot` and the current
job's vesting terms into the figures Keel shows on the current job, on the Today page
("coming up") and to the flag rules.

Vesting follows the common pattern: ``JobOption.equity_value`` is the whole grant,
vesting monthly from ``vesting_start`` to ``vest_end_date`` (monthly dates keep the start
day, clamped to the end of short months). Nothing vests before ``cliff_date``; on the cliff
everything accrued since the start vests at once. A vest dated today counts as vested.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from desktop.core.records import Answer, FinancialSnapshot, JobOption

AVERAGE_MONTH_DAYS = 365.2425 / 12
"""Days in an average month, used to express a span of days in months."""


@dataclass(frozen=True)
class LockIn:
    """Where the user stands financially: how long savings last and what is still to vest."""

    runway_months: float | None
    """Liquid savings divided by monthly spending; None when either is unknown or spending is 0."""
    next_vest_date: date | None
    next_vest_amount: float | None
    months_to_next_vest: float | None
    unvested_total: float | None
    cliff_passed: bool | None
    """None when the current job has no cliff date."""
    notes: tuple[str, ...] = ()
    """Plain-English remarks about missing or odd figures, e.g. "No financial snapshot yet."."""
    currency: str = "USD"
    runway_from: str = ""
    """Where ``runway_months`` comes from: "snapshot", "check-in" (the runway prompt's
    answer, when newer than the snapshot) or "" when unknown."""
    runway_at: datetime | None = None
    """When that figure was given."""


RUNWAY_PROMPT = "runway-months"
"""The check-in prompt that asks for months of runway directly."""


def latest_runway_answer(answers: Iterable[Answer]) -> tuple[datetime, float] | None:
    """The newest answered ``runway-months`` (when, months) among check-in answers."""
    found: tuple[datetime, float] | None = None
    for point in _runway_answers(answers):
        if found is None or point[0] > found[0]:
            found = point
    return found


def _runway_answers(answers: Iterable[Answer]) -> list[tuple[datetime, float]]:
    """(when, months) of every answered ``runway-months`` prompt, in the given order."""
    return [(a.answered_at, float(a.number)) for a in answers
            if a.prompt_id == RUNWAY_PROMPT and not a.skipped and a.number is not None]


def snapshot_runway(snapshot: FinancialSnapshot) -> float | None:
    """Months the snapshot's savings last at its spending (None when not computable)."""
    savings, spending = snapshot.liquid_savings, snapshot.monthly_spending
    if savings is None or spending is None or spending <= 0:
        return None
    return max(savings, 0.0) / spending


def runway_history(snapshots: Iterable[FinancialSnapshot],
                   answers: Iterable[Answer]) -> list[tuple[datetime, float]]:
    """Every runway figure the user gave — each snapshot's and each check-in answer to
    the runway prompt — oldest first: one series for Trends."""
    points = [(s.taken_at, r) for s in snapshots if (r := snapshot_runway(s)) is not None]
    points += _runway_answers(answers)
    return sorted(points, key=lambda p: p[0])


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, clamped to the end of short months.

    ``add_months(date(2025, 1, 31), 1)`` is 28 Feb 2025.
    """
    years, month_index = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def vesting_schedule(
    job: JobOption | None,
    *,
    after: date | None = None,
    until: date | None = None,
) -> list[tuple[date, float]]:
    """Return the job's vest events as ``(date, amount)`` pairs, oldest first.

    ``after`` (exclusive) and ``until`` (inclusive) limit the dates returned. The list is
    empty when the job has no equity or lacks a vesting start or end date, or when the end
    is not after the start. A final part-month before ``vest_end_date`` vests a
    proportionally smaller amount.
    """
    if job is None or not job.equity_value or job.equity_value <= 0:
        return []
    start, end = job.vesting_start, job.vest_end_date
    if start is None or end is None or end <= start:
        return []

    weighted: list[tuple[date, float]] = []
    previous = start
    step = 1
    while True:
        monthly = add_months(start, step)
        if monthly >= end:
            if monthly == end:
                weight = 1.0
            else:
                weight = (end - previous).days / (monthly - previous).days
            weighted.append((end, weight))
            break
        weighted.append((monthly, 1.0))
        previous = monthly
        step += 1

    total_weight = sum(weight for _, weight in weighted)
    events = [(day, job.equity_value * weight / total_weight) for day, weight in weighted]

    cliff = job.cliff_date
    if cliff is not None and cliff > start:
        at_cliff = sum(amount for day, amount in events if day <= cliff)
        events = [(day, amount) for day, amount in events if day > cliff]
        if at_cliff > 0:
            events.insert(0, (cliff, at_cliff))

    return [
        (day, amount)
        for day, amount in events
        if (after is None or day > after) and (until is None or day <= until)
    ]


def latest_snapshot(
    snapshots: Iterable[FinancialSnapshot], now: datetime | None = None
) -> FinancialSnapshot | None:
    """The most recent snapshot (taken at or before ``now`` when given), or None."""
    latest: FinancialSnapshot | None = None
    for snapshot in snapshots:
        if now is not None and snapshot.taken_at > now:
            continue
        if latest is None or snapshot.taken_at > latest.taken_at:
            latest = snapshot
    return latest


def current_job(options: Iterable[JobOption]) -> JobOption | None:
    """The option with status ``current`` (the most recently updated if several), or None."""
    found: JobOption | None = None
    for option in options:
        if option.status != "current":
            continue
        if found is None or _updated(option) >= _updated(found):
            found = option
    return found


def _updated(option: JobOption) -> datetime | date:
    return option.updated_at or option.created_at or date.min


def lock_in(
    snapshot: FinancialSnapshot | None, current_job: JobOption | None, today: date,
    runway_answer: tuple[datetime, float] | None = None,
) -> LockIn:
    """Work out runway and vesting for the latest snapshot and the current job on ``today``.

    Runway is one figure: the snapshot's savings ÷ spending, unless the check-in's runway
    answer (``runway_answer``, see :func:`latest_runway_answer`) is newer — then that.

    The snapshot's ``unvested_equity`` and a still-future ``next_vest_date`` take precedence
    over figures derived from the job's vesting terms, since the user typed them from their
    own statements.
    """
    notes: list[str] = []
    runway: float | None = None

    if snapshot is None:
        notes.append("No financial snapshot yet.")
    else:
        savings, spending = snapshot.liquid_savings, snapshot.monthly_spending
        if savings is None:
            notes.append("The latest snapshot has no savings figure.")
        if spending is None:
            notes.append("The latest snapshot has no monthly spending.")
        elif spending <= 0:
            notes.append("Monthly spending is zero, so savings alone never run out at this rate.")
        elif savings is not None:
            runway = max(savings, 0.0) / spending

    job = current_job
    schedule = vesting_schedule(job)
    if job is None:
        notes.append("No current job recorded.")
    elif not job.equity_value:
        notes.append("No equity recorded for the current job.")
    elif not schedule:
        notes.append(
            "The current job's vesting dates are incomplete: add a vesting start and end date "
            "to see the schedule."
        )

    future = [(day, amount) for day, amount in schedule if day > today]
    schedule_unvested: float | None = sum(a for _, a in future) if schedule else None
    next_date: date | None = future[0][0] if future else None
    next_amount: float | None = future[0][1] if future else None

    unvested: float | None
    if snapshot is not None and snapshot.unvested_equity is not None:
        unvested = snapshot.unvested_equity
    else:
        unvested = schedule_unvested

    if snapshot is not None and snapshot.next_vest_date is not None:
        if snapshot.next_vest_date > today:
            next_date = snapshot.next_vest_date
            next_amount = dict(schedule).get(next_date)
        else:
            notes.append(
                "The next vest date in your snapshot has passed; take a new snapshot."
            )

    if unvested is not None and unvested <= 0 and next_date is None:
        notes.append("Your equity is fully vested.")

    months_to_next = (
        (next_date - today).days / AVERAGE_MONTH_DAYS if next_date is not None else None
    )
    cliff_passed = (
        today >= job.cliff_date if job is not None and job.cliff_date is not None else None
    )
    currency = (
        snapshot.currency if snapshot is not None else (job.currency if job else "USD")
    )
    runway_from = "snapshot" if runway is not None else ""
    runway_at = snapshot.taken_at if runway is not None and snapshot is not None else None
    if runway_answer is not None and (snapshot is None or runway_answer[0] > snapshot.taken_at):
        runway, runway_from, runway_at = max(runway_answer[1], 0.0), "check-in", runway_answer[0]
        notes = [n for n in notes if "snapshot" not in n or "vest" in n]
    return LockIn(
        runway_from=runway_from,
        runway_at=runway_at,
        runway_months=runway,
        next_vest_date=next_date,
        next_vest_amount=next_amount,
        months_to_next_vest=months_to_next,
        unvested_total=unvested,
        cliff_passed=cliff_passed,
        notes=tuple(notes),
        currency=currency,
    )
