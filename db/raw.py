"""The journal through the standard library's ``sqlite3``, for short commands.

``keel write`` and ``keel search`` do a few milliseconds of database work; importing
SQLAlchemy would cost them ten times that (docs/PERFORMANCE.md). They use this instead
when the journal is plain and its schema current — the same file, the same pragmas, the
same one-transaction-per-action rule, and the same SQL (``db.search`` runs unchanged on a
:class:`RawJournal`). Anything else (a migration, an encrypted journal) takes the full path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from db.opener import Connection, Cursor
from db.timeutil import STORED_TIME, to_db, utcnow
from db.validation import clean_tags, clean_text


class RawResult:
    """Enough of SQLAlchemy's ``Result`` for the shared SQL helpers."""

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor
        self.rowcount = cursor.rowcount

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def all(self) -> list[tuple]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cursor.fetchall())


class RawSession:
    def __init__(self, conn: Connection) -> None:
        self.connection = conn
        """The ``sqlite3`` connection, inside this session's transaction."""

    def execute_sql(self, sql: str, params: dict[str, Any] | None = None) -> RawResult:
        return RawResult(self.connection.execute(sql, params or {}))

    def run(self, sql: str, params: Any = ()) -> RawResult:
        """``db.search.Run``: positional parameters; a list of tuples runs it for each."""
        if isinstance(params, list):
            return RawResult(self.connection.executemany(sql, params))
        return RawResult(self.connection.execute(sql, params))


class RawJournal:
    """A plain-``sqlite3`` view of the journal with ``reading()`` / ``transaction()`` like
    :class:`db.engine.Database`."""

    def __init__(self, path: Path) -> None:
        from db.exclusive import WriteGate
        from db.opener import connect

        self.path = path
        self._gate = WriteGate(path)
        with self._gate.opening():
            self._conn = connect(path, tuned=True, threads=False)

    @contextmanager
    def reading(self) -> Iterator[RawSession]:
        self._conn.execute("BEGIN")
        try:
            yield RawSession(self._conn)
        finally:
            self._conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[RawSession]:
        """One write transaction under the journal-wide lock (see ``db.exclusive``)."""
        from db.search import fold_pending

        with self._gate.writing():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                session = RawSession(self._conn)
                yield session
                fold_pending(session.run)  # the search index is current at every commit
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


def create_entry(journal: RawJournal, body: str, title: str = "", tags: Iterable[str] = (),
                 when: datetime | None = None) -> int:
    """Save a new entry as ``db.journal.create_entry`` does; returns its id once committed."""
    stamp = to_db(when or utcnow()).strftime(STORED_TIME)  # type: ignore[union-attr]
    body = clean_text(body, "entry")
    title = clean_text(title, "title", limit=500)
    wanted = clean_tags(tags)
    with journal.transaction() as session:
        cursor = session.connection.execute(
            "INSERT INTO entries (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (title, body, stamp, stamp))
        entry_id = int(cursor.lastrowid or 0)
        session.connection.executemany("INSERT INTO entry_tags (entry_id, tag) VALUES (?, ?)",
                                  [(entry_id, tag) for tag in wanted])
    return entry_id


def open_if_plain_and_current(data_dir: Path, database: Path) -> RawJournal | None:
    """A RawJournal when the file is plain (not encrypted) and its schema is current;
    otherwise None and the caller opens it the full way (which migrates or unlocks)."""
    from db.crypto import is_encrypted
    from db.schema import SchemaState, state

    if is_encrypted(data_dir) or not database.exists():
        return None
    if state(database) is not SchemaState.CURRENT:
        return None
    return RawJournal(database)
