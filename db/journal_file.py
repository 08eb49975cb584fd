"""Open the journal file: check its schema cheaply, migrate when behind, hand out a Database."""

from __future__ import annotations

from pathlib import Path

from db.engine import Database
from db.schema import SchemaState, migrate, state


def open_database(path: Path, backups_dir: Path | None = None) -> Database:
    """Open (creating or migrating as needed) the journal at ``path``.

    Raises ``db.schema.DatabaseTooNew`` or ``db.schema.DatabaseDamaged`` with a message
    for the user; in both cases the file is not written.
    """
    if state(path) is not SchemaState.CURRENT:
        migrate(path, backups_dir)
    return Database(path)
