"""One error boundary: what went wrong, in one line, for the command line and the app.

:func:`classify` turns any exception (a driver error from ``sqlite3`` or ``sqlcipher3``,
one wrapped by SQLAlchemy, an ``OSError``, one of Keel's ``UserError`` subclasses, or
anything unexpected) into a :class:`Failure`: a kind, a sentence saying what happened
and what was kept, and the command line's exit code for that kind (README, "Exit
codes"). :func:`log_failure` writes the details to the log without journal text: driver
and OS messages (SQLite's own words; SQL parameters are hidden by the engine) and the
stack, never the message of an unexpected exception, which could quote what it was
handed.

Standard library only; no Qt, and SQLAlchemy is recognised without importing it.
"""

from __future__ import annotations

import enum
import errno
import logging
from dataclasses import dataclass

from desktop.core.errors import UsageError, UserError

log = logging.getLogger("keel.failures")


class Kind(enum.Enum):
    USER = "user"
    USAGE = "usage"
    BUSY = "busy"
    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"
    PERMISSION = "permission"
    DAMAGED = "damaged"
    DISK_ERROR = "disk-error"
    UNEXPECTED = "unexpected"


EXIT_CODES: dict[Kind, int] = {
    Kind.USER: 1,
    Kind.USAGE: 2,
    Kind.BUSY: 4,
    Kind.DISK_FULL: 5,
    Kind.READ_ONLY: 6,
    Kind.PERMISSION: 7,
    Kind.DAMAGED: 8,
    Kind.DISK_ERROR: 9,
    Kind.UNEXPECTED: 70,
}
"""The command line's exit codes (0 success, 3 ``keel due`` found prompts due)."""

MESSAGES: dict[Kind, str] = {
    Kind.BUSY: ("The journal is busy: another program or another Keel is holding it. "
                "Nothing was saved; try again in a moment."),
    Kind.DISK_FULL: ("The disk is full, so Keel could not finish (nothing new was saved). "
                     "Nothing already saved was changed; free some space and try again."),
    Kind.READ_ONLY: ("The journal file or its folder is read-only, so Keel could not finish "
                     "(nothing new was saved). Nothing already saved was changed."),
    Kind.PERMISSION: ("Keel is not allowed to open a file it needs{where}. Nothing was "
                      "changed; check the folder's permissions."),
    Kind.DAMAGED: ("The journal file is damaged or is not a Keel journal, so Keel did not "
                   "use it; nothing was changed. Run `keel check`, or restore a backup "
                   "(`keel backup --list`)."),
    Kind.DISK_ERROR: ("The disk reported an error while Keel used the journal (it may be "
                      "full, removed or failing). Nothing already saved was changed."),
    Kind.UNEXPECTED: ("Keel hit an unexpected problem and did not finish; nothing already "
                      "saved was changed. Details are in the log file."),
}


@dataclass(frozen=True)
class Failure:
    kind: Kind
    message: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the driver error SQLAlchemy wraps (``.orig``), its causes and contexts."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        orig = getattr(item, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None,
                 item.__cause__, item.__context__]
    return seen


def _is_driver_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.startswith(("sqlite3", "sqlcipher3"))


_SQLITE_CODES = {
    5: Kind.BUSY, 6: Kind.BUSY,             # SQLITE_BUSY, SQLITE_LOCKED
    8: Kind.READ_ONLY,                      # SQLITE_READONLY
    11: Kind.DAMAGED, 26: Kind.DAMAGED,     # SQLITE_CORRUPT, SQLITE_NOTADB
    13: Kind.DISK_FULL,                     # SQLITE_FULL
    14: Kind.PERMISSION, 23: Kind.PERMISSION,  # SQLITE_CANTOPEN, SQLITE_AUTH
    10: Kind.DISK_ERROR,                    # SQLITE_IOERR
}
_SQLITE_EXTENDED = {
    4874: Kind.DISK_FULL,  # SQLITE_IOERR_SHMSIZE: the -shm file could not grow
}
_SQLITE_WORDS = (
    ("database or disk is full", Kind.DISK_FULL),
    ("disk is full", Kind.DISK_FULL),
    ("database is locked", Kind.BUSY),
    ("database table is locked", Kind.BUSY),
    ("readonly database", Kind.READ_ONLY),
    ("read-only", Kind.READ_ONLY),
    ("not a database", Kind.DAMAGED),
    ("malformed", Kind.DAMAGED),
    ("unable to open database file", Kind.PERMISSION),
    ("disk i/o error", Kind.DISK_ERROR),
)
_ERRNOS = {
    errno.ENOSPC: Kind.DISK_FULL,
    errno.EDQUOT: Kind.DISK_FULL,
    errno.EROFS: Kind.READ_ONLY,
    errno.EACCES: Kind.PERMISSION,
    errno.EPERM: Kind.PERMISSION,
}


def _kind_of(exc: BaseException) -> Kind | None:
    from db.exclusive import JournalBusy

    if isinstance(exc, JournalBusy):
        return Kind.BUSY
    name = type(exc).__name__
    if name == "DatabaseBusy":
        return Kind.BUSY
    if name == "DiskFull":
        return Kind.DISK_FULL
    if name in ("DatabaseDamaged",):
        return Kind.DAMAGED
    if _is_driver_error(exc):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and code in _SQLITE_EXTENDED:
            return _SQLITE_EXTENDED[code]
        if isinstance(code, int) and (code & 0xFF) in _SQLITE_CODES:
            return _SQLITE_CODES[code & 0xFF]
        text = str(exc).lower()
        for words, kind in _SQLITE_WORDS:
            if words in text:
                return kind
        return None
    if isinstance(exc, OSError) and exc.errno in _ERRNOS:
        return _ERRNOS[exc.errno]
    return None


def classify(exc: BaseException) -> Failure:
    """What ``exc`` means for the user: a kind and one sentence (no newline)."""
    chain = _chain(exc)
    kind = next((k for k in map(_kind_of, chain) if k is not None), None)
    if isinstance(exc, UserError):
        # Its own words stand; the code follows what lies under it (a backup that failed
        # on a full disk exits 5), except "damaged" which only the error itself can say
        # (a wrong passphrase also reads as "not a database" underneath).
        if isinstance(exc, UsageError):
            return Failure(Kind.USAGE, _one_line(str(exc)))
        own = _kind_of(exc)
        if own is None and kind is Kind.DAMAGED:
            kind = None
        return Failure(own or kind or Kind.USER, _one_line(str(exc)))
    if kind is Kind.PERMISSION:
        where = next((f" ({e.filename})" for e in chain
                      if isinstance(e, OSError) and e.filename), "")
        return Failure(kind, MESSAGES[kind].format(where=where))
    if kind is not None:
        return Failure(kind, MESSAGES[kind])
    if isinstance(exc, OSError):  # another OS error: its own short words are safe
        detail = exc.strerror or type(exc).__name__
        return Failure(Kind.USER, f"Keel could not finish: {detail}. Nothing already saved "
                                  "was changed.")
    return Failure(Kind.UNEXPECTED, MESSAGES[Kind.UNEXPECTED])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def log_failure(action: str, exc: BaseException, failure: Failure | None = None) -> None:
    """Write what failed to the log: kinds, driver/OS words and the stack; no journal text."""
    import traceback

    failure = failure or classify(exc)
    parts = []
    for item in _chain(exc):
        if _is_driver_error(item) or isinstance(item, (OSError, UserError)):
            parts.append(f"{type(item).__name__}: {_one_line(str(item))[:300]}")
        else:
            parts.append(type(item).__name__)
    stack = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
    log.error("%s failed (%s): %s\n%s", action, failure.kind.value, " <- ".join(parts),
              stack.rstrip())
