"""Open the journal file: check its schema cheaply, migrate when behind, hand out a Database."""

from __future__ import annotations

from pathlib import Path

from db.engine import Database
from db.schema import SchemaState, migrate, state


def open_database(path: Path, backups_dir: Path | None = None, verified: bool = False,
                  passphrase: str | None = None) -> Database:
    """Open (creating or migrating as needed) the journal at ``path``.

    ``verified``: the caller has just checked (and if needed migrated) this file, as the
    app's start-up does, so the quick check is not run a second time.
    Raises ``db.schema.DatabaseTooNew`` or ``db.schema.DatabaseDamaged`` with a message
    for the user; in both cases the file is not written. ``passphrase`` opens an encrypted
    journal (``db.crypto.WrongPassphrase`` when it does not).
    """
    if not verified and state(path, passphrase) is not SchemaState.CURRENT:
        migrate(path, backups_dir, passphrase)
    return Database(path, passphrase)
