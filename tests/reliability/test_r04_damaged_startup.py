"""R4: start-up on damaged files — detected, set aside untouched, newest sound backup offered."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from db.backup import make_backup
from desktop.app import LaunchOptions
from desktop.lifecycle import ensure_schema as _ensure_schema
from tests.reliability.helpers import NOW, entry_rows, file_sha, make_journal


def _flip_header(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(0)
        first = handle.read(1)
        handle.seek(0)
        handle.write(bytes([first[0] ^ 0xFF]))


def _flip_interior(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='entries'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        page = bytearray(handle.read(64))
        handle.seek((root - 1) * size)
        handle.write(bytes(b ^ 0xA5 for b in page))


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _stale_wal(path: Path) -> None:
    """A -wal left by another database file (as after a careless file copy)."""
    other = path.with_name("other.sqlite3")
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE z (a)")
    conn.executemany("INSERT INTO z VALUES (randomblob(3000))", [()] * 200)
    conn.commit()
    shutil.copyfile(f"{other}-wal", f"{path}-wal")  # the damage being simulated
    conn.close()
    other.unlink()


DAMAGE = {"flipped header byte": _flip_header, "flipped interior page": _flip_interior,
          "truncated file": _truncate, "stale -wal": _stale_wal}
RESULTS: dict[str, bool] = {}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_journal_is_set_aside_and_backup_offered(kind: str, tmp_path: Path,
                                                          figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=1)
    backup = make_backup(paths.database, paths.backups, "daily", NOW)
    DAMAGE[kind](paths.database)
    damaged_sha = file_sha(paths.database)
    wal = Path(f"{paths.database}-wal")
    wal_sha = file_sha(wal) if wal.exists() else None

    options = LaunchOptions(data_dir=str(paths.data_dir))
    message = _ensure_schema(paths, options)

    detected = message is not None and "damaged" in message
    moved = list(paths.damaged.glob("keel-damaged-*.sqlite3"))
    untouched = len(moved) == 1 and file_sha(moved[0]) == damaged_sha
    if wal_sha is not None:
        untouched = untouched and file_sha(Path(f"{moved[0]}-wal")) == wal_sha
    recovery = options.recovery
    offered = recovery is not None and recovery.backup is not None \
        and recovery.backup.path == backup.path and "Restore the backup from" in \
        recovery.button_text
    RESULTS[kind] = detected and untouched and offered
    figure("R4", f"{kind}: detected / untouched / backup offered",
           "/".join("yes" if x else "no" for x in (detected, untouched, offered)),
           "yes/yes/yes")
    assert detected and untouched and offered
    assert not paths.database.exists()  # nothing will be written over the damaged file


def test_banner_button_restores_the_backup_and_opens(tmp_path: Path, qtbot, figure) -> None:  # type: ignore[no-untyped-def]
    """The window says so in plain words; its button restores the backup and opens it."""
    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.shell import Shell

    paths = make_journal(tmp_path / "data", years=0.3)
    make_backup(paths.database, paths.backups, "daily", NOW)
    wanted = entry_rows(paths.database)
    _flip_header(paths.database)
    options = LaunchOptions(data_dir=str(paths.data_dir))
    problem = _ensure_schema(paths, options)
    app = create_application()
    context = AppContext(paths)
    shell = Shell(app, context, options, problem=problem)
    qtbot.addWidget(shell.window)

    class _Clock:
        def mark(self, _name: str) -> None:
            pass

    shell.start(_Clock())
    banner = shell.window.banner
    assert banner.isVisible() and "damaged" in banner.label.text()
    buttons = banner.buttons
    assert len(buttons) == 1 and buttons[0].text().startswith("Restore the backup from ")
    from PySide6.QtCore import Qt

    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context._db is not None, timeout=5000)
    from db.journal import count_entries

    assert count_entries(context.db) == len(wanted)
    figure("R4", "damaged kinds detected", f"{sum(RESULTS.values())}/{len(DAMAGE)}", "100%")
    shell.shutdown()
