"""The pages of the main window, in sidebar order. Only pages that work are listed.

Each page is imported when the window is built, never before the QApplication exists;
no page module imports SQLAlchemy at import time (the journal is opened after the first
window is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from desktop.ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    id: str
    title: str
    shortcut: str
    module: str
    cls: str
    icon: str
    """A glyph shown in the sidebar (drawn as text, so it scales at any DPI)."""

    def factory(self) -> Callable[..., Page]:
        return getattr(import_module(self.module), self.cls)  # type: ignore[no-any-return]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("today", "Today", "Ctrl+1", "desktop.ui.pages.today_page", "TodayPage", "☀"),
    PageSpec("checkin", "Check-in", "Ctrl+2", "desktop.ui.pages.checkin_page", "CheckinPage", "✓"),
    PageSpec("journal", "Journal", "Ctrl+3", "desktop.ui.pages.journal_page", "JournalPage", "✎"),
    PageSpec("options", "Options", "Ctrl+4", "desktop.ui.pages.options_page", "OptionsPage", "⚖"),
    PageSpec("trends", "Trends", "Ctrl+5", "desktop.ui.pages.trends_page", "TrendsPage", "↗"),
    PageSpec("settings", "Settings", "Ctrl+,", "desktop.ui.pages.settings_page", "SettingsPage", "⚙"),
)

DEFAULT_PAGE = "today"
