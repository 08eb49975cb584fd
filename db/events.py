"""Events (a new option, an acceptance, a vest): what makes an event prompt due.

The one reader (:func:`read_events`) and the one writer (:func:`insert_event`) of the
``events`` table, in SQL against :class:`db.access.Session`: the options service, the
snapshot behind Today and ``keel remind``, and the demo generator all call these.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from db.timeutil import from_stored, to_stored

if TYPE_CHECKING:
    from db.access import Session

INSERT_EVENT = "INSERT INTO events (id, kind, occurred_at, ref_id) VALUES (?, ?, ?, ?)"
SELECT_EVENTS = "SELECT kind, occurred_at FROM events"


def insert_event(session: Session, kind: str, ref_id: int | None, when: datetime,
                 ident: int | None = None) -> int:
    """Record an event inside the caller's write transaction (*when*: aware, or naive UTC;
    *ident*: the id an imported row keeps); its id."""
    stored = session.execute(INSERT_EVENT, (ident, kind, to_stored(when), ref_id)).lastrowid
    assert stored is not None
    return stored


def read_events(session: Session, since: datetime | None = None) -> list[tuple[str, datetime]]:
    """(kind, when) of every event (at or after *since*), oldest first."""
    if since is None:
        rows = session.execute(f"{SELECT_EVENTS} ORDER BY occurred_at, id")
    else:
        rows = session.execute(f"{SELECT_EVENTS} WHERE occurred_at >= ? ORDER BY occurred_at, id",
                               (to_stored(since),))
    return [(kind, from_stored(when)) for kind, when in rows]
