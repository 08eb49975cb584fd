"""The export's charts: one set of shapes for the SVG and the PDF, baseline marked,
every answer of the period a dot, nothing loaded."""

from __future__ import annotations

import re
from datetime import date, datetime

from desktop.core.export_charts import (
    HEIGHT,
    WIDTH,
    ChartSpec,
    caption,
    series_in,
    shapes,
    to_svg,
)
from desktop.core.local_format import LocalFormat

SPEC = ChartSpec("Worry about AI risk (0–10)",
                 ((date(2026, 6, 3), 6.0), (date(2026, 7, 1), 5.0), (date(2026, 9, 9), 7.0)),
                 date(2026, 6, 1), date(2026, 11, 30), 0.0, 10.0, 7.0, "Your baseline worry (7)")


def test_every_answer_is_a_dot_inside_the_box_and_the_baseline_is_dashed() -> None:
    drawn = shapes(SPEC)
    dots = [s for s in drawn if s.kind == "dot"]
    assert len(dots) == 3
    for dot in dots:
        assert 0 <= dot.points[0] <= WIDTH and 0 <= dot.points[1] <= HEIGHT
    baseline = [s for s in drawn if s.style == "baseline" and s.kind == "line"]
    assert len(baseline) == 1 and baseline[0].dashed
    seven = [d for d in dots if d.points[1] == baseline[0].points[1]]
    assert len(seven) == 1  # the answer of 7 sits on the baseline of 7
    labels = [s.text for s in drawn if s.kind == "text"]
    assert "Your baseline worry (7)" in labels and "10.0" in labels and "Jul 2026" in labels


def test_svg_is_inert_and_the_caption_has_the_words() -> None:
    svg = to_svg(ChartSpec("<b>t</b>", (), date(2026, 1, 1), date(2026, 2, 1)))
    assert svg.startswith("<svg") and "&lt;b&gt;" in svg
    assert not re.search(r"href|<script|<image|url\(|\son\w+=", svg)
    assert "No answers in this period" in svg
    assert caption(SPEC, LocalFormat(order="mdy")) == (
        "Chart: Worry about AI risk (0–10) — 3 answers from Jun 1, 2026 to Nov 30, 2026; "
        "dashed line: Your baseline worry (7).")


def test_series_keeps_the_period_only() -> None:
    points = [(datetime(2026, 5, 31, 23), 1.0), (datetime(2026, 6, 1, 1), 2.0), (date(2026, 12, 1), 3)]
    assert series_in(points, date(2026, 6, 1), date(2026, 11, 30)) == ((date(2026, 6, 1), 2.0),)
