"""Settings: the journal's backups — list them, back up now, restore one (after a backup)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.sizes import human_size
from desktop.ui.errors import show_error
from desktop.ui.settings.base import SettingsSection
from desktop.ui.widgets.confirm import Confirm

log = logging.getLogger(__name__)

DATE_COLUMN, KIND_COLUMN, SIZE_COLUMN = range(3)
_HEADERS = ("Date", "Kind", "Size")
SortRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class BackupTableModel(QAbstractTableModel):
    """Backups (``db.backup.BackupInfo``), newest first: date, kind, size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_backups(self, backups: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def backup_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE_COLUMN:
                return info.created_at.astimezone().strftime("%d %b %Y, %H:%M")
            if column == KIND_COLUMN:
                return info.label
            if column == SIZE_COLUMN:
                return human_size(info.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SortRole:
            return (info.created_at.timestamp(), info.label, info.size)[column]
        if role == PathRole:
            return str(info.path)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(_HEADERS)):
            return _HEADERS[section]
        return None


class BackupsSection(SettingsSection):
    title = "Backups"
    subtitle = ("Keel backs your journal up every day while it runs, and before every update. "
                "Each backup is checked when it is made and stays on this computer.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = BackupTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.view = QTableView(objectName="backupTable")
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Backups")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DATE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(DATE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SIZE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(self.fontMetrics().height() * 9)
        self.folder_label = QLabel(objectName="mutedLabel", wordWrap=True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        self.body.addWidget(self.view)
        self.body.addWidget(self.folder_label)
        self.body.addLayout(buttons)
        self.setTabOrder(self.view, self.backup_button)
        self.setTabOrder(self.backup_button, self.restore_button)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.folder_label.setText(f"Kept in {context.paths.backups}")

    def journal_opened(self) -> None:
        self.reload()

    def refresh(self, changed: Change = EVERYTHING) -> None:
        if changed & Change.BACKUPS:
            self.reload()

    def reload(self) -> None:
        """Read the backups folder again."""
        from db.backup import folder_use, list_backups

        paths = self.context.paths
        backups = list_backups(paths.backups)
        self.model.set_backups(backups)
        self.restore_button.setEnabled(False)
        use = folder_use(paths.backups, paths.database)
        self.folder_label.setText(f"In {paths.backups}. {use.summary()}")

    def selected_backup(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.backup_at(self.proxy.mapToSource(rows[0]).row())

    @Slot()
    def _on_view_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    @Slot()
    def _on_backup_button_clicked(self) -> None:
        from db.backup import make_backup
        from desktop.ui.tasks import run_write

        self.backup_button.setEnabled(False)
        self.status_message.emit("Backing up…")
        paths = self.context.paths
        run_write(self, "Backup failed", make_backup, paths.database, paths.backups, "manual",
                  self.context.now(), self.context.passphrase, changes=Change.BACKUPS,
                  on_done=self._on_backup_done, on_error=self._on_backup_error)

    def _on_backup_done(self, info: Any) -> None:
        self.backup_button.setEnabled(True)
        self.reload()
        self.status_message.emit("Backup written and checked.")

    def _on_backup_error(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        show_error(self, "Backup failed", exc)

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        info = self.selected_backup()
        if info is None:
            return
        when = info.created_at.astimezone().strftime("%d %b %Y at %H:%M")
        if not Confirm.ask(
            self, "Restore a backup",
            f"Replace your journal with the backup from {when}?\n\n"
            "Keel first backs up the journal as it is now, so this can be undone by "
            "restoring that backup.", confirm="Restore", destructive=True):
            return
        from desktop.ui.lifecycle import restore

        error = restore(self.window(), self.context, info.path)
        if error is not None:
            show_error(self, "Restore failed", error)
            return
        self.reload()
        self.status_message.emit("Backup restored; the previous state was backed up first.")
