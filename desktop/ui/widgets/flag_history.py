"""The flag history: every dismissal and snooze with its note, newest first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.core.records import FlagAction
from desktop.ui.models.flag_history_model import FlagHistoryModel


class FlagHistoryView(QTableView):
    """A read-only table over :class:`FlagHistoryModel`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagHistory")
        self.setAccessibleName("Flag history")
        self.history_model = FlagHistoryModel(self)
        self.setModel(self.history_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def set_actions(self, actions: Sequence[FlagAction], messages: Mapping[str, str],
                    tz: tzinfo | None = None) -> None:
        """Show these actions (see :meth:`FlagHistoryModel.set_actions`)."""
        self.history_model.set_actions(actions, messages, tz)
        rows = max(min(self.history_model.rowCount(), 8), 1)
        height = (self.horizontalHeader().sizeHint().height()
                  + rows * self.verticalHeader().defaultSectionSize() + 4)
        self.setFixedHeight(height)
