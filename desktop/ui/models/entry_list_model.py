"""The Journal page's list of entries: newest first, fetched page by page."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.records import Entry

PAGE = 200

EntryRole = Qt.ItemDataRole.UserRole + 1
"""``data(index, EntryRole)`` returns the Entry record itself."""
SnippetRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def entry_title(entry: Entry) -> str:
    if entry.title.strip():
        return entry.title.strip()
    first = next((line.strip("# ").strip() for line in entry.body.splitlines() if line.strip()), "")
    return first[:80] or "Untitled entry"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+|\|)|[*_`~|]+")


def entry_snippet(entry: Entry, length: int = 140) -> str:
    """The first words of the body without Markdown marks (cheap: no rendering)."""
    lines = [ln.strip() for ln in entry.body[:4000].replace("\x00", "").splitlines() if ln.strip()]
    if not entry.title.strip() and lines:
        lines = lines[1:]
    text = " ".join(_MARKS.sub("", _LINK.sub(r"\1", ln)).strip() for ln in lines)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:length] + ("…" if len(text) > length else "")


class EntryListModel(QAbstractListModel):
    """Rows come from ``fetch(offset, limit)``; ``canFetchMore``/``fetchMore`` load the
    next page when the view scrolls near the end, so a 100-year journal opens at once."""

    def __init__(self, fetch: Callable[[int, int], Sequence[Entry]] | None = None,
                 total: int = 0, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._total = total
        self._rows: list[Entry] = []

    def reset(self, fetch: Callable[[int, int], Sequence[Entry]] | None, total: int) -> None:
        """Replace the source (a new filter or a fresh load)."""
        self.beginResetModel()
        self._fetch, self._total = fetch, total
        self._rows = list(fetch(0, PAGE)) if fetch is not None and total else []
        self.endResetModel()

    def set_entries(self, entries: Sequence[Entry]) -> None:
        """Show a fixed list (search results)."""
        self.beginResetModel()
        self._fetch, self._total, self._rows = None, len(entries), list(entries)
        self.endResetModel()

    # Qt API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        more = list(self._fetch(len(self._rows), PAGE))
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry_title(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.created_at.astimezone().strftime("%A %d %B %Y, %H:%M")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry_title(entry)}, {entry.created_at.astimezone():%d %B %Y}"
        if role == EntryRole:
            return entry
        if role == SnippetRole:
            return entry_snippet(entry)
        return None

    # Edits keep the list in step without a reload --------------------------
    def row_of(self, entry_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), -1)

    def upsert(self, entry: Entry) -> int:
        """Insert a new entry at the top, or update it in place; returns its row."""
        row = self.row_of(entry.id)
        if row >= 0:
            self._rows[row] = entry
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)
            return row
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, entry)
        self._total += 1
        self.endInsertRows()
        return 0

    def remove(self, entry_id: int) -> None:
        row = self.row_of(entry_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._total -= 1
        self.endRemoveRows()
