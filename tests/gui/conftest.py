"""Fixtures for GUI tests: a real journal in a temporary folder and a real main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from desktop.context import AppContext
from desktop.paths import Paths, prepare
from desktop.ui.application import create_application
from desktop.ui.main_window import MainWindow


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "journal"
    prepare(Paths(folder))
    return folder


@pytest.fixture
def make_window(qtbot, data_dir: Path) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    """Build a window on ``data_dir`` the way the app does: show, then open the journal."""
    create_application()
    contexts: list[AppContext] = []

    def build(clock: Callable[[], datetime] | None = None, open_journal: bool = True) -> MainWindow:
        context = AppContext(Paths(data_dir))
        if clock is not None:
            context.clock = clock
        contexts.append(context)
        settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(context, settings=settings)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        if open_journal:
            context.open()
            window.journal_opened()
        return window

    yield build
    for context in contexts:
        context.close()


def fixed_clock(when: datetime) -> Callable[[], datetime]:
    return lambda: when


NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
