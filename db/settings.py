"""Settings and the user's profile (situation, rhythm, reminders), stored as JSON values.

The one reader (:func:`read_value`) and the one writer (:func:`write_value`) of the
``settings`` table, in SQL against :class:`db.access.Session`, so they run inside any
caller's transaction, with or without SQLAlchemy; :func:`get_value` / :func:`set_value`
run them in a transaction of their own.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from db.rows import PROFILE_KEY, profile_from_value
from desktop.core.records import Profile

if TYPE_CHECKING:
    from db.access import Journal, Session

__all__ = ["PROFILE_KEY", "all_values", "get_profile", "get_value", "read_value",
           "save_profile", "set_value", "write_value"]

READ_SQL = "SELECT value FROM settings WHERE key = ?"
WRITE_SQL = ("INSERT INTO settings (key, value) VALUES (?, ?) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def read_value(session: Session, key: str, default: Any = None) -> Any:
    """A stored setting's value (JSON), or *default*."""
    stored = session.execute(READ_SQL, (key,)).scalar()
    return default if stored is None else json.loads(stored)


def write_value(session: Session, key: str, value: Any) -> None:
    """Store a setting inside the caller's write transaction."""
    session.execute(WRITE_SQL, (key, json.dumps(value, ensure_ascii=False)))


def get_value(db: Journal, key: str, default: Any = None) -> Any:
    with db.read() as session:
        return read_value(session, key, default)


def set_value(db: Journal, key: str, value: Any) -> None:
    with db.write() as session:
        write_value(session, key, value)


def all_values(db: Journal) -> dict[str, Any]:
    with db.read() as session:
        return {key: json.loads(value)
                for key, value in session.execute("SELECT key, value FROM settings")}


def get_profile(db: Journal) -> Profile:
    return profile_from_value(get_value(db, PROFILE_KEY))


def save_profile(db: Journal, profile: Profile) -> None:
    set_value(db, PROFILE_KEY, asdict(profile))
