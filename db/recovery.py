"""A damaged journal at start-up: set it aside untouched and offer the newest sound backup.

``db.schema.state`` says DAMAGED when the header is wrong, the file cannot be read, or
``PRAGMA quick_check`` finds a problem (interior damage, a truncated file, a stale
``-wal`` that does not belong to it). Nothing here writes to the damaged file: it is
renamed, with its ``-wal`` and ``-shm``, into ``damaged/`` and kept there for the user.
Standard library only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.backup import BackupInfo

# db.backup (gzip, hashlib, zlib…) is imported where a backup is read or a file set aside,
# never by the start-up checks of a journal in good order: they run before the window.

__all__ = ["BackupKeyWanted", "Recovery", "backup_key_wanted", "check", "recover"]


@dataclass(frozen=True)
class Recovery:
    """What happened to a damaged journal, and what the user can do about it."""

    moved_to: Path | None
    """Where the damaged journal was moved; None when the journal was missing or empty."""
    backup: BackupInfo | None

    @property
    def message(self) -> str:
        """Plain words for the window's banner."""
        if self.moved_to is None:
            assert self.backup is not None
            return ("Your journal file is empty or missing, but there are backups beside it. "
                    f"The newest sound backup, {self.backup.path.name}, is from "
                    f"{day_label(self.backup.created_at)}; restoring it brings back everything "
                    "up to then. Or start a new journal; the backups stay.")
        head = ("Your journal file is damaged, so Keel did not open it. It has been moved, "
                f"unchanged, to {self.moved_to.parent}.")
        if self.backup is None:
            return head + (" There is no sound backup to restore. Keel will start a new, "
                           "empty journal when you restart it.")
        return head + (f" The newest sound backup is from {day_label(self.backup.created_at)}; "
                       "restoring it brings back everything up to then.")

    @property
    def button_text(self) -> str:
        """The caption of the banner's restore button ("" when there is no backup)."""
        if self.backup is None:
            return ""
        return f"Restore the backup from {day_label(self.backup.created_at)}"


def day_label(when: datetime) -> str:
    """'26 Nov 2026' in local time."""
    return when.astimezone().strftime("%-d %b %Y") if os.name == "posix" else \
        when.astimezone().strftime("%d %b %Y").lstrip("0")


def check(path: Path, quick: bool = True, passphrase: str | None = None) -> list[str]:
    """Problems found in the journal at ``path`` ([] = sound). Read-only."""
    from db.backup import integrity_errors

    return integrity_errors(path, quick=quick, passphrase=passphrase)


def recover(database: Path, damaged_dir: Path, backups_dir: Path,
            now: datetime | None = None, passphrase: str | None = None) -> Recovery:
    """Set a damaged journal aside and find the newest sound backup to offer."""
    from db.backup import newest_sound_backup, set_aside

    moved = set_aside(database, damaged_dir, now)
    return Recovery(moved_to=moved, backup=newest_sound_backup(backups_dir, passphrase))


def lost_journal(database: Path, backups_dir: Path, passphrase: str | None = None,
                 ) -> Recovery | None:
    """A journal that is missing, empty (0 bytes) or has no tables at all while sound
    backups lie beside it: not a new journal but a lost one. Returns the recovery to
    offer (the newest sound backup), or None. Read-only; cheap when the journal is fine."""
    if not is_lost(database):
        return None
    from db.backup import list_backups, newest_sound_backup

    if not backups_dir.is_dir() or not list_backups(backups_dir):
        return None
    backup = newest_sound_backup(backups_dir, passphrase)
    return None if backup is None else Recovery(moved_to=None, backup=backup)


def is_lost(database: Path) -> bool:
    """Missing, empty, or a plain file with no tables at all (what SQLite leaves after
    opening a missing path): nothing of a journal is in it."""
    from db.schema import header_kind

    kind = header_kind(database)
    if kind == "plain":
        return not (database.stat().st_size > 4096 or _has_tables(database))
    return kind in ("missing", "empty")


@dataclass(frozen=True)
class BackupKeyWanted:
    """Backups that only a passphrase opens, while the journal itself asks for none."""

    backup: Path
    """The encrypted backup a typed passphrase is checked against."""
    lost: bool
    """True: the journal is missing or empty and ``backup`` is the newest backup (the
    passphrase restores it, and the journal is encrypted again). False: a decryption was
    interrupted while it converted the backups (the passphrase finishes it)."""
    count: int
    """How many backups are encrypted."""

    @property
    def message(self) -> str:
        """Plain words for the passphrase dialog."""
        if self.lost:
            return ("Your journal file is empty or missing, but encrypted backups are beside "
                    f"it. Type their passphrase to restore the newest one, {self.backup.name}. "
                    "Cancel closes Keel without changing anything.")
        still = "one of its backups still is" if self.count == 1 else \
            f"{self.count} of its backups still are"
        return (f"Removing the encryption was interrupted: your journal is no longer "
                f"encrypted, but {still}. Type the old "
                "passphrase to finish turning them into plain backups. Cancel leaves them "
                "encrypted, and Keel asks again at its next start.")


def backup_key_wanted(data_dir: Path, backups_dir: Path) -> BackupKeyWanted | None:
    """Does a journal that needs no passphrase have backups that do? (1) The journal is
    lost (:func:`lost_journal`) and its newest backup is encrypted: the app asks for the
    passphrase to restore it (an older plain backup is offered only when the newest is
    plain). (2) ``conversion.json`` records a decryption interrupted before every backup
    was converted (:func:`db.crypto.finish_conversion` keeps it until then). Read-only;
    cheap (two ``stat`` calls) for a journal in good order."""
    from desktop.paths import DB_FILENAME

    database = data_dir / DB_FILENAME
    from db.sqlfile import CONVERSION_NAME

    pending = (data_dir / CONVERSION_NAME).exists()
    if not pending and database.exists() and database.stat().st_size > 4096:
        return None
    from db.backup import is_packed, is_sound, list_backups
    from db.crypto import file_is_encrypted, is_plain_file

    if pending and is_plain_file(database):
        from db.crypto import encrypted_backups, pending_decrypt

        if pending_decrypt(data_dir):
            left = encrypted_backups(backups_dir)
            if left:
                return BackupKeyWanted(backup=left[0], lost=False, count=len(left))
    if not is_lost(database):
        return None
    found = list_backups(backups_dir)
    encrypted = [info.path for info in found
                 if not is_packed(info.path) and file_is_encrypted(info.path)]
    for info in found:  # newest first
        if info.path in encrypted:
            return BackupKeyWanted(backup=info.path, lost=True, count=len(encrypted))
        if is_sound(info.path):
            return None  # the newest usable backup is plain: lost_journal offers it
    return None


def _has_tables(database: Path) -> bool:
    import sqlite3

    from db.opener import connect

    try:
        conn = connect(database, readonly=True)
    except sqlite3.Error:
        return True
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error:
        return True  # not for this function to judge: the damage check will
    finally:
        conn.close()


def resume_conversion(data_dir: Path, backups_dir: Path, passphrase: str | None) -> str | None:
    """Complete or roll back an encryption change a kill interrupted (see
    :func:`db.crypto.finish_conversion`); cheap (one ``stat``) when there is none. Never
    raises: a failure is logged by kind and retried at the next start."""
    import logging

    from db.sqlfile import CONVERSION_NAME

    if not (data_dir / CONVERSION_NAME).exists():
        return None  # the usual case: db.crypto is not even imported
    from db.crypto import finish_conversion

    log = logging.getLogger(__name__)
    try:
        done = finish_conversion(data_dir, backups_dir, passphrase)
    except Exception as exc:  # noqa: BLE001 - never a crash at start-up
        log.warning("finishing an interrupted conversion failed (%s)", type(exc).__name__)
        return None
    if done:
        log.info("%s", done)
    return done


def foreign_wal(database: Path) -> bool:
    """Whether the ``-wal`` beside a plain journal does not belong to it: the journal with
    the ``-wal`` fails ``integrity_check`` while the file alone (read as immutable, which
    ignores the ``-wal``) passes. A ``-wal`` from another journal can pass
    ``quick_check``, so this runs the full check — only when a non-empty ``-wal`` is
    there and nobody else has the journal open (the caller holds its lock). Read-only."""
    import sqlite3

    wal = database.with_name(database.name + "-wal")
    try:
        if wal.stat().st_size == 0:
            return False
        with database.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False  # encrypted or damaged: not for this check
    except OSError:
        return False

    from db.opener import connect

    def sound(immutable: bool) -> bool:
        try:
            conn = connect(database, readonly=True, immutable=immutable)
            try:
                return [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
            finally:
                conn.close()
        except sqlite3.Error:
            return False

    return not sound(immutable=False) and sound(immutable=True)


def set_aside_foreign_wal(database: Path, damaged_dir: Path,
                          now: datetime | None = None) -> Path | None:
    """Move a ``-wal`` (and ``-shm``) that does not belong to the journal into
    ``damaged_dir``, untouched; return where it went, or None when it belongs."""
    if not foreign_wal(database):
        return None
    from db.backup import ensure_backups_dir

    ensure_backups_dir(damaged_dir)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = damaged_dir / f"{database.name}-foreign-{stamp}-wal"
    os.replace(database.with_name(database.name + "-wal"), target)
    shm = database.with_name(database.name + "-shm")
    if shm.exists():
        os.replace(shm, target.with_name(target.name.removesuffix("-wal") + "-shm"))
    from db.fileutil import fsync_dir

    fsync_dir(database.parent)
    return target
