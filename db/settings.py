"""Settings and the user's profile (situation, rhythm, reminders), stored as JSON values."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import select

from db import models
from db.engine import Database
from db.rows import PROFILE_KEY  # noqa: F401 - one name for both read paths
from desktop.core.records import Profile


def get_value(db: Database, key: str, default: Any = None) -> Any:
    with db.reading() as session:
        row = session.get(models.Setting, key)
        return default if row is None else json.loads(row.value)


def set_value(db: Database, key: str, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    with db.transaction() as session:
        row = session.get(models.Setting, key)
        if row is None:
            session.add(models.Setting(key=key, value=text))
        else:
            row.value = text


def all_values(db: Database) -> dict[str, Any]:
    with db.reading() as session:
        return {r.key: json.loads(r.value) for r in session.scalars(select(models.Setting))}


def get_profile(db: Database) -> Profile:
    stored = get_value(db, PROFILE_KEY, {}) or {}
    known = {f.name for f in fields(Profile)}
    values = {k: v for k, v in stored.items() if k in known}
    if "reminder_days" in values:
        values["reminder_days"] = tuple(values["reminder_days"])
    return Profile(**values)


def save_profile(db: Database, profile: Profile) -> None:
    set_value(db, PROFILE_KEY, asdict(profile))
