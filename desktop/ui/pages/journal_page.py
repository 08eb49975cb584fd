"""The Journal page: entries newest first, an editor with live preview, autosaved drafts."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.core.records import Entry
from desktop.ui.errors import search_failure, show_error
from desktop.ui.models.entry_list_model import EntryListModel, EntryRole, entry_title
from desktop.ui.pages.base import Page
from desktop.ui.tasks import run_in_background, run_write
from desktop.ui.widgets.banner import Banner
from desktop.ui.widgets.confirm import Confirm
from desktop.ui.widgets.entry_delegate import EntryDelegate
from desktop.ui.widgets.entry_editor import EntryEditor
from desktop.ui.widgets.journal_calendar import JournalCalendar
from desktop.ui.widgets.search_results import (
    HitRole,
    SearchResultDelegate,
    SearchResultsModel,
)

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1000
"""A draft is written this long after the last keystroke (and on close, at once)."""
NEW_KEY = "entry:new"


def draft_key(entry_id: int | None) -> str:
    return NEW_KEY if entry_id is None else f"entry:{entry_id}"


def search_query(text: str) -> str:
    """What the search box sends: the last word, while still being typed, as a prefix."""
    stripped = text.rstrip()
    if not stripped or stripped != text or stripped.endswith(('"', "*")):
        return stripped
    last = stripped.split()[-1]
    if last in ("OR", "AND", "NOT") or len(last) < 2 or stripped.count('"') % 2:
        return stripped
    return stripped + "*"


def _search(db: object, query: str, tags: tuple[str, ...], start: object,
            tz: object) -> tuple[list, list[Entry]]:
    """Worker: ranked hits of every kind, and the matching entries for the entry list."""
    from db.journal import list_entries
    from db.search import search

    hits = search(db, query, tags=tags, start=start, tz=tz)  # type: ignore[arg-type]
    ids = [hit.id for hit in hits if hit.kind == "entry"]
    return hits, (list_entries(db, ids=ids) if ids else [])  # type: ignore[arg-type]


def entry_days(db: object, tz: object) -> tuple[dict, dict]:
    """Worker: entries per local (year, month), newest first, and per local day grouped
    by month (what the timeline and the calendar show)."""
    from db import journal

    months: dict[tuple[int, int], int] = {}
    days: dict[tuple[int, int], dict[date, int]] = {}
    for when in journal.entry_dates(db):  # type: ignore[arg-type]
        day = when.astimezone(tz).date()  # type: ignore[arg-type]
        month = (day.year, day.month)
        months[month] = months.get(month, 0) + 1
        in_month = days.setdefault(month, {})
        in_month[day] = in_month.get(day, 0) + 1
    return months, days


def _warm_markdown() -> None:
    """Import the Markdown converter and build this thread's instance (worker, then UI)."""
    from desktop.core.markup import render_markdown

    render_markdown("*Keel*")


def _delete(db: object, entry_id: int) -> None:
    """Worker: delete an entry, its words from the search index and its draft."""
    from db import drafts, journal

    journal.delete_entry(db, entry_id)  # type: ignore[arg-type]
    drafts.discard_draft(db, draft_key(entry_id))  # type: ignore[arg-type]


class JournalPage(Page):
    title = "Journal"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.current_id: int | None = None
        self._dirty = False

        # Left: search and the list --------------------------------------------
        self.search_edit = QLineEdit(objectName="journalSearch")
        self.search_edit.setPlaceholderText("Search entries, answers, options")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the journal")
        self.search_edit.setToolTip('Words, "a phrase", prefix*, OR, NOT (Ctrl+F)')
        self.timeline = QComboBox(objectName="journalTimeline")
        self.timeline.setAccessibleName("Go to a month")
        self.timeline.setToolTip("Move through the years: jump to a month's entries")
        self.timeline.addItem("Go to…", None)
        self.timeline.activated.connect(self._on_timeline_activated)
        self.new_button = QPushButton("&New entry", objectName="newEntry")
        self.new_button.setToolTip("New entry (Ctrl+N)")
        self.model = EntryListModel(parent=self)
        self.list_view = QListView(objectName="entryList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(EntryDelegate(self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setAccessibleName("Entries, newest first")
        self.list_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.count_label = QLabel(objectName="entryCount")
        self.count_label.setObjectName("mutedLabel")

        # Search results replace the list while the search box has text.
        self.results_model = SearchResultsModel(context.tz, parent=self)
        self.results_view = QListView(objectName="searchResults")
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(SearchResultDelegate(self.results_view))
        self.results_view.setUniformItemSizes(True)
        self.results_view.setAccessibleName("Search results, best match first")
        self.results_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.no_results_label = QLabel(objectName="searchEmpty")
        self.no_results_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_results_label.setWordWrap(True)
        self.list_stack = QStackedWidget(objectName="journalListStack")
        self.list_stack.addWidget(self.list_view)
        self.list_stack.addWidget(self.results_view)
        self.list_stack.addWidget(self.no_results_label)
        self.tag_filter = QComboBox(objectName="searchTagFilter")
        self.tag_filter.setAccessibleName("Only entries with tag")
        self.tag_filter.addItem("Any tag", "")
        self.period_filter = QComboBox(objectName="searchPeriodFilter")
        self.period_filter.setAccessibleName("Only from")
        for label, days in (("Any time", 0), ("Past month", 31), ("Past 3 months", 92),
                            ("Past year", 366)):
            self.period_filter.addItem(label, days)
        self.filter_row = QWidget()
        filters = QHBoxLayout(self.filter_row)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.tag_filter, 1)
        filters.addWidget(self.period_filter, 1)
        self.filter_row.setVisible(False)
        self._search_generation = 0

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        # Moving through the years: a month calendar with the days that hold entries
        # marked (a click shows that day's entries) and the month list beside its toggle.
        self.calendar = JournalCalendar()
        self.calendar_button = QToolButton(objectName="journalCalendarToggle")
        self.calendar_button.setText("C&alendar")
        self.calendar_button.setCheckable(True)
        self.calendar_button.setChecked(True)
        self.calendar_button.setToolTip("Show or hide the month calendar of entries")
        self.calendar_button.setAccessibleName("Show the calendar")
        when = QHBoxLayout()
        when.addWidget(self.timeline, 1)
        when.addWidget(self.calendar_button)
        left_layout.addLayout(when)
        left_layout.addWidget(self.calendar)
        left_layout.addWidget(self.filter_row)
        left_layout.addWidget(self.list_stack, 1)
        left_layout.addWidget(self.count_label)

        # Right: banner, editor, actions -------------------------------------
        self.banner = Banner()
        self.editor = EntryEditor()
        self.save_button = QPushButton("&Save", objectName="saveEntry")
        self.save_button.setToolTip("Save entry (Ctrl+S)")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("Delete…", objectName="deleteEntry")
        self.state_label = QLabel(objectName="draftState")
        self.state_label.setObjectName("mutedLabel")
        actions = QHBoxLayout()
        actions.addWidget(self.state_label, 1)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.save_button)

        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.banner)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(editor_box)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 900])
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(splitter)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._run_search)

        self.editor.edited.connect(self._on_editor_edited)
        self.save_button.clicked.connect(self.save_entry)
        self.delete_button.clicked.connect(self.delete_entry)
        self.new_button.clicked.connect(self.new_entry)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.list_view.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.results_view.clicked.connect(self._on_results_activated)
        self.calendar.day_chosen.connect(self.go_to_day)
        self.calendar_button.toggled.connect(self.calendar.setVisible)
        self.results_view.activated.connect(self._on_results_activated)
        self.tag_filter.currentIndexChanged.connect(lambda _i: self._search_timer.start())
        self.period_filter.currentIndexChanged.connect(lambda _i: self._search_timer.start())
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._on_find_shortcut,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                  whatsThis="Journal: search entries, answers and options")
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_entry,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
                  whatsThis="Journal: save the entry")
        self.setEnabled(False)
        self._update_actions()

    # Loading -------------------------------------------------------------------
    def journal_opened(self) -> None:
        self.setEnabled(True)
        # The first preview imports and compiles the Markdown converter (0.1–0.3 s): do the
        # import on a worker now, so opening an entry or a search result does not wait.
        run_in_background(_warm_markdown, on_done=lambda _none: _warm_markdown())
        self.reload()
        self._offer_recovered_draft()
        if self.model.rowCount() == 0:
            self.new_entry()

    def reload(self) -> None:
        from db import journal

        db = self.context.db
        total = journal.count_entries(db)
        self.model.reset(lambda offset, limit: journal.entries_at(db, offset, limit), total)
        self._update_count(total)
        run_in_background(entry_days, db, self.context.tz, on_done=self._fill_timeline)

    def _fill_timeline(self, found: tuple[dict, dict]) -> None:
        """The months that hold entries, newest first, grouped under their years (counted
        on a worker: a 100-year journal has 36,500 dates)."""
        if not isValid(self):
            return
        months, days = found
        self.calendar.set_entry_days(days)
        self.timeline.blockSignals(True)
        self.timeline.clear()
        self.timeline.addItem("Go to…", None)
        year = None
        for (y, m), n in months.items():
            if y != year:
                year = y
                self.timeline.addItem(f"{y}", (y, 12))
            name = date(y, m, 1).strftime("%B")
            self.timeline.addItem(f"    {name} ({n})", (y, m))
        self.timeline.blockSignals(False)

    @Slot(int)
    def _on_timeline_activated(self, index: int) -> None:
        self.go_to_month(self.timeline.itemData(index))

    def go_to_month(self, month: tuple[int, int] | None) -> None:
        """Show the newest entry written in ``month`` (year, month) at the top of the list."""
        if month is None:
            return
        year, number = month
        self._go_to_before(date(year + (number == 12), number % 12 + 1, 1))
        self.timeline.setCurrentIndex(0)

    @Slot(object)
    def go_to_day(self, day: date) -> None:
        """Show ``day``'s entries: the list turns to them, the newest of the day opens."""
        count = self.calendar.entries_on(day)
        when = f"{day.day} {day:%B %Y}"
        if not count:
            self.status_message.emit(f"No entries on {when}")
            return
        self._go_to_before(day + timedelta(days=1))
        self.status_message.emit(f"{count} entr{'ies' if count != 1 else 'y'} on {when}")

    def _go_to_before(self, day: date) -> None:
        """Put the newest entry written before ``day`` (local) at the top and open it."""
        from db import journal

        end = datetime.combine(day, datetime.min.time(), self.context.tz)
        if self.search_edit.text():
            self.search_edit.clear()
        row = journal.count_entries_since(self.context.db, end)
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row)
            self.list_view.scrollTo(index, QListView.ScrollHint.PositionAtTop)
            self._select_row(row)

    def refresh(self, changed: Change = EVERYTHING) -> None:
        """Entries changed elsewhere (an import, say): reload the list and the tags."""
        if not changed & Change.ENTRIES or not self.isEnabled():
            return
        # Keep what the user is looking at: the scroll position and the open entry (its
        # editor, with anything typed, is not touched).
        bar = self.list_view.verticalScrollBar()
        position = bar.value()
        near = self.list_view.currentIndex().row()
        self.reload()
        row = (self.model.find_row(self.current_id, near) if self.current_id is not None
               else -1)
        if row >= 0:
            self.list_view.selectionModel().setCurrentIndex(
                self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        bar.setValue(position)
        if self.search_edit.text().strip():
            self._run_search()

    def _update_count(self, total: int | None = None) -> None:
        if self.search_edit.text().strip():
            n = self.results_model.rowCount()
            self.count_label.setText(f"{n} result{'' if n == 1 else 's'}, best match first")
        else:
            n = total if total is not None else self.model.total
            self.count_label.setText(f"{n} entr{'y' if n == 1 else 'ies'}")

    def _offer_recovered_draft(self) -> None:
        from db import drafts

        found = drafts.list_drafts(self.context.db, prefix="entry:")
        if not found:
            return
        draft = found[0]
        title = draft.payload.get("title") or (draft.payload.get("body", "").strip()[:40]) or "an entry"
        when = draft.updated_at.astimezone().strftime("%d %b %Y at %H:%M")
        self.banner.show_message(
            f"Keel kept unsaved text from {when} (“{title}”).",
            [("Restore", lambda: self._restore_draft(draft.key)),
             ("Discard", lambda: self._discard_recovered(draft.key))],
            kind="warning",
        )

    def _restore_draft(self, key: str) -> None:
        from db import drafts, journal

        draft = drafts.load_draft(self.context.db, key)
        self.banner.hide()
        if draft is None:
            return
        entry_id = None if key == NEW_KEY else int(key.split(":", 1)[1])
        if entry_id is not None and journal.get_entry(self.context.db, entry_id) is None:
            entry_id = None  # the entry was deleted since: keep the text as a new entry
        self._show_entry_id(entry_id, select=True)
        p = draft.payload
        self.editor.load(p.get("title", ""), p.get("body", ""), p.get("tags", []))
        self._dirty = True
        self.state_label.setText("Recovered draft — not saved yet")
        self._update_actions()

    def _discard_recovered(self, key: str) -> None:
        from db import drafts

        drafts.discard_draft(self.context.db, key)
        self.banner.hide()

    # Actions -------------------------------------------------------------------
    @Slot()
    def new_entry(self) -> None:
        self.flush()
        self.list_view.selectionModel().clearCurrentIndex()
        self.list_view.clearSelection()
        self._show_entry_id(None)
        self.editor.body_edit.setFocus()

    @Slot()
    def save_entry(self) -> None:
        from db import drafts, journal

        if not self.isEnabled():
            return
        payload = self.editor.payload()
        if self.current_id is None and self.editor.is_blank():
            self.state_label.setText("Nothing to save yet")
            return
        try:
            if self.current_id is None:
                entry = journal.create_entry(self.context.db, payload["body"], payload["title"],
                                             payload["tags"])
                drafts.discard_draft(self.context.db, NEW_KEY)
            else:
                entry = journal.update_entry(self.context.db, self.current_id, payload["body"],
                                             payload["title"], payload["tags"])
                drafts.discard_draft(self.context.db, draft_key(self.current_id))
                # The entry's old words leave the search index (and the file) shortly.
                from db.search import sync_index

                run_in_background(sync_index, self.context.db)
        except Exception as exc:
            log.warning("saving an entry failed: %s", type(exc).__name__)
            self.save_draft()
            show_error(self, "Could not save the entry", exc)
            return
        self._autosave.stop()
        self._dirty = False
        self.current_id = entry.id
        row = self.model.upsert(entry)
        self._select_row(row)
        self._update_count()
        self.state_label.setText(f"Saved at {entry.updated_at.astimezone():%H:%M}")
        self.status_message.emit("Entry saved")
        self.data_changed.emit(Change.ENTRIES)
        self._update_actions()

    @Slot()
    def delete_entry(self) -> None:
        from db import journal

        if self.current_id is None:
            return
        title = entry_title(journal.get_entry(self.context.db, self.current_id)
                            or Entry(0, "", "", self.context.now(), self.context.now()))
        if not Confirm.ask(self, "Delete entry",
                           f"Delete “{title}”? This cannot be undone.",
                           confirm="Delete", destructive=True):
            return
        entry_id = self.current_id
        self._autosave.stop()
        self._dirty = False
        self.delete_button.setEnabled(False)
        self.state_label.setText("Deleting…")
        run_write(self, "Could not delete the entry", _delete, self.context.db, entry_id,
                  changes=Change.ENTRIES, on_done=lambda _none: self._on_deleted(entry_id),
                  on_error=self._on_delete_failed)

    def _on_deleted(self, entry_id: int) -> None:
        self.model.remove(entry_id)
        self._update_count()
        self.status_message.emit("Entry deleted")
        if self.current_id != entry_id:
            return  # the user moved on while it was deleted
        self.current_id = None
        if self.model.rowCount():
            self._select_row(0)
        else:
            self._show_entry_id(None)

    def _on_delete_failed(self, exc: BaseException) -> None:
        log.warning("deleting an entry failed: %s", type(exc).__name__)
        self.state_label.setText("Not deleted")
        self._update_actions()
        show_error(self, "Could not delete the entry", exc)

    @Slot()
    def save_draft(self) -> None:
        """Write what is typed to the drafts table (autosave)."""
        from db import drafts

        if not self._dirty or not self.isEnabled():
            return
        self._autosave.stop()
        try:
            drafts.save_draft(self.context.db, draft_key(self.current_id), self.editor.payload())
        except Exception as exc:
            log.warning("autosave failed: %s", type(exc).__name__)
            self.state_label.setText("Autosave failed — your text is still here; try Save")
            return
        self.state_label.setText(f"Draft autosaved at {self.context.now().astimezone():%H:%M:%S}")

    def flush(self) -> None:
        self.save_draft()

    # Search ------------------------------------------------------------------
    @Slot()
    def _run_search(self) -> None:
        """Search entries, answers, reflections and options off the UI thread.

        A newer query supersedes an older one: only the latest search's result is shown.
        """

        text = self.search_edit.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self.filter_row.setVisible(False)
            self.list_stack.setCurrentWidget(self.list_view)
            self.results_model.set_hits([])
            self.reload()
            return
        if not self.filter_row.isVisible():
            self._load_tags()
            self.filter_row.setVisible(True)
        query = search_query(self.search_edit.text())
        tag = self.tag_filter.currentData() or ""
        days = int(self.period_filter.currentData() or 0)
        start = None
        if days:
            start = self.context.now().astimezone(self.context.tz).date() - timedelta(days=days)
        run_in_background(
            _search, self.context.db, query, (tag,) if tag else (), start, self.context.tz,
            on_done=lambda found: self._on_search_done(generation, text, *found),
            on_error=lambda exc: self._on_search_failed(generation, exc))

    def _load_tags(self) -> None:
        from db import journal

        current = self.tag_filter.currentData() or ""
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("Any tag", "")
        for tag, count in journal.all_tags(self.context.db):
            self.tag_filter.addItem(f"#{tag} ({count})", tag)
        self.tag_filter.setCurrentIndex(max(self.tag_filter.findData(current), 0))
        self.tag_filter.blockSignals(False)

    def _on_search_done(self, generation: int, text: str, hits: list,
                        entries: list[Entry]) -> None:
        if not isValid(self) or generation != self._search_generation:
            return  # a newer query was typed meanwhile, or the window is gone
        self.results_model.set_hits(hits)
        self.model.set_entries(entries)  # the plain list shows the matching entries too
        if hits:
            self.list_stack.setCurrentWidget(self.results_view)
        else:
            self.no_results_label.setText(
                f"Nothing matches “{text}”.\nTry fewer words, a word’s beginning "
                "followed by *, or another tag or period.")
            self.list_stack.setCurrentWidget(self.no_results_label)
        self._update_count()

    def _on_search_failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self) or generation != self._search_generation:
            return
        log.warning("search failed: %s", type(exc).__name__)
        self.results_model.set_hits([])
        self.no_results_label.setText(search_failure(exc))
        self.list_stack.setCurrentWidget(self.no_results_label)
        self.count_label.setText("")

    @Slot(QModelIndex)
    def _on_results_activated(self, index: QModelIndex) -> None:
        hit = index.data(HitRole) if index.isValid() else None
        if hit is None:
            return
        if hit.kind == "entry":
            if hit.id != self.current_id:
                self.flush()
                self._show_entry_id(hit.id, select=True)
        else:  # answers and reflections open their check-in read-only; options on Options
            opener = getattr(self.window(), "open_search_hit", None)
            if opener is not None:
                opener(hit)

    @Slot()
    def _on_find_shortcut(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # Selection ---------------------------------------------------------------
    def _select_row(self, row: int) -> None:
        index = self.model.index(row)
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list_view.scrollTo(index)

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(EntryRole) if current.isValid() else None
        if entry is None or entry.id == self.current_id:
            return
        self.flush()
        self._show_entry_id(entry.id)

    def open_entry(self, entry_id: int) -> None:
        """Show entry ``entry_id`` (a search result elsewhere chose it)."""
        if entry_id != self.current_id:
            self.flush()
            self._show_entry_id(entry_id, select=True)

    def _show_entry_id(self, entry_id: int | None, select: bool = False) -> None:
        from db import drafts, journal

        self._autosave.stop()
        self.current_id = entry_id
        self._dirty = False
        if entry_id is None:
            draft = drafts.load_draft(self.context.db, NEW_KEY) if select else None
            self.editor.load("", "", [])
            self.editor.set_date_text(f"{self.context.now().astimezone(self.context.tz):%A %d %B %Y}")
            self.state_label.setText("New entry")
            self.editor.set_reading(False)  # a new entry is written, not read
        else:
            entry = journal.get_entry(self.context.db, entry_id)
            if entry is None:
                return
            self.editor.load(entry.title, entry.body, entry.tags)
            written = entry.created_at.astimezone(self.context.tz)
            self.editor.set_date_text(f"{written:%A %d %B %Y, %H:%M}")
            self.calendar.show_day(written.date())  # the calendar follows the entry read
            self.state_label.setText(f"Last saved {entry.updated_at.astimezone():%d %b %Y, %H:%M}")
            draft = drafts.load_draft(self.context.db, draft_key(entry_id))
            if draft is not None and not select:
                p = draft.payload
                self.editor.load(p.get("title", ""), p.get("body", ""), p.get("tags", []))
                self._dirty = True
                self.state_label.setText("Unsaved changes restored — press Ctrl+S to save")
            # A saved entry opens for reading; restored unsaved changes open for editing.
            self.editor.set_reading(not self._dirty)
            if select:
                row = self.model.row_of(entry_id)
                if row >= 0:
                    self._select_row(row)
        self._update_actions()

    @Slot()
    def _on_editor_edited(self) -> None:
        self._dirty = True
        self._autosave.start()
        self.state_label.setText("Editing…")
        self._update_actions()

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self.current_id is not None)
        self.save_button.setEnabled(self._dirty or self.current_id is None)
