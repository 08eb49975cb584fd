"""The comparison table: one column per option, rows of :func:`desktop.core.compare.compare`.

Each section ("Fields", "Assessment", "Panel") starts with a header row spanning the
table; rows whose cells differ get a soft highlight taken from the palette, so light and
dark schemes both read well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from desktop.core.compare import CompareRow

Index = QModelIndex | QPersistentModelIndex

SECTION_TITLES = {
    "Fields": "The option",
    "Assessment": "Your assessment",
    "Panel": "The experts' panel",
}

EMPTY = "not given"
"""Shown (greyed) in a cell the option leaves empty."""

IsSectionRole = Qt.ItemDataRole.UserRole + 1
"""True on a section header row."""
DiffersRole = Qt.ItemDataRole.UserRole + 2
"""True on a row whose cells are not all the same."""


@dataclass(frozen=True)
class _Line:
    section: str
    row: CompareRow | None
    """None for the section's header line."""


def difference_colour(palette: QPalette | None = None) -> QColor:
    """A soft tint of the palette's highlight colour, readable under normal text."""
    palette = palette or QGuiApplication.palette()
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    colour.setAlpha(48)
    return colour


class CompareTableModel(QAbstractTableModel):
    """Column 0 is the row's label; columns 1… are the options, in the order given."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._titles: list[str] = []
        self._lines: list[_Line] = []

    def set_comparison(self, titles: Sequence[str], rows: Sequence[CompareRow]) -> None:
        """Show ``rows`` (from ``compare()``) for options titled ``titles``."""
        self.beginResetModel()
        self._titles = list(titles)
        self._lines = []
        section = None
        for row in rows:
            if row.section != section:
                section = row.section
                self._lines.append(_Line(section, None))
            self._lines.append(_Line(section, row))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else (1 + len(self._titles) if self._titles else 0)

    def is_section(self, row: int) -> bool:
        return 0 <= row < len(self._lines) and self._lines[row].row is None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            if line.row is None:
                text = SECTION_TITLES.get(line.section, line.section) if column == 0 else ""
            elif column == 0:
                text = line.row.label
            else:
                text = line.row.values[column - 1] if column - 1 < len(line.row.values) else ""
                if not text and role == Qt.ItemDataRole.DisplayRole:
                    text = EMPTY
            if role == Qt.ItemDataRole.ToolTipRole:
                return text or None
            return text
        if role == IsSectionRole:
            return line.row is None
        if role == DiffersRole:
            return bool(line.row is not None and line.row.differs)
        if (role == Qt.ItemDataRole.ForegroundRole and line.row is not None and column > 0
                and not line.row.values[column - 1]):
            return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.FontRole and line.row is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.row is None:
                return QBrush(QGuiApplication.palette().color(QPalette.ColorRole.AlternateBase))
            if line.row.differs and column > 0:
                return QBrush(difference_colour())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return ""
        if 1 <= section <= len(self._titles):
            return self._titles[section - 1]
        return None
