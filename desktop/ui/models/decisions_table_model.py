"""The decision journal: every recorded decision, newest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.records import Decision
from desktop.ui.models.options_table_model import format_day

Index = QModelIndex | QPersistentModelIndex

DecisionRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, DecisionRole)`` returns the Decision record."""

COLUMNS = ("Decided", "Decision", "Chosen", "Revisit")


class DecisionsTableModel(QAbstractTableModel):
    """Decisions with the chosen option's title and the revisit date (or "Revisited")."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._decisions: list[Decision] = []
        self._titles: dict[int, str] = {}
        self._tz: tzinfo | None = None

    def set_decisions(self, decisions: Sequence[Decision], titles: Mapping[int, str],
                      tz: tzinfo | None = None) -> None:
        """Show ``decisions``; ``titles`` maps option id → title for the Chosen column."""
        self.beginResetModel()
        self._decisions = list(decisions)
        self._titles = dict(titles)
        self._tz = tz
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._decisions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, decision: Decision, column: int) -> str:
        if column == 0:
            return format_day(decision.decided_at.astimezone(self._tz).date())
        if column == 1:
            return decision.summary
        if column == 2:
            if decision.chosen_option_id is None:
                return "Stay where I am"
            return self._titles.get(decision.chosen_option_id, "(option deleted)")
        if decision.revisited_at is not None:
            return "Revisited"
        return format_day(decision.revisit_on)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._decisions):
            return None
        decision = self._decisions[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(decision, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return decision.reasons.strip() or None
        if role == DecisionRole:
            return decision
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def decision_at(self, row: int) -> Decision | None:
        return self._decisions[row] if 0 <= row < len(self._decisions) else None
