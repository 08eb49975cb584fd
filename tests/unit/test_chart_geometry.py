"""Chart geometry (issue 19): round ticks, date ticks that fit, the rolling average."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.chart_geometry import (
    answers_text,
    date_ticks,
    nice_step,
    rolling_mean,
    shows_markers,
    value_axis,
)

T0 = datetime(2024, 11, 3, tzinfo=UTC)


def test_ticks_are_round_numbers_not_26_33() -> None:
    axis = value_axis([13.165, 26.33, 19.7475])
    assert [axis.label(t) for t in axis.ticks] == ["10", "15", "20", "25", "30"]
    assert axis.low <= 13.165 and axis.high >= 26.33


def test_a_fixed_scale_keeps_its_ends() -> None:
    axis = value_axis([3, 7], low=0, high=10)
    assert (axis.low, axis.high) == (0, 10)
    assert axis.ticks[0] == 0 and axis.ticks[-1] == 10


def test_one_value_gets_room_around_it() -> None:
    axis = value_axis([5.0])
    assert axis.low < 5 < axis.high


def test_decimals_follow_the_step() -> None:
    axis = value_axis([0.2, 1.4])
    assert [axis.label(t) for t in axis.ticks] == ["0.0", "0.5", "1.0", "1.5"]
    assert value_axis([1200, 30000]).label(10000) == "10,000"


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50),
       st.integers(2, 8))
def test_any_values_get_a_covering_axis_of_round_steps(values: list[float], target: int) -> None:
    axis = value_axis(values, target=target)
    slack = 1e-6 * (axis.high - axis.low)  # rounding at a billionth of the range
    assert axis.low <= min(values) + slack and axis.high >= max(values) - slack
    assert 2 <= len(axis.ticks) <= 30
    step = axis.ticks[1] - axis.ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


def test_nice_step() -> None:
    assert nice_step(13.165, 5) == 5
    assert nice_step(0.9, 4) == 0.25


def test_two_years_of_months_fit_and_name_the_year() -> None:
    ticks = date_ticks(T0, T0 + timedelta(days=740), 6)
    assert len(ticks) <= 6
    assert [t.label for t in ticks] == ["Jan 2025", "Jul", "Jan 2026", "Jul"]


def test_narrow_charts_get_fewer_date_ticks() -> None:
    assert [t.label for t in date_ticks(T0, T0 + timedelta(days=740), 3)] == ["2025", "2026"]


def test_short_spans_get_days() -> None:
    ticks = date_ticks(T0, T0 + timedelta(days=40), 5)
    assert 2 <= len(ticks) <= 5 and all(t.label[0].isdigit() for t in ticks)


@given(st.integers(0, 20_000), st.integers(1, 12))
def test_date_ticks_never_exceed_the_room(days: int, room: int) -> None:
    ticks = date_ticks(T0, T0 + timedelta(days=days), room)
    assert len(ticks) <= max(room, 1) or days == 0
    assert all(T0 <= t.when <= T0 + timedelta(days=days) for t in ticks) or days == 0


def test_rolling_mean_trails_five_answers() -> None:
    points = [(T0 + timedelta(days=i), float(v)) for i, v in enumerate([5, 5, 5, 5, 10, 0])]
    mean = rolling_mean(points)
    assert len(mean) == 6
    assert mean[4][1] == 6.0 and mean[5][1] == 5.0
    assert rolling_mean(points[:4]) == []  # too few to be worth averaging


def test_words_and_markers() -> None:
    assert answers_text(1) == "1 answer so far"
    assert answers_text(1200) == "1,200 answers"
    assert shows_markers(1, 10) and shows_markers(20, 600) and not shows_markers(300, 600)


def _every_step(start, end, max_ticks):  # type: ignore[no-untyped-def]
    """date_ticks as it was: every step tried from single days up (the reference)."""
    import math

    from desktop.core import chart_geometry as cg

    max_ticks = max(1, max_ticks)
    for unit, size in cg._DATE_STEPS:
        ticks = cg._ticks_for(start, end, unit, size)
        if len(ticks) <= max_ticks:
            break
    else:
        years = max(1, math.ceil((end.year - start.year + 1) / max_ticks))
        ticks = cg._ticks_for(start, end, "month", 12 * years)
    return ticks


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(min_value=1, max_value=40_000 * 24 * 60), st.integers(min_value=1, max_value=60))
def test_skipping_steps_that_cannot_fit_gives_the_same_ticks(start, minutes, max_ticks) -> None:  # type: ignore[no-untyped-def]
    """Steps that certainly give too many ticks are no longer generated (a century of
    days made 4,000 dates per chart per paint); the ticks chosen are the same."""
    start = start.replace(tzinfo=UTC)
    end = start + timedelta(minutes=minutes)
    assert [t.when for t in date_ticks(start, end, max_ticks)] == _every_step(start, end, max_ticks)
