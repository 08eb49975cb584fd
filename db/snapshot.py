"""One read of everything core logic needs to decide what is due and which flags apply.

:func:`load_snapshot` runs a dozen plain ``SELECT``s in one read transaction (so the
picture is consistent) and builds the shared records directly from rows rather than
loading ORM objects, which keeps a ten-year journal (~520 check-ins, ~8,000 answers)
well under a tenth of a second.

Check-ins in the snapshot carry **no nested answers** (``CheckIn.answers`` is empty):
every answer is in ``JournalSnapshot.answers`` once, with its ``checkin_id``. Callers
that need a check-in's answers group them by ``checkin_id`` or use
``db.checkins.list_checkins``.
"""

from __future__ import annotations

from datetime import datetime

from db.engine import Database
from db.rows import profile_from_value  # noqa: F401 - re-exported
from desktop.core.records import JournalSnapshot


def load_snapshot(db: Database, since: datetime | None = None) -> JournalSnapshot:
    """The whole journal as core logic sees it (see :func:`db.raw_snapshot.load_snapshot_raw`,
    which this runs on the connection under a read session: one implementation of the
    read, whether or not SQLAlchemy is loaded)."""
    from db.raw_snapshot import RawReader, load_snapshot_raw, reading_connection

    with reading_connection(db) as conn:
        return load_snapshot_raw(RawReader(connection=conn), since)
