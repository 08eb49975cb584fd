"""Search everything (Ctrl+K from any page): entries, check-in answers, reflections,
options and decisions, best matches first. Choosing a result opens it where it lives:
an entry in the Journal, an answer or a reflection in its check-in (read-only), an
option or a decision on the Options page.

Every kind comes from the one full-text index (``db.search.search``), ranked together.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop.context import AppContext
from desktop.ui.errors import search_failure
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.search_results import (
    HitRole,
    SearchResultDelegate,
    SearchResultsModel,
)

log = logging.getLogger(__name__)


def search_everything(db: Any, text: str, tz: Any) -> list[Any]:
    """Worker: every kind of hit from the one full-text index, best first."""
    from db.search import search
    from desktop.ui.pages.journal_page import search_query

    return search(db, search_query(text), tz=tz, limit=100)


class SearchDialog(QDialog):
    """A search field over a list of results; Return or a click opens the result."""

    open_hit = Signal(object)
    """The user chose a hit (a ``db.search.SearchHit``)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Search everything")
        self.setObjectName("searchDialog")
        self.field = QLineEdit(objectName="searchEverything")
        self.field.setPlaceholderText("Search entries, answers, reflections, options and decisions")
        self.field.setAccessibleName("Search everything")
        self.field.setClearButtonEnabled(True)
        self.model = SearchResultsModel(context.tz, self)
        self.view = QListView(objectName="searchResults")
        self.view.setModel(self.model)
        self.view.setItemDelegate(SearchResultDelegate(self.view))
        self.view.setAccessibleName("Results, best match first")
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.status = QLabel("Type to search. Return opens the first result; ↓ moves to the list.",
                             objectName="mutedLabel", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.field)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._on_field_return_pressed)
        self.field.installEventFilter(self)
        self.view.activated.connect(self._on_view_activated)
        self.view.clicked.connect(self._on_view_activated)
        width = self.fontMetrics().averageCharWidth() * 110
        self.resize(width, self.fontMetrics().lineSpacing() * 30)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (watched is self.field and isinstance(event, QKeyEvent)
                and event.type() == QKeyEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down and self.model.rowCount()):
            self.view.setFocus()
            self.view.setCurrentIndex(self.model.index(0))
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def run_search(self) -> None:
        """Search for what the field holds, off the UI thread (the newest query wins)."""
        text = self.field.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self.model.set_hits([])
            self.status.setText("Type to search.")
            return
        if self.context.db is None:
            self.status.setText("The journal is not open yet.")
            return
        run_in_background(search_everything, self.context.db, text, self.context.tz,
                          on_done=lambda hits: self._on_done(generation, text, hits),
                          on_error=lambda exc: self._on_failed(generation, exc))

    def _on_done(self, generation: int, text: str, hits: list[Any]) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self.model.set_hits(hits)
        if hits:
            self.view.setCurrentIndex(self.model.index(0))
            self.status.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''}, "
                                "best first. Return opens the selected one.")
        else:
            self.status.setText(f"Nothing matches “{text}”. Try fewer words, or a word’s "
                                "beginning followed by *.")

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self) or generation != self._generation:
            return
        log.warning("search failed: %s", type(exc).__name__)
        self.model.set_hits([])
        self.status.setText(search_failure(exc))

    @Slot()
    def _on_field_return_pressed(self) -> None:
        if self._timer.isActive():  # typed faster than the pause: search now, then open
            self._timer.stop()
            self.run_search()
            return
        index = self.view.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0)
        self._on_view_activated(index)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        hit = index.data(HitRole) if index.isValid() else None
        if hit is None:
            return
        self.accept()
        self.open_hit.emit(hit)
