"""Chart geometry in plain Python: axis ticks a person can read, date ticks that fit the
width, a rolling average, and the words for a series' size. The in-app chart
(``desktop/ui/widgets/trend_chart.py``) draws with these; an SVG chart can too.

Keel's own choices (not from the experts): ticks at 1, 2, 2.5 or 5 times a power of ten;
a rolling mean over the last :data:`ROLLING_WINDOW` answers; markers on every point
while the points are at least :data:`MARKER_SPACING` pixels apart on average.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

Point = tuple[datetime, float]

ROLLING_WINDOW = 5
"""Answers in the rolling average (the answer itself and the four before it)."""
MARKER_SPACING = 7.0
"""Below this many pixels between points on average, points are drawn as a line only."""
_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Axis:
    """A value axis: its ends (both ticks) and every tick between."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def label(self, value: float) -> str:
        """A tick's text: as many decimals as the step has ("2.5", never "2.5000")."""
        step = self.ticks[1] - self.ticks[0] if len(self.ticks) > 1 else 1.0
        exponent = Decimal(repr(round(step, 10))).normalize().as_tuple().exponent
        decimals = max(0, -int(exponent))
        text = f"{value:,.{decimals}f}"
        return text[1:] if (text.startswith("-") and float(value) == 0) or text in ("-0",) else text


def nice_step(span: float, target: int) -> float:
    """The step of 1, 2, 2.5 or 5 × 10^n that cuts ``span`` into about ``target`` parts."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(1, target)
    power = 10 ** math.floor(math.log10(raw))
    for step in _STEPS:
        if step * power >= raw - 1e-12:
            return step * power
    return 10 * power


def value_axis(values: Sequence[float], *, low: float | None = None,
               high: float | None = None, target: int = 5) -> Axis:
    """An axis covering ``values`` (and ``low``/``high`` when given) whose ends and ticks
    are round numbers. A fixed scale (``low`` and ``high`` both given, e.g. 0–10) keeps
    its ends exactly."""
    finite = [v for v in values if math.isfinite(v)]
    lo = low if low is not None else min(finite, default=0.0)
    hi = high if high is not None else max(finite, default=1.0)
    if hi <= lo:  # one value (or all equal): room around it
        pad = abs(lo) * 0.5 if abs(lo) >= 1e-6 else 1.0
        lo, hi = (lo if low is not None else lo - pad), (hi if high is not None else hi + pad)
    if hi - lo < 1e-6:  # a spread too small to tick: treat as one value
        hi = lo + 1e-6
    if low is None and finite and lo > 0 and lo < (hi - lo):
        lo = 0.0  # close to zero: show zero, so the size of a change is not exaggerated
    step = nice_step(hi - lo, target)
    start = lo if low is not None else math.floor(lo / step + 1e-9) * step
    end = hi if high is not None else math.ceil(hi / step - 1e-9) * step
    if end <= start:
        end = start + step
    ticks = []
    first = math.ceil(start / step - 1e-9) * step
    n = 0
    while first + n * step <= end + step * 1e-6 and n < 100:
        ticks.append(round(first + n * step, 10))
        n += 1
    return Axis(start, end, tuple(ticks))


@dataclass(frozen=True)
class DateTick:
    when: datetime
    label: str


def _add_months(when: datetime, months: int) -> datetime:
    month = when.month - 1 + months
    year = when.year + month // 12
    month = month % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


_DATE_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1), ("day", 2), ("day", 7), ("day", 14), ("month", 1), ("month", 2),
    ("month", 3), ("month", 6), ("month", 12), ("month", 24), ("month", 60),
)


def date_ticks(start: datetime, end: datetime, max_ticks: int) -> list[DateTick]:
    """Ticks on whole days, months or years between ``start`` and ``end``, at most
    ``max_ticks`` of them (the caller works that out from the width and the label
    width, so the labels never overlap or clip). Month ticks read "Mar 2026" at the
    first tick and each January, "Mar" otherwise; year ticks read "2026"."""
    max_ticks = max(1, max_ticks)
    if end <= start:
        return [DateTick(start, f"{start.day} {start:%b %Y}")]
    days = (end - start).days
    months = (end.year - start.year) * 12 + end.month - start.month
    for unit, size in _DATE_STEPS:
        # A step that certainly gives too many ticks is not generated: at least
        # span // size - 2 of them fit (the first tick is aligned within one step).
        # Over a century, trying each step from single days made 4,000 dates per chart.
        at_least = (days if unit == "day" else months) // size - 2
        if at_least > max_ticks and max_ticks < 400:
            continue
        ticks = _ticks_for(start, end, unit, size)
        if len(ticks) <= max_ticks:
            break
    else:
        years = max(1, math.ceil((end.year - start.year + 1) / max_ticks))
        ticks = _ticks_for(start, end, "month", 12 * years)
    out = []
    for i, when in enumerate(ticks):
        if unit == "day":
            label = f"{when.day} {when:%b}"
            if i == 0 and start.year != end.year:
                label += f" {when:%Y}"
        elif size >= 12:
            label = f"{when:%Y}"
        else:
            label = f"{when:%b %Y}" if i == 0 or when.month == 1 else f"{when:%b}"
        out.append(DateTick(when, label))
    return out


def _ticks_for(start: datetime, end: datetime, unit: str, size: int) -> list[datetime]:
    ticks: list[datetime] = []
    if unit == "day":
        when = start.replace(hour=0, minute=0, second=0, microsecond=0)
        if when < start:
            when += timedelta(days=1)
        if size == 7:  # weeks start on Monday
            when += timedelta(days=(7 - when.weekday()) % 7)
        while when <= end and len(ticks) < 400:
            ticks.append(when)
            when += timedelta(days=size)
        return ticks
    when = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if when < start:
        when = _add_months(when, 1)
    while (when.month - 1) % size and size <= 12:  # align: quarters, halves, Januaries
        when = _add_months(when, 1)
    if size > 12:
        while when.month != 1:
            when = _add_months(when, 1)
        while when.year % (size // 12):
            when = _add_months(when, 12)
    while when <= end and len(ticks) < 400:
        ticks.append(when)
        when = _add_months(when, size)
    return ticks


def rolling_mean(points: Sequence[Point], window: int = ROLLING_WINDOW) -> list[Point]:
    """Each point's mean with the ``window - 1`` answers before it (fewer at the start).
    Empty when there are fewer than ``window`` points: an average of three answers
    would only repeat them."""
    if window < 2 or len(points) < window:
        return []
    out: list[Point] = []
    total = 0.0
    for i, (when, value) in enumerate(points):
        total += value
        if i >= window:
            total -= points[i - window][1]
        out.append((when, total / min(i + 1, window)))
    return out


def answers_text(count: int) -> str:
    """"1 answer so far", "12 answers"."""
    return "1 answer so far" if count == 1 else f"{count:,} answers"


def shows_markers(count: int, width: float) -> bool:
    """Whether points are far enough apart to mark each one."""
    return count > 0 and (count == 1 or width / count >= MARKER_SPACING)
