"""The one lifecycle's restore (``desktop.ui.lifecycle``) on real files: a restore puts the
backup in place and opens it, telling the window; a failed restore leaves a journal that
was open open (as it was) and one that was closed closed — never an empty journal in its
place — and says why through the error boundary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from db.backup import make_backup
from db.journal import count_entries, create_entry
from desktop.context import AppContext
from desktop.paths import Paths, prepare

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


class Window:
    """What the lifecycle asks of a window: save drafts, be told, show why."""

    def __init__(self) -> None:
        self.told: list[str] = []

    def flush_pages(self) -> None:
        self.told.append("flushed")

    def journal_opened(self) -> None:
        self.told.append("opened")

    def journal_failed(self, message: str) -> None:
        self.told.append(f"failed: {message}")


def _context(tmp_path: Path) -> AppContext:
    paths = Paths(tmp_path / "data")
    prepare(paths)
    return AppContext(paths)


def test_restore_puts_the_backup_in_place_and_opens_it(tmp_path: Path) -> None:
    from desktop.ui.lifecycle import restore

    context = _context(tmp_path)
    create_entry(context.db, "before the backup")
    backup = make_backup(context.paths.database, context.paths.backups, "manual", NOW).path
    create_entry(context.db, "after the backup")
    window = Window()
    assert restore(window, context, backup) is None
    assert window.told == ["flushed", "opened"]
    assert context.is_open and context.paused is None
    assert count_entries(context.db) == 1
    context.close()


def test_a_failed_restore_reopens_the_open_journal_as_it_was(tmp_path: Path) -> None:
    from desktop.ui.lifecycle import restore

    context = _context(tmp_path)
    create_entry(context.db, "kept")
    window = Window()
    error = restore(window, context, tmp_path / "no-such-backup.sqlite3")
    assert error is not None
    assert window.told == ["flushed", "opened"]
    assert context.is_open and count_entries(context.db) == 1
    context.close()


def test_a_failed_restore_leaves_a_closed_journal_closed(tmp_path: Path) -> None:
    from desktop.ui.lifecycle import restore

    context = _context(tmp_path)
    window = Window()
    error = restore(window, context, tmp_path / "no-such-backup.sqlite3")
    assert error is not None
    assert window.told == ["flushed"]
    assert not context.is_open and context.paused is None
    assert not context.paths.database.exists()  # no empty journal created in its place
