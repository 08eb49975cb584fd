"""The one way Keel's code reads and writes the journal: SQL on a :class:`Session`.

Every record type has one reader and one writer, written in SQL against the small
:class:`Session` interface below (``execute`` / ``execute_many``). Two journals give
such a session, and both satisfy :class:`Journal`:

- :class:`db.engine.Database` — the app's journal, plain or encrypted (SQLCipher), with
  SQLAlchemy's engine as its connection pool (no ORM session). ``read()`` / ``write()``
  take a pooled connection, begin a transaction on it and hand out the DB-API
  connection inside it, so the engine's hooks (``BEGIN IMMEDIATE`` for writers, the
  search-index fold at commit) and the journal-wide write lock apply.
- :class:`db.plain_journal.PlainJournal` — the same file through the standard library's ``sqlite3``
  only, for the short commands (``keel write``, ``keel search``, ``keel remind``) and the
  first Today, which must not pay for importing SQLAlchemy (docs/PERFORMANCE.md).

Either way the connection comes from :func:`db.opener.connect` and carries the same
pragmas. The SQLAlchemy models and the Alembic migrations stay the schema's single
source of truth; ``tests/unit/test_sql_statements.py`` prepares every SQL statement in
``db/`` and ``desktop/`` against a freshly migrated journal, so a renamed column fails a
test, not a user. See docs/ARCHITECTURE.md, "One data path".

Standard library only, and a leaf: it imports nothing of Keel's but the opener's types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol


class Cursor(Protocol):
    """The part of a DB-API cursor Keel uses."""

    lastrowid: int | None
    rowcount: int
    description: Any

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Any: ...


class Connection(Protocol):
    """The part of a DB-API connection Keel uses (``sqlite3`` and ``sqlcipher3`` alike)."""

    isolation_level: str | None

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ...,
                /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...

    def backup(self, target: Any, /, **kwargs: Any) -> None: ...


Params = Sequence[Any] | Mapping[str, Any]
"""Positional (``?``) or named (``:name``) parameters, as the DB-API takes them."""


class Rows:
    """What a statement returned: iterate it, or take ``all()``, ``first()``, ``scalar()``."""

    __slots__ = ("_cursor", "lastrowid", "rowcount")

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount
        self.lastrowid: int | None = cursor.lastrowid

    def scalar(self) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def first(self) -> tuple[Any, ...] | None:
        row = self._cursor.fetchone()
        return None if row is None else tuple(row)

    def all(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def columns(self) -> list[str]:
        """The names of the returned columns, in order."""
        return [d[0] for d in self._cursor.description or ()]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)


class Session(Protocol):
    """One transaction on the journal: the only interface the readers and writers use."""

    def execute(self, sql: str, params: Params = ...) -> Rows: ...

    def execute_many(self, sql: str, rows: Iterable[Params]) -> Rows: ...


class Journal(Protocol):
    """An open journal: :class:`db.engine.Database` or
    :class:`db.plain_journal.PlainJournal`."""

    path: Path

    def read(self) -> AbstractContextManager[Session]:
        """One read transaction (a consistent picture; takes no write lock)."""
        ...

    def write(self) -> AbstractContextManager[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        ...

    def close(self) -> None: ...


class SqlSession:
    """A :class:`Session` on a DB-API connection (``sqlite3`` or ``sqlcipher3``) that is
    already inside the transaction its owner began."""

    __slots__ = ("connection",)

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Params = ()) -> Rows:
        return Rows(self.connection.execute(sql, params))

    def execute_many(self, sql: str, rows: Iterable[Params]) -> Rows:
        return Rows(self.connection.executemany(sql, rows))
