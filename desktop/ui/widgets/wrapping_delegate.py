"""Item delegate whose rows grow to fit wrapped multi-line text at the view's width."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

PAD = 6


class WrappingDelegate(QStyledItemDelegate):
    """QListView's own word wrap measures rows before it knows their width, so long
    text is cut off; this delegate measures at the viewport's current width."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = max(80, self._view.viewport().width() - 2 * PAD - 8)
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, bounds.height() + 2 * PAD)
