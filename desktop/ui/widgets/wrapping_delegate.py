"""Item delegate whose rows grow to fit wrapped multi-line text at the view's width."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

PAD = 6


class WrappingDelegate(QStyledItemDelegate):
    """QListView's own word wrap measures rows before it knows their width, so long
    text is cut off; this delegate measures at the viewport's current width."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._line_height: int | None = None

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = max(80, self._view.viewport().width() - 2 * PAD - 8)
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(width, max(bounds.height() + 2 * PAD, self._editor_height() + 2))

    def _editor_height(self) -> int:
        """The height a line editor needs in this view's font, descenders included."""
        if self._line_height is None:
            probe = QLineEdit(self._view)
            self._line_height = probe.sizeHint().height()
            probe.deleteLater()
        return self._line_height

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        """Never squeeze the inline editor below its own height (it cut "g", "p", "y")."""
        rect = QRect(option.rect)
        need = editor.sizeHint().height()
        if rect.height() < need:
            rect.setTop(rect.center().y() - need // 2)
            rect.setHeight(need)
        editor.setGeometry(rect)
