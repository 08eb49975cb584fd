"""What every page of the main window offers the window that hosts it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop.context import AppContext
from desktop.core.changes import EVERYTHING, Change


class Page(QWidget):
    """A page in the sidebar. Built before the journal is open; filled by ``journal_opened``."""

    status_message = Signal(str)
    """A short message for the window's status bar."""
    navigate = Signal(str)
    """Ask the window to show another page by its id."""
    data_changed = Signal(object)
    """This page saved something other pages show (argument: a :class:`Change`)."""
    loaded = Signal()
    """The page shows the journal's data (emitted after each load; used for "ready")."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    loads_in_background = False
    """True when ``journal_opened`` starts a background load that emits ``loaded`` later;
    otherwise the page counts as loaded when ``journal_opened`` returns."""

    def journal_opened(self) -> None:
        """The database is open: load what the page shows."""

    def activated(self) -> None:
        """The page was brought to the front."""

    def refresh(self, changed: Change = EVERYTHING) -> None:
        """Another page changed data this page may show."""

    def flush(self) -> None:
        """Save any draft now (the window is closing or the app is quitting)."""
