"""The one way Keel opens a SQLite file: plain or SQLCipher, any folder path.

Every connection to the journal, its backups and the copies made while converting it
comes from :func:`connect` — SQLAlchemy's engine (through a ``creator=`` callback), the
plain-``sqlite3`` readers of the short commands, the schema check, backups, restore and
encryption. A path is handed to SQLite as a URI that :meth:`pathlib.Path.as_uri` builds,
so ``#``, ``?``, ``%``, ``%41``, spaces and non-ASCII characters are percent-encoded and
name the file they spell — never a query string, a fragment or a sibling file. Nothing
else in Keel builds a ``file:`` URI (a test greps for it).

:class:`db.access.Connection` is the small interface both drivers offer (``sqlite3`` and
``sqlcipher3.dbapi2``), so callers are typed against it rather than ``Any``.

Standard library only; ``sqlcipher3`` is imported only for an encrypted file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.access import Connection, Cursor  # noqa: F401 - the types callers name
from db.pragmas import PRAGMAS
from db.sqlfile import WrongPassphrase, dbapi, file_is_encrypted, key_statement


def file_uri(path: Path, readonly: bool = False, immutable: bool = False) -> str:
    """The SQLite URI naming exactly ``path`` (percent-encoded by ``Path.as_uri``)."""
    uri = Path(path).absolute().as_uri()
    if immutable:
        return f"{uri}?mode=ro&immutable=1"
    return f"{uri}?mode=ro" if readonly else uri


def connect(path: Path, passphrase: str | None = None, *, readonly: bool = False,
            timeout: float = 5.0, cipher: bool | None = None, tuned: bool = False,
            threads: bool = True, autocommit: bool = False,
            immutable: bool = False) -> Connection:
    """Open the SQLite file at ``path``.

    - ``passphrase``: the file is (or becomes) an encrypted SQLCipher file keyed with it;
      the key is checked and ``db.sqlfile.WrongPassphrase`` raised when it does not open
      the file (nothing is written in that case).
    - ``cipher``: use the ``sqlcipher3`` driver even without a key (a plain file that is
      about to be attached to an encrypted one); default: only with a passphrase.
    - ``readonly``: SQLite opens the file read-only (``mode=ro``).
    - ``tuned``: the journal's pragmas (WAL, FULL sync, foreign keys, busy timeout…) are
      set and the driver's own transaction handling is switched off (Keel emits BEGIN).
    - ``threads``: the connection may be used from another thread than its creator's
      (SQLAlchemy's pool and the app's worker thread need that).
    - ``autocommit``: no implicit transactions (``isolation_level = None``).
    - ``immutable``: read a file nobody may write meanwhile without a ``-shm`` (a
      journal in a read-only folder).
    """
    use_cipher = passphrase is not None if cipher is None else cipher
    if use_cipher:
        module: Any = dbapi()
    else:
        import sqlite3 as module
    conn = module.connect(file_uri(path, readonly, immutable), uri=True, timeout=timeout,
                          check_same_thread=not threads)
    if use_cipher:
        statement = key_statement(path, passphrase) if passphrase is not None else None
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            if statement is not None:
                conn.execute(statement)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except module.DatabaseError as exc:
            conn.close()
            if statement is not None and "not a database" in str(exc):
                raise WrongPassphrase(
                    "That passphrase does not open this journal. Nothing was changed.") from exc
            raise
        except BaseException:
            conn.close()
            raise
    if autocommit:
        conn.isolation_level = None
    if tuned:
        try:
            tune(conn)
        except BaseException:
            conn.close()
            raise
    return conn


def tune(conn: Any) -> None:
    """Set the journal's pragmas on ``conn`` and leave transactions to Keel's own BEGIN."""
    conn.isolation_level = None
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name}={value}")


def open_any(path: Path, passphrase: str | None, readonly: bool = True,
             timeout: float = 5) -> Connection:
    """A connection to ``path``, plain or encrypted: ``passphrase`` is used only when the
    file's content is encrypted (a plain backup beside an encrypted journal opens plain)."""
    if passphrase is not None and not file_is_encrypted(path):
        passphrase = None
    return connect(path, passphrase, readonly=readonly, timeout=timeout)
