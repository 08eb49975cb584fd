"""Dismissed and snoozed flags with the user's notes, newest first, as a table model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.records import FlagAction

RULE_LABELS = {
    "tripwire-crossed": "A tripwire was crossed",
    "worry-drift": "Worry moved from your baseline",
    "no-xrisk-conversation": "No conversation with an x-risk worrier",
    "no-xrisk-reading": "No x-risk reading",
    "financial-lock-in": "Financial lock-in",
    "conscience-share-zero": "No time questioning decisions",
    "unease-unspoken": "Uneasy but did not speak up",
    "low-performance": "Job performance rated low",
    "no-time-outside": "No time outside the lab environment",
    "offer-deadline": "Offer deadline close",
    "decision-revisit": "Decision due for a revisit",
    "tripwire-close": "A tripwire is getting close",
    "prompt-skipped": "A prompt skipped three times",
}
"""Short names of the flag rules, for history rows whose flag no longer applies."""

COLUMNS = ("When", "Flag", "Action", "Note")
_Index = QModelIndex | QPersistentModelIndex


def flag_label(key: str, messages: Mapping[str, str]) -> str:
    """The flag's message when it still applies, else its rule's short name."""
    if key in messages:
        return messages[key]
    rule = key.split(":", 1)[0]
    return RULE_LABELS.get(rule, rule.replace("-", " ").capitalize())


class FlagHistoryModel(QAbstractTableModel):
    """Rows: one dismissal or snooze each, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FlagAction] = []
        self._messages: Mapping[str, str] = {}
        self._tz: tzinfo | None = None

    def set_actions(self, actions: Sequence[FlagAction], messages: Mapping[str, str],
                    tz: tzinfo | None = None) -> None:
        """Replace the rows; ``messages`` maps flag keys to the flags' current messages."""
        self.beginResetModel()
        self._rows = sorted(actions, key=lambda a: a.created_at, reverse=True)
        self._messages = dict(messages)
        self._tz = tz
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _local(self, when: datetime) -> datetime:
        return when.astimezone(self._tz) if self._tz is not None else when

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        action = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return self._local(action.created_at).strftime("%d %b %Y")
            if column == 1:
                return flag_label(action.flag_id, self._messages)
            if column == 2:
                if action.action == "snoozed" and action.until is not None:
                    return f"Snoozed until {self._local(action.until).strftime('%d %b %Y')}"
                return action.action.capitalize()
            if column == 3:
                return action.note or ("—" if role == Qt.ItemDataRole.DisplayRole else None)
        if role == Qt.ItemDataRole.UserRole:
            return action
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None
