"""Issue 15, part 8: clean edges.

- Deleting an entry or a job option takes its text out of the search index and out of
  the ``-wal`` at once, while the journal stays open (as in the app).
- ``keel check`` on a read-only folder does not call a sound journal "damaged".
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.journal import create_entry, delete_entry
from db.journal_file import open_database
from db.options import delete_option, save_option
from desktop.core.records import JobOption
from tests.reliability.helpers import PYTHON, ROOT, child_env, keel, make_journal

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def _hits(folder: Path, needle: str) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_file() and needle.encode() in p.read_bytes()]


def test_deleted_text_leaves_the_index_and_the_wal_at_once(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    db = open_database(paths.database, paths.backups)
    try:
        entry_word, option_word = "canaryentry4711", "canaryoption4712"
        entry = create_entry(db, "to delete", f"about {entry_word} here", [], when=NOW)
        option = save_option(db, JobOption(id=None, organisation=f"Org {option_word}", role="r",
                                           notes=f"{option_word} notes",
                                           created_at=NOW, updated_at=NOW), when=NOW)
        from db.search import search

        assert search(db, entry_word) and search(db, option_word)
        delete_entry(db, entry.id)
        delete_option(db, option.id)
        # The journal is still open (the app keeps it open): nothing in the file or -wal.
        assert _hits(paths.data_dir, entry_word) == []
        assert _hits(paths.data_dir, option_word) == []
        assert not search(db, entry_word) and not search(db, option_word)
    finally:
        db.close()


@pytest.mark.skipif(os.name != "posix" or shutil.which("setpriv") is None,
                    reason="needs POSIX permissions and setpriv")
def test_read_only_folder_is_not_damaged(tmp_path: Path) -> None:
    """A journal the user may read but not write (checked as "nobody" when run as root)."""
    base = Path(tempfile.mkdtemp(prefix="keel-ro-"))
    try:
        base.chmod(0o755)
        paths = make_journal(base / "data", years=0.05)
        conn = sqlite3.connect(paths.database)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for p in [paths.data_dir, *paths.data_dir.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        command = [PYTHON, "-m", "desktop", "--data-dir", str(paths.data_dir), "check"]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        else:
            paths.data_dir.chmod(0o555)
            paths.database.chmod(0o444)
        env = child_env(paths.data_dir, HOME=str(base))
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)
        assert "Damaged" not in done.stdout and "Traceback" not in done.stderr, \
            done.stdout + done.stderr
        assert "read-only" in done.stdout and str(paths.database) in done.stdout
    finally:
        for p in [base, *base.rglob("*")]:
            p.chmod(0o700 if p.is_dir() else 0o600)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("kind", ["fifo", "read-only", "device"])
def test_export_refuses_what_is_not_a_writable_regular_file(tmp_path: Path, kind: str) -> None:
    paths = make_journal(tmp_path / "data", years=0.1)
    target = tmp_path / "out folder #1" / "export.md"
    target.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "read-only":
        target.write_text("keep me")
        target.chmod(0o444)
    else:
        target = Path("/dev/null")
    before = target.read_text() if kind == "read-only" else None
    done = keel("export", "--format", "md", "-o", str(target), data_dir=paths.data_dir,
                timeout=120)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and str(target) in done.stderr, done.stderr
    if kind == "read-only":
        assert target.read_text() == before
    if kind == "fifo":
        assert Path(target).exists() and not Path(target).is_file()


CRASH_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA wal_autocheckpoint = 0")
for i in range(40):
    conn.execute("INSERT INTO entries (title, body, created_at, updated_at) VALUES (?, ?, "
                 "'2026-01-01 10:00:00.000000', '2026-01-01 10:00:00.000000')",
                 ("other", "other journal " * 200))
    conn.commit()
os._exit(0)  # a crash: the -wal stays behind, full of frames
"""


def test_a_foreign_wal_is_detected_and_set_aside(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "mine", years=0.2)
    other = make_journal(tmp_path / "other", years=0.05)
    for folder in (paths, other):
        conn = sqlite3.connect(folder.database)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    conn = sqlite3.connect(paths.database)
    wanted = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    conn.close()
    import subprocess as sp

    sp.run([PYTHON, "-c", CRASH_WRITER, str(other.database)], check=True, timeout=60)
    foreign = Path(f"{other.database}-wal")
    assert foreign.stat().st_size > 0
    shutil.copyfile(foreign, f"{paths.database}-wal")  # e.g. a sync tool mixing folders
    done = keel("check", data_dir=paths.data_dir)
    assert "Foreign -wal" in done.stdout and str(paths.database) in done.stdout, done.stdout
    assert not Path(f"{paths.database}-wal").exists()
    assert list(paths.damaged.glob("*-foreign-*-wal"))
    done = keel("check", "--full", data_dir=paths.data_dir)
    assert done.returncode == 0 and "Sound" in done.stdout, done.stdout
    conn = sqlite3.connect(paths.database)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == wanted
    conn.close()
