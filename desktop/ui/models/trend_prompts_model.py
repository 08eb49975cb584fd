"""The numeric and scale prompts the user has answered, with how often, for the Trends list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.records import with_unit
from desktop.trends_data import TrendPrompt

PromptIdRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


class TrendPromptsModel(QAbstractListModel):
    """Rows: one answered numeric/scale prompt each, in prompt-library order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TrendPrompt] = []

    def set_prompts(self, prompts: Sequence[TrendPrompt]) -> None:
        self.beginResetModel()
        self._rows = list(prompts)
        self.endResetModel()

    def prompt_at(self, row: int) -> TrendPrompt:
        return self._rows[row]

    def row_of(self, prompt_id: str) -> int:
        """The row showing ``prompt_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.prompt_id == prompt_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            latest = ""
            if row.last_value is not None:
                latest = f" · latest {with_unit(_number(row.last_value), row.unit)}"
            answers = "answer" if row.count == 1 else "answers"
            return f"{row.question}\n{row.count:,} {answers}{latest}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.question
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.question}, {row.count} answers"
        if role == PromptIdRole:
            return row.prompt_id
        if role == CountRole:
            return row.count
        return None
