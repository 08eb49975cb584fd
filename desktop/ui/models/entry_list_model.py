"""The Journal page's list of entries: newest first, fetched page by page."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt

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


class EntryListModel(QStringListModel):
    """The whole journal as rows from the start; a row's page is read from the database
    the first time the view paints it (``fetch(offset, limit)``).

    Appending pages as the user scrolls (``fetchMore``) made QListView lay out every row
    again on each append — over 100 ms per page at the end of a 100-year journal. With the
    row count known up front the view lays out once and only ever asks for visible rows.

    The rows themselves are held by Qt's own list model (one empty string each) and
    ``rowCount``/``index`` are deliberately not overridden: each time the row count
    changes (an entry written, deleted, or another process's write) QListView lays out
    every row again and asks the model for two indexes per row. With a Python
    ``rowCount`` that was 73,000 calls into Python for one removed row of a 100-year
    journal (about 0.2 s); in C++ the same layout takes a few milliseconds. Only
    ``data`` and ``flags`` (rows on screen) run in Python.
    """

    CACHED_PAGES = 64
    """Pages kept in memory (the least recently read are dropped)."""

    _FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
              | Qt.ItemFlag.ItemNeverHasChildren)

    def __init__(self, fetch: Callable[[int, int], Sequence[Entry]] | None = None,
                 total: int = 0, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._pages: OrderedDict[int, list[Entry]] = OrderedDict()
        self._fixed: list[Entry] | None = None
        if total:
            self.setStringList([""] * total)

    def reset(self, fetch: Callable[[int, int], Sequence[Entry]] | None, total: int) -> None:
        """Replace the source (a fresh load of ``total`` entries): one model reset."""
        self._fetch = fetch
        self._pages.clear()
        self._fixed = None
        self.setStringList([""] * total)

    def set_entries(self, entries: Sequence[Entry]) -> None:
        """Show a fixed list (search results): one model reset."""
        self._fetch, self._fixed = None, list(entries)
        self._pages.clear()
        self.setStringList([""] * len(self._fixed))

    @property
    def total(self) -> int:
        return self.rowCount()

    def entry_at(self, row: int) -> Entry | None:
        if self._fixed is not None:
            return self._fixed[row] if 0 <= row < len(self._fixed) else None
        if not 0 <= row < self.rowCount():
            return None
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            page = list(self._fetch(number * PAGE, PAGE)) if self._fetch is not None else []
            self._pages[number] = page
            while len(self._pages) > self.CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE
        return page[offset] if offset < len(page) else None

    # Qt API (rowCount and index stay Qt's own: see the class docstring) ---------
    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # read-only: entries change through the journal, never in the list

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
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
        """The row of a loaded entry, or -1."""
        if self._fixed is not None:
            return next((i for i, e in enumerate(self._fixed) if e.id == entry_id), -1)
        for number, page in self._pages.items():
            for offset, entry in enumerate(page):
                if entry.id == entry_id:
                    return number * PAGE + offset
        return -1

    def find_row(self, entry_id: int, near: int) -> int:
        """The row of ``entry_id``, reading the pages around row ``near`` if it is not
        loaded (after a reload its row moved by the rows written or deleted above it)."""
        row = self.row_of(entry_id)
        for guess in (near, near - PAGE, near + PAGE):
            if row >= 0 or near < 0:
                break
            if self.entry_at(guess) is not None:  # reads that row's page
                row = self.row_of(entry_id)
        return row

    def upsert(self, entry: Entry) -> int:
        """Insert a new entry at the top, or update it in place; returns its row."""
        row = self.row_of(entry.id)
        if row >= 0:
            if self._fixed is not None:
                self._fixed[row] = entry
            else:
                self._pages[row // PAGE][row % PAGE] = entry
            idx = self.index(row)
            self.dataChanged.emit(idx, idx)
            return row
        if self._fixed is not None:
            self._fixed.insert(0, entry)
        else:
            self._pages.clear()  # every row moved down one; pages are re-read on demand
        self.insertRows(0, 1)  # Qt's rowsAboutToBeInserted / rowsInserted
        return 0

    def remove(self, entry_id: int) -> None:
        row = self.row_of(entry_id)
        if row < 0:
            return
        if self._fixed is not None:
            del self._fixed[row]
        else:
            self._pages.clear()
        self.removeRows(row, 1)  # Qt's rowsAboutToBeRemoved / rowsRemoved
