"""R6: restore round-trip, also over a leftover -wal from a killed process."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.backup import list_backups, make_backup, restore
from tests.reliability.helpers import NOW, entry_rows, make_journal


def _leave_wal(path: Path, text: str) -> None:
    """Commit a row in a forked child that dies without closing: its -wal stays behind."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute("INSERT INTO entries (title, body, created_at, updated_at) "
                     "VALUES ('left in wal', ?, '2026-11-27 09:00:00', '2026-11-27 09:00:00')",
                     (text,))
        os._exit(0)
    os.waitpid(pid, 0)


def test_restore_round_trip_over_a_leftover_wal(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data")
    backup = make_backup(paths.database, paths.backups, "manual", NOW)
    wanted = entry_rows(backup.path)

    conn = sqlite3.connect(paths.database)
    conn.execute("DELETE FROM entries WHERE id % 2 = 0")
    conn.commit()
    conn.close()
    _leave_wal(paths.database, "only in the wal")
    assert Path(str(paths.database) + "-wal").exists()

    saved = restore(backup.path, paths.database, paths.backups, paths.damaged)
    stale = [s for s in ("-wal", "-shm") if Path(str(paths.database) + s).exists()]
    got = entry_rows(paths.database)
    differing = len(set(wanted.items()) ^ set(got.items()))
    figure("R6", "entries differing after restore", differing, "0")
    figure("R6", "stale -wal/-shm left", len(stale), "0")
    assert differing == 0 and stale == []
    # The state before the restore, including what was only in the -wal, was kept.
    assert saved is not None and saved in list_backups(paths.backups)
    from db.backup import unpacked

    with unpacked(saved.path) as plain:  # a compressed backup (db.backup)
        before = sqlite3.connect(plain)
        assert before.execute(
            "SELECT count(*) FROM entries WHERE body='only in the wal'").fetchone()[0] == 1
        before.close()
    assert sqlite3.connect(paths.database).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
