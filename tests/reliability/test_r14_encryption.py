"""R14: encryption at rest: no readable bytes in journal, -wal or backups; wrong passphrases write nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from db import crypto, sqlfile
from db.backup import list_backups, make_backup, restore
from db.journal import create_entry, list_entries
from db.journal_file import open_database
from db.schema import JournalLocked, SchemaState, state
from tests.reliability.helpers import (
    NOW,
    PYTHON,
    ROOT,
    child_env,
    file_sha,
    keel,
    make_journal,
)

CANARY = "zanzibarcanary"
PASS = "correct horse 'battery' \"staple\""
HEADER = b"SQLite format 3\x00"


def _journal_with_canary(folder: Path):  # type: ignore[no-untyped-def]
    paths = make_journal(folder, years=0.05)
    db = open_database(paths.database, paths.backups)
    try:
        create_entry(db, f"My {CANARY} secret about the lab.", "canary", ["private"])
    finally:
        db.close()
    make_backup(paths.database, paths.backups, "manual", NOW)
    return paths


def _bodies(paths, passphrase: str | None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    db = open_database(paths.database, paths.backups, passphrase=passphrase)
    try:
        return sorted((e.title, e.body) for e in list_entries(db))
    finally:
        db.close()


def _leaks(folder: Path) -> list[str]:
    """Files under ``folder`` that hold the canary or a plain SQLite header."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".json":
            data = path.read_bytes()
            if CANARY.encode() in data or data.startswith(HEADER):
                found.append(str(path.relative_to(folder)))
    return found


def test_encrypting_leaves_no_readable_bytes(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = _journal_with_canary(tmp_path / "data")
    before = _bodies(paths, None)
    assert _leaks(paths.data_dir)  # the plain journal and its backup show the canary

    skipped = crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    assert skipped == []
    assert crypto.is_encrypted(paths.data_dir)
    assert os.stat(crypto.marker_path(paths.data_dir)).st_mode & 0o077 == 0
    assert PASS not in crypto.marker_path(paths.data_dir).read_text()

    # Use it: a write leaves a -wal beside the file while the journal is open.
    db = open_database(paths.database, paths.backups, passphrase=PASS)
    try:
        create_entry(db, f"Another {CANARY} while encrypted.", "second")
        wal = paths.database.with_name(paths.database.name + "-wal")
        wal_leaks = CANARY.encode() in wal.read_bytes() if wal.exists() else False
        leaks = _leaks(paths.data_dir)
    finally:
        db.close()
    make_backup(paths.database, paths.backups, "manual", NOW.replace(day=28), passphrase=PASS)
    leaks += _leaks(paths.data_dir)
    figure("R14", "canary or plain header in file/wal/backups", len(leaks) + int(wal_leaks), "0")
    assert leaks == [] and not wal_leaks
    assert len(list_backups(paths.backups)) == 2
    after = _bodies(paths, PASS)
    assert [b for b in after if b[0] != "second"] == before
    # Without the passphrase it is locked, never "damaged" (so never set aside).
    with pytest.raises(JournalLocked):
        state(paths.database)


def test_wrong_passphrase_is_a_clear_error_and_writes_nothing(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    before = {p.name: file_sha(p) for p in paths.data_dir.rglob("*") if p.is_file()}
    writes = 0
    for attempt in (lambda: open_database(paths.database, paths.backups, passphrase="wrong"),
                    lambda: crypto.unlock(paths.database, "wrong"),
                    lambda: crypto.change_passphrase(paths.database, "wrong", "new"),
                    lambda: crypto.decrypt(paths.database, "wrong", paths.backups)):
        with pytest.raises(crypto.WrongPassphrase, match="does not open this journal"):
            attempt()
        after = {p.name: file_sha(p) for p in paths.data_dir.rglob("*") if p.is_file()}
        writes += after != before
    figure("R14", "wrong passphrase: clear error, no write", "yes" if writes == 0 else "no", "yes")
    assert writes == 0


def test_change_and_remove_passphrase_round_trip(tmp_path: Path) -> None:
    paths = _journal_with_canary(tmp_path / "data")
    before = _bodies(paths, None)
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    assert crypto.change_passphrase(paths.database, PASS, "a new one", paths.backups) == []
    with pytest.raises(crypto.WrongPassphrase):
        crypto.unlock(paths.database, PASS)
    assert _bodies(paths, "a new one") == before
    for info in list_backups(paths.backups):  # backups follow the new passphrase
        crypto.unlock(info.path, "a new one")
    assert crypto.decrypt(paths.database, "a new one", paths.backups) == []
    assert not crypto.is_encrypted(paths.data_dir)
    assert paths.database.read_bytes().startswith(HEADER)
    assert state(paths.database) is SchemaState.CURRENT
    assert _bodies(paths, None) == before
    assert all(info.path.read_bytes().startswith(HEADER) for info in list_backups(paths.backups))


def test_search_works_on_an_encrypted_journal(tmp_path: Path) -> None:
    from db.search import search, search_entries

    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    db = open_database(paths.database, paths.backups, passphrase=PASS)
    try:
        assert len(search_entries(db, CANARY[:8])) == 1
        create_entry(db, "quokka notes", "later")
        assert [h.title for h in search(db, "quokka")] == ["later"]
    finally:
        db.close()


def test_backup_of_encrypted_journal_is_encrypted_and_restorable(tmp_path: Path) -> None:
    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    before = _bodies(paths, PASS)
    info = make_backup(paths.database, paths.backups, "manual", NOW.replace(hour=12),
                       passphrase=PASS)
    assert not info.path.read_bytes().startswith(HEADER)
    with pytest.raises(crypto.WrongPassphrase):
        crypto.unlock(info.path, "wrong")
    db = open_database(paths.database, paths.backups, passphrase=PASS)
    try:
        create_entry(db, "written after the backup", "later")
    finally:
        db.close()
    saved = restore(info.path, paths.database, paths.backups, paths.damaged, NOW.replace(hour=13),
                    passphrase=PASS)
    assert saved is not None and not saved.path.read_bytes().startswith(HEADER)
    assert not paths.database.read_bytes().startswith(HEADER)
    assert _bodies(paths, PASS) == before


def test_unlock_time(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    sqlfile._raw_key.cache_clear()  # measure a cold unlock, key derivation included
    seconds = crypto.unlock(paths.database, PASS)
    figure("R14", "unlock time (key derivation + check)", f"{seconds * 1000:.0f} ms", "< 2000 ms")
    assert seconds < 2.0


def test_cli_with_and_without_passphrase(tmp_path: Path) -> None:
    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    env = child_env(paths.data_dir, KEEL_PASSPHRASE=PASS)
    run = lambda *a, **kw: subprocess.run(  # noqa: E731
        [PYTHON, "-m", "desktop", "--data-dir", str(paths.data_dir), *a], cwd=ROOT,
        capture_output=True, text=True, timeout=60, **kw)
    wrote = run("write", "--title", "cli", "platypus thoughts", env=env,
                stdin=subprocess.DEVNULL)
    assert wrote.returncode == 0, wrote.stderr
    found = run("search", "platypus", env=env, stdin=subprocess.DEVNULL)
    assert found.returncode == 0 and "cli" in found.stdout, found.stderr
    assert b"platypus" not in paths.database.read_bytes()

    before = file_sha(paths.database)
    locked = keel("search", "platypus", data_dir=paths.data_dir, stdin=subprocess.DEVNULL)
    assert locked.returncode == 1
    assert locked.stderr.strip().count("\n") == 0
    assert "encrypted" in locked.stderr and "KEEL_PASSPHRASE" in locked.stderr
    wrong = run("search", "platypus", env=child_env(paths.data_dir, KEEL_PASSPHRASE="nope"),
                stdin=subprocess.DEVNULL)
    assert wrong.returncode == 1 and "does not open this journal" in wrong.stderr
    assert "Traceback" not in locked.stderr + wrong.stderr
    assert file_sha(paths.database) == before


def test_gui_start_up_unlocks_and_reports_the_unlock_time(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = _journal_with_canary(tmp_path / "data")
    crypto.encrypt(paths.database, PASS, paths.backups, NOW)
    result = subprocess.run(
        [PYTHON, "-m", "desktop", "--data-dir", str(paths.data_dir), "--startup-report"],
        cwd=ROOT, env=child_env(paths.data_dir, KEEL_PASSPHRASE=PASS), capture_output=True,
        text=True, timeout=90, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    lines = {line[:24].strip(): line[24:] for line in result.stdout.splitlines()}
    assert "unlock (key check)" in lines and "ready" in lines, result.stdout
    figure("R14", "unlock at start-up (key check)",
           lines["unlock (key check)"].strip(), "< 2000 ms")
    assert not paths.database.read_bytes().startswith(HEADER)
    log = paths.log_file.read_text() if paths.log_file.exists() else ""
    assert PASS not in log and CANARY not in log
