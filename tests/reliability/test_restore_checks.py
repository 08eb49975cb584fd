"""Issue 15, part 3: restore checks what it gets. An empty file, a file that is not
SQLite, a SQLite file that is not a Keel journal, a journal from a newer Keel, a damaged
one and one whose rows Keel cannot use are refused with one line naming the file, and the
journal is not touched (same bytes, no pre-restore backup). Before, all were accepted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.reliability.helpers import file_sha, keel, make_journal


def _copy(src: Path, dst: Path) -> None:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def _bad_files(folder: Path, journal: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    files["empty"] = folder / "empty.sqlite3"
    files["empty"].write_bytes(b"")
    files["text"] = folder / "notes.txt"
    files["text"].write_text("just some text, not a database\n")
    files["not keel"] = folder / "other app.sqlite3"
    conn = sqlite3.connect(files["not keel"])
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO things (name) VALUES ('x')")
    conn.commit()
    conn.close()
    for name, sql in (("newer", "UPDATE alembic_version SET version_num = '9999'"),
                      ("bogus kind", "UPDATE answers SET kind = 'bogus'"),
                      ("year 9999", "UPDATE entries SET created_at = '9999-12-31 23:00:00.000000'"),
                      ("profile not json", "UPDATE settings SET value = '{oops' "
                                           "WHERE key = 'profile'")):
        target = folder / f"{name}.sqlite3"
        _copy(journal, target)
        conn = sqlite3.connect(target)
        conn.execute(sql)
        conn.commit()
        conn.close()
        files[name] = target
    damaged = folder / "damaged.sqlite3"
    _copy(journal, damaged)
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6), 7):  # interior pages
        data[offset] ^= 0xFF
    damaged.write_bytes(bytes(data))
    files["damaged"] = damaged
    return files


def test_restore_refuses_what_is_not_a_usable_keel_journal(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "data", years=0.3)
    conn = sqlite3.connect(paths.database)
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM settings WHERE key='profile'").fetchone()[0] == 1
    conn.close()
    files = _bad_files(tmp_path / "odd folder #1 %", paths.database)
    before = file_sha(paths.database)
    backups_before = sorted(p.name for p in paths.backups.iterdir())
    for name, path in files.items():
        done = keel("restore", str(path), data_dir=paths.data_dir)
        assert done.returncode != 0, (name, done.stdout)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path.name) in lines[0], (name, done.stderr)
        assert file_sha(paths.database) == before, name
        assert sorted(p.name for p in paths.backups.iterdir()) == backups_before, name


@pytest.mark.parametrize("name", ["good"])
def test_a_sound_backup_still_restores(tmp_path: Path, name: str) -> None:
    paths = make_journal(tmp_path / "data", years=0.3)
    good = tmp_path / "good.sqlite3"
    _copy(paths.database, good)
    done = keel("restore", str(good), data_dir=paths.data_dir)
    assert done.returncode == 0, done.stderr
