"""How the journal file lays out its pages: page size, auto-vacuum, compaction.

A 300-word entry is about 2 KB. With SQLite's default 4 KiB pages an entry of
2.0–2.3 KB fills a page alone and leaves the rest empty (Keel measured the entries table
at 1.75–2.0 times its text); with 8 KiB pages three or four fit, and the table stays
about 1.2 times its text for entries from 0.8 to 3 KB. Larger pages would waste more on
the forty-odd small tables, which take at least a page each (docs/PERFORMANCE.md).
``auto_vacuum=FULL`` gives pages freed by a delete (or by an index rebuild) back
to the file system at commit, so the file shrinks with what it holds.

Both can only be chosen before the first table exists, or by a ``VACUUM``:
:func:`prepare_new_file` runs before the first migration of a new plain journal, and
:func:`compact` after a migration that freed much of the file (revision 0003 drops the
index's copy of the text), converting an older plain journal on the way.

An encrypted journal keeps SQLCipher's page size (``cipher_page_size`` must be given on
every open, so Keel never changes it); it is compacted the same way otherwise.
Standard library ``sqlite3`` (and ``db.crypto`` for an encrypted file) only.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from db.opener import Connection

PAGE_SIZE = 8192
"""Keel's page size for plain journals (the SQLite default is 4096)."""
AUTO_VACUUM = "FULL"
COMPACT_SHARE = 4
"""Keel's threshold: compact when more than a quarter of the file is free pages."""

log = logging.getLogger(__name__)


def prepare_new_file(path: Path) -> bool:
    """Give a new, empty plain journal Keel's page size and auto-vacuum; True if done.

    Must run before anything creates a table; a file with content is left alone.
    """
    try:
        if path.exists() and path.stat().st_size > 0:
            return False
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)  # private from the start
        os.close(fd)
    except OSError:
        return False
    from db.opener import connect

    conn = connect(path, autocommit=True)
    try:
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute(f"PRAGMA auto_vacuum={AUTO_VACUUM}")
        conn.execute("PRAGMA journal_mode=WAL")  # writes the header: the choices stick
    finally:
        conn.close()
    return True


def needs_compacting(conn: Connection, plain: bool) -> bool:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    if free * COMPACT_SHARE > pages:
        return True
    return plain and conn.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE


def compact(path: Path, passphrase: str | None = None) -> bool:
    """Merge the search index into one segment, then VACUUM the journal when much of it
    is free (and give a plain one Keel's layout).

    For use when nothing else has the journal open (right after a migration, before the
    app opens it). VACUUM is one transaction: a kill part-way leaves the file as it was.
    Returns whether it VACUUMed; a busy or full disk only skips it (it is never needed
    for correctness).
    """
    from db.opener import open_any
    from db.sqlfile import all_errors

    try:
        conn = open_any(path, passphrase, readonly=False)
    except all_errors() as exc:
        log.warning("compaction skipped: %s", type(exc).__name__)
        return False
    plain = isinstance(conn, sqlite3.Connection)
    try:
        conn.isolation_level = None
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA secure_delete=1")
        from db.search import merge_index

        merge_index(conn)  # the migration's rebuild left the index in several segments
        if not needs_compacting(conn, plain):
            return False
        if plain:
            # The page size can change only outside WAL mode.
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute(f"PRAGMA auto_vacuum={AUTO_VACUUM}")
        conn.execute("VACUUM")
        return True
    except all_errors() as exc:
        log.warning("compaction skipped: %s", type(exc).__name__)
        return False
    finally:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except all_errors():
            pass
        conn.close()
