"""Storage (issue 20): compressed backups and the write-time search index under attack.

A backup truncated or corrupted after compression, a full disk while compressing, a kill
during the index build: the journal is untouched, the broken backup is reported and
skipped, and the next search still finds everything. Figures are R51–R55 (docs/
RELIABILITY_REPORT.md, "Storage").
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from db.backup import (
    BackupError,
    folder_size,
    integrity_errors,
    list_backups,
    make_backup,
    newest_sound_backup,
    restore,
)
from tests.reliability.helpers import NOW, ROOT, entry_rows, make_journal, small_tmpfs


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _index_state(path: Path) -> tuple[int, int, int]:
    """(pending, indexed, searchable) after FTS5's own integrity-check."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM search_pending), "
            "(SELECT count(*) FROM search_fts_docsize), (SELECT count(*) FROM search_source)"
        ).fetchone())
    finally:
        conn.close()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir()
            if p.name.endswith((".part", ".packing")) or ".unpacked-" in p.name]


def _keel(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_a_compressed_backup_opens_with_common_tools_and_restores(tmp_path: Path,
                                                                  figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=1)
    wanted = entry_rows(paths.database)
    info = make_backup(paths.database, paths.backups, "manual", NOW)
    assert info.path.name.endswith(".sqlite3.gz") and info.compressed
    assert subprocess.run(["gzip", "-t", str(info.path)]).returncode == 0
    plain = tmp_path / "by-hand.sqlite3"
    with gzip.open(info.path) as source:
        plain.write_bytes(source.read())
    assert plain.read_bytes()[:16] == b"SQLite format 3\x00"
    assert integrity_errors(plain) == [] and integrity_errors(info.path) == []
    ratio = info.size / paths.database.stat().st_size
    figure("R51", "compressed backup / journal (1 year of demo data)", f"{ratio:.2f}", "")

    conn = sqlite3.connect(paths.database)
    conn.execute("DELETE FROM entries")
    conn.commit()
    conn.close()
    restore(info.path, paths.database, paths.backups, paths.damaged)
    pending, indexed, searchable = _index_state(paths.database)
    differing = len(set(wanted.items()) ^ set(entry_rows(paths.database).items()))
    figure("R51", "entries differing after restoring a .gz", differing, "0")
    figure("R51", "rows indexed after restore / searchable", f"{indexed}/{searchable}", "all")
    assert differing == 0 and pending == 0 and indexed == searchable > 0
    assert _leftovers(paths.backups) == []

    # A backup the user decompressed by hand, and one they gzipped themselves, both restore.
    gz_by_hand = tmp_path / "mine.sqlite3.gz"
    with open(plain, "rb") as source, gzip.open(gz_by_hand, "wb") as out:
        out.write(source.read())
    done = _keel("restore", str(gz_by_hand), data=paths.data_dir)
    assert done.returncode == 0, done.stderr
    assert _keel("restore", str(plain), data=paths.data_dir).returncode == 0
    assert _index_state(paths.database)[1] == searchable
    listing = _keel("backup", "--list", data=paths.data_dir).stdout
    assert "Backups folder: Keeping " in listing and "× the journal (" in listing
    assert "; kept within 3 ×." in listing


def _damage(kind: str, path: Path) -> None:
    data = bytearray(path.read_bytes())
    if kind == "truncated":
        data = data[: len(data) // 2]
    else:  # corrupted: bytes flipped in the middle of the compressed stream
        middle = len(data) // 2
        for i in range(middle, middle + 64):
            data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["truncated", "corrupted"])
def test_a_broken_compressed_backup_is_reported_and_skipped(kind: str, tmp_path: Path,
                                                           figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.5)
    good = make_backup(paths.database, paths.backups, "manual", NOW)
    broken = make_backup(paths.database, paths.backups, "manual", NOW + timedelta(days=1))
    _damage(kind, broken.path)
    before = _sha(paths.database)

    problems = integrity_errors(broken.path)
    assert len(problems) == 1 and broken.path.name in problems[0]
    assert newest_sound_backup(paths.backups) == good  # the broken newest one is skipped
    with pytest.raises(BackupError) as raised:
        restore(broken.path, paths.database, paths.backups, paths.damaged)
    message = str(raised.value)
    cli = _keel("restore", str(broken.path), data=paths.data_dir)
    untouched = _sha(paths.database) == before
    one_line = "\n" not in message
    figure("R52", f"{kind} .gz: journal untouched / one-line error",
           f"{'yes' if untouched else 'no'} / {'yes' if one_line else 'no'}", "yes / yes")
    assert untouched and "\n" not in message and "Traceback" not in cli.stderr
    assert cli.returncode != 0 and len(cli.stderr.strip().splitlines()) == 1
    assert _leftovers(paths.backups) == []
    # The next search still finds everything.
    assert _keel("search", "the", data=paths.data_dir).returncode == 0
    assert _index_state(paths.database)[0] == 0


@pytest.fixture
def small_disk():  # type: ignore[no-untyped-def]
    with small_tmpfs("1m") as mount:
        yield mount


def test_a_full_disk_while_compressing(tmp_path: Path, small_disk: Path, figure) -> None:  # type: ignore[no-untyped-def]
    """The disk fills while the checked copy is being compressed (``pack``), and while a
    whole backup is made on a nearly full disk: a clear error, nothing left behind."""
    from db.backup import pack, unpacked

    paths = make_journal(tmp_path / "data", years=1)
    probe = make_backup(paths.database, tmp_path / "probe", "manual", NOW)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (1024 * 1024 - 16 * 1024))
    assert probe.size > 16 * 1024  # more than the room left
    target = small_disk / "keel-manual-20261127T100000000000Z.sqlite3.gz"
    with unpacked(probe.path) as checked, pytest.raises(OSError):
        pack(checked, target)
    left = [p.name for p in small_disk.iterdir() if p != filler]
    figure("R53", "full disk while compressing: partial files left", len(left), "0")
    assert left == []

    before = _sha(paths.database)
    with pytest.raises(BackupError) as raised:
        make_backup(paths.database, small_disk, "manual", NOW)
    left = [p.name for p in small_disk.iterdir() if p != filler]
    figure("R53", "backup onto a full disk: partial files / journal changed",
           f"{len(left)} / {'no' if _sha(paths.database) == before else 'yes'}", "0 / no")
    assert left == [] and _sha(paths.database) == before
    assert "\n" not in str(raised.value)


def test_a_kill_during_the_index_build_loses_nothing(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    """kill -9 ``keel import`` at points through the import and its index build: the
    journal is sound and either has none or all of the file, never a part; the index
    matches the rows; importing again then finds everything."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import entries

    source = tmp_path / "jrnl.json"
    source.write_text(json.dumps({"tags": {}, "entries": entries(3)}), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    assert _keel("import", "--format", "jrnl", str(source), data=tmp_path / "full").returncode == 0
    whole = time.perf_counter() - started
    partial = killed = 0
    for step in range(6):
        data = tmp_path / f"run{step}"
        proc = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(data),
                                 "import", "--format", "jrnl", str(source)],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(whole * (0.45 + 0.1 * step))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        database = data / "keel.sqlite3"
        if not database.exists() or database.stat().st_size == 0:
            continue
        conn = sqlite3.connect(database)
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        migrated = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM entries").fetchone()[0] if migrated else 0
        conn.close()
        partial += count not in (0, 3 * 365)
        if migrated:  # (killed during the first migration: still a new, empty journal)
            pending, indexed, searchable = _index_state(database)
            assert pending == 0 and indexed == searchable
        again = _keel("import", "--format", "jrnl", "--merge", str(source), data=data)
        assert again.returncode == 0, again.stderr
        assert _index_state(database)[1:] == (3 * 365, 3 * 365)
        found = _keel("search", "keel", data=data)
        assert found.returncode == 0 and found.stdout.strip()
    figure("R54", "kill -9 during import + index build: runs killed", killed, "")
    figure("R54", "journals with part of the import", partial, "0")
    assert partial == 0 and killed > 0


def test_encrypting_leaves_no_compressed_plain_backup(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    from db.crypto import encrypt, file_is_encrypted

    paths = make_journal(tmp_path / "data", years=0.3)
    wanted = entry_rows(paths.database)
    make_backup(paths.database, paths.backups, "manual", NOW)
    skipped = encrypt(paths.database, "correct horse", paths.backups, NOW)
    backups = list_backups(paths.backups)
    plain = [b.path.name for b in backups if b.compressed or not file_is_encrypted(b.path)]
    figure("R55", "plain backups left after encrypting", len(plain), "0")
    assert skipped == [] and plain == [] and backups
    restore(backups[0].path, paths.database, paths.backups, paths.damaged, NOW,
            passphrase="correct horse")
    from db.crypto import connect

    conn = connect(paths.database, "correct horse")
    try:
        conn.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
        indexed = conn.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0]
        searchable = conn.execute("SELECT count(*) FROM search_source").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    finally:
        conn.close()
    assert count == len(wanted) and indexed == searchable > 0
    assert folder_size(paths.backups) > 0


def test_what_a_killed_backup_or_restore_left_is_cleared(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    """kill -9 during compressing or decompressing leaves a temporary file; the next
    backup removes it once no live process can be using it."""
    paths = make_journal(tmp_path / "data", years=0.1)
    paths.backups.mkdir(parents=True, exist_ok=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [paths.backups / f".keel-manual-20261127T100000000000Z.sqlite3.gz.unpacked-{dead.pid}",
             paths.backups / "keel-manual-20261127T100000000000Z.sqlite3.gz.packing",
             paths.backups / "keel-manual-20261127T100000000000Z.sqlite3.gz.part"]
    live = [paths.backups / f".keel-daily-20261127T100000000000Z.sqlite3.gz.unpacked-{os.getppid()}",
            paths.backups / "keel-daily-20261128T100000000000Z.sqlite3.gz.part"]
    for path in stale + live:
        path.write_bytes(b"left over")
    hour_ago = time.time() - 7200
    for path in stale[1:]:
        os.utime(path, (hour_ago, hour_ago))
    make_backup(paths.database, paths.backups, "manual", NOW)
    left = [p.name for p in stale if p.exists()]
    figure("R53", "leftovers of a killed backup or restore after the next backup", len(left), "0")
    assert left == [] and all(p.exists() for p in live)
