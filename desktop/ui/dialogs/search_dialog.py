"""Search everything (Ctrl+K from any page): entries, check-in answers, reflections,
options and decisions, best matches first. Choosing a result opens it where it lives:
an entry in the Journal, an answer or a reflection in its check-in (read-only), an
option or a decision on the Options page.

Entries, answers, reflections and options come from the full-text index
(``db.search.search``); decisions are few, so their words are matched directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop.context import AppContext
from desktop.ui.tasks import run_in_background
from desktop.ui.widgets.search_results import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    HitRole,
    SearchResultDelegate,
    SearchResultsModel,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecisionHit:
    """A decision whose words match (same shape as ``db.search.SearchHit``)."""

    id: int
    title: str
    date: datetime | None
    snippet: str
    kind: str = "decision"
    tags: tuple[str, ...] = ()
    checkin_id: int | None = None


def _mark(text: str, words: list[str]) -> str:
    """``text`` (one line, cut near the first match) with each word wrapped in markers."""
    flat = " ".join(text.split())
    lower = flat.lower()
    first = min((i for i in (lower.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - 40)
    shown = ("…" if start else "") + flat[start:start + 160]
    for word in sorted(set(words), key=len, reverse=True):
        out, low, i = [], shown.lower(), 0
        while (j := low.find(word, i)) >= 0:
            out.append(shown[i:j] + HIGHLIGHT_START + shown[j:j + len(word)] + HIGHLIGHT_END)
            i = j + len(word)
        out.append(shown[i:])
        shown = "".join(out)
    return shown


def decision_hits(decisions: list[Any], text: str) -> tuple[list[DecisionHit], list[DecisionHit]]:
    """Decisions matching every word of ``text``: (summary matches, other matches)."""
    words = [w.lower().strip('"*') for w in text.split() if w.strip('"*')]
    words = [w for w in words if w not in ("and", "or", "not")]
    if not words:
        return [], []
    strong: list[DecisionHit] = []
    weak: list[DecisionHit] = []
    for decision in decisions:
        body = " ".join((decision.summary, decision.reasons, decision.revisit_conditions))
        if not all(w in body.lower() for w in words):
            continue
        in_summary = all(w in decision.summary.lower() for w in words)
        source = decision.summary if in_summary else body
        hit = DecisionHit(decision.id, decision.summary, decision.decided_at, _mark(source, words))
        (strong if in_summary else weak).append(hit)
    return strong, weak


def search_everything(db: Any, text: str, tz: Any) -> list[Any]:
    """Worker: every kind of hit, best first (a decision named in its summary leads)."""
    from db.options import decisions
    from db.search import search
    from desktop.ui.pages.journal_page import search_query

    hits = search(db, search_query(text), tz=tz, limit=100)
    strong, weak = decision_hits(decisions(db), text)
    return [*strong, *hits, *weak]


class SearchDialog(QDialog):
    """A search field over a list of results; Return or a click opens the result."""

    open_hit = Signal(object)
    """The user chose a hit (a ``SearchHit`` or :class:`DecisionHit`)."""

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
        self.status.setText("Keel could not search for that. Try other words.")

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
