"""R13: a deleted canary entry leaves no trace in the data folder, temp folder or logs."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from db.engine import Database
from db.journal import create_entry, delete_entry, get_entry, update_entry
from desktop.logging_setup import setup_logging
from tests.reliability.helpers import make_journal

CANARY = "zebracanary7781"


def _hits(folder: Path, since: float, needle: bytes) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                stat = path.stat()
                if stat.st_mtime < since - 5 or stat.st_size > 50_000_000:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if needle in data or needle.decode().encode("utf-16-le") in data:
                found.append(str(path))
    return found


def _canary_run(tmp_path: Path, fold_fts: bool) -> tuple[list[str], list[str]]:
    """Write, edit, search, delete a canary entry, sync search, checkpoint; grep for it."""
    started = time.time()
    paths = make_journal(tmp_path / "data", years=0.2)
    setup_logging(paths, level=logging.DEBUG)
    db = Database(paths.database)
    try:
        entry = create_entry(db, f"My {CANARY} thought about the lab.", f"{CANARY} title",
                             [CANARY])
        update_entry(db, entry.id, f"Edited: {CANARY} again.", f"{CANARY} t2", [CANARY])
        assert get_entry(db, entry.id) is not None
        from db.search import search_entries, sync_index

        assert entry.id in search_entries(db, CANARY)
        delete_entry(db, entry.id)
        sync_index(db)  # what the next search does
        if fold_fts:

            with db.write() as session:
                session.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
    finally:
        db.close()  # the last connection checkpoints the -wal into the file
    for handler in logging.getLogger().handlers:
        handler.flush()
    needle = CANARY.encode()
    hits = _hits(paths.data_dir, started, needle)
    tmp_hits = [h for h in _hits(Path(tempfile.gettempdir()), started, needle)
                if not h.startswith(str(tmp_path))]
    return hits, tmp_hits


def test_deleted_canary_is_gone_from_tables_wal_logs_and_temp(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    """secure_delete + checkpoint: gone from every table, the -wal, logs and temp files
    (the full-text index is folded here; the next test covers it as the app leaves it)."""
    hits, tmp_hits = _canary_run(tmp_path, fold_fts=True)
    figure("R13", "canary hits (data folder + logs, FTS folded)", len(hits), "0")
    figure("R13", "canary hits (temp folder)", len(tmp_hits), "0")
    assert hits == [] and tmp_hits == [], hits + tmp_hits


def test_deleted_canary_is_gone_from_the_search_index(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    hits, _tmp = _canary_run(tmp_path, fold_fts=False)
    figure("R13", "canary hits as the app leaves the file (FTS index)", len(hits), "0")
    assert hits == [], hits
