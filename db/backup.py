"""Backups of the journal with SQLite's online backup API — never a plain file copy.

A plain copy of a live SQLite file can catch a half-written page, and leaves the
``-wal`` behind; the backup API copies a consistent snapshot through SQLite itself,
while other connections keep writing. Every backup is written to a temporary name,
checked with ``PRAGMA integrity_check`` and only then renamed into place, 0600 inside
the 0700 ``backups/`` folder.

Kinds, by file-name prefix:

- ``daily``: made by the running app at most once a day, and by ``keel backup``
  (``manual``); rotated: the newest of each of the last 7 days, 4 weeks and 6 months
  are kept.
- ``pre-migration``: made before a schema migration; the last 5 are kept, apart from
  the rotation.
- ``pre-restore``: the state just before a restore replaced it; the last 5 are kept.

**Size budget** (Keel's decision, issue 20): a plain journal's backups folder never
holds more than 3 × the journal file. After the count rotation above, copies are let go
until the rest fit, each time the one whose neighbours in time are closest together
(a daily between two dailies first, the oldest copy last), so the backups keep reaching
back as far as the count rotation's — but never the newest 3 daily or manual ones, the
newest before an update, the newest before a restore, the one just written, nor the
newest copy from before the journal last shrank by a fifth (see :func:`protected`). A
compressed copy is about a quarter of the journal, so the budget holds 12–13 copies:
the count rotation's 13 at steady state, thinned by one or two dailies when update or
restore copies join them; the issue's worst case of 22 copies cannot happen. An
encrypted journal's backups are full SQLCipher copies (encrypted data does not
compress), kept by count alone.

A plain journal's backups are **compressed** (``.sqlite3.gz``: gzip, which any archive
tool opens; ``gunzip`` gives back the SQLite file) and hold no search index — the index
is derived from the text and is rebuilt by a restore — so a backup is about a quarter of
the journal. (bzip2 packs a sixth, but takes minutes where gzip takes seconds on
repetitive text: 95 s against 2 s for 90 MB of one pasted paragraph.) The copy is
checked with ``integrity_check`` before it is compressed, and the compressed file is
read back whole and compared (SHA-256) with what was checked before it is renamed into
place. Restoring and checking read ``.gz`` backups transparently (through a private
temporary copy). An encrypted journal's backups stay SQLCipher files.

This module uses the standard library only (no SQLAlchemy, no Qt); for an
encrypted journal (``passphrase`` given) it opens files through ``db.crypto`` and every
backup is encrypted with the journal's passphrase.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import shutil
import sqlite3
import stat
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from db.exclusive import exclusive_operation
from db.fileutil import fsync_dir, remove_quietly
from desktop.core.errors import UserError

ROTATED_KINDS = ("daily", "manual")
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 6
KEEP_SEPARATE = 5
"""How many pre-migration and pre-restore backups are kept (each kind apart)."""
SEPARATE_KINDS = ("pre-migration", "pre-restore")
BUDGET = 3.0
"""Keel's size budget: a plain journal's backups take at most this many times the journal
file (issue 20). The oldest copies the count rotation keeps are let go first."""
KEEP_MIN_DAILY = 3
"""The newest daily or manual backups the size budget never lets go (Keel's choice)."""
SHRINK_GUARD = 1.25
"""A backup this many times the size of the newest one is from before the journal shrank;
the newest such copy is never let go by the budget (Keel's choice)."""

_NAME = re.compile(
    r"^keel-(?P<kind>daily|manual|pre-migration|pre-restore)-(?P<stamp>\d{8}T\d{6}(?:\d{6})?Z)"
    r"\.sqlite3(?P<packed>\.gz)?$"
)
PACKED_SUFFIX = ".gz"
"""What a plain journal's backups are compressed with (gzip, standard library)."""
PACK_LEVEL = 6
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
_STAMP = "%Y%m%dT%H%M%S%fZ"


class BackupError(UserError):
    """A backup or restore could not be made; the message is for the user."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file in the backups folder."""

    path: Path
    kind: str
    created_at: datetime
    size: int
    """Bytes on disk (compressed, for a compressed backup)."""

    @property
    def compressed(self) -> bool:
        return self.path.suffix == PACKED_SUFFIX

    @property
    def label(self) -> str:
        """The kind in words, for lists."""
        return {
            "daily": "Automatic",
            "manual": "Manual",
            "pre-migration": "Before an update",
            "pre-restore": "Before a restore",
        }.get(self.kind, self.kind)


# --------------------------------------------------------------------------- checks


def integrity_errors(path: Path, quick: bool = False, readonly: bool = True,
                     passphrase: str | None = None) -> list[str]:
    """The problems ``integrity_check`` (or ``quick_check``) reports; [] means sound.

    The file is opened read-only, so checking never writes to it (a WAL-mode file may
    get an empty ``-wal``/``-shm`` beside it). ``readonly=False`` is for a file nobody
    else has open: closing then removes those. A file that is not a database at all
    gives one message.
    """
    if not path.exists():
        return [f"{path.name} does not exist"]
    if is_packed(path):
        try:
            with unpacked(path) as plain:
                return integrity_errors(plain, quick=quick, readonly=False)
        except BackupError as exc:
            return [str(exc)]
    from db.opener import open_any
    from db.sqlfile import all_errors, database_errors

    try:
        conn = open_any(path, passphrase, readonly=readonly)
    except all_errors() as exc:
        _raise_unless_damage(exc)
        return [str(exc)]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except database_errors() as exc:
        _raise_unless_damage(exc)
        return [str(exc)]
    finally:
        conn.close()
    messages = [str(r[0]) for r in rows]
    if messages == ["ok"]:
        return []
    lines = [line.strip() for m in messages for line in m.splitlines()]
    return [line for line in lines if line and not line.startswith("***")]


def _raise_unless_damage(exc: BaseException) -> None:
    """A lock another program holds, a full disk or an I/O error says nothing about the
    file's content: never report it as a problem (``keel check`` would call the journal
    damaged and suggest a restore; a restore would set the journal aside)."""
    from db.failures import Kind, classify

    if classify(exc).kind in (Kind.BUSY, Kind.DISK_FULL, Kind.DISK_ERROR):
        raise exc


def is_sound(path: Path, passphrase: str | None = None) -> bool:
    """True when ``integrity_check`` finds nothing wrong with the file at ``path``."""
    return not integrity_errors(path, passphrase=passphrase)


# --------------------------------------------------------------------------- compression


def is_packed(path: Path) -> bool:
    """Is the file at ``path`` gzip-compressed (by its first bytes, whatever its name)?"""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == _GZIP_MAGIC
    except OSError:
        return False


def _unpack_errors() -> tuple[type[BaseException], ...]:
    return (OSError, EOFError, ValueError, zlib.error)


@contextlib.contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A plain SQLite file with the content of ``path``: the file itself, or for a
    compressed backup a private temporary copy beside it, removed afterwards.

    Raises ``BackupError`` (nothing left behind) when the file is truncated, corrupted
    or the disk is full.
    """
    if not is_packed(path):
        yield path
        return
    temp = path.with_name(f".{path.name}.unpacked-{os.getpid()}")
    try:
        _private_file(temp)
        with gzip.open(path, "rb") as source, open(temp, "wb") as target:
            shutil.copyfileobj(source, target, _CHUNK)
    except _unpack_errors() as exc:
        remove_quietly(temp)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or \
            type(exc).__name__
        raise BackupError(f"{path} cannot be decompressed ({reason}); it is not a sound "
                          "backup. Nothing was changed.") from exc
    try:
        yield temp
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            remove_quietly(temp.with_name(temp.name + suffix))


_LEFTOVER = re.compile(r"^(\.keel-.*\.unpacked-(?P<pid>\d+)|keel-.*\.sqlite3\.gz\.(part|packing))$")


def remove_leftovers(backups_dir: Path) -> list[Path]:
    """Delete what a killed backup, check or restore left behind: a ``.part`` copy or a
    ``.packing`` file of a compressed backup, or a decompressed copy whose process is gone."""
    removed = []
    for path in backups_dir.iterdir() if backups_dir.is_dir() else ():
        match = _LEFTOVER.match(path.name)
        if match is None:
            continue
        pid = match["pid"]
        if pid is not None and _alive(int(pid)):
            continue  # a Keel (this one included) is checking or restoring with it now
        if pid is None and path.stat().st_mtime > time.time() - 3600:
            continue  # a backup being written now by another process
        remove_quietly(path)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sha256(handle: io.BufferedIOBase) -> str:
    digest = hashlib.sha256()
    while block := handle.read(_CHUNK):
        digest.update(block)
    return digest.hexdigest()


def _drop_search_index(path: Path) -> None:
    """Empty the search index of a backup copy (it is rebuilt on restore).

    Only for the external-content index of revision 0003 and later, whose 'delete-all'
    leaves the text alone; secure_delete zeroes the freed pages so they compress away.
    """
    from db.opener import connect

    conn = connect(path, autocommit=True)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_purge'").fetchone():
            conn.execute("PRAGMA secure_delete=1")
            conn.execute("INSERT INTO search_fts(search_fts) VALUES('delete-all')")
    finally:
        conn.close()


def pack(part: Path, target: Path) -> None:
    """Compress the checked SQLite file ``part`` to ``target``, read it back and compare.

    Written to ``target`` + ``.packing`` first and renamed only when its content reads back
    identical; raises ``OSError`` or ``BackupError`` with nothing left at ``target``.
    """
    packing = target.with_name(target.name + ".packing")  # not the ".part" being read
    try:
        _private_file(packing)
        with open(part, "rb") as source, gzip.open(packing, "wb", compresslevel=PACK_LEVEL) as out:
            shutil.copyfileobj(source, out, _CHUNK)
        with open(packing, "rb+") as handle:
            os.fsync(handle.fileno())
        with open(part, "rb") as source:
            expected = _sha256(source)
        try:
            with gzip.open(packing, "rb") as reread:
                found = _sha256(reread)
        except _unpack_errors() as exc:
            raise BackupError(f"The compressed backup could not be read back ({exc}); "
                              "it was not kept.") from exc
        if found != expected:
            raise BackupError("The compressed backup did not read back as written; "
                              "it was not kept.")
        os.replace(packing, target)
    except BaseException:
        remove_quietly(packing)
        raise


# --------------------------------------------------------------------------- writing


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def ensure_backups_dir(folder: Path) -> None:
    """Create ``folder`` 0700 (or make it so)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) != 0o700:
        folder.chmod(0o700)


def online_backup(source: Path, target: Path, verify: bool = True,
                  passphrase: str | None = None) -> Path:
    """Copy the live SQLite file ``source`` to ``target`` with the online backup API.

    The copy is written to ``target`` + ``.part`` (0600), switched to rollback-journal
    mode so it is one self-contained file, checked with ``integrity_check`` and renamed
    over ``target`` only when sound. A ``target`` ending in ``.gz`` (a plain journal's
    backup) gets the copy without its search index, compressed and read back
    (:func:`pack`). Raises ``BackupError`` (nothing left behind) when the source cannot
    be read, the disk is full or the copy is not sound.
    """
    from db.opener import connect, open_any
    from db.sqlfile import all_errors, file_is_encrypted

    if passphrase is not None and not file_is_encrypted(source):
        passphrase = None  # a plain file beside a stale marker (see db.crypto)
    part = target.with_name(target.name + ".part")
    failed: tuple[type[BaseException], ...] = (*all_errors(), OSError)
    try:
        _private_file(part)
        # An encrypted journal's backup is encrypted with the same passphrase.
        src = open_any(source, passphrase, readonly=True, timeout=10)
        try:
            dst = connect(part, passphrase)
            try:
                src.backup(dst, progress=_give_up_when_busy())
                dst.execute("PRAGMA journal_mode=DELETE")
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        if target.name.endswith(PACKED_SUFFIX):
            _drop_search_index(part)
        if verify:
            problems = integrity_errors(part, passphrase=passphrase)
            if problems:
                raise BackupError(
                    f"The backup of {source.name} failed its integrity check "
                    f"({problems[0]}); it was not kept."
                )
        if target.name.endswith(PACKED_SUFFIX):
            pack(part, target)
            remove_quietly(part)
        else:
            with open(part, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(part, target)
        fsync_dir(target.parent)
    except failed as exc:
        remove_quietly(part)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"Keel could not write a backup of {source.name}: {reason}.") from exc
    except BaseException:  # BackupError, a wrong passphrase, an interrupt: nothing left
        remove_quietly(part)
        for suffix in ("-journal", "-wal", "-shm"):
            remove_quietly(part.with_name(part.name + suffix))
        raise
    for suffix in ("-journal", "-wal", "-shm"):
        remove_quietly(part.with_name(part.name + suffix))
    return target






BUSY_WAIT = 10.0
"""Seconds a backup or restore waits for another program's lock before it gives up
(Keel's choice, as the 10 s ``timeout`` it opens with)."""


def _give_up_when_busy(wait: float = BUSY_WAIT) -> Any:
    """A ``progress`` callback for the backup API: Python retries a locked source or
    target for ever (every 250 ms); this ends it after ``wait`` seconds with SQLite's
    own "database is locked", which the error boundary calls busy."""
    deadline = time.monotonic() + wait

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (5, 6) and time.monotonic() > deadline:  # SQLITE_BUSY, SQLITE_LOCKED
            raise sqlite3.OperationalError("database is locked")

    return progress


def backup_name(kind: str, when: datetime, packed: bool = False) -> str:
    """The file name of a backup of ``kind`` made at ``when`` (``packed``: compressed)."""
    suffix = PACKED_SUFFIX if packed else ""
    return f"keel-{kind}-{when.astimezone(UTC).strftime(_STAMP)}.sqlite3{suffix}"


def make_backup(
    database: Path, backups_dir: Path, kind: str = "manual", now: datetime | None = None,
    passphrase: str | None = None,
) -> BackupInfo:
    """Back up ``database`` into ``backups_dir`` now, verified, then rotate; return it."""
    if kind not in ("daily", "manual", "pre-migration", "pre-restore"):
        raise ValueError(f"unknown backup kind {kind!r}")
    if not database.exists():
        raise BackupError("There is no journal to back up yet.")
    when = now or datetime.now(UTC)
    ensure_backups_dir(backups_dir)
    from db.sqlfile import file_is_encrypted

    packed = passphrase is None or not file_is_encrypted(database)
    target = backups_dir / backup_name(kind, when, packed)
    remove_leftovers(backups_dir)
    online_backup(database, target, passphrase=passphrase)
    # Never the one just written, whatever the clock says; a plain journal's backups
    # within the size budget.
    budget = budget_for(database.stat().st_size) if packed else None
    rotate(backups_dir, keep=target, budget=budget)
    info = _info(target)
    if info is None:  # removed by someone else between writing and listing it
        raise BackupError("The backup was written but is gone from the backups folder; "
                          "nothing in the journal was changed.")
    return info


# --------------------------------------------------------------------------- listing


def _info(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    stamp = match["stamp"]
    fmt = _STAMP if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
    created = datetime.strptime(stamp, fmt).replace(tzinfo=UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path=path, kind=match["kind"], created_at=created, size=size)


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in ``backups_dir``, newest first."""
    if not backups_dir.is_dir():
        return []
    found = [info for p in backups_dir.iterdir() if (info := _info(p)) is not None]
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def folder_size(backups_dir: Path) -> int:
    """Bytes taken by every file in the backups folder (what the user sees on disk)."""
    if not backups_dir.is_dir():
        return 0
    total = 0
    for path in backups_dir.iterdir():
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


def newest_sound_backup(backups_dir: Path, passphrase: str | None = None) -> BackupInfo | None:
    """The newest backup that passes ``integrity_check`` (None when there is none)."""
    for info in list_backups(backups_dir):
        if is_sound(info.path, passphrase):
            return info
    return None


CLOCK_SLACK = timedelta(minutes=5)
"""How far in the future a backup's time may be before it counts as made by a clock that
ran ahead (Keel's choice)."""


def last_automatic_backup(backups_dir: Path, now: datetime | None = None) -> datetime | None:
    """When the newest daily or manual backup was made. With ``now``, a backup dated in
    the future (the clock was once ahead) is not counted, so daily backups go on."""
    limit = None if now is None else now + CLOCK_SLACK
    for info in list_backups(backups_dir):
        if info.kind in ROTATED_KINDS and (limit is None or info.created_at <= limit):
            return info.created_at
    return None


def keep_set(backups: Iterable[BackupInfo], budget: int | None = None,
             keep: Path | None = None) -> set[Path]:
    """Which backups the rotation keeps (see the module docstring).

    First by count: the newest of each of the last KEEP_DAILY days, KEEP_WEEKLY weeks and
    KEEP_MONTHLY months, and the last KEEP_SEPARATE of each separate kind. Then, with a
    *budget* (bytes; :func:`budget_for`), copies are let go until their sizes add up to
    no more than it — except the protected ones (:func:`protected`), which are
    kept whatever they weigh; among the others, the one whose neighbours in time are
    closest together goes first, the oldest last. *keep* (the backup just written) is
    always kept.
    """
    items = sorted(backups, key=lambda b: b.created_at, reverse=True)
    kept: set[Path] = set()
    rotated = [b for b in items if b.kind in ROTATED_KINDS]
    for buckets, key in (
        (KEEP_DAILY, lambda b: b.created_at.date()),
        (KEEP_WEEKLY, lambda b: tuple(b.created_at.isocalendar()[:2])),
        (KEEP_MONTHLY, lambda b: (b.created_at.year, b.created_at.month)),
    ):
        seen: list[object] = []
        for b in rotated:  # newest first: the first of each bucket is its newest
            bucket = key(b)
            if bucket in seen:
                continue
            if len(seen) >= buckets:
                break
            seen.append(bucket)
            kept.add(b.path)
    for kind in SEPARATE_KINDS:
        kept.update(b.path for b in [b for b in items if b.kind == kind][:KEEP_SEPARATE])
    if keep is not None:
        kept.add(keep)
    if budget is None:
        return kept
    timeline = [b for b in items if b.path in kept]  # newest first
    safe = protected(timeline, keep)
    total = sum(b.size for b in timeline)
    while total > budget:
        # Let go of the copy whose neighbours are closest together: the timeline keeps
        # its reach back and loses the least (dailies beside dailies go first, the
        # oldest copy last).
        gaps = [((timeline[i - 1].created_at - timeline[i + 1].created_at)
                 if 0 < i < len(timeline) - 1 else timedelta.max, -i)
                for i, b in enumerate(timeline) if b.path not in safe]
        if not gaps:
            break
        index = -min(gaps)[1]
        total -= timeline[index].size
        kept.discard(timeline.pop(index).path)
    return kept


def protected(backups: Iterable[BackupInfo], keep: Path | None = None) -> set[Path]:
    """The backups the size budget never lets go: the newest KEEP_MIN_DAILY daily or
    manual ones, the newest of each separate kind (before an update, before a restore),
    *keep* — the one just written and verified, so the newest sound copy — and the newest
    copy from before the journal last shrank by more than SHRINK_GUARD (a mass deletion
    noticed days later must not have its last full copy thinned away because the journal
    became small)."""
    items = sorted(backups, key=lambda b: b.created_at, reverse=True)
    safe = {b.path for b in [b for b in items if b.kind in ROTATED_KINDS][:KEEP_MIN_DAILY]}
    for kind in SEPARATE_KINDS:
        safe.update(b.path for b in [b for b in items if b.kind == kind][:1])
    if keep is not None:
        safe.add(keep)
    newest = next((b for b in items if b.path == keep), items[0] if items else None)
    if newest is not None:
        bigger = next((b for b in items if b.created_at <= newest.created_at
                       and b.size > SHRINK_GUARD * newest.size), None)
        if bigger is not None:
            safe.add(bigger.path)
    return safe


def budget_for(journal_size: int) -> int:
    """The size budget of a plain journal's backups folder, in bytes."""
    return int(BUDGET * journal_size)


@dataclass(frozen=True)
class FolderUse:
    """What the backups folder holds against the journal, for ``keel backup --list`` and
    Settings ▸ Backups (one wording for both)."""

    count: int
    size: int
    """Bytes of every file in the folder."""
    journal: int
    """Bytes of the journal file."""
    budgeted: bool
    """False for an encrypted journal: its backups are kept by count alone."""

    @property
    def ratio(self) -> float:
        return self.size / self.journal if self.journal else 0.0

    def summary(self) -> str:
        """One sentence: "Keeping 12 backups, 31.2 MB: 2.6 × the journal (12.0 MB);
        kept within 3 ×." (sizes by :func:`desktop.core.sizes.human_size`)."""
        from desktop.core.sizes import human_size as fmt

        copies = f"{self.count} backup{'' if self.count == 1 else 's'}"
        head = f"Keeping {copies}, {fmt(self.size)}"
        if not self.journal:
            return head + "."
        ratio = f"{self.ratio:.1f}" if self.ratio >= 1 else f"{self.ratio:.2f}"
        head += f": {ratio} × the journal ({fmt(self.journal)})"
        if self.budgeted:
            return head + f"; kept within {BUDGET:g} ×."
        return head + "; an encrypted journal's backups are full copies, kept by count."


def folder_use(backups_dir: Path, database: Path) -> FolderUse:
    """Count and size the backups folder against the journal file at *database*."""
    from db.sqlfile import file_is_encrypted

    try:
        journal = database.stat().st_size
    except OSError:
        journal = 0
    encrypted = journal > 0 and file_is_encrypted(database)
    return FolderUse(len(list_backups(backups_dir)), folder_size(backups_dir), journal,
                     not encrypted)


STALE_PART_AGE = timedelta(minutes=15)
"""A backup's ``.part`` untouched this long was left by a killed backup (Keel's choice)."""


def rotate(backups_dir: Path, keep: Path | None = None,
           budget: int | None = None) -> list[Path]:
    """Delete the backups the rotation does not keep (:func:`keep_set`, with the size
    *budget* when given), and partial copies a killed backup left (overwritten first:
    they may hold journal text); return what was deleted. ``keep`` (the backup just
    written) is always kept, whatever its date says."""
    from db.fileutil import shred

    backups = list_backups(backups_dir)
    kept = keep_set(backups, budget, keep)
    removed = []
    for info in backups:
        if info.path not in kept:
            remove_quietly(info.path)
            removed.append(info.path)
    removed.extend(remove_stale_parts(backups_dir, shred))
    return removed


def remove_stale_parts(backups_dir: Path, remove: Any = None) -> list[Path]:
    """Partial backup files (``*.part`` and their ``-journal``) older than
    :data:`STALE_PART_AGE`, deleted with ``remove`` (default: overwrite, then delete)."""
    import time

    from db.fileutil import shred

    remove = remove or shred
    found: list[Path] = []
    if not backups_dir.is_dir():
        return found
    cutoff = time.time() - STALE_PART_AGE.total_seconds()
    for path in backups_dir.glob("*.part*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                remove(path)
                found.append(path)
        except OSError:
            continue
    return found


# --------------------------------------------------------------------------- restore


def remove_stale_sidecars(database: Path) -> list[Path]:
    """Delete ``-wal``/``-shm``/``-journal`` files that no database file stands beside.

    Only for use when no connection is open (the app is not running).
    """
    removed = []
    for suffix in ("-wal", "-shm", "-journal"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            side.unlink()
            removed.append(side)
    return removed


def _checkpoint_and_close(database: Path, passphrase: str | None = None) -> None:
    """Fold a leftover ``-wal`` into the file and remove it (the app must not be running)."""
    from db.opener import open_any

    conn = open_any(database, passphrase, readonly=False)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _folder_of_restore(backup: Path, database: Path, *_a: object, **_k: object) -> Path:
    return database.parent


@exclusive_operation(_folder_of_restore)
def restore(
    backup: Path, database: Path, backups_dir: Path, damaged_dir: Path | None = None,
    now: datetime | None = None, passphrase: str | None = None,
) -> BackupInfo | None:
    """Replace the journal at ``database`` with ``backup``; return the pre-restore backup.

    The app must not have the journal open. Order: the backup is checked; the current
    state is backed up (``pre-restore``), or, when it cannot be read, moved aside into
    ``damaged_dir``; the backup is then written into the live path through the backup
    API, and no stale ``-wal``/``-shm`` is left beside it. With ``passphrase`` (an
    encrypted journal) the backup is opened with it and the restored journal is
    encrypted with it, even when the backup itself is a plain file.
    """
    with unpacked(backup) as plain:  # BackupError for a truncated or corrupted file
        from db.intake import Refused, check_journal_file

        try:  # empty, not SQLite, not Keel, newer, damaged or unusable rows: refused untouched
            check_journal_file(plain, passphrase, now)
        except Refused as exc:
            raise BackupError(str(exc).replace(str(plain), str(backup))) from None
        return _restore(plain, backup.name, database, backups_dir, damaged_dir, now,
                        passphrase, own_copy=plain != backup)


def _index_copy(path: Path, passphrase: str | None = None) -> None:
    """Rebuild the search index of ``path`` when a compressed backup left it out."""
    from db.opener import open_any
    from db.search import restore_index
    from db.sqlfile import all_errors

    try:
        conn = open_any(path, passphrase, readonly=False)
    except all_errors() as exc:
        raise BackupError(f"Keel could not index the restored journal: {exc}.") from exc
    try:
        conn.isolation_level = None
        restore_index(conn)
    except all_errors() as exc:
        raise BackupError(f"Keel could not index the restored journal: {exc}.") from exc
    finally:
        conn.close()


def _restore(backup: Path, name: str, database: Path, backups_dir: Path,
             damaged_dir: Path | None, now: datetime | None,
             passphrase: str | None, own_copy: bool) -> BackupInfo | None:
    if own_copy:
        _index_copy(backup)  # our decompressed copy: index it before it goes live
    saved: BackupInfo | None = None
    if database.exists() and database.stat().st_size > 0:
        if integrity_errors(database, quick=True, passphrase=passphrase):
            if damaged_dir is None:
                raise BackupError("The current journal is damaged; move it aside first.")
            set_aside(database, damaged_dir, now)
        else:
            saved = make_backup(database, backups_dir, "pre-restore", now, passphrase)
            _checkpoint_and_close(database, passphrase)
    remove_stale_sidecars(database)
    if passphrase is not None:
        _restore_encrypted(backup, database, passphrase)
        _index_copy(database, passphrase)
        return saved
    if not database.exists():
        _private_file(database)
    from db.opener import connect

    src = connect(backup, readonly=True)
    try:
        dst = connect(database)
        try:
            # The backup API cannot write into a WAL-mode file of another page size
            # (db.layout: a backup may have 4 KiB pages, the journal 16 KiB).
            dst.execute("PRAGMA journal_mode=DELETE")
            src.backup(dst, progress=_give_up_when_busy())
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Keel could not restore {name}: {exc}.") from exc
    finally:
        src.close()
    remove_stale_sidecars(database)
    problems = integrity_errors(database, readonly=False)
    if problems:
        raise BackupError(f"The restored journal failed its check ({problems[0]}).")
    _index_copy(database)  # a backup decompressed by hand has no index yet
    remove_stale_sidecars(database)
    return saved


def _restore_encrypted(backup: Path, database: Path, passphrase: str) -> None:
    """Restore into an encrypted journal: a checked, keyed copy swapped in at once."""
    from db.cipher_copy import export
    from db.sqlfile import file_is_encrypted

    part = database.with_name(database.name + ".restore-part")
    source_key = passphrase if file_is_encrypted(backup) else None
    export(backup, source_key, part, passphrase)
    os.replace(part, database)
    fsync_dir(database.parent)
    remove_stale_sidecars(database)
    problems = integrity_errors(database, readonly=False, passphrase=passphrase)
    if problems:
        raise BackupError(f"The restored journal failed its check ({problems[0]}).")
    from db.sqlfile import marker_path, write_marker
    from desktop.paths import DB_FILENAME

    if database.name == DB_FILENAME and not marker_path(database.parent).exists():
        write_marker(database.parent)  # restored into a lost journal's place


def set_aside(database: Path, damaged_dir: Path, now: datetime | None = None) -> Path:
    """Move ``database`` and its ``-wal``/``-shm``/``-journal`` into ``damaged_dir``.

    The files are renamed, never rewritten; returns the new path of the database file.
    """
    ensure_backups_dir(damaged_dir)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = damaged_dir / f"{database.stem}-damaged-{stamp}{database.suffix}"
    for suffix in ("-wal", "-shm", "-journal"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(database, target)
    return target
