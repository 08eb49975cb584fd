"""Bringing back what the user wrote: entries from this day in earlier years ("a year
ago" on Today) and, beside a check-in prompt, their own answers from about six and
twelve months ago — the mirror Expert 4's value-drift test asks for (noticing a change
of view needs the earlier view in sight). Plain Python; the windows are Keel's choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Generic, TypeVar

T = TypeVar("T")

DAY_WINDOW = 3
"""An entry within this many days of the date N years ago counts as "on this day"."""
MAX_YEARS = 10
ECHO_AGES = ((182, "about six months ago"), (365, "about a year ago"))
"""(days back, words) for the earlier answers shown beside a prompt."""
ECHO_WINDOW = 45
"""An answer within this many days of six (or twelve) months ago is shown."""


@dataclass(frozen=True)
class Resurfaced(Generic[T]):
    years: int
    item: T

    @property
    def label(self) -> str:
        return "A year ago" if self.years == 1 else f"{self.years} years ago"


def _same_day(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def year_ago_windows(today: date, tz: tzinfo, years: int = MAX_YEARS) -> list[tuple[int, datetime, datetime]]:
    """(years back, start, end) around this day in each earlier year (aware datetimes)."""
    out = []
    for n in range(1, years + 1):
        day = _same_day(today, n)
        start = datetime.combine(day - timedelta(days=DAY_WINDOW), datetime.min.time(), tz)
        end = datetime.combine(day + timedelta(days=DAY_WINDOW + 1), datetime.min.time(), tz)
        out.append((n, start, end))
    return out


def on_this_day(items: Sequence[T], when: Callable[[T], datetime], today: date,
                tz: tzinfo) -> list[Resurfaced[T]]:
    """Items written near this day in earlier years: the most recent year first, and in
    each year the one closest to the day."""
    found: list[Resurfaced[T]] = []
    for years, start, end in year_ago_windows(today, tz):
        target = datetime.combine(_same_day(today, years), datetime.min.time(), tz)
        near = [i for i in items if start <= when(i) < end]
        near.sort(key=lambda i: abs((when(i) - target).total_seconds()))
        found.extend(Resurfaced(years, i) for i in near[:1])
    return found


@dataclass(frozen=True)
class Echo:
    """An earlier answer shown beside a prompt."""

    words: str
    """"about six months ago"."""
    when: datetime
    value: str


def earlier_answers(answers: Sequence[tuple[datetime, str]], now: datetime) -> list[Echo]:
    """From ``(answered at, answer as text)``, the answer nearest to six and to twelve
    months before ``now`` (each within :data:`ECHO_WINDOW` days; one answer is never
    shown twice)."""
    used: set[int] = set()
    echoes: list[Echo] = []
    for days, words in ECHO_AGES:
        target = now - timedelta(days=days)
        best = None
        for i, (when, _value) in enumerate(answers):
            gap = abs((when - target).days)
            if i in used or gap > ECHO_WINDOW:
                continue
            if best is None or gap < best[0]:
                best = (gap, i)
        if best is not None:
            used.add(best[1])
            when, value = answers[best[1]]
            echoes.append(Echo(words, when, value))
    return echoes


def answer_words(prompt: object, answer: object) -> str:
    """An answer as the user gave it: the text, or the number with the prompt's unit."""
    text = getattr(answer, "text", None)
    if text:
        return " ".join(str(text).split())
    number = getattr(answer, "number", None)
    if number is None:
        return ""
    shown = f"{number:g}"
    unit = getattr(prompt, "unit", "") or ""
    maximum = getattr(prompt, "maximum", None)
    if unit:
        if number == 1 and unit.endswith("s") and len(unit) > 1:
            unit = unit[:-1]  # the units are plural words: "1 conversation", "1 month"
        return f"{shown} {unit}"
    if maximum is not None:
        return f"{shown} of {maximum:g}"
    return shown
