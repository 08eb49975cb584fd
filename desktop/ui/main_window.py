"""The main window: a sidebar, the pages, a status bar and menus. It wires pages together
and does little else; each page owns its own behaviour."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change
from desktop.ui.application import freeze_start_up_heap
from desktop.ui.navigation import DEFAULT_PAGE, PAGES, PageSpec
from desktop.ui.pages.base import Page
from desktop.ui.sidebar import Sidebar
from desktop.ui.widgets.banner import Banner, arbitrate

if TYPE_CHECKING:
    from desktop.ui.journal_watcher import JournalWatcher

log = logging.getLogger(__name__)


class PageCache(Mapping[str, Page]):
    """The window's pages by id. Looking a page up builds it (and, once the journal is
    open, loads it); iterating covers only the pages built so far, so flushing or
    refreshing never builds a page nobody has looked at."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._built: dict[str, Page] = {}

    def __getitem__(self, page_id: str) -> Page:
        page = self._built.get(page_id)
        if page is None:
            page = self._window._build_page(page_id)
            self._built[page_id] = page
            self._window._page_built(page)
        return page

    def __contains__(self, page_id: object) -> bool:
        return any(spec.id == page_id for spec in self._window.page_specs)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._built))

    def __len__(self) -> int:
        return len(self._built)

    def is_built(self, page_id: str) -> bool:
        return page_id in self._built


class MainWindow(QMainWindow):
    closing = Signal()
    """The user closed the window (the app may stay in the tray)."""
    page_data_changed = Signal(object)
    """Journal data changed — saved by a page, or by another process (argument: a
    :class:`Change`)."""

    def __init__(self, context: AppContext, pages: tuple[PageSpec, ...] = PAGES,
                 settings: QSettings | None = None, defer_first_page: bool = False) -> None:
        """*defer_first_page*: show the frame (sidebar, menus) first and build the page
        the window opens on only when :meth:`show_first_page` is called — the app does
        that on the first event-loop turn, so the window appears before any page's
        modules are imported."""
        super().__init__()
        self.context = context
        self.settings = settings
        self.setWindowTitle("Keel")
        self.setMinimumSize(760, 520)
        self.resize(1280, 800)
        self.page_specs = pages
        self.pages = PageCache(self)
        """Pages by id, built on first use (the first window shows only its own page)."""
        self._journal_open = False
        self._first_page: str | None = None
        """The page to open on, while its building is deferred."""
        self._defer_first_page = defer_first_page
        self.watcher: JournalWatcher | None = None
        """Notices writes made by another process (started once the journal is open)."""
        self.keep_running_on_close = False
        """Set by the tray: closing hides the window instead of quitting."""
        self.quitting = False
        """True once Quit was chosen (menu or tray): closing must not hide into the tray."""

        self.sidebar = Sidebar(pages)
        self.stack = QStackedWidget(objectName="pages")
        self.banner = Banner()

        central = QWidget()
        body = QVBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(16, 10, 16, 0)
        banner_row.addWidget(self.banner)
        body.addLayout(banner_row)
        body.addWidget(self.stack, 1)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().showMessage("Opening your journal…")

        self.sidebar.page_requested.connect(self.show_page)
        self._create_menus()
        if not defer_first_page:
            self.fill_menus()
        self._restore_state()

    # Menus ---------------------------------------------------------------------
    def _create_menus(self) -> None:
        """The menu bar's menus, empty: they are in the first frame, so it does not jump."""
        self.file_menu = self.menuBar().addMenu("&File")
        self.go_menu = self.menuBar().addMenu("&Go")
        self.help_menu = self.menuBar().addMenu("&Help")
        self._menus_filled = False

    def fill_menus(self) -> None:
        """The menus' actions. With a deferred first page they are added on the first
        event-loop turn: creating a QAction builds every Qt-namespace enum (~20 ms)."""
        if self._menus_filled:
            return
        self._menus_filled = True
        file_menu = self.file_menu
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.quit_requested)
        self.new_entry_action = QAction("&New entry", self, shortcut=QKeySequence.StandardKey.New)
        self.new_entry_action.triggered.connect(self._on_new_entry)
        file_menu.addAction(self.new_entry_action)
        file_menu.addSeparator()
        self.export_action = QAction("&Export…", self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export for an advising call (Markdown, HTML or PDF)")
        self.export_action.triggered.connect(self._on_export)
        file_menu.addAction(self.export_action)
        self.import_action = QAction("&Import…", self)
        self.import_action.setToolTip("Import a Keel, jrnl or Day One JSON export")
        self.import_action.triggered.connect(self._on_import)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        for spec in self.page_specs:
            action = QAction(spec.title, self, shortcut=QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _c=False, page=spec.id: self.show_page(page))
            self.go_menu.addAction(action)
        self.go_menu.addSeparator()
        self.search_action = QAction("&Search everything…", self, shortcut=QKeySequence("Ctrl+K"))
        from PySide6.QtCore import Qt  # menus fill after the first frame (see above)

        self.search_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.search_action.triggered.connect(self.search_everything)
        self.go_menu.addAction(self.search_action)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self._on_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        about = QAction("&About Keel", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._on_about)
        self.help_menu.addAction(about)

    # Pages ---------------------------------------------------------------------
    def _spec(self, page_id: str) -> PageSpec:
        spec = next((s for s in self.page_specs if s.id == page_id), None)
        if spec is None:
            raise KeyError(page_id)
        return spec

    def _build_page(self, page_id: str) -> Page:
        spec = self._spec(page_id)
        page = spec.factory()(self.context)
        page.setObjectName(f"page_{spec.id}")
        page.setAccessibleName(spec.title)
        page.status_message.connect(self._on_page_status_message)
        page.navigate.connect(self.show_page)
        page.data_changed.connect(self._on_page_data_changed)
        if hasattr(page, "badge_changed"):
            page.badge_changed.connect(
                lambda text, pid=spec.id: self.sidebar.set_badge(pid, text))
        self.stack.addWidget(page)
        return page

    def _page_built(self, page: Page) -> None:
        if self._journal_open:
            self._load_page(page)

    def _load_page(self, page: Page) -> None:
        try:
            page.journal_opened()
        except Exception:  # one failing page must not stop the others loading
            log.exception("page %s failed to load", page.objectName())

    def build_remaining_pages(self) -> None:
        """Build the pages not yet shown, one per event-loop turn, so switching to them
        later is instant and no single turn stalls the window."""
        pending = [spec.id for spec in self.page_specs if not self.pages.is_built(spec.id)]

        def next_one() -> None:
            if pending:
                self.pages[pending.pop(0)]
                QTimer.singleShot(15, next_one)
            else:  # start-up is done: what exists now lives as long as the window
                freeze_start_up_heap()

        QTimer.singleShot(15, next_one)

    @Slot(str)
    def show_page(self, page_id: str) -> None:
        if page_id not in self.pages:
            return
        self._first_page = None  # a page was asked for: the deferred one is no longer due
        page = self.pages[page_id]
        self.stack.setCurrentWidget(page)
        self.sidebar.set_current(page_id)
        arbitrate(self)  # the window's banner and this page's: one at a time
        page.activated()

    def current_page_id(self) -> str:
        current = self.stack.currentWidget()
        fallback = self._first_page or DEFAULT_PAGE
        return next((pid for pid, page in self.pages.items() if page is current), fallback)

    def journal_opened(self) -> None:
        """Called once the database is open: every built page loads its data (pages
        built later load as they are built)."""
        self._journal_open = True
        for page in list(self.pages.values()):
            self._load_page(page)
        if self.watcher is None:
            from desktop.ui.journal_watcher import JournalWatcher

            self.watcher = JournalWatcher(self.context, parent=self)
            self.watcher.changed.connect(self._on_watcher_changed)
        self.watcher.start()
        self.statusBar().showMessage("Ready", 3000)

    def journal_failed(self, message: str) -> None:
        """The journal could not be opened: say so plainly, keep every page read-only."""
        self.banner.show_message(message, kind="error")
        self.statusBar().showMessage("Journal not opened")

    @Slot(str)
    def _on_page_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    @Slot(object)
    def _on_page_data_changed(self, changed: Change) -> None:
        self.publish(changed, source=self.sender())

    @Slot(object)
    def _on_watcher_changed(self, changed: Change) -> None:
        self.publish(changed, source=self.watcher)

    def publish(self, changed: Change, source: object = None) -> None:
        """Tell every built page but *source* that *changed* kinds of data changed (the
        app's own writes are also taken into the watcher's baseline)."""
        if self.watcher is not None and source is not self.watcher:
            self.watcher.absorb(changed)
        try:
            for page in list(self.pages.values()):
                if page is source:
                    continue
                try:
                    page.refresh(changed)
                except Exception:  # one page failing to refresh must not hide the others
                    log.exception("page %s failed to refresh", page.objectName())
            self.page_data_changed.emit(changed)
        finally:
            self.context.today_view = None  # it was read for this change only

    @Slot()
    def _on_new_entry(self) -> None:
        self.show_page("journal")
        journal = self.pages["journal"]
        if hasattr(journal, "new_entry"):
            journal.new_entry()

    @Slot()
    def _on_export(self) -> None:
        from desktop.ui.dialogs.export_dialog import ExportDialog

        self.flush_pages()
        path = ExportDialog.ask(self, self.context)
        if path is not None:
            self.statusBar().showMessage(f"Export saved to {path}", 8000)

    @Slot()
    def _on_import(self) -> None:
        from desktop.ui.dialogs.import_dialog import ImportDialog, report_text

        self.flush_pages()
        report = ImportDialog.ask(self, self.context)
        if report is None:
            return
        self.statusBar().showMessage(report_text(report), 8000)
        # A Keel file may hold anything (own prompts, options, settings…); the others entries.
        self.publish(EVERYTHING if report.format == "keel" else Change.ENTRIES)

    @Slot()
    def search_everything(self) -> None:
        """Ctrl+K: search every kind of item; the chosen one opens where it lives."""
        from desktop.ui.dialogs.search_dialog import SearchDialog

        dialog = SearchDialog(self.context, self)
        dialog.open_hit.connect(self.open_search_hit)
        self.search_dialog = dialog
        dialog.open()
        dialog.field.setFocus()

    def open_entry(self, entry_id: int) -> None:
        """Show entry ``entry_id`` in the Journal, for reading."""
        self.show_page("journal")
        self.pages["journal"].open_entry(entry_id)

    def open_search_hit(self, hit: Any) -> None:
        """Show a search result in its context: an entry in the Journal, an answer or a
        reflection in its check-in (read-only), an option or a decision on Options."""
        if hit.kind == "entry":
            self.open_entry(hit.id)
        elif hit.kind in ("answer", "reflection"):
            from desktop.ui.dialogs.checkin_view_dialog import CheckinViewDialog

            checkin_id = hit.checkin_id if hit.kind == "answer" else hit.id
            dialog = CheckinViewDialog(self.context, checkin_id,
                                       hit.id if hit.kind == "answer" else None, self)
            self.checkin_view = dialog
            dialog.open()
        elif hit.kind == "option":
            self.show_page("options")
            self.pages["options"].open_option(hit.id)
        elif hit.kind == "decision":
            self.show_page("options")
            self.pages["options"].open_decision(hit.id)

    def _on_shortcuts(self) -> None:
        from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog.ask(self)

    @Slot()
    def _on_about(self) -> None:
        from desktop.ui.dialogs.about_dialog import AboutDialog

        AboutDialog.ask(self)

    COMPACT_BELOW = 1000
    """Window width under which the sidebar shows icons only."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sidebar.set_compact(event.size().width() < self.COMPACT_BELOW)

    # Closing -------------------------------------------------------------------
    def flush_pages(self) -> None:
        for page in list(self.pages.values()):
            try:
                page.flush()
            except Exception:
                log.exception("flushing page %s failed", page.objectName())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_pages()
        from desktop.ui.tasks import wait_for_writes

        wait_for_writes()  # a check-in being stored must land before the journal closes
        self._save_state()
        self.closing.emit()
        if self.keep_running_on_close:
            event.ignore()
            self.hide()
        else:
            event.accept()

    @Slot()
    def quit_requested(self) -> None:
        self.quitting = True
        self.keep_running_on_close = False
        self.close()
        from PySide6.QtWidgets import QApplication

        QApplication.quit()

    def _save_state(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page", self.current_page_id())
        self.settings.sync()

    def _restore_state(self) -> None:
        page = DEFAULT_PAGE
        if self.settings is not None:
            geometry = self.settings.value("window/geometry")
            if isinstance(geometry, QByteArray) and not geometry.isEmpty():
                self.restoreGeometry(geometry)
            stored = self.settings.value("window/page")
            if isinstance(stored, str) and stored in self.pages:
                page = stored
        page = page if page in self.pages else self.page_specs[0].id
        if self._defer_first_page:
            self._first_page = page
            self.sidebar.set_current(page)
            return
        self.show_page(page)

    def first_page_spec(self) -> PageSpec | None:
        """The deferred first page's spec (its module can be imported off the UI thread
        before :meth:`show_first_page` builds it), or None."""
        return self._spec(self._first_page) if self._first_page is not None else None

    @Slot()
    def show_first_page(self) -> None:
        """Build and show the page the window opens on, if that was deferred."""
        self.fill_menus()
        page, self._first_page = self._first_page, None
        if page is not None and self.stack.currentWidget() is None:
            self.show_page(page)

    def raise_window(self) -> None:
        self.show()
        from PySide6.QtCore import Qt

        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()
