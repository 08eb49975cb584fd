"""Optional encryption at rest: the whole journal file (and its backups) through SQLCipher.

Why SQLCipher (the ``sqlcipher3`` package): it encrypts every page of the SQLite file,
the ``-wal`` included, with AES-256 and an HMAC per page, while SQLite, FTS5, the backup
API and SQLAlchemy keep working unchanged. ``sqlcipher3`` ships self-contained wheels, and
it is imported only when a journal is encrypted, so nobody else pays for it.

What says a journal is encrypted: the marker file ``encryption.json`` in the data folder
(0600; it holds no secret) *and* a file whose first bytes are not the plain
``SQLite format 3`` header. Needing both makes every step of ``encrypt``/``decrypt``
crash-safe: the marker is written before an encrypted file replaces the plain one and
removed only after a plain file replaced the encrypted one, so a crash in between leaves
a plain file beside a stale marker, which is simply opened as plain.

The passphrase is never stored, logged or written anywhere. Each conversion (encrypt,
change, remove) writes a complete new file with ``sqlcipher_export`` beside the journal,
checks it, and swaps it in with ``os.replace``; the old file and its ``-wal``/``-shm`` are
removed, and every backup is converted the same way, so no readable copy stays behind in
Keel's folders (a filesystem may keep old blocks: full-disk encryption guards those).

Standard library plus ``sqlcipher3``; no SQLAlchemy, no Qt. ``is_encrypted`` runs before
the first window, so ``json`` and ``hashlib`` are imported only by the functions using them.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from db.cipher_copy import export
from db.exclusive import exclusive_operation, folder_of_path
from db.fileutil import fsync_dir, remove_quietly, shred, write_json_atomic
from db.opener import Connection, open_any
from db.opener import connect as open_file
from db.sqlfile import (
    CONVERSION_NAME,
    EncryptionError,
    WrongPassphrase,
    all_errors,
    file_is_encrypted,
    is_encrypted_journal,
    is_plain_file,
    marker_path,
    remove_marker,
    write_marker,
)
from db.sqlfile import quote_passphrase as _quote
from desktop.core.errors import UserError

# --------------------------------------------------------------------------- state


def is_encrypted(data_dir: Path) -> bool:
    """Does the journal in ``data_dir`` need a passphrase to open? By content, with or
    without the marker file (:func:`db.sqlfile.is_encrypted_journal`)."""
    return is_encrypted_journal(data_dir)


# --------------------------------------------------------------------------- opening


def connect(path: Path, passphrase: str, readonly: bool = False,
            timeout: float = 5) -> Connection:
    """A ``sqlcipher3`` connection to ``path`` with the key set and checked (through
    ``db.opener.connect``, the one opener).

    Raises ``WrongPassphrase`` ("file is not a database" under a wrong key); nothing is
    written to the file in that case.
    """
    return open_file(path, passphrase, readonly=readonly, timeout=timeout)


def unlock(path: Path, passphrase: str) -> float:
    """Check ``passphrase`` against the journal at ``path``; return the seconds it took.

    Raises ``WrongPassphrase`` (nothing written). The key derivation done here is cached,
    so the connections opened afterwards are quick.
    """
    import time

    started = time.perf_counter()
    connect(path, passphrase, readonly=True).close()
    seconds = time.perf_counter() - started
    from desktop.paths import DB_FILENAME

    if path.name == DB_FILENAME and not marker_path(path.parent).exists():
        # Recognised by its content (copied without its marker): put the marker back.
        with contextlib.suppress(OSError):
            write_marker(path.parent)
    return seconds


# --------------------------------------------------------------------------- converting


PARTIAL_SUFFIXES = (".crypt-part", ".restore-part", ".part")
"""Partial copies a killed conversion, restore or backup may leave (with their -journal);
``.NAME.unpacked-PID`` (a compressed backup being read, :func:`db.backup.unpacked`) too."""


def _record(data_dir: Path, mode: str, stage: str) -> None:
    write_json_atomic(data_dir / CONVERSION_NAME, {"mode": mode, "stage": stage}, ".tmp")


def _pending(data_dir: Path) -> dict[str, str] | None:
    import json

    try:
        data = json.loads((data_dir / CONVERSION_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"mode": "unknown", "stage": "unknown"}
    return data if isinstance(data, dict) else {"mode": "unknown", "stage": "unknown"}


def _clear_record(data_dir: Path) -> None:
    remove_quietly(data_dir / CONVERSION_NAME)
    remove_quietly(data_dir / (CONVERSION_NAME + ".tmp"))
    fsync_dir(data_dir)


def partial_files(data_dir: Path, backups_dir: Path | None) -> list[Path]:
    """Leftover partial copies in the data folder and the backups folder."""
    found: list[Path] = []
    for folder in (data_dir, backups_dir):
        if folder is None or not folder.is_dir():
            continue
        for path in folder.iterdir():
            name = path.name
            for side in ("-journal", "-wal", "-shm"):
                name = name.removesuffix(side)
            if (name.endswith(PARTIAL_SUFFIXES) or ".unpacked-" in name) and path.is_file():
                found.append(path)
    return found


def shred_partial_files(data_dir: Path, backups_dir: Path | None) -> list[Path]:
    """Overwrite and delete every leftover partial copy (only while nothing writes one:
    the conversions hold the journal-wide lock)."""
    found = partial_files(data_dir, backups_dir)
    for path in found:
        shred(path)
    return found


def _checkpoint(path: Path, key: str | None) -> None:
    """Fold the journal's -wal into the file, so removing the -wal loses nothing."""
    conn = open_any(path, key, readonly=False, timeout=10)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _swap(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Convert ``path`` in place: export beside it, then replace it (and drop its -wal,
    overwritten first: it may hold text the new file must not leave readable)."""
    part = path.with_name(path.name + ".crypt-part")
    if path.with_name(path.name + "-wal").exists():
        _checkpoint(path, old_key)
    export(path, old_key, part, new_key)
    os.replace(part, path)
    for suffix in ("-wal", "-shm", "-journal"):
        shred(path.with_name(path.name + suffix))
    fsync_dir(path.parent)


def _opens(path: Path, key: str | None) -> bool:
    refused: tuple[type[BaseException], ...] = (WrongPassphrase, *all_errors())
    try:
        if key is None:
            return is_plain_file(path)
        connect(path, key, readonly=True).close()
        return True
    except refused:
        return False


def _convert_backups(backups_dir: Path | None, old_key: str | None,
                     new_key: str | None) -> list[Path]:
    """Convert every backup to ``new_key``; return those that could not be (left as they
    were when encrypted, overwritten and deleted when readable text would stay behind an
    encrypted journal)."""
    if backups_dir is None or not backups_dir.is_dir():
        return []
    from db.backup import list_backups, unpacked  # gzip and hashlib: not at start-up

    skipped = []
    for backup in sorted(info.path for info in list_backups(backups_dir)):
        if backup.suffix == ".gz":  # a plain journal's compressed backup (db.backup)
            if new_key is not None:
                _encrypt_packed(backup, new_key, unpacked)
            continue
        plain = is_plain_file(backup)
        if plain and new_key is None:
            continue
        if not plain and new_key is not None and _opens(backup, new_key):
            continue  # already converted (a conversion finished after a kill)
        key = None if plain else old_key
        if not plain and key is None:
            skipped.append(backup)
            continue
        try:
            _swap(backup, key, new_key)
        except UserError:
            skipped.append(backup)
            if plain:  # never leave readable text behind an encrypted journal
                shred(backup)
    return skipped


def _encrypt_packed(backup: Path, new_key: str, unpacked: Any) -> None:
    """Replace a compressed plain backup by an encrypted one (``name.sqlite3``); a backup
    that cannot be read is removed: no readable text stays behind an encrypted journal."""
    target = backup.with_suffix("")
    try:
        with unpacked(backup) as plain:
            export(plain, None, target, new_key)
        fsync_dir(target.parent)
    except UserError:
        remove_quietly(target)
    remove_quietly(backup)


def encrypted_backups(backups_dir: Path | None) -> list[Path]:
    """The backups in ``backups_dir`` that are SQLCipher files, newest first."""
    if backups_dir is None or not backups_dir.is_dir():
        return []
    from db.backup import is_packed, list_backups

    return [info.path for info in list_backups(backups_dir)
            if not is_packed(info.path) and file_is_encrypted(info.path)]


def pending_decrypt(data_dir: Path) -> bool:
    """Is a decryption recorded as under way (or waiting for the passphrase to convert
    the backups)?"""
    record = _pending(data_dir)
    return record is not None and record.get("mode") == "decrypt"


def _check_journal(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        raise EncryptionError("There is no journal to convert yet.")


@exclusive_operation(folder_of_path)
def encrypt(path: Path, passphrase: str, backups_dir: Path | None = None,
            now: datetime | None = None) -> list[Path]:
    """Encrypt the plain journal at ``path`` (the app must have it closed).

    Step by step, each recorded in ``conversion.json`` first: leftover partial copies
    are overwritten and deleted; the marker is written; the encrypted copy replaces the
    file; every backup is encrypted with the same passphrase (a plain backup that cannot
    be converted is overwritten and deleted). Returns backups that could not be converted.
    """
    _check_journal(path)
    if not is_plain_file(path):
        raise EncryptionError("This journal is already encrypted.")
    _quote(passphrase)
    data_dir = path.parent
    _record(data_dir, "encrypt", "journal")
    shred_partial_files(data_dir, backups_dir)
    write_marker(data_dir, now)
    try:
        _swap(path, None, passphrase)
    except BaseException:
        if is_plain_file(path):
            remove_marker(data_dir)
            _clear_record(data_dir)
        raise
    _record(data_dir, "encrypt", "backups")
    skipped = _convert_backups(backups_dir, None, passphrase)
    shred_partial_files(data_dir, backups_dir)
    _clear_record(data_dir)
    return skipped


@exclusive_operation(folder_of_path)
def change_passphrase(path: Path, old: str, new: str,
                      backups_dir: Path | None = None) -> list[Path]:
    """Re-encrypt the journal (and its backups) under ``new``; ``old`` must open it.

    Like ``PRAGMA rekey``, but through a complete checked copy swapped in at once, so a
    crash leaves either the old or the new file, never a half-re-keyed one; the steps are
    recorded as in :func:`encrypt`.
    """
    _check_journal(path)
    _quote(new)
    connect(path, old, readonly=True).close()  # WrongPassphrase before anything changes
    data_dir = path.parent
    _record(data_dir, "change", "journal")
    shred_partial_files(data_dir, backups_dir)
    _swap(path, old, new)
    _record(data_dir, "change", "backups")
    skipped = _convert_backups(backups_dir, old, new)
    shred_partial_files(data_dir, backups_dir)
    _clear_record(data_dir)
    return skipped


@exclusive_operation(folder_of_path)
def decrypt(path: Path, passphrase: str, backups_dir: Path | None = None) -> list[Path]:
    """Remove the encryption: the journal and its backups become plain SQLite files."""
    _check_journal(path)
    connect(path, passphrase, readonly=True).close()
    data_dir = path.parent
    _record(data_dir, "decrypt", "journal")
    shred_partial_files(data_dir, backups_dir)
    _swap(path, passphrase, None)
    remove_marker(data_dir)
    _record(data_dir, "decrypt", "backups")
    skipped = _convert_backups(backups_dir, passphrase, None)
    shred_partial_files(data_dir, backups_dir)
    _clear_record(data_dir)
    return skipped


@exclusive_operation(lambda data_dir, *_a, **_k: Path(data_dir))
def finish_conversion(data_dir: Path, backups_dir: Path | None,
                      passphrase: str | None) -> str | None:
    """At start (after unlocking): complete or roll back a conversion a kill interrupted,
    and overwrite and delete partial copies it left. Returns what was done, or None.

    The journal's own content says how far it got: when it is already in the target form
    (encrypted for encrypt/change, plain for decrypt) the conversion is finished (backups
    converted; an encrypted backup the passphrase does not open after a change is deleted,
    since it is under the old passphrase); otherwise it is rolled back. ``passphrase`` is
    the one that opened the journal (None for a plain journal).
    """
    from desktop.paths import DB_FILENAME

    record = _pending(data_dir)
    if record is None:
        return None
    database = data_dir / DB_FILENAME
    mode = record.get("mode")
    encrypted = file_is_encrypted(database)
    if encrypted and passphrase is not None and not _opens(database, passphrase):
        return None  # not the journal's passphrase: nothing is touched with it
    shred_partial_files(data_dir, backups_dir)
    if mode in ("encrypt", "change") and encrypted and passphrase is not None:
        if not marker_path(data_dir).exists():
            write_marker(data_dir)
        skipped = _convert_backups(backups_dir, None, passphrase)
        for backup in skipped:
            shred(backup)  # under the old passphrase, which the user replaced
        done = "finished"
    elif mode == "decrypt" and not encrypted:
        remove_marker(data_dir)
        left = encrypted_backups(backups_dir)
        if left and (passphrase is None or not any(_opens(b, passphrase) for b in left)):
            # The journal is plain, its backups still under the passphrase: keep the
            # record, so the app asks for the passphrase at each start and `keel check`
            # says so, until it is given (never a silent mix).
            _record(data_dir, "decrypt", "backups-locked")
            return (f"An interrupted decrypt of the journal was finished, but {len(left)} "
                    "backup(s) are still encrypted: the passphrase is needed to finish.")
        if left:
            _convert_backups(backups_dir, passphrase, None)
            for backup in encrypted_backups(backups_dir):
                if not _opens(backup, passphrase):
                    shred(backup)  # under another passphrase: can never become plain
        done = "finished"
    elif mode in ("encrypt", "change", "decrypt") and encrypted and passphrase is None:
        return None  # locked: finished once the passphrase is given
    else:
        if mode == "encrypt" and not encrypted:
            remove_marker(data_dir)
        if encrypted and passphrase is not None:
            # A rolled-back encrypt can't leave plain backups beside an encrypted file.
            _convert_backups(backups_dir, None, passphrase)
        done = "rolled back"
    _clear_record(data_dir)
    return f"An interrupted {mode} of the journal was {done}."
