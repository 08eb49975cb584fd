"""Dismissed and snoozed flags, with the user's note; kept as history, never overwritten.

The one reader and writer of flag actions, in SQL on :class:`db.access.Session`
(docs/ARCHITECTURE.md, "One data path"). No SQLAlchemy here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from db.rows import FLAG_ACTION_COLUMNS, flag_action_from_row
from db.timeutil import to_stored, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import FlagAction

if TYPE_CHECKING:
    from db.access import Journal, Session

DISMISSED = "dismissed"
SNOOZED = "snoozed"

INSERT_FLAG_ACTION = (f"INSERT INTO flag_actions (id, {FLAG_ACTION_COLUMNS}) "
                      "VALUES (?, ?, ?, ?, ?, ?)")
SELECT_FLAG_ACTIONS = (f"SELECT {FLAG_ACTION_COLUMNS} FROM flag_actions "
                       "ORDER BY created_at DESC, id DESC")
ONE_FLAG_ACTION = f"SELECT {FLAG_ACTION_COLUMNS} FROM flag_actions WHERE id = ?"


def insert_flag_action(session: Session, flag_key: str, action: str, note: str,
                       until: datetime | None = None, when: datetime | None = None,
                       ident: int | None = None) -> int:
    """The writer of a dismissal or snooze, inside the caller's write transaction; its id
    (``ident`` keeps a given one: a Keel-format import)."""
    if not flag_key:
        raise InvalidInput("Which flag? The flag key is empty.")
    if action not in (DISMISSED, SNOOZED):
        raise InvalidInput(f"“{action}” is not something Keel does with a flag.")
    stored = session.execute(INSERT_FLAG_ACTION, (
        ident, clean_text(flag_key, "flag", limit=200), action, clean_text(note or "", "note"),
        to_stored(when or utcnow()), to_stored(until))).lastrowid
    assert stored is not None
    return stored


def _one(session: Session, ident: int) -> FlagAction:
    row = session.execute(ONE_FLAG_ACTION, (ident,)).first()
    assert row is not None
    return flag_action_from_row(row)


def read_flag_actions(session: Session) -> list[FlagAction]:
    """Every dismissal and snooze, newest first, in the caller's transaction."""
    return [flag_action_from_row(r) for r in session.execute(SELECT_FLAG_ACTIONS)]


def dismiss_flag(
    db: Journal, flag_key: str, note: str, when: datetime | None = None
) -> FlagAction:
    """Dismiss a flag (its key names one situation; a new situation flags afresh)."""
    with db.write() as session:
        return _one(session, insert_flag_action(session, flag_key, DISMISSED, note, None, when))


def snooze_flag(
    db: Journal, flag_key: str, note: str, until: datetime, when: datetime | None = None
) -> FlagAction:
    """Hide a flag until ``until``."""
    with db.write() as session:
        return _one(session, insert_flag_action(session, flag_key, SNOOZED, note, until, when))


def flag_actions(db: Journal) -> list[FlagAction]:
    """Every dismissal and snooze, newest first (:func:`read_flag_actions`)."""
    with db.read() as session:
        return read_flag_actions(session)
