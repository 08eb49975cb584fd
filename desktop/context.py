"""What every part of the running app shares: paths, the clock, the open journal.

Plain Python. The database is opened lazily (``open()``), so building the first window
never waits for SQLAlchemy to import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from desktop.paths import Paths

if TYPE_CHECKING:
    from db.engine import Database


def system_now() -> datetime:
    return datetime.now(UTC)


def local_zone() -> tzinfo:
    """The machine's local time zone (a fixed offset when no IANA name is known)."""
    import os
    import time
    from datetime import timedelta, timezone

    name = os.environ.get("TZ")
    if name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            from zoneinfo import ZoneInfo

            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except Exception:
        pass
    offset = -time.timezone if not time.daylight else -time.altzone
    return timezone(timedelta(seconds=offset))


@dataclass
class AppContext:
    paths: Paths
    clock: Callable[[], datetime] = system_now
    tz: tzinfo = field(default_factory=local_zone)
    schema_verified: bool = False
    """Start-up already checked (and migrated) the file: opening skips the quick check."""
    passphrase: str | None = field(default=None, repr=False)
    """An encrypted journal's passphrase (held in memory only; never logged or written)."""
    paused: str | None = None
    """While set (e.g. the journal file is being encrypted), ``open()`` refuses with it."""
    today_view: Any = None
    """What Today shows, read by the task that just wrote (a finished check-in), while the
    window announces that write; None otherwise (each reader then reads for itself)."""
    _db: Any = None
    _library: Any = None

    @property
    def is_open(self) -> bool:
        """Is the journal open right now (without opening it)?"""
        return self._db is not None

    def now(self) -> datetime:
        return self.clock()

    @property
    def db(self) -> Database:
        if self._db is None:
            self.open()
        return self._db  # type: ignore[no-any-return]

    def open(self) -> Database:
        """Open the journal (migrating when behind); errors carry a user message."""
        if self._db is None:
            if self.paused:
                from desktop.core.errors import UserError

                raise UserError(self.paused)
            from db.journal_file import open_database

            self._db = open_database(self.paths.database, self.paths.backups,
                                     verified=self.schema_verified, passphrase=self.passphrase)
            self.schema_verified = False  # a later reopen (after a restore) checks again
        return self._db  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def pause(self, reason: str) -> None:
        """Close the journal and refuse to open it (with ``reason``) until :meth:`resume`:
        while it is converted, restored, or locked by the auto-lock."""
        self.close()
        self.paused = reason

    def resume(self, passphrase: str | object | None = ...) -> Database:
        """Open the journal again after :meth:`pause` (or a restore, or a conversion),
        with ``passphrase`` now in force when given. The old engine is never reused: the
        file under it may have been replaced."""
        if passphrase is not ...:
            self.passphrase = passphrase  # type: ignore[assignment]
        self.paused = None
        self.close()
        return self.open()
