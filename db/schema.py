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

from desktop.core.errors import UserError

HEAD_REVISION = "0001"
KNOWN_REVISIONS = ("0001",)
"""Every revision this code knows, oldest first. A test checks it against the scripts."""

SQLITE_HEADER = b"SQLite format 3\x00"


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


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stored in the file, or None for a new or empty journal."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise DatabaseDamaged(f"{path.name} is not a Keel journal (its header is damaged).")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return version[0] if version else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path.name} cannot be read: {exc}.") from exc
    finally:
        conn.close()


def state(path: Path) -> SchemaState:
    """Cheap: which of new / current / behind / too new / damaged the journal is."""
    try:
        revision = stored_revision(path)
    except DatabaseDamaged:
        return SchemaState.DAMAGED
    if revision is None:
        return SchemaState.NEW
    if revision == HEAD_REVISION:
        return SchemaState.CURRENT
    if revision in KNOWN_REVISIONS:
        return SchemaState.BEHIND
    return SchemaState.TOO_NEW


def alembic_config(connection: object | None = None):  # type: ignore[no-untyped-def]
    """Alembic's Config pointing at the migrations shipped inside the ``db`` package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "db:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def online_backup(source: Path, target: Path) -> Path:
    """Copy a live SQLite file with the online backup API (never a plain file copy)."""
    import os

    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def migrate(path: Path, backups_dir: Path | None = None) -> Path | None:
    """Bring the journal at ``path`` to HEAD_REVISION; return the pre-migration backup.

    Raises DatabaseTooNew for a journal written by a newer Keel and DatabaseDamaged for
    one that cannot be read; neither touches the file.
    """
    current = state(path)
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
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = online_backup(path, backups_dir / f"pre-migration-{stamp}.sqlite3")

    from alembic import command

    from db.engine import make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    return backup
