"""Issue 15, part 4: a journal in trouble is recognised.

- An empty (0-byte) or missing ``keel.sqlite3`` with sound backups beside it is not a new
  journal: ``keel check`` exits 1 naming the newest sound backup, and the app offers that
  backup (banner button) instead of starting onboarding on an empty journal.
- An encrypted journal copied without ``encryption.json`` is recognised by its content:
  with ``KEEL_PASSPHRASE`` it opens (and the marker is put back); it is never "damaged".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from db.backup import make_backup
from desktop.app import LaunchOptions, _ensure_schema, _lost_journal
from tests.reliability.helpers import NOW, entry_rows, keel, make_journal


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_check_names_the_newest_sound_backup(tmp_path: Path, how: str) -> None:
    paths = make_journal(tmp_path / "data #1", years=0.2)
    make_backup(paths.database, paths.backups, "daily", NOW.replace(day=1))
    newest = make_backup(paths.database, paths.backups, "daily", NOW)
    for side in ("-wal", "-shm"):
        Path(f"{paths.database}{side}").unlink(missing_ok=True)
    if how == "empty":
        paths.database.write_bytes(b"")
    else:
        paths.database.unlink()
    done = keel("check", data_dir=paths.data_dir)
    assert done.returncode == 1, done.stdout
    assert str(newest.path) in done.stdout and "Sound" not in done.stdout


def test_app_offers_the_backup_instead_of_onboarding(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.shell import Shell

    paths = make_journal(tmp_path / "data", years=0.2)
    make_backup(paths.database, paths.backups, "daily", NOW)
    wanted = entry_rows(paths.database)
    for side in ("-wal", "-shm"):
        Path(f"{paths.database}{side}").unlink(missing_ok=True)
    paths.database.write_bytes(b"")
    options = LaunchOptions(data_dir=str(paths.data_dir))
    problem = _lost_journal(paths, options, None)
    assert problem is not None and "backup" in problem
    assert paths.database.stat().st_size == 0  # nothing was created over it
    app = create_application()
    context = AppContext(paths)
    shell = Shell(app, context, options, problem=problem)
    qtbot.addWidget(shell.window)

    class _Clock:
        def mark(self, _name: str) -> None:
            pass

    shell.start(_Clock())
    buttons = shell.window.banner.buttons
    assert len(buttons) == 1 and buttons[0].text().startswith("Restore the backup from ")
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context._db is not None, timeout=5000)
    from db.journal import count_entries

    assert count_entries(context.db) == len(wanted)
    shell.shutdown()


def test_a_new_folder_is_still_a_new_journal(tmp_path: Path) -> None:
    from desktop.paths import Paths, prepare

    paths = Paths(tmp_path / "fresh")
    prepare(paths)
    options = LaunchOptions(data_dir=str(paths.data_dir))
    assert _lost_journal(paths, options, None) is None
    done = keel("check", data_dir=paths.data_dir)
    assert done.returncode == 0


def test_encrypted_journal_without_its_marker_is_recognised(tmp_path: Path) -> None:
    from db.crypto import MARKER_NAME, encrypt
    from db.schema import SchemaState, is_encrypted_journal, state

    paths = make_journal(tmp_path / "data", years=0.2)
    wanted = len(entry_rows(paths.database))
    encrypt(paths.database, "correct horse", paths.backups)
    (paths.data_dir / MARKER_NAME).unlink()
    assert is_encrypted_journal(paths.data_dir)
    options = LaunchOptions(data_dir=str(paths.data_dir))
    assert _ensure_schema(paths, options, "correct horse", check=True) is None
    assert state(paths.database, "correct horse") is SchemaState.CURRENT
    done = keel("check", data_dir=paths.data_dir)  # no passphrase: asks, never "damaged"
    assert "Damaged" not in done.stdout + done.stderr and "passphrase" in done.stderr.lower()
    done = subprocess_with_passphrase(paths.data_dir, "correct horse", "check")
    assert done.returncode == 0 and "Sound" in done.stdout, done.stdout + done.stderr
    done = subprocess_with_passphrase(paths.data_dir, "correct horse", "export", "--format",
                                      "json", "-o", str(tmp_path / "out.json"))
    assert done.returncode == 0, done.stderr
    import json

    assert len(json.loads((tmp_path / "out.json").read_text())["tables"]["entries"]) == wanted


def subprocess_with_passphrase(data_dir: Path, passphrase: str, *args: str):  # type: ignore[no-untyped-def]
    import subprocess

    from tests.reliability.helpers import PYTHON, ROOT, child_env

    env = child_env(data_dir, KEEL_PASSPHRASE=passphrase)
    return subprocess.run([PYTHON, "-m", "desktop", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


del os
