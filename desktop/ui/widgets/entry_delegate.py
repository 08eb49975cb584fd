"""Paints one journal entry in the list: title, date and the first words of the body."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.models.entry_list_model import EntryRole, SnippetRole

PAD = 10


class EntryDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(220, PAD * 2 + line * 3 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        entry = index.data(EntryRole)
        if entry is None:
            return super().paint(painter, option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        base_font = QFont(option.font)
        metrics = QFontMetrics(base_font)
        line = metrics.lineSpacing()

        date_text = entry.created_at.astimezone().strftime("%d %b %Y")
        small = QFont(base_font)
        small.setPointSizeF(max(base_font.pointSizeF() * 0.9, 7.0))
        small_metrics = QFontMetrics(small)
        date_width = small_metrics.horizontalAdvance(date_text) + 6

        title_font = QFont(base_font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(palette.color(text_role))
        title_rect = QRect(rect.left(), rect.top(), rect.width() - date_width, line)
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole)), Qt.TextElideMode.ElideRight,
            title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

        painter.setFont(small)
        muted = palette.color(text_role)
        if not selected:
            muted = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - date_width, rect.top(), date_width, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, date_text)

        snippet = str(index.data(SnippetRole) or "")
        tags = "  ".join(f"#{t}" for t in entry.tags)
        body_rect = QRect(rect.left(), rect.top() + line + 2, rect.width(), line * 2)
        painter.setFont(base_font)
        painter.setPen(muted)
        first = metrics.elidedText(snippet, Qt.TextElideMode.ElideRight, body_rect.width())
        painter.drawText(QRect(body_rect.left(), body_rect.top(), body_rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, first)
        if tags:
            accent = palette.color(QPalette.ColorRole.Link) if not selected else muted
            painter.setPen(accent)
            painter.setFont(small)
            painter.drawText(QRect(body_rect.left(), body_rect.top() + line, body_rect.width(), line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             small_metrics.elidedText(tags, Qt.TextElideMode.ElideRight,
                                                      body_rect.width()))
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()
        return None
