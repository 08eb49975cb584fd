"""The SQLite engine: pragmas on every connection, and transactions Keel controls.

Python's sqlite3 module commits DDL statement by statement unless told otherwise, which
would leave a failed migration half-applied. The engine therefore switches the driver's
own transaction handling off and emits ``BEGIN`` itself (SQLAlchemy's documented
"pysqlite transaction" hooks), so every ``with session.begin()`` — migrations included —
is one real SQLite transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from db.access import Connection, SqlSession
from desktop.core.errors import UserError


def _on_begin(conn: Any) -> None:
    # Writers take the write lock up front so they wait (busy_timeout) instead of failing
    # half-way; readers begin deferred and never block anyone in WAL mode.
    write = conn.get_execution_options().get("keel_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _on_commit(conn: Any) -> None:
    # Every writer leaves the search index current in its own transaction (db.search).
    from db.search import fold_on_commit

    fold_on_commit(conn)


class DiskFull(UserError):
    """SQLite reported a full disk; nothing of the failed transaction was written."""


def _on_error(context: Any) -> None:
    # A full disk is the user's to fix: say so in plain words instead of "something went
    # wrong" (SQLite rolled the transaction back; nothing half-written remains).
    if "database or disk is full" in str(context.original_exception):
        from db.failures import MESSAGES, Kind

        raise DiskFull(MESSAGES[Kind.DISK_FULL]) from context.original_exception


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine on the SQLite file at ``path`` (created 0600 if it does not exist).

    Every connection comes from ``db.opener.connect`` (the ``creator=`` callback), so the
    engine's URL is built from parts, never parsed from a string holding the path; with a
    ``passphrase`` the file is an encrypted (SQLCipher) journal. The same pragmas and
    BEGIN hooks apply either way. SQL parameters are hidden from error messages, which
    end up in logs (``hide_parameters``): journal text never reaches them.
    """
    from db.opener import connect
    from db.sqlfile import dbapi

    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    url = URL.create("sqlite+pysqlite", database=str(path))
    # The driver module only tells SQLAlchemy's dialect what it talks to (sqlcipher3 has
    # sqlite3's interface); every connection itself comes from the one opener.
    driver = {"module": dbapi()} if passphrase is not None else {}
    # ``tuned``: the opener sets the pragmas and leaves BEGIN to the hook below, for the
    # engine's connections as for the command line's (one way to tune a connection).
    engine = create_engine(url, hide_parameters=True, **driver,
                           creator=lambda: connect(path, passphrase, tuned=True))
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _on_error)
    event.listen(engine, "commit", _on_commit)
    return engine


def _driver(conn: Any) -> Connection:
    """The DB-API connection (``sqlite3`` or ``sqlcipher3``) under a pooled connection."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


class Database:
    """The open journal: one engine (its connection pool, pragmas and hooks). The readers
    and writers take this (or a :class:`db.plain_journal.PlainJournal`) as first argument
    and run SQL on the :class:`db.access.Session` that :meth:`read` and :meth:`write` give."""

    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        from db.exclusive import WriteGate

        self.path = path
        self.encrypted = passphrase is not None
        self._gate = WriteGate(path)
        with self._gate.opening():
            self.engine = make_engine(path, passphrase)
        self._writer = self.engine.execution_options(keel_write=True)

    @contextmanager
    def read(self) -> Iterator[SqlSession]:
        """One read transaction (a consistent picture; takes no write lock), rolled back
        at the end: a reader never writes, so it never folds the search index either."""
        with self.engine.connect() as conn:
            conn.begin()
            try:
                yield SqlSession(_driver(conn))
            finally:
                conn.rollback()

    @contextmanager
    def write(self) -> Iterator[SqlSession]:
        """One short write transaction: ``BEGIN IMMEDIATE``, committed on success (the
        search index folded first) and rolled back on any error.

        Holds the journal-wide lock shared (``db.exclusive``): while a conversion,
        restore or import runs, it waits a few seconds, then raises ``JournalBusy``.
        """
        with self._gate.writing(), self._writer.begin() as conn:
            yield SqlSession(_driver(conn))

    def close(self) -> None:
        self.engine.dispose()
