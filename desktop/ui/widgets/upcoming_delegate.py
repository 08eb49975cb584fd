"""Draws one "Coming up" row: the day, a small kind tag, the title and a muted detail line."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.models.upcoming_model import KIND_LABELS, DayRole, DetailRole, KindRole


class UpcomingDelegate(QStyledItemDelegate):
    """Two lines per row; widths follow the font so it scales."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(option.rect.width(), line * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        muted_role = (QPalette.ColorRole.HighlightedText if selected
                      else QPalette.ColorRole.PlaceholderText)
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        rect = option.rect.adjusted(8, 7, -8, -7)
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        bold_metrics = QFontMetrics(bold)
        day_width = bold_metrics.horizontalAdvance("Wed 30 Sep") + metrics.averageCharWidth() * 3
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        day_rect = QRect(rect.left(), rect.top(), day_width, line)
        painter.drawText(day_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         str(index.data(DayRole) or ""))
        painter.setFont(option.font)
        painter.setPen(palette.color(muted_role))
        kind = KIND_LABELS.get(str(index.data(KindRole)), "")
        painter.drawText(QRect(rect.left(), rect.top() + line, day_width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, kind)

        text_left = rect.left() + day_width
        width = max(rect.right() - text_left, 10)
        title = str(index.data(Qt.ItemDataRole.UserRole).title)
        detail = str(index.data(DetailRole) or "")
        painter.setPen(palette.color(text_role))
        painter.drawText(QRect(text_left, rect.top(), width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(title, Qt.TextElideMode.ElideRight, width))
        painter.setPen(palette.color(muted_role))
        painter.drawText(QRect(text_left, rect.top() + line, width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(detail, Qt.TextElideMode.ElideRight, width))
        painter.restore()
