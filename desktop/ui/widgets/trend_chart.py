"""A line chart of one series over time, drawn with QPainter: the raw answers (with a
marker on each while there is room), a rolling average once there are enough answers,
an optional horizontal reference line across the whole visible range (the baseline
worry, the 5% conscience ceiling, Keel's six months of runway), round tick values, date
ticks that fit the width, a legend that wraps instead of clipping, and a readout of the nearest
answer's date and value on hover, click or the arrow keys.

The geometry (ticks, dates, averages) is plain Python in ``desktop.core.chart_geometry``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.core.chart_geometry import (
    ROLLING_WINDOW,
    Axis,
    DateTick,
    answers_text,
    date_ticks,
    rolling_mean,
    shows_markers,
    value_axis,
)
from desktop.core.records import with_unit
from desktop.ui.theme import token


@lru_cache(maxsize=64)
def _remembered_date_ticks(start: datetime, end: datetime, max_ticks: int) -> tuple[DateTick, ...]:
    """:func:`date_ticks`, remembered: every paint of every chart asked again (about a
    third of switching to Trends, profiled), and the answer depends on these three only."""
    return tuple(date_ticks(start, end, max_ticks))

Point = tuple[datetime, float]
PAD = 8


def _day(when: datetime) -> str:
    local = when.astimezone()
    return f"{local.day} {local:%b %Y}"


class TrendChart(QWidget):
    """Plots ``(datetime, value)`` points; shows a written message when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.points: list[Point] = []
        self.average: list[Point] = []
        self.reference_value: float | None = None
        self.reference_name = ""
        self.series_name = "Answers"
        self.title = ""
        self.unit = ""
        self.empty_text = "No answers yet."
        self.axis: Axis = value_axis([])
        self.selected: int | None = None
        """The answer whose date and value are read out (hover, click, arrow keys)."""
        self._y_min: float | None = None
        self._y_max: float | None = None

    # Data ------------------------------------------------------------------------
    def set_points(
        self,
        points: Sequence[tuple[datetime, float]],
        *,
        title: str = "",
        series_name: str = "Answers",
        y_label: str = "",
        y_min: float | None = None,
        y_max: float | None = None,
        reference: float | None = None,
        reference_name: str = "",
        empty_text: str = "No answers yet.",
    ) -> None:
        """Show ``points`` (oldest first) and, when given, a dashed line at ``reference``."""
        self.points = sorted(points, key=lambda p: p[0])
        self.average = rolling_mean(self.points)
        self._path_cache = None
        self.title = title
        self.series_name = series_name
        self.unit = y_label
        self.reference_value = reference if self.points else None
        self.reference_name = reference_name
        self.empty_text = empty_text
        self._y_min, self._y_max = y_min, y_max
        values = [v for _, v in self.points]
        if self.reference_value is not None:
            values.append(self.reference_value)
        self.axis = value_axis(values, low=y_min, high=y_max)
        self.selected = None
        self.setAccessibleName(f"{title or series_name}: chart of {answers_text(len(points))}")
        self.setAccessibleDescription(self.summary())
        self.updateGeometry()
        self.update()

    def point_count(self) -> int:
        """How many answers the chart shows (tests and accessibility)."""
        return len(self.points)

    def reference_span(self) -> tuple[float, float] | None:
        """The reference line's left and right ends in widget pixels (None: no line)."""
        if self.reference_value is None:
            return None
        plot = self.plot_rect()
        return plot.left(), plot.right()

    def summary(self) -> str:
        """One line for screen readers: the count, the latest answer, the reference."""
        if not self.points:
            return self.empty_text
        when, value = self.points[-1]
        text = f"{answers_text(len(self.points))}; latest {self._value(value)} on {_day(when)}"
        if self.reference_value is not None and self.reference_name:
            text += f"; {self.reference_name}: {self._value(self.reference_value)}"
        return text

    def readout(self) -> str:
        """The selected answer's date and value ("" when none is selected)."""
        if self.selected is None or not (0 <= self.selected < len(self.points)):
            return ""
        when, value = self.points[self.selected]
        return f"{_day(when)}: {self._value(value)}"

    def _value(self, value: float) -> str:
        text = f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
        return with_unit(text, self.unit)

    # Geometry --------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(480, self.fontMetrics().lineSpacing() * 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.fontMetrics().lineSpacing() * 9)

    def _legend_items(self) -> list[tuple[str, QColor, Qt.PenStyle]]:
        palette = self.palette()
        items = [(self.series_name, palette.color(QPalette.ColorRole.Highlight),
                  Qt.PenStyle.SolidLine)]
        if self.average:
            items.append((f"Average of the last {ROLLING_WINDOW} answers", QColor(token("average")),
                          Qt.PenStyle.SolidLine))
        if self.reference_value is not None and self.reference_name:
            items.append((self.reference_name, QColor(token("reference")), Qt.PenStyle.DashLine))
        return items

    def _legend_rows(self, width: float) -> list[list[tuple[str, QColor, Qt.PenStyle, float]]]:
        """Legend entries laid out in rows that fit ``width`` (wrapping, never clipped)."""
        metrics = self.fontMetrics()
        rows: list[list[tuple[str, QColor, Qt.PenStyle, float]]] = [[]]
        used = 0.0
        for text, colour, style in self._legend_items():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 28))
            item_width = 22 + metrics.horizontalAdvance(text) + 16
            if rows[-1] and used + item_width > width:
                rows.append([])
                used = 0.0
            rows[-1].append((text, colour, style, item_width))
            used += item_width
        return rows

    def _title_height(self, width: float) -> float:
        if not self.title:
            return 0.0
        font = self.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        rect = metrics.boundingRect(QRectF(0, 0, width, 1000).toRect(),
                                    int(Qt.TextFlag.TextWordWrap), self.title)
        return rect.height() + PAD

    def plot_rect(self) -> QRectF:
        """Where the lines are drawn: inside the tick labels, title and legend."""
        metrics = self.fontMetrics()
        width = float(self.width())
        label_width = max((metrics.horizontalAdvance(self.axis.label(t)) for t in self.axis.ticks),
                          default=20)
        left = PAD + label_width + 6
        right = width - PAD - metrics.horizontalAdvance("0000") / 2  # the last date label
        top = PAD + self._title_height(width - 2 * PAD) + metrics.height() / 2
        legend_h = len(self._legend_rows(width - 2 * PAD)) * (metrics.height() + 4)
        bottom = self.height() - PAD - legend_h - metrics.height() - 10
        return QRectF(left, top, max(10.0, right - left), max(10.0, bottom - top))

    def _date_ticks(self, plot: QRectF) -> list[DateTick]:
        if not self.points:
            return []
        start, end = self.points[0][0], self.points[-1][0]
        label_width = self.fontMetrics().horizontalAdvance("Sep 2026") + 24
        ticks = _remembered_date_ticks(start, end, max(1, int(plot.width() // label_width)))
        if len(self.points) == 1 or end <= start:
            return [DateTick(start, _day(start))]
        return list(ticks)

    def _x(self, when: datetime, plot: QRectF) -> float:
        start, end = self.points[0][0], self.points[-1][0]
        if end <= start:
            return plot.center().x()
        return plot.left() + (when - start) / (end - start) * plot.width()

    def _y(self, value: float, plot: QRectF) -> float:
        span = self.axis.high - self.axis.low or 1.0
        return plot.bottom() - (value - self.axis.low) / span * plot.height()

    def point_position(self, index: int) -> QPointF:
        """Where answer ``index`` is drawn (widget pixels)."""
        plot = self.plot_rect()
        when, value = self.points[index]
        return QPointF(self._x(when, plot), self._y(value, plot))

    def nearest(self, x: float) -> int | None:
        """The answer nearest to ``x`` (widget pixels), if any."""
        if not self.points:
            return None
        plot = self.plot_rect()
        return min(range(len(self.points)),
                   key=lambda i: abs(self._x(self.points[i][0], plot) - x))

    # Painting --------------------------------------------------------------------
    def _paths(self, plot: QRectF) -> tuple[list[QPointF], QPainterPath, QPainterPath]:
        """Where each answer is drawn, the line through them and the average's line,
        kept until the points or the plot's place change: a century of answers is
        thousands of points, and a chart is painted again on every expose and hover."""
        key = (plot.left(), plot.top(), plot.width(), plot.height(),
               self.axis.low, self.axis.high)
        if self._path_key != key or self._path_cache is None:
            positions = [QPointF(self._x(w, plot), self._y(v, plot)) for w, v in self.points]
            path = QPainterPath(positions[0]) if positions else QPainterPath()
            for pos in positions[1:]:
                path.lineTo(pos)
            average = QPainterPath()
            if self.average:
                average = QPainterPath(QPointF(self._x(self.average[0][0], plot),
                                               self._y(self.average[0][1], plot)))
                for when, value in self.average[1:]:
                    average.lineTo(QPointF(self._x(when, plot), self._y(value, plot)))
            self._path_key, self._path_cache = key, (positions, path, average)
        return self._path_cache

    _path_key: tuple[float, ...] | None = None
    _path_cache: tuple[list[QPointF], QPainterPath, QPainterPath] | None = None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = palette.color(QPalette.ColorRole.Midlight)
        metrics = self.fontMetrics()
        width = float(self.width())
        y = float(PAD)
        if self.title:
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text)
            rect = QRectF(PAD, y, width - 2 * PAD, self._title_height(width - 2 * PAD))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                             self.title)
            painter.setFont(self.font())
        plot = self.plot_rect()
        if not self.points:
            painter.setPen(muted)
            painter.drawText(QRectF(PAD, PAD, width - 2 * PAD, self.height() - 2 * PAD),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            return
        # Grid and value ticks
        for tick in self.axis.ticks:
            ty = self._y(tick, plot)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty))
            painter.setPen(muted)
            label = self.axis.label(tick)
            painter.drawText(QRectF(PAD, ty - metrics.height() / 2, plot.left() - PAD - 6,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
        # Date ticks: labels centred on their tick, nudged inside the widget
        for tick in self._date_ticks(plot):
            tx = self._x(tick.when, plot)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(tx, plot.bottom()), QPointF(tx, plot.bottom() + 4))
            label_w = metrics.horizontalAdvance(tick.label)
            lx = min(max(tx - label_w / 2, 2.0), width - label_w - 2)
            painter.setPen(muted)
            painter.drawText(QPointF(lx, plot.bottom() + 6 + metrics.ascent()), tick.label)
        # Reference across the whole visible range
        if self.reference_value is not None:
            pen = QPen(QColor(token("reference")), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            ry = self._y(self.reference_value, plot)
            painter.drawLine(QPointF(plot.left(), ry), QPointF(plot.right(), ry))
        # Raw answers (lighter once an average is drawn over them), then the average
        highlight = palette.color(QPalette.ColorRole.Highlight)
        raw_colour = QColor(highlight)
        if self.average:
            raw_colour.setAlphaF(0.55)
        positions, path, average_path = self._paths(plot)
        if len(positions) > 1:
            painter.setPen(QPen(raw_colour, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        if shows_markers(len(positions), plot.width()):
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1))
            painter.setBrush(highlight)
            radius = 4.5 if len(positions) == 1 else 3.0
            for pos in positions:
                painter.drawEllipse(pos, radius, radius)
        if self.average:
            painter.setPen(QPen(QColor(token("average")), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(average_path)
        if len(self.points) == 1:
            painter.setPen(muted)
            pos = positions[0]
            painter.drawText(QRectF(plot.left(), pos.y() + 8, plot.width(), metrics.height()),
                             int(Qt.AlignmentFlag.AlignHCenter), answers_text(1))
        # The selected answer
        if self.selected is not None and 0 <= self.selected < len(positions):
            pos = positions[self.selected]
            painter.setPen(QPen(text, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(pos.x(), plot.top()), QPointF(pos.x(), plot.bottom()))
            painter.setPen(QPen(text, 2))
            painter.setBrush(highlight)
            painter.drawEllipse(pos, 5.0, 5.0)
            label = self.readout()
            label_w = metrics.horizontalAdvance(label) + 12
            box = QRectF(min(max(pos.x() - label_w / 2, plot.left()), plot.right() - label_w),
                         plot.top(), label_w, metrics.height() + 6)
            painter.setPen(QPen(grid, 1))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(text)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
        # Legend, wrapped to the width
        legend_top = plot.bottom() + 10 + metrics.height() + 4
        for row in self._legend_rows(width - 2 * PAD):
            row_width = sum(item[3] for item in row)
            x = (width - row_width) / 2
            for label, colour, style, item_width in row:
                cy = legend_top + metrics.height() / 2
                painter.setPen(QPen(colour, 2.5, style))
                painter.drawLine(QPointF(x, cy), QPointF(x + 16, cy))
                painter.setPen(text)
                painter.drawText(QPointF(x + 22, legend_top + metrics.ascent()), label)
                x += item_width
            legend_top += metrics.height() + 4

    # Reading a value ---------------------------------------------------------------
    def select(self, index: int | None) -> None:
        """Read out answer ``index`` (None: none)."""
        if index is not None and self.points:
            index = max(0, min(index, len(self.points) - 1))
        else:
            index = None
        self.selected = index
        self.setAccessibleDescription(self.readout() or self.summary())
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.nearest(event.position().x())
        if index is not None and self.plot_rect().adjusted(-12, -12, 12, 12).contains(
                event.position()):
            self.select(index)
            QToolTip.showText(event.globalPosition().toPoint(), self.readout(), self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.nearest(event.position().x())
        if index is not None:
            self.select(index)
        super().mousePressEvent(event)

    def leaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self.hasFocus():
            self.select(None)
        super().leaveEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.select(None)
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.points:
            super().keyPressEvent(event)
            return
        last = len(self.points) - 1
        current = self.selected
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if event.key() in moves:
            start = last if current is None else current + moves[Qt.Key(event.key())]
            self.select(start)
        elif event.key() == Qt.Key.Key_Home:
            self.select(0)
        elif event.key() == Qt.Key.Key_End:
            self.select(last)
        else:
            super().keyPressEvent(event)
