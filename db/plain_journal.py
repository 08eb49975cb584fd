"""The journal through the standard library's ``sqlite3`` alone: no SQLAlchemy.

``keel write``, ``keel search``, ``keel remind`` and the first Today do a few
milliseconds of database work; importing SQLAlchemy would cost them ten times that
(docs/PERFORMANCE.md). They open the journal as a :class:`PlainJournal` when it is plain
and its schema current, and run the very same readers and writers as the app — every one
is written in SQL against :class:`db.access.Session` — with the same pragmas, the same
journal-wide write lock and the same one-transaction-per-action rule. Anything else (a
migration, an encrypted journal) opens as a :class:`db.engine.Database`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from db.access import SqlSession


class PlainJournal:
    """The journal through ``sqlite3`` alone (no SQLAlchemy): a :class:`Journal`.

    Only for a plain file whose schema is current (:func:`open_if_plain_and_current`);
    anything else — a migration, an encrypted journal — opens as a
    :class:`db.engine.Database`. ``readonly``: SQLite opens the file read-only and
    ``write()`` is refused (the first Today, ``keel remind``).
    """

    def __init__(self, path: Path, readonly: bool = False) -> None:
        from db.opener import connect

        self.path = path
        self.readonly = readonly
        if readonly:
            self._gate = None
            self._conn = connect(path, readonly=True, threads=False, autocommit=True)
        else:
            from db.exclusive import WriteGate

            self._gate = WriteGate(path)
            with self._gate.opening():
                self._conn = connect(path, tuned=True, threads=False)

    @contextmanager
    def read(self) -> Iterator[SqlSession]:
        self._conn.execute("BEGIN")
        try:
            yield SqlSession(self._conn)
        finally:
            self._conn.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[SqlSession]:
        """One write transaction under the journal-wide lock (see ``db.exclusive``); the
        search index is brought up to date before COMMIT, as the engine's hook does."""
        from db.search import fold_pending

        if self._gate is None:
            raise PermissionError("This journal was opened read-only.")
        with self._gate.writing():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                session = SqlSession(self._conn)
                yield session
                fold_pending(session)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


def open_if_plain_and_current(data_dir: Path, database: Path) -> PlainJournal | None:
    """A :class:`PlainJournal` when the file is plain (not encrypted) and its schema is
    current; otherwise None and the caller opens it the full way (which migrates or
    unlocks)."""
    from db.crypto import is_encrypted
    from db.schema import SchemaState, state

    if is_encrypted(data_dir) or not database.exists():
        return None
    if state(database) is not SchemaState.CURRENT:
        return None
    return PlainJournal(database)
