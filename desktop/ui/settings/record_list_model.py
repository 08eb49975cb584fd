"""A list model over plain records (own prompts, tripwires, baseline versions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

RecordRole = Qt.ItemDataRole.UserRole + 1
"""The record itself."""

_Index = QModelIndex | QPersistentModelIndex


class RecordListModel(QAbstractListModel):
    """Shows each record through ``display`` (and ``tooltip`` when given)."""

    def __init__(self, display: Callable[[Any], str],
                 tooltip: Callable[[Any], str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._display = display
        self._tooltip = tooltip
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace every record."""
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(record)
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip is not None:
            return self._tooltip(record)
        if role == RecordRole:
            return record
        return None

    def record(self, row: int) -> Any:
        """The record at ``row``, or None."""
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_where(self, test: Callable[[Any], bool]) -> int:
        """The first row whose record passes ``test``, or -1."""
        return next((i for i, r in enumerate(self.records) if test(r)), -1)
