"""Ranked search hits: a list model and a delegate that paints kind, title, date and a
snippet with the matched words in bold.

The model holds :class:`db.search.SearchHit`-like objects (anything with ``kind``, ``id``,
``title``, ``date``, ``snippet`` and ``tags``); it never imports the db package, so the
Journal page stays importable before SQLAlchemy is loaded.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

HIGHLIGHT_START = "\x02"
"""Same markers as ``db.search.HIGHLIGHT_START`` / ``HIGHLIGHT_END`` (kept in step by a test)."""
HIGHLIGHT_END = "\x03"

KIND_LABELS = {
    "entry": "Entry",
    "answer": "Check-in answer",
    "reflection": "Reflection",
    "option": "Option note",
    "decision": "Decision",
}
"""What each kind of hit is called on screen."""

HitRole = Qt.ItemDataRole.UserRole + 1
"""The hit object itself."""
KindRole = Qt.ItemDataRole.UserRole + 2
"""The kind label ("Entry", "Check-in answer", …)."""
SnippetHtmlRole = Qt.ItemDataRole.UserRole + 3
"""The snippet as escaped HTML with matches in ``<b>``."""
DateTextRole = Qt.ItemDataRole.UserRole + 4
"""The hit's day as text, in the model's time zone."""

Index = QModelIndex | QPersistentModelIndex
PAD = 10


def snippet_html(snippet: str) -> str:
    """*snippet* as escaped HTML, marked spans in ``<b>``; runs of whitespace collapsed."""
    text = " ".join(snippet.split())
    return html.escape(text).replace(HIGHLIGHT_START, "<b>").replace(HIGHLIGHT_END, "</b>")


def snippet_plain(snippet: str) -> str:
    """*snippet* without the highlight markers, on one line."""
    return " ".join(snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split())


class SearchResultsModel(QAbstractListModel):
    """Search hits, best first (the order the search returned them in)."""

    def __init__(self, tz: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Any] = []
        self._tz = tz

    def set_hits(self, hits: Sequence[Any]) -> None:
        """Replace every hit."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Any:
        """The hit on *row*, or None."""
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(hit.title)
        if role == HitRole:
            return hit
        if role == KindRole:
            return KIND_LABELS.get(hit.kind, hit.kind.capitalize())
        if role == SnippetHtmlRole:
            return snippet_html(hit.snippet)
        if role == DateTextRole:
            return hit.date.astimezone(self._tz).strftime("%d %b %Y") if hit.date else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            kind = KIND_LABELS.get(hit.kind, hit.kind)
            when = self.data(index, DateTextRole)
            return f"{kind}: {hit.title}, {when}. {snippet_plain(hit.snippet)}"
        return None


class SearchResultDelegate(QStyledItemDelegate):
    """Two lines of header (kind · date, then the title) and up to two lines of snippet."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(220, PAD * 2 + line * 4 + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.data(HitRole) is None:
            super().paint(painter, option, index)
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = palette.color(text_role)
        muted = text_color if selected else palette.color(
            QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        base = QFont(option.font)
        line = QFontMetrics(base).lineSpacing()

        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.9, 7.0))
        small_metrics = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(palette.color(QPalette.ColorRole.Link) if not selected else text_color)
        kind = str(index.data(KindRole)).upper()
        kind_rect = QRect(rect.left(), rect.top(), rect.width() // 2, line)
        painter.drawText(kind_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         small_metrics.elidedText(kind, Qt.TextElideMode.ElideRight,
                                                  kind_rect.width()))
        painter.setPen(muted)
        painter.drawText(QRect(rect.left() + rect.width() // 2, rect.top(), rect.width() // 2, line),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         str(index.data(DateTextRole) or ""))

        title_font = QFont(base)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_color)
        title_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(title_font).elidedText(
                             str(index.data(Qt.ItemDataRole.DisplayRole)),
                             Qt.TextElideMode.ElideRight, title_rect.width()))

        snippet_rect = QRect(rect.left(), rect.top() + line * 2 + 4, rect.width(), line * 2 + 2)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(base)
        doc.setDefaultStyleSheet(f"b {{ color: {text_color.name()}; }}")  # matches stand out
        doc.setHtml(str(index.data(SnippetHtmlRole) or ""))
        doc.setTextWidth(snippet_rect.width())
        height = snippet_rect.height()
        lines = doc.firstBlock().layout()
        if lines is not None and lines.lineCount() > 2:  # show whole lines only, never a sliver
            height = min(height, int(lines.position().y() + lines.lineAt(2).y()))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_color if selected else muted)
        context.clip = QRect(0, 0, snippet_rect.width(), height).toRectF()
        painter.translate(QPointF(snippet_rect.topLeft()))
        painter.setClipRect(QRect(0, 0, snippet_rect.width(), height))
        doc.documentLayout().draw(painter, context)
        painter.restore()

        painter.save()
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()
