"""What is coming up on the Today page (check-in days, deadlines, vests, revisits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:  # desktop.today_data loads on the start-up preload thread
    from desktop.today_data import UpcomingItem


KIND_LABELS = {"checkin": "Check-in", "deadline": "Deadline", "vesting": "Vesting",
               "revisit": "Revisit"}
DayRole = Qt.ItemDataRole.UserRole + 1
"""The row's day as a short label ("Mon 30 Nov", "Today", "Tomorrow")."""
KindRole = Qt.ItemDataRole.UserRole + 2
DetailRole = Qt.ItemDataRole.UserRole + 3
_Index = QModelIndex | QPersistentModelIndex


def day_label(day: date, today: date) -> str:
    """"Today", "Tomorrow" or "Mon 30 Nov" (items are at most a few weeks ahead)."""
    delta = (day - today).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    return day.strftime("%a %d %b").replace(" 0", " ")


class UpcomingModel(QAbstractListModel):
    """Rows: upcoming items soonest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[UpcomingItem] = []
        self._today = date.min

    def set_items(self, items: Sequence[UpcomingItem], today: date) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._today = today
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{day_label(item.day, self._today)} — {item.title}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.detail or item.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{day_label(item.day, self._today)}: {item.title}. {item.detail}"
        if role == DayRole:
            return day_label(item.day, self._today)
        if role == KindRole:
            return item.kind
        if role == DetailRole:
            return item.detail
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None
