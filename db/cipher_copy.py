"""A complete, checked copy of a journal file under another key (``sqlcipher_export``).

Encrypting, re-keying and decrypting (``db.crypto``) swap such a copy in for the journal
and its backups; restoring an encrypted backup (``db.backup``) writes one in the journal's
place. Below both, so neither imports the other for it.
"""

from __future__ import annotations

import os
from pathlib import Path

from db.fileutil import remove_quietly
from db.opener import connect as open_file
from db.sqlfile import EncryptionError, WrongPassphrase, dbapi
from db.sqlfile import quote_passphrase as _quote


def export(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Write a complete copy of ``source`` to the new file ``target`` under ``target_key``.

    ``None`` means plain. The copy is checked (``integrity_check`` and the same tables)
    before this returns; a failed copy is removed and raises ``EncryptionError``.
    """
    module = dbapi()
    remove_quietly(target)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        if source_key is None:
            src = open_file(source, cipher=True, timeout=10)
        else:
            src = open_file(source, source_key, timeout=10)
        try:
            src.isolation_level = None
            tables = src.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            version = src.execute("PRAGMA user_version").fetchone()[0]
            key = "''" if target_key is None else _quote(target_key)
            src.execute(f"ATTACH DATABASE ? AS keel_target KEY {key}", (str(target),))
            src.execute("SELECT sqlcipher_export('keel_target')")
            src.execute(f"PRAGMA keel_target.user_version = {int(version)}")
            src.execute("DETACH DATABASE keel_target")
        finally:
            src.close()
        check = open_file(target, target_key, cipher=True)
        try:
            rows = [r[0] for r in check.execute("PRAGMA integrity_check").fetchall()]
            copied = check.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            check.execute("PRAGMA journal_mode = DELETE")
        finally:
            check.close()
        if rows != ["ok"] or copied != tables:
            raise EncryptionError(f"The converted copy of {source.name} failed its check; "
                                  "nothing was changed.")
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except WrongPassphrase:
        remove_quietly(target)
        raise
    except module.Error as exc:
        remove_quietly(target)
        raise EncryptionError(f"Keel could not convert {source.name}: {exc}. "
                              "Nothing was changed.") from exc
    except BaseException:
        remove_quietly(target)
        raise
    finally:
        for suffix in ("-journal", "-wal", "-shm"):
            remove_quietly(target.with_name(target.name + suffix))


