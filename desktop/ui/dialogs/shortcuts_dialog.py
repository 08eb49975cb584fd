"""Help → Keyboard shortcuts: every shortcut of the running window, in a filterable table.

The rows are read from the window at the moment the dialog opens — its QActions (menus,
pages, toolbars) and the navigation ``PAGES`` — so the list can never drift from what the
keys really do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.navigation import PAGES, PageSpec


@dataclass(frozen=True)
class ShortcutRow:
    action: str
    keys: str
    where: str


def _plain(text: str) -> str:
    """Menu text without mnemonics or trailing dots: "&New entry…" → "New entry"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("….").strip()


def _native(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _where(action: QAction, window: QWidget) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            return _plain(owner.title()) + " menu"
    return _page_of(action, window) or "Everywhere"


def _in_dialog(obj: QObject, window: QWidget) -> bool:
    """True for controls of an open dialog (they are not the window's shortcuts)."""
    parent = obj.parent()
    while parent is not None and parent is not window:
        if isinstance(parent, QDialog):
            return True
        parent = parent.parent()
    return False


def _page_of(obj: QObject, window: QWidget) -> str | None:
    """"Journal page" when ``obj`` lives inside one of the window's pages."""
    pages = getattr(window, "pages", {})
    parent = obj.parent()
    while parent is not None:
        for page_id, page in pages.items():
            if parent is page:
                spec = next((s for s in PAGES if s.id == page_id), None)
                return f"{spec.title if spec else page_id} page"
        parent = parent.parent()
    return None


def collect_shortcuts(window: QWidget, pages: tuple[PageSpec, ...] = PAGES) -> list[ShortcutRow]:
    """Every shortcut the window answers to: its actions, page buttons and described
    QShortcuts, then any page of ``pages`` missing from the menus."""
    rows: list[ShortcutRow] = []
    seen: set[str | tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        keys = [_native(seq) for seq in action.shortcuts() if not seq.isEmpty()]
        text = _plain(action.text())
        if not keys or not text:
            continue
        joined = ", ".join(keys)
        if joined in seen:
            continue
        seen.add(joined)
        rows.append(ShortcutRow(text, joined, _where(action, window)))
    # Page-level keys: buttons with a shortcut, and QShortcuts that describe themselves
    # (``setWhatsThis("Save the entry")``); a bare QShortcut has no words to list.
    extra: list[tuple[str, QKeySequence, QObject]] = []
    extra += [(b.text(), b.shortcut(), b) for b in window.findChildren(QAbstractButton)
              if b.shortcut() != QKeySequence.mnemonic(b.text())]  # Alt+letter is underlined
    extra += [(s.whatsThis(), s.key(), s) for s in window.findChildren(QShortcut)]
    for text, sequence, owner in extra:
        keys, label = _native(sequence), _plain(text)
        where = _page_of(owner, window) or "Everywhere"
        # Page keys may repeat on another page (Ctrl+S saves on Journal and on Options).
        if not keys or not label or (keys, where) in seen or keys in seen \
                or _in_dialog(owner, window):
            continue
        seen.add((keys, where))
        rows.append(ShortcutRow(label, keys, where))
    for spec in pages:
        keys = _native(QKeySequence(spec.shortcut))
        if keys and keys not in seen:
            seen.add(keys)
            rows.append(ShortcutRow(f"Go to {spec.title}", keys, "Go menu"))
    return rows


class ShortcutsModel(QAbstractTableModel):
    """Rows of (action, keys, where) for the shortcuts table."""

    HEADERS = ("Action", "Shortcut", "Where")

    def __init__(self, rows: list[ShortcutRow] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ShortcutRow] = list(rows or [])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.action, row.keys, row.where)[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle("Keyboard shortcuts")
        self.model = ShortcutsModel(collect_shortcuts(window), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.filter_edit = QLineEdit(placeholderText="Type to filter, e.g. “entry” or “Ctrl”")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter shortcuts")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        filter_label = QLabel("&Filter:")
        filter_label.setBuddy(self.filter_edit)

        self.table = QTableView()
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # menu order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(filter_label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 28)

    @classmethod
    def ask(cls, window: QWidget) -> None:
        cls(window).exec()
