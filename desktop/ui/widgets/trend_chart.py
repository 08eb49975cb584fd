"""A line chart of one series over time (QtCharts), with an optional horizontal reference
line (the baseline worry, the 5% conscience mark, six months of runway)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget


def _ms(when: datetime) -> float:
    return when.timestamp() * 1000.0


class TrendChart(QChartView):
    """Plots ``(datetime, value)`` points; shows a short message when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.series = QLineSeries()
        self.series.setName("Answers")
        self.reference = QLineSeries()
        self.reference.setName("Reference")
        chart = QChart()
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.addSeries(self.series)
        chart.addSeries(self.reference)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("MMM yyyy")
        self.x_axis.setTickCount(6)
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%g")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.series, self.reference):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setChart(chart)
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        self.setFrameShape(QChartView.Shape.NoFrame)
        self._apply_palette()
        self._empty_text = "No answers yet."
        self._has_points = False

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        for axis in (self.x_axis, self.y_axis):
            axis.setLabelsColor(text)
            axis.setGridLineColor(grid)
            axis.setTitleBrush(text)
        self.chart().legend().setLabelColor(text)
        self.chart().setTitleBrush(text)
        self.chart().setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        self.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        pen = QPen(palette.color(QPalette.ColorRole.Highlight))
        pen.setWidthF(2.0)
        self.series.setPen(pen)
        ref = QPen(QColor("#c98a00"))
        ref.setWidthF(1.5)
        ref.setStyle(Qt.PenStyle.DashLine)
        self.reference.setPen(ref)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def point_count(self) -> int:
        """How many points the answer line has (tests and accessibility)."""
        return self.series.count()

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
        self.chart().setTitle(title)
        self.series.setName(series_name)
        self.series.replace([_point(when, value) for when, value in points])
        self._has_points = bool(points)
        self._empty_text = empty_text
        self.y_axis.setTitleText(y_label)
        values = [v for _, v in points]
        if reference is not None:
            values.append(reference)
        low = y_min if y_min is not None else min(values, default=0.0)
        high = y_max if y_max is not None else max(values, default=1.0)
        if y_min is None:
            low = min(0.0, low)
        if y_max is None:
            high = high + max((high - low) * 0.1, 1.0)
        if high <= low:
            high = low + 1
        self.y_axis.setRange(low, high)
        if points:
            start, end = points[0][0], points[-1][0]
            if end <= start:
                start = datetime.fromtimestamp(start.timestamp() - 86400 * 15, start.tzinfo)
                end = datetime.fromtimestamp(end.timestamp() + 86400 * 15, end.tzinfo)
            self.x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(_ms(start))),
                                 QDateTime.fromMSecsSinceEpoch(int(_ms(end))))
            span_days = (end - start).days
            self.x_axis.setFormat("MMM yyyy" if span_days > 120 else "d MMM")
        if reference is not None and points:
            self.reference.replace([_point(points[0][0], reference),
                                    _point(points[-1][0], reference)])
            self.reference.setName(reference_name)
            self.reference.setVisible(True)
        else:
            self.reference.clear()
            self.reference.setVisible(False)
        legend_markers = self.chart().legend().markers(self.reference)
        for marker in legend_markers:
            marker.setVisible(reference is not None and bool(points))
        self.setAccessibleName(f"{title or series_name}: chart of {len(points)} points")
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect) -> None:  # type: ignore[no-untyped-def]
        super().drawForeground(painter, rect)
        if not self._has_points:
            painter.save()
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.chart().plotArea(), Qt.AlignmentFlag.AlignCenter,
                             self._empty_text)
            painter.restore()


def _point(when: datetime, value: float) -> QPointF:
    return QPointF(_ms(when), value)
