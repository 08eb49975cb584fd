"""The main window: a sidebar, the pages, a status bar and menus. It wires pages together
and does little else; each page owns its own behaviour."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ui.navigation import DEFAULT_PAGE, PAGES, PageSpec
from desktop.ui.pages.base import Page
from desktop.ui.sidebar import Sidebar
from desktop.ui.widgets.banner import Banner

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    closing = Signal()
    """The user closed the window (the app may stay in the tray)."""

    def __init__(self, context: AppContext, pages: tuple[PageSpec, ...] = PAGES,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.context = context
        self.settings = settings
        self.setWindowTitle("Keel")
        self.setMinimumSize(760, 520)
        self.resize(1280, 800)
        self.page_specs = pages
        self.pages: dict[str, Page] = {}
        self.keep_running_on_close = False
        """Set by the tray: closing hides the window instead of quitting."""
        self.quitting = False
        """True once Quit was chosen (menu or tray): closing must not hide into the tray."""

        self.sidebar = Sidebar(pages)
        self.stack = QStackedWidget(objectName="pages")
        self.banner = Banner()
        for spec in pages:
            page = spec.factory()(context)
            page.setObjectName(f"page_{spec.id}")
            page.setAccessibleName(spec.title)
            page.status_message.connect(self._on_page_status_message)
            page.navigate.connect(self.show_page)
            page.data_changed.connect(self._on_page_data_changed)
            if hasattr(page, "badge_changed"):
                page.badge_changed.connect(
                    lambda text, pid=spec.id: self.sidebar.set_badge(pid, text))
            self.pages[spec.id] = page
            self.stack.addWidget(page)

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
        self._build_menus()
        self._restore_state()

    # Menus ---------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.quit_requested)
        self.new_entry_action = QAction("&New entry", self, shortcut=QKeySequence.StandardKey.New)
        self.new_entry_action.triggered.connect(self._on_new_entry)
        file_menu.addAction(self.new_entry_action)
        self.file_menu = file_menu
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        self.go_menu = self.menuBar().addMenu("&Go")
        for spec in self.page_specs:
            action = QAction(spec.title, self, shortcut=QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _c=False, page=spec.id: self.show_page(page))
            self.go_menu.addAction(action)
        self.help_menu = self.menuBar().addMenu("&Help")
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self._on_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        about = QAction("&About Keel", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._on_about)
        self.help_menu.addAction(about)

    # Pages ---------------------------------------------------------------------
    @Slot(str)
    def show_page(self, page_id: str) -> None:
        page = self.pages.get(page_id)
        if page is None:
            return
        self.stack.setCurrentWidget(page)
        self.sidebar.set_current(page_id)
        page.activated()

    def current_page_id(self) -> str:
        current = self.stack.currentWidget()
        return next((pid for pid, page in self.pages.items() if page is current), DEFAULT_PAGE)

    def journal_opened(self) -> None:
        """Called once the database is open: every page loads its data."""
        for page in self.pages.values():
            try:
                page.journal_opened()
            except Exception:  # one failing page must not stop the others loading
                log.exception("page %s failed to load", page.objectName())
        self.statusBar().showMessage("Ready", 3000)

    def journal_failed(self, message: str) -> None:
        """The journal could not be opened: say so plainly, keep every page read-only."""
        self.banner.show_message(message, kind="error")
        self.statusBar().showMessage("Journal not opened")

    @Slot(str)
    def _on_page_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    @Slot(str)
    def _on_page_data_changed(self, what: str) -> None:
        sender = self.sender()
        for page in self.pages.values():
            if page is not sender:
                page.refresh(what)

    @Slot()
    def _on_new_entry(self) -> None:
        self.show_page("journal")
        journal = self.pages.get("journal")
        if journal is not None and hasattr(journal, "new_entry"):
            journal.new_entry()

    @Slot()
    def _on_shortcuts(self) -> None:
        from desktop.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog.ask(self)

    @Slot()
    def _on_about(self) -> None:
        from desktop.ui.dialogs.about_dialog import AboutDialog

        AboutDialog.ask(self)

    # Closing -------------------------------------------------------------------
    def flush_pages(self) -> None:
        for page in self.pages.values():
            try:
                page.flush()
            except Exception:
                log.exception("flushing page %s failed", page.objectName())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush_pages()
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
        self.show_page(page if page in self.pages else self.page_specs[0].id)

    def raise_window(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()
