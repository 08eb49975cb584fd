"""What a journal file is, read from its bytes, and the two drivers that open it.

The bottom of the storage layer: :mod:`db.opener`, :mod:`db.schema`, :mod:`db.backup`
and :mod:`db.crypto` all build on it, and it imports none of them (no import cycles,
``tests/unit/test_layers.py``). It holds

- the file's kind by its first bytes (:func:`header_kind`: plain, encrypted, damaged…),
  the encryption marker beside an encrypted journal, and the schema revisions a Keel
  journal may carry;
- SQLCipher's key statement (the passphrase turned into ``PRAGMA key``, with the slow
  key derivation cached per file salt) and the two exceptions a key or a conversion
  raises;
- the error classes of both drivers (``sqlite3`` and ``sqlcipher3``).

Standard library only; ``sqlcipher3`` is imported only for an encrypted file, and
``hashlib`` only when a key is derived, so the start-up check stays cheap.
"""

from __future__ import annotations

import contextlib
import functools
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from db.fileutil import fsync_dir, write_json_atomic
from desktop.core.errors import UserError

SQLITE_HEADER = b"SQLite format 3\x00"
MARKER_NAME = "encryption.json"
"""The encryption marker beside an encrypted journal (see ``db.crypto``)."""
CONVERSION_NAME = "conversion.json"
"""The record of an encryption change under way (mode and stage; never a passphrase),
beside the journal. A kill at any moment leaves it behind, and
:func:`db.crypto.finish_conversion` completes or rolls it back at the next start; its
mere presence (one ``stat``) is what every start checks."""

HEAD_REVISION = "0005"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
"""Every revision this code knows, oldest first. A test checks it against the scripts."""

_KDF_ITER = 256_000
"""SQLCipher 4's default PBKDF2-HMAC-SHA512 work factor (a test checks it still opens)."""


class WrongPassphrase(UserError):
    """The passphrase does not open the journal; nothing was read or written."""


class EncryptionError(UserError):
    """Encrypting, re-keying or decrypting failed; the message is for the user."""


# --------------------------------------------------------------------------- the file


def header_kind(path: Path) -> str:
    """What ``path`` is by its first bytes (the marker file only breaks a tie):
    ``missing``, ``empty``, ``plain`` (the SQLite header), ``damaged`` (SQLite's fixed
    header fields at bytes 18–23 are there but the magic string is not, or the bytes are
    neither SQLite nor random) or ``encrypted`` (SQLCipher: the first page looks random,
    with or without ``encryption.json`` beside it)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "encrypted"  # unreadable: never taken for a plain file
    if not head:
        return "empty"
    if head[:16] == SQLITE_HEADER:
        return "plain"
    if len(head) >= 24 and head[18] in (1, 2) and head[19] in (1, 2) \
            and head[21:24] == b"\x40\x20\x20":
        return "damaged"
    if (path.parent / MARKER_NAME).exists():
        return "encrypted"
    # Random-looking (SQLCipher's salt and first page): 1,024 random bytes hold about 250
    # distinct values; text or a truncated file holds far fewer.
    return "encrypted" if len(head) == 1024 and len(set(head)) >= 160 else "damaged"


def is_plain_file(path: Path) -> bool:
    """True when ``path`` starts with the plain SQLite header."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def file_is_encrypted(path: Path) -> bool:
    """True for a file whose content is encrypted (:func:`header_kind`)."""
    return header_kind(path) == "encrypted"


def is_encrypted_journal(data_dir: Path) -> bool:
    """Does the journal in ``data_dir`` need a passphrase? Decided by the file's content
    (:func:`header_kind`), with or without ``encryption.json`` beside it (a journal copied
    alone is still recognised). Standard library only: the app asks before its window."""
    return header_kind(data_dir / "keel.sqlite3") == "encrypted"  # desktop.paths.DB_FILENAME


# --------------------------------------------------------------------------- the marker
# ``encryption.json`` beside an encrypted journal (see ``db.crypto``): no secret in it.

CIPHER = "sqlcipher4"


def marker_path(data_dir: Path) -> Path:
    """Where the marker of ``data_dir`` lives."""
    return data_dir / MARKER_NAME


def write_marker(data_dir: Path, now: datetime | None = None) -> Path:
    """Write the marker (0600, no secret in it)."""
    marker = marker_path(data_dir)
    since = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    write_json_atomic(marker, {"cipher": CIPHER, "since": since})
    return marker


def marker_since(data_dir: Path) -> str | None:
    """When the journal was encrypted (ISO date-time from the marker), if known."""
    import json

    try:
        data = json.loads(marker_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    since = data.get("since") if isinstance(data, dict) else None
    return since if isinstance(since, str) else None


def remove_marker(data_dir: Path) -> None:
    """Remove the marker (after the journal was decrypted)."""
    with contextlib.suppress(FileNotFoundError):
        marker_path(data_dir).unlink()
    fsync_dir(data_dir)



# --------------------------------------------------------------------------- the drivers


def dbapi() -> ModuleType:
    """The ``sqlcipher3.dbapi2`` module (imported on first use only)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:  # pragma: no cover - a packaging problem
        raise EncryptionError(
            "This journal is encrypted, but the sqlcipher3 package Keel needs to open it "
            "is not installed (pip install sqlcipher3). Nothing was changed.") from exc
    return dbapi2


def database_errors() -> tuple[type[BaseException], ...]:
    """The DatabaseError classes of both drivers (sqlcipher3's only when it is loaded)."""
    import sqlite3
    import sys

    found: list[type[BaseException]] = [sqlite3.DatabaseError]
    module = sys.modules.get("sqlcipher3.dbapi2")
    if module is not None:
        found.append(module.DatabaseError)
    return tuple(found)


def all_errors() -> tuple[type[BaseException], ...]:
    """The base Error classes of both drivers."""
    import sqlite3
    import sys

    found: list[type[BaseException]] = [sqlite3.Error]
    module = sys.modules.get("sqlcipher3.dbapi2")
    if module is not None:
        found.append(module.Error)
    return tuple(found)


# --------------------------------------------------------------------------- the key


def quote_passphrase(passphrase: str) -> str:
    """``passphrase`` as an SQL string literal; an empty one or a NUL is refused."""
    if not passphrase:
        raise WrongPassphrase("The passphrase is empty.")
    if "\x00" in passphrase:
        raise UserError("A passphrase cannot contain a NUL character.")
    return "'" + passphrase.replace("'", "''") + "'"


@functools.lru_cache(maxsize=8)
def _raw_key(passphrase: str, salt: bytes) -> str:
    """SQLCipher's raw-key form for this file's salt: the slow KDF runs once per file."""
    import hashlib

    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, _KDF_ITER, 32)
    return f"\"x'{key.hex()}{salt.hex()}'\""


def key_statement(path: Path, passphrase: str) -> str:
    """The ``PRAGMA key`` statement for ``path`` (raw key when the file has a salt)."""
    quoted = quote_passphrase(passphrase)
    try:
        with path.open("rb") as handle:
            salt = handle.read(16)
    except OSError:
        salt = b""
    if len(salt) == 16 and salt != SQLITE_HEADER:
        return f"PRAGMA key = {_raw_key(passphrase, salt)}"
    return f"PRAGMA key = {quoted}"
