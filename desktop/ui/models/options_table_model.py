"""The Options page's table of job options, and the proxy that sorts and filters it.

Column 0 carries a check box: the options checked there are the ones compared side by
side. Checking is view state (not stored); the model keeps it by option id so a reload
keeps what the user ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from desktop.core.compare import format_money
from desktop.core.records import JobOption

OptionRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, OptionRole)`` returns the JobOption record itself."""
SortRole = Qt.ItemDataRole.UserRole + 2
"""A value that sorts naturally (numbers as numbers, missing dates last)."""

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("organisation", "Organisation"),
    ("role", "Role"),
    ("team", "Team"),
    ("status", "Status"),
    ("function", "Function"),
    ("seniority", "Seniority"),
    ("work_kind", "Kind of work"),
    ("pay", "Pay"),
    ("offer_deadline", "Offer deadline"),
)
COLUMN_OF = {key: i for i, (key, _title) in enumerate(COLUMNS)}

WORK_KIND_LABELS = {
    "capabilities": "Capabilities",
    "safety": "Safety",
    "mixed": "Mixed",
    "unrelated": "Unrelated to AI",
}


def format_day(day: date | None) -> str:
    """``12 Jan 2027``; ``""`` for no date."""
    return "" if day is None else f"{day.day} {day:%b %Y}"


def cell_text(option: JobOption, key: str) -> str:
    """What the table shows for ``option`` in the column ``key``."""
    if key == "pay":
        return format_money(option.pay, option.currency)
    if key == "offer_deadline":
        return format_day(option.offer_deadline)
    if key == "work_kind":
        return WORK_KIND_LABELS.get(option.work_kind, option.work_kind)
    value = getattr(option, key)
    if key in ("status", "function", "seniority"):
        return str(value).capitalize()
    return str(value or "")


class OptionsTableModel(QAbstractTableModel):
    """Job options, one per row, in the order given (the db lists newest change first)."""

    checked_changed = Signal()
    """The set of options ticked for comparison changed."""

    def __init__(self, options: Sequence[JobOption] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._options: list[JobOption] = list(options)
        self._checked: set[int] = set()

    # Qt API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._options)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._options):
            return None
        option = self._options[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = cell_text(option, key)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text or None
            return text
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            ticked = option.id is not None and option.id in self._checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == OptionRole:
            return option
        if role == SortRole:
            if key == "pay":
                return -1.0 if option.pay is None else float(option.pay)
            if key == "offer_deadline":
                return "9999" if option.offer_deadline is None else option.offer_deadline.isoformat()
            return cell_text(option, key).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "pay":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cell_text(option, key)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (not index.isValid() or index.column() != 0
                or role != Qt.ItemDataRole.CheckStateRole):
            return False
        option = self._options[index.row()]
        if option.id is None:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        if state == Qt.CheckState.Checked:
            self._checked.add(option.id)
        else:
            self._checked.discard(option.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section][1]
        return None

    # Keel API --------------------------------------------------------------------
    def set_options(self, options: Sequence[JobOption]) -> None:
        """Replace every row; ticks of options that still exist are kept."""
        self.beginResetModel()
        self._options = list(options)
        ids = {o.id for o in self._options}
        self._checked &= ids  # type: ignore[operator]
        self.endResetModel()
        self.checked_changed.emit()

    def options(self) -> list[JobOption]:
        return list(self._options)

    def option_at(self, row: int) -> JobOption | None:
        return self._options[row] if 0 <= row < len(self._options) else None

    def row_of(self, option_id: int | None) -> int:
        return next((i for i, o in enumerate(self._options) if o.id == option_id), -1)

    def checked_options(self) -> list[JobOption]:
        """The ticked options, in table order."""
        return [o for o in self._options if o.id in self._checked]

    def set_checked(self, option_id: int, checked: bool) -> None:
        row = self.row_of(option_id)
        if row < 0:
            return
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.setData(self.index(row, 0), state, Qt.ItemDataRole.CheckStateRole)


class OptionsFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SortRole`; keeps rows of one status (or all) that match a text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: str | None = None
        self._text = ""
        self.setSortRole(SortRole)

    def set_status(self, status: str | None) -> None:
        """Show only options with this status; None shows all."""
        self.beginFilterChange()
        self._status = status or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Show only options whose organisation, role, team or notes contain ``text``."""
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        option = model.data(model.index(source_row, 0, source_parent), OptionRole)
        if option is None:
            return False
        if self._status is not None and option.status != self._status:
            return False
        if self._text:
            haystack = " ".join((option.organisation, option.role, option.team, option.notes,
                                 option.function, option.work_kind)).casefold()
            return self._text in haystack
        return True
