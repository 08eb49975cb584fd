"""The trend chart (issue 19): a single point is a point, markers, the average, the
baseline across the whole range, a readout of date and value, nothing clipped at 900 px."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from desktop.ui.widgets.trend_chart import TrendChart

T0 = datetime(2024, 11, 3, 12, tzinfo=UTC)


def _chart(qtbot, width: int = 420, height: int = 300) -> TrendChart:  # type: ignore[no-untyped-def]
    from desktop.ui.application import create_application

    create_application()
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(width, height)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


def _has_colour_near(chart: TrendChart, x: float, y: float, colour: QColor, radius: int = 3) -> bool:
    image = chart.grab().toImage()
    scale = image.width() / chart.width()
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            pixel = QColor(image.pixel(int((x + dx) * scale), int((y + dy) * scale)))
            if (abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green())
                    + abs(pixel.blue() - colour.blue())) < 60:
                return True
    return False


def test_a_single_answer_is_a_point_with_its_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(qtbot)
    chart.set_points([(T0, 6.0)], y_min=0, y_max=10, reference=7, reference_name="Baseline")
    assert chart.point_count() == 1
    pos = chart.point_position(0)
    highlight = chart.palette().color(QPalette.ColorRole.Highlight)
    assert _has_colour_near(chart, pos.x(), pos.y(), highlight)
    assert "1 answer so far" in chart.accessibleName()
    left, right = chart.reference_span()  # type: ignore[misc]
    plot = chart.plot_rect()
    assert (left, right) == (plot.left(), plot.right())  # not a zero-length line


def test_reference_runs_across_the_whole_visible_range(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(qtbot)
    chart.set_points([(T0 + timedelta(days=7 * i), 5.0 + i % 3) for i in range(8)],
                     y_min=0, y_max=10, reference=7, reference_name="Baseline")
    left, right = chart.reference_span()  # type: ignore[misc]
    assert right - left == chart.plot_rect().width() > 100


def test_rolling_average_is_drawn_beside_the_answers(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(qtbot)
    chart.set_points([(T0 + timedelta(days=7 * i), float(i % 4)) for i in range(20)])
    assert len(chart.average) == 20
    assert any("Average" in item[0] for item in chart._legend_items())
    chart.set_points([(T0 + timedelta(days=7 * i), float(i)) for i in range(3)])
    assert chart.average == []


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_hover_click_and_keys_read_out_date_and_value(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(qtbot)
    chart.set_points([(T0 + timedelta(days=30 * i), float(i)) for i in range(6)], y_label="hours")
    pos = chart.point_position(2).toPoint()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=pos)
    assert chart.selected == 2
    when = (T0 + timedelta(days=60)).astimezone()
    assert chart.readout() == f"{when.day} {when:%b %Y}: 2 hours"
    qtbot.mouseMove(chart, chart.point_position(4).toPoint())
    assert chart.selected == 4
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.selected == 3
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.selected == 5 and "5 hours" in chart.accessibleDescription()
    qtbot.mouseMove(chart, QPoint(1, 1))


def test_nothing_clips_in_a_narrow_chart(qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 900 px wide the small charts are about 300 px: date labels and the legend fit."""
    chart = _chart(qtbot, width=300, height=260)
    chart.set_points([(T0 + timedelta(days=7 * i), float(i % 9)) for i in range(105)],
                     series_name="Months of savings", y_min=0, reference=6,
                     reference_name="Six months of spending, Keel's mark")
    plot = chart.plot_rect()
    metrics = chart.fontMetrics()
    ticks = chart._date_ticks(plot)
    assert ticks
    edges = []
    for tick in ticks:
        x = chart._x(tick.when, plot)
        w = metrics.horizontalAdvance(tick.label)
        left = min(max(x - w / 2, 2.0), chart.width() - w - 2)
        assert left >= 0 and left + w <= chart.width()
        edges.append((left, left + w))
    assert all(a[1] <= b[0] for a, b in pairwise(edges))  # no overlap
    rows = chart._legend_rows(chart.width() - 16)
    assert len(rows) >= 2  # wrapped, not clipped
    assert all(sum(item[3] for item in row) <= chart.width() - 16 or len(row) == 1
               for row in rows)
    assert plot.bottom() + metrics.height() * (1 + len(rows)) < chart.height()


def test_empty_chart_says_what_will_fill_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = _chart(qtbot)
    chart.set_points([], empty_text="No financial snapshots yet.")
    assert chart.point_count() == 0 and chart.summary() == "No financial snapshots yet."


def test_the_drawn_lines_follow_new_points_and_a_new_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The lines through the answers are kept between paints: new points or a new size
    must draw exactly what a fresh chart draws."""
    first = [(T0 + timedelta(days=i), float(i % 7)) for i in range(40)]
    second = [(T0 + timedelta(days=2 * i), float(9 - i % 5)) for i in range(60)]
    kept = _chart(qtbot)
    kept.set_points(first, y_min=0, y_max=10)
    kept.grab()  # painted once: its lines are kept
    kept.set_points(second, y_min=0, y_max=10)
    fresh = _chart(qtbot)
    fresh.set_points(second, y_min=0, y_max=10)
    assert kept.grab().toImage() == fresh.grab().toImage()
    kept.resize(360, 260)
    fresh2 = _chart(qtbot, 360, 260)
    fresh2.set_points(second, y_min=0, y_max=10)
    assert kept.grab().toImage() == fresh2.grab().toImage()
