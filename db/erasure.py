"""Deleted text leaves the journal's files at once, not at some later moment.

With ``secure_delete`` on, SQLite zeroes a deleted row's bytes in the pages it rewrites,
but until those pages are checkpointed the old versions of them stay in the ``-wal``
file, and the search index may still hold the words. :func:`erase_deleted` runs after a
delete: it rewrites the index when old words remain (:func:`db.search.sync_index`) and
checkpoints the ``-wal`` (``TRUNCATE``), so neither file keeps the text while the app
stays open.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def erase_deleted(db: Any) -> None:
    """After a delete: purge the search index and fold and empty the ``-wal``."""
    from db.search import sync_index

    sync_index(db)
    raw = db.engine.raw_connection()
    try:
        # Outside any transaction (the driver connection autocommits): a checkpoint
        # cannot run inside one.
        busy, _log_frames, _done = raw.driver_connection.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.info("a reader kept the -wal from being emptied; it is emptied at the next delete")
    finally:
        raw.close()
