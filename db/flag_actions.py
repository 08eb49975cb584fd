"""Dismissed and snoozed flags, with the user's note; kept as history, never overwritten."""

from __future__ import annotations

from datetime import datetime

from db import models
from db.engine import Database
from db.rows import flag_action_from_row  # noqa: F401 - re-exported
from db.timeutil import to_db, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import FlagAction

DISMISSED = "dismissed"
SNOOZED = "snoozed"


def _add(
    db: Database,
    flag_key: str,
    action: str,
    note: str,
    until: datetime | None,
    when: datetime | None,
) -> FlagAction:
    if not flag_key:
        raise InvalidInput("Which flag? The flag key is empty.")
    with db.transaction() as session:
        row = models.FlagAction(
            flag_id=clean_text(flag_key, "flag", limit=200),
            action=action,
            note=clean_text(note or "", "note"),
            created_at=to_db(when or utcnow()),
            until=to_db(until),
        )
        session.add(row)
        session.flush()
        return flag_action_from_row(row)


def dismiss_flag(
    db: Database, flag_key: str, note: str, when: datetime | None = None
) -> FlagAction:
    """Dismiss a flag (its key names one situation; a new situation flags afresh)."""
    return _add(db, flag_key, DISMISSED, note, None, when)


def snooze_flag(
    db: Database, flag_key: str, note: str, until: datetime, when: datetime | None = None
) -> FlagAction:
    """Hide a flag until ``until``."""
    return _add(db, flag_key, SNOOZED, note, until, when)


def flag_actions(db: Database) -> list[FlagAction]:
    """Every dismissal and snooze, newest first (:func:`db.snapshot.read_flag_actions`)."""
    from db.snapshot import read_flag_actions

    with db.read() as session:
        return read_flag_actions(session)
