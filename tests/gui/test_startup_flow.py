"""Start-up as a user meets it: the window first, then Today filled, then the whole journal.

Keel shows its window before any page is built, fills Today from a plain ``sqlite3`` read
while SQLAlchemy is still loading, and only then opens the journal fully. These tests run
the real ``Shell`` on a demo journal and check that order, that Today does not change
under the user when the full open arrives, and that everything works after it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from db.journal_file import open_database
from desktop.app import LaunchOptions, StartupClock
from desktop.context import AppContext
from desktop.demo import generate
from desktop.paths import Paths, prepare
from desktop.ui.application import create_application

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.now(UTC)


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    paths = Paths(tmp_path / "journal")
    prepare(paths)
    db = open_database(paths.database, paths.backups)
    try:
        generate(db, 1, NOW)
    finally:
        db.close()
    return paths.data_dir


def test_window_then_today_from_the_quick_read_then_the_full_open(qtbot, demo_folder: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import shell as shell_module

    create_application()
    context = AppContext(Paths(demo_folder))
    options = LaunchOptions(data_dir=str(demo_folder), startup_report=False)
    shell = shell_module.Shell(QApplication.instance(), context, options)  # type: ignore[arg-type]
    qtbot.addWidget(shell.window)
    seen: list[tuple[str, Any]] = []

    shell.start(StartupClock(options))
    assert shell.window.isVisible()
    assert shell.window.stack.count() == 0  # the frame first: no page built yet
    assert shell.window.sidebar is not None

    qtbot.waitUntil(lambda: shell.window.pages.is_built("today"), timeout=3000)
    today = shell.window.pages["today"]
    real_show_preview = today.show_preview

    def spy(view: Any) -> None:
        seen.append(("preview", context.is_open))
        real_show_preview(view)

    today.show_preview = spy  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: today.view is not None, timeout=10000)
    first_view = today.view
    qtbot.waitUntil(lambda: getattr(shell, "reminders", None) is not None, timeout=15000)
    try:
        if seen:  # the quick read won the race (it does unless the machine is very busy)
            assert seen == [("preview", False)]
        assert context.is_open
        assert today.view is first_view  # the full open did not redraw Today
        assert today.checkin_title.text() != "Loading…"  # Today shows the journal
        # Everything works after the full open: a flag can be dismissed and stays gone.
        if today.flag_cards:
            key = today.flag_cards[0].flag.key
            today._on_card_dismiss_chosen(key, "handled")
            qtbot.waitUntil(lambda: all(c.flag.key != key for c in today.flag_cards), timeout=5000)
            from db.flag_actions import flag_actions

            assert any(a.flag_id == key for a in flag_actions(context.db))
    finally:
        shell.reminders.stop()
        if getattr(shell, "backups", None) is not None and hasattr(shell.backups, "stop"):
            shell.backups.stop()
        shell.window.keep_running_on_close = False
        shell.shutdown()


def test_startup_report_orders_the_phases_and_reports_both_memories(demo_folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(demo_folder), "--startup-report"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    times = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if parts[-1] == "ms":
            times[line[:24].strip()] = float(parts[-2])
        if line.startswith("peak rss"):
            times["rss ready"] = float(parts[-2])
        if line.startswith("rss once fully open"):
            times["rss open"] = float(parts[-2])
    assert times["window shown"] < times["ready"] < times["journal open"], result.stdout
    assert times["rss ready"] <= times["rss open"]


ENUM_SPY = """
import enum, sys
made = []
create = enum.EnumType._create_
def noting(cls, class_name, *args, **kwargs):
    made.append(class_name)
    return create(cls, class_name, *args, **kwargs)
enum.EnumType._create_ = noting
from desktop import app
mark = app.StartupClock.mark
def marking(self, phase):
    if phase == "window shown":
        print("enums before the window:", " ".join(made), flush=True)
    mark(self, phase)
app.StartupClock.mark = marking
from desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_no_qt_namespace_enums_before_the_first_window(demo_folder: Path) -> None:
    """Naming any ``Qt.*`` enum builds all of the Qt namespace's (about a hundred, 20 ms)
    before the window can show: a bare window builds none of them (the floor F)."""
    result = subprocess.run(
        [sys.executable, "-c", ENUM_SPY, "--data-dir", str(demo_folder), "--startup-report"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines()
                if line.startswith("enums before the window:"))
    made = set(line.split(":", 1)[1].split())
    # Three of the Qt namespace's enums that nothing before the window needs.
    assert not made & {"AlignmentFlag", "ConnectionType", "ShortcutContext"}, sorted(made)
