"""R5: online backups taken while a writer inserts are all sound; time at 10k/100k entries."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from db.backup import integrity_errors, list_backups, make_backup
from db.engine import Database
from db.journal import create_entry
from tests.reliability.helpers import NOW, make_journal

RUNS = 20


def _bulk_entries(path: Path, total: int) -> None:
    """Top the journal up to ``total`` entries of realistic length with plain SQL."""
    conn = sqlite3.connect(path)
    try:
        have = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        body = ("Spent the afternoon on the training-efficiency sprint; asked my manager "
                "what we publish and why. " * 8)
        stamp = "2020-01-01 09:00:00.000000"
        conn.executemany(
            "INSERT INTO entries (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            ((f"Bulk {i}", body, stamp, stamp) for i in range(total - have)))
        conn.commit()
    finally:
        conn.close()


@pytest.mark.slow
def test_backups_while_a_writer_inserts(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.2)
    db = Database(paths.database)
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        while not stop.is_set():
            create_entry(db, f"written during a backup {written[0]}", "concurrent")
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    failed = 0
    try:
        for run in range(RUNS):
            try:
                info = make_backup(paths.database, paths.backups, "manual",
                                   NOW + timedelta(days=run * 9))
                if integrity_errors(info.path):
                    failed += 1
            except Exception:  # noqa: BLE001 - counted
                failed += 1
    finally:
        stop.set()
        thread.join()
        db.close()
    figure("R5", "backups under writes", RUNS, "≥20")
    figure("R5", "failed backups", failed, "0")
    figure("R5", "rows written during backups", written[0], ">0")
    assert failed == 0 and written[0] > 0
    kept = list_backups(paths.backups)
    assert 0 < len(kept) <= 7 + 4 + 6  # rotation ran

    for total in (10_000, 100_000):
        _bulk_entries(paths.database, total)
        started = time.perf_counter()
        info = make_backup(paths.database, paths.backups, "manual", NOW + timedelta(days=400))
        seconds = time.perf_counter() - started
        figure("R5", f"backup seconds at {total // 1000}k entries", f"{seconds:.2f}", "")
        assert not integrity_errors(info.path)
