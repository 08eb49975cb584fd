"""Is the journal's schema current? Migrate it (backup first) only when it is behind.

``status()`` is the cheap check that runs on every start: it reads the stored Alembic
revision with the standard library's sqlite3, so neither SQLAlchemy nor Alembic is
imported when nothing needs doing. ``migrate()`` backs the file up with SQLite's online
backup API, then applies every pending migration inside one transaction.
"""

from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.exclusive import exclusive_operation, folder_of_path
from db.opener import connect
from db.sqlfile import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    SQLITE_HEADER,
    database_errors,
    header_kind,
)
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config


class SchemaState(enum.Enum):
    NEW = "new"
    CURRENT = "current"
    BEHIND = "behind"
    TOO_NEW = "too-new"
    DAMAGED = "damaged"


class SchemaError(UserError):
    """The journal cannot be opened as it is; the message is for the user."""


class DatabaseTooNew(SchemaError):
    pass


class DatabaseDamaged(SchemaError):
    pass


class DatabaseBusy(SchemaError):
    """Another connection holds the journal's lock; nothing was read (not damage)."""


class JournalLocked(SchemaError):
    """The journal is encrypted and no passphrase was given; nothing was read."""


def stored_revision(path: Path, check: bool = False, passphrase: str | None = None) -> str | None:
    """The Alembic revision stored in the file, or None for a new or empty journal.

    With ``check``, ``PRAGMA quick_check`` runs first (read-only) and interior damage,
    a truncated file or a stale ``-wal`` raise ``DatabaseDamaged`` too. An encrypted
    journal (see ``db.crypto``) is read with ``passphrase``; without one it raises
    ``JournalLocked`` — never ``DatabaseDamaged``, so it is never set aside as damaged.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        plain = handle.read(16) == SQLITE_HEADER
    if not plain:
        if header_kind(path) == "damaged":
            raise DatabaseDamaged(f"{path.name} is not a Keel journal (its header is damaged).")
        if passphrase is None:
            raise JournalLocked("This journal is encrypted: its passphrase is needed to open it.")
        conn = connect(path, passphrase, readonly=True)  # WrongPassphrase propagates
        errors = database_errors()
    else:
        conn = connect(path, readonly=True)
        errors = (sqlite3.DatabaseError,)  # db.crypto is not needed for a plain file

    try:
        if check:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                first = str(problems[0]).strip().splitlines()[-1]
                raise DatabaseDamaged(f"{path.name} is damaged: {first}.")
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            if check and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                # Tables but no revision: not a Keel journal (e.g. a stale -wal from
                # another file was replayed over it). Never migrate over it.
                raise DatabaseDamaged(f"{path.name} is not a Keel journal.")
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    except errors as exc:
        # Only damage is damage: a lock held by another program, a file Keel may not
        # open or a full disk must never get the journal set aside as damaged.
        from db.failures import Kind, classify

        kind = classify(exc).kind
        if kind is Kind.BUSY:
            raise DatabaseBusy("The journal is busy: another program or another Keel is "
                               "holding it. Nothing was read; try again in a moment.") from exc
        if kind in (Kind.PERMISSION, Kind.READ_ONLY, Kind.DISK_FULL, Kind.DISK_ERROR):
            raise
        raise DatabaseDamaged(f"{path.name} cannot be read: {exc}.") from exc
    finally:
        conn.close()


def state(path: Path, passphrase: str | None = None, check: bool = True) -> SchemaState:
    """Cheap: which of new / current / behind / too new / damaged the journal is.

    Runs ``PRAGMA quick_check`` (read-only; about 20 ms on a 10-year journal and 100 ms
    on a 100-year one, see docs/RELIABILITY_REPORT.md) so a damaged file is never opened
    for writing; ``check=False`` reads only the header and the revision (the app's start-up
    does that before its window and the quick check on a worker thread after). An
    encrypted journal raises ``JournalLocked`` without ``passphrase`` and
    ``db.crypto.WrongPassphrase`` with a wrong one.
    """
    try:
        revision = stored_revision(path, check=check, passphrase=passphrase)
    except DatabaseDamaged:
        return SchemaState.DAMAGED
    if revision is None:
        return SchemaState.NEW
    if revision == HEAD_REVISION:
        return SchemaState.CURRENT
    if revision in KNOWN_REVISIONS:
        return SchemaState.BEHIND
    return SchemaState.TOO_NEW


def alembic_config(connection: object | None = None) -> Config:
    """Alembic's Config pointing at the migrations shipped inside the ``db`` package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "db:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def online_backup(source: Path, target: Path) -> Path:
    """Copy a live SQLite file with the online backup API (see ``db.backup``)."""
    from db.backup import online_backup as _online_backup

    return _online_backup(source, target)


def migrate(path: Path, backups_dir: Path | None = None,
            passphrase: str | None = None) -> Path | None:
    """Bring the journal at ``path`` to HEAD_REVISION; return the pre-migration backup.

    Raises DatabaseTooNew for a journal written by a newer Keel and DatabaseDamaged for
    one that cannot be read; neither touches the file. A journal that needs migrating is
    migrated under the journal-wide exclusive lock (``db.exclusive``); one that is
    already current (another process just migrated it) is left alone without the lock.
    """
    if state(path, passphrase, check=False) is SchemaState.CURRENT:
        return None
    return _migrate_exclusively(path, backups_dir, passphrase)


@exclusive_operation(folder_of_path)
def _migrate_exclusively(path: Path, backups_dir: Path | None,
                         passphrase: str | None) -> Path | None:
    current = state(path, passphrase)
    if current is SchemaState.CURRENT:
        return None
    if current is SchemaState.TOO_NEW:
        raise DatabaseTooNew(
            "This journal was written by a newer version of Keel. "
            "Update Keel to open it; nothing has been changed."
        )
    if current is SchemaState.DAMAGED:
        raise DatabaseDamaged(f"{path.name} is damaged and cannot be opened.")
    backup = None
    if current is SchemaState.BEHIND and backups_dir is not None:
        from db.backup import make_backup

        backup = make_backup(path, backups_dir, "pre-migration", datetime.now(UTC),
                             passphrase=passphrase).path

    from alembic import command

    from db import layout
    from db.engine import make_engine

    if current is SchemaState.NEW and passphrase is None:
        layout.prepare_new_file(path)  # page size and auto-vacuum, before any table
    engine = make_engine(path, passphrase)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    if current is SchemaState.BEHIND:
        layout.compact(path, passphrase)  # e.g. 0003 freed the index's copy of the text
    return backup
