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
        except Exception:  # noqa: BLE001 - an odd TZ string falls back to the offset
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            from zoneinfo import ZoneInfo

            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except Exception:  # noqa: BLE001
        pass
    offset = -time.timezone if not time.daylight else -time.altzone
    return timezone(timedelta(seconds=offset))


@dataclass
class AppContext:
    paths: Paths
    clock: Callable[[], datetime] = system_now
    tz: tzinfo = field(default_factory=local_zone)
    _db: Any = None
    _library: Any = None

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
            from db.journal_file import open_database

            self._db = open_database(self.paths.database, self.paths.backups)
        return self._db  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
