"""The export's trend charts as plain shapes: one geometry for the SVG in the HTML page
and the vector picture in the PDF (``desktop.ui.pdf_export`` paints the same shapes).

Scales and ticks come from :mod:`desktop.core.chart_geometry` (shared with the in-app
charts). Each chart marks the baseline it is read against (the worry in the baseline
statement; Keel's own runway threshold, labelled as Keel's) and shows every answer of
the period as a dot. Exact values stay in the tables that follow the charts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from desktop.core.chart_geometry import date_ticks, value_axis
from desktop.core.local_format import LocalFormat

WIDTH = 640.0
HEIGHT = 170.0
"""The drawing's own units (an SVG ``viewBox``; the PDF scales it to the text width)."""
_LEFT, _RIGHT, _TOP, _BOTTOM = 44.0, 12.0, 10.0, 24.0

COLOURS = {"axis": "#57606a", "grid": "#d8dde3", "series": "#1d5fa8", "baseline": "#b35900",
           "text": "#3d444d"}


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its answers in the period and the line it is read against."""

    title: str
    points: tuple[tuple[date, float], ...]
    start: date
    end: date
    low: float | None = None
    high: float | None = None
    reference: float | None = None
    reference_label: str = ""
    counted: str = "answer"
    """What one point is ("answer", "snapshot"), for the caption."""


@dataclass(frozen=True)
class Shape:
    """``line`` (x1, y1, x2, y2), ``path`` (points), ``dot`` (x, y, r) or ``text``."""

    kind: str
    style: str
    points: tuple[float, ...] = ()
    text: str = ""
    anchor: str = "start"
    """``start``, ``middle`` or ``end`` (SVG's text-anchor)."""
    dashed: bool = False


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12))


def shapes(spec: ChartSpec, fmt: LocalFormat | None = None) -> list[Shape]:
    """The chart as shapes in a WIDTH × HEIGHT box (y grows downwards)."""
    fmt = fmt or LocalFormat()
    values = [v for _, v in spec.points]
    if spec.reference is not None:
        values.append(spec.reference)
    axis = value_axis(values or [0.0], low=spec.low, high=spec.high, target=4)
    x0, x1 = _LEFT, WIDTH - _RIGHT
    y0, y1 = HEIGHT - _BOTTOM, _TOP
    start, end = _moment(spec.start), _moment(spec.end)
    span = max((end - start).total_seconds(), 1.0)

    def x(day: date) -> float:
        return x0 + (x1 - x0) * (_moment(day) - start).total_seconds() / span

    def y(value: float) -> float:
        extent = (axis.high - axis.low) or 1.0
        return y0 + (y1 - y0) * (value - axis.low) / extent

    out: list[Shape] = []
    for tick in axis.ticks:
        out.append(Shape("line", "grid", (x0, y(tick), x1, y(tick))))
        out.append(Shape("text", "text", (x0 - 6, y(tick) + 3.5), axis.label(tick)
                         .replace(",", fmt.group), "end"))
    out.append(Shape("line", "axis", (x0, y0, x1, y0)))
    for day_tick in date_ticks(start, end, max_ticks=6):
        tx = x(day_tick.when.date())
        out.append(Shape("line", "axis", (tx, y0, tx, y0 + 4)))
        out.append(Shape("text", "text", (tx, y0 + 15), day_tick.label, "middle"))
    if spec.reference is not None:
        ry = y(spec.reference)
        out.append(Shape("line", "baseline", (x0, ry, x1, ry), dashed=True))
        out.append(Shape("text", "baseline", (x1, ry - 4), spec.reference_label, "end"))
    points = sorted(spec.points)
    if len(points) > 1:
        out.append(Shape("path", "series",
                         tuple(c for day, value in points for c in (x(day), y(value)))))
    for day, value in points:
        out.append(Shape("dot", "series", (x(day), y(value), 2.6)))
    if not points:
        out.append(Shape("text", "text", ((x0 + x1) / 2, (y0 + y1) / 2),
                         "No answers in this period", "middle"))
    return out


def to_svg(spec: ChartSpec, fmt: LocalFormat | None = None) -> str:
    """A self-contained inline SVG of the chart (no scripts, links or external files)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
             f'role="img" aria-label="{html.escape(spec.title)}" class="chart" '
             'font-family="sans-serif" font-size="10">']
    for shape in shapes(spec, fmt):
        colour = COLOURS[shape.style]
        p = [round(v, 2) for v in shape.points]
        if shape.kind == "line":
            dash = ' stroke-dasharray="5 3"' if shape.dashed else ""
            width = 1.6 if shape.style == "baseline" else 0.8
            parts.append(f'<line x1="{p[0]}" y1="{p[1]}" x2="{p[2]}" y2="{p[3]}" '
                         f'stroke="{colour}" stroke-width="{width}"{dash}/>')
        elif shape.kind == "path":
            coords = " ".join(f"{p[i]},{p[i + 1]}" for i in range(0, len(p), 2))
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                         'stroke-width="1.6"/>')
        elif shape.kind == "dot":
            parts.append(f'<circle cx="{p[0]}" cy="{p[1]}" r="{p[2]}" fill="{colour}"/>')
        else:
            parts.append(f'<text x="{p[0]}" y="{p[1]}" text-anchor="{shape.anchor}" '
                         f'fill="{colour}">{html.escape(shape.text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def caption(spec: ChartSpec, fmt: LocalFormat | None = None) -> str:
    """The words under a chart, the same in every format: what it shows and how many
    answers (the picture itself has no words a reader must copy)."""
    fmt = fmt or LocalFormat()
    count = len(spec.points)
    noun = spec.counted if count == 1 else spec.counted + "s"
    text = (f"Chart: {spec.title} — {count or 'no'} {noun} from {fmt.day(spec.start)} "
            f"to {fmt.day(spec.end)}")
    if spec.reference is not None and spec.reference_label:
        text += f"; dashed line: {spec.reference_label}"
    return text + "."


def series_in(points: Sequence[tuple[datetime | date, float]], start: date,
              end: date) -> tuple[tuple[date, float], ...]:
    """The points whose day falls in ``start``–``end``, by day."""
    out = []
    for when, value in points:
        day = when.date() if isinstance(when, datetime) else when
        if start <= day <= end:
            out.append((day, float(value)))
    return tuple(sorted(out))
