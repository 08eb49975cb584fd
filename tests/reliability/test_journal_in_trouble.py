"""Issue 15, part 4: a journal in trouble is recognised.

- An empty (0-byte) or missing ``keel.sqlite3`` with sound backups beside it is not a new
  journal: ``keel check`` exits 1 naming the newest sound backup, and the app offers that
  backup (banner button) instead of starting onboarding on an empty journal.
- An encrypted journal copied without ``encryption.json`` is recognised by its content:
  with ``KEEL_PASSPHRASE`` it opens (and the marker is put back); it is never "damaged".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from db.backup import make_backup
from desktop.app import LaunchOptions
from desktop.lifecycle import ensure_schema as _ensure_schema
from desktop.lifecycle import lost_journal as _lost_journal
from desktop.ui.shell import START_FRESH
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
    assert [b.text() for b in buttons][1:] == [START_FRESH]
    assert buttons[0].text().startswith("Restore the backup from ")
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context._db is not None, timeout=5000)
    from db.journal import count_entries

    assert count_entries(context.db) == len(wanted)
    shell.shutdown()


def test_a_lost_journal_can_be_left_for_a_new_one(tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                 monkeypatch) -> None:
    """The user removed the journal on purpose: "Start a new journal" (after a
    confirmation; Cancel changes nothing) opens a new, empty one; the old journal's
    backups stay, still listed for a restore, and the banner does not come back."""
    from PySide6.QtCore import Qt

    from db.backup import list_backups
    from db.journal import count_entries
    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.shell import Shell
    from desktop.ui.widgets.confirm import Confirm

    paths = make_journal(tmp_path / "data #2", years=0.2)
    make_backup(paths.database, paths.backups, "daily", NOW)
    for side in ("", "-wal", "-shm"):
        Path(f"{paths.database}{side}").unlink(missing_ok=True)
    kept = sorted(b.path for b in list_backups(paths.backups))
    options = LaunchOptions(data_dir=str(paths.data_dir))
    problem = _lost_journal(paths, options, None)
    assert problem is not None and "start a new journal" in problem
    context = AppContext(paths)
    shell = Shell(create_application(), context, options, problem=problem)
    qtbot.addWidget(shell.window)

    class _Clock:
        def mark(self, _name: str) -> None:
            pass

    answers = [False, True]
    asked: list[str] = []

    def answer(_parent, title, text, **_kw):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(Confirm, "ask", answer)
    shell.start(_Clock())
    fresh = shell.window.banner.buttons[1]
    qtbot.mouseClick(fresh, Qt.MouseButton.LeftButton)  # Cancel: nothing happens
    assert not paths.database.exists() and context._db is None
    assert shell.window.banner.buttons[1].text() == START_FRESH
    qtbot.mouseClick(shell.window.banner.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context._db is not None, timeout=10000)
    assert str(paths.backups) in asked[0]
    assert count_entries(context.db) == 0
    assert sorted(b.path for b in list_backups(paths.backups)) == kept
    assert _lost_journal(paths, LaunchOptions(), None) is None  # the next start is plain
    assert not shell.window.banner.wanted or START_FRESH not in \
        [b.text() for b in shell.window.banner.buttons]
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
    from db.crypto import encrypt
    from db.schema import SchemaState, state
    from db.sqlfile import MARKER_NAME, is_encrypted_journal

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


# ----------------------------------------------------- only encrypted backups beside it

KEY = "correct horse"


def _lost_encrypted(folder: Path, how: str = "missing"):  # type: ignore[no-untyped-def]
    """An encrypted journal with two backups, then the journal file lost."""
    from db.crypto import encrypt
    from db.sqlfile import MARKER_NAME

    paths = make_journal(folder, years=0.2)
    wanted = _count(paths.database, None)
    encrypt(paths.database, KEY, paths.backups)
    make_backup(paths.database, paths.backups, "daily", NOW.replace(day=1), KEY)
    newest = make_backup(paths.database, paths.backups, "daily", NOW, KEY)
    for side in ("-wal", "-shm"):
        Path(f"{paths.database}{side}").unlink(missing_ok=True)
    (paths.data_dir / MARKER_NAME).unlink()  # copied or lost with it
    if how == "empty":
        paths.database.write_bytes(b"")
    else:
        paths.database.unlink()
    return paths, newest.path, wanted


def _count(database: Path, key: str | None) -> int:
    from db.crypto import open_any

    conn = open_any(database, key)
    try:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_check_names_the_encrypted_backup_and_restore_uses_the_passphrase(
        tmp_path: Path, how: str) -> None:
    """Before: `keel check` said "No journal … nothing to check" (exit 0) or Sound."""
    paths, newest, wanted = _lost_encrypted(tmp_path / "data ?%#é", how)
    done = keel("check", data_dir=paths.data_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    assert str(newest) in done.stdout and "passphrase" in done.stdout
    assert "Sound" not in done.stdout and "Traceback" not in done.stderr
    done = subprocess_with_passphrase(paths.data_dir, "wrong", "check")
    assert done.returncode == 1 and "does not open" in done.stdout, done.stdout
    done = keel("restore", str(newest), data_dir=paths.data_dir, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "KEEL_PASSPHRASE" in done.stderr, done.stderr
    done = subprocess_with_passphrase(paths.data_dir, KEY, "restore", str(newest))
    assert done.returncode == 0, done.stderr
    from db.sqlfile import MARKER_NAME, file_is_encrypted

    assert file_is_encrypted(paths.database) and (paths.data_dir / MARKER_NAME).exists()
    assert _count(paths.database, KEY) == wanted
    done = subprocess_with_passphrase(paths.data_dir, KEY, "check")
    assert done.returncode == 0 and "Sound" in done.stdout, done.stdout + done.stderr


def test_app_asks_for_the_backups_passphrase_and_restores(tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                          monkeypatch) -> None:
    """Before: the app started onboarding on an empty journal and never mentioned the
    encrypted backups. Now the real unlock dialog asks (a wrong passphrase is said in
    it), and the banner restores the newest backup, encrypted with that passphrase."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from db.crypto import file_is_encrypted
    from db.recovery import backup_key_wanted
    from desktop.app import _unlock_backups
    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.dialogs.unlock_dialog import UnlockDialog
    from desktop.ui.shell import Shell

    monkeypatch.delenv("KEEL_PASSPHRASE", raising=False)
    paths, newest, wanted = _lost_encrypted(tmp_path / "data", "empty")
    asked = backup_key_wanted(paths.data_dir, paths.backups)
    assert asked is not None and asked.lost and asked.backup == newest and asked.count == 2
    app = create_application()
    seen: dict[str, str] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(20, drive)
            return
        seen["intro"] = dialog.intro.text()
        seen["button"] = dialog.unlock_button.text()
        qtbot.keyClicks(dialog.field, "not it")
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        seen["wrong"] = dialog.message.text() if dialog.message.isVisible() else ""
        dialog.field.clear()
        qtbot.keyClicks(dialog.field, KEY)
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)
    key = _unlock_backups(paths, asked)
    assert key == KEY
    assert newest.name in seen["intro"] and "encrypted backups" in seen["intro"]
    assert "does not open these backups" in seen["wrong"]
    assert seen["button"] == "&Open backups"  # not "Unlock": no journal is being unlocked
    options = LaunchOptions(data_dir=str(paths.data_dir))
    problem = _lost_journal(paths, options, key)
    assert problem is not None and options.recovery.backup.path == newest
    assert paths.database.stat().st_size == 0  # nothing written yet
    context = AppContext(paths, passphrase=key)
    shell = Shell(app, context, options, problem=problem)
    qtbot.addWidget(shell.window)

    class _Clock:
        def mark(self, _name: str) -> None:
            pass

    shell.start(_Clock())
    buttons = shell.window.banner.buttons
    assert [b.text() for b in buttons][1:] == [START_FRESH]
    assert buttons[0].text().startswith("Restore the backup from ")
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context._db is not None, timeout=10000)
    from db.journal import count_entries

    assert count_entries(context.db) == wanted
    assert file_is_encrypted(paths.database)
    shell.shutdown()


def test_cancel_leaves_everything_as_it_was(tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from db.recovery import backup_key_wanted
    from desktop.app import _unlock_backups
    from desktop.ui.application import create_application
    from tests.reliability.helpers import file_sha

    monkeypatch.delenv("KEEL_PASSPHRASE", raising=False)
    paths, _newest, _wanted = _lost_encrypted(tmp_path / "data", "missing")
    before = {p.name: file_sha(p) for p in paths.backups.iterdir()}
    create_application()

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert _unlock_backups(paths, backup_key_wanted(paths.data_dir, paths.backups)) is None
    assert not paths.database.exists()
    assert {p.name: file_sha(p) for p in paths.backups.iterdir()} == before


def test_keel_passphrase_opens_without_a_dialog(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.recovery import backup_key_wanted
    from desktop.app import _unlock_backups

    paths, newest, _wanted = _lost_encrypted(tmp_path / "data", "missing")
    monkeypatch.setenv("KEEL_PASSPHRASE", KEY)
    assert _unlock_backups(paths, backup_key_wanted(paths.data_dir, paths.backups)) == KEY
    options = LaunchOptions(data_dir=str(paths.data_dir))
    assert _lost_journal(paths, options, KEY) is not None
    assert options.recovery.backup.path == newest


def test_the_app_start_offers_the_encrypted_backup_with_keel_passphrase(tmp_path: Path) -> None:
    """The whole start-up (``desktop.app``) with KEEL_PASSPHRASE: no onboarding journal is
    created over the empty file; the window starts with the offer (the restore itself is
    the banner's button, driven in the test above)."""
    paths, _newest, _wanted = _lost_encrypted(tmp_path / "data", "empty")
    done = subprocess_with_passphrase(paths.data_dir, KEY, "--startup-report")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert paths.database.stat().st_size == 0
    log = paths.log_file.read_text() if paths.log_file.exists() else ""
    assert KEY not in log
