"""Autosaved drafts: typed text that has not been saved yet survives a crash."""

from __future__ import annotations

import json

from sqlalchemy import delete, select

from db import models
from db.engine import Database
from db.timeutil import from_db, to_db, utcnow
from desktop.core.records import Draft


def save_draft(db: Database, key: str, payload: dict) -> None:
    """Store (or replace) the draft under ``key``; a no-op write is cheap."""
    # ASCII JSON: every character typed — even a lone surrogate that UTF-8 cannot hold —
    # is stored as an escape and comes back exactly. A draft is never refused.
    text = json.dumps(payload, ensure_ascii=True)
    with db.transaction() as session:
        row = session.get(models.Draft, key)
        if row is None:
            session.add(models.Draft(key=key, payload=text, updated_at=to_db(utcnow())))
        elif row.payload != text:
            row.payload = text
            row.updated_at = to_db(utcnow())


def load_draft(db: Database, key: str) -> Draft | None:
    with db.reading() as session:
        row = session.get(models.Draft, key)
        return None if row is None else _record(row)


def list_drafts(db: Database, prefix: str = "") -> list[Draft]:
    with db.reading() as session:
        rows = session.scalars(
            select(models.Draft)
            .where(models.Draft.key.startswith(prefix))
            .order_by(models.Draft.updated_at.desc())
        )
        return [_record(r) for r in rows]


def discard_draft(db: Database, key: str) -> None:
    with db.transaction() as session:
        session.execute(delete(models.Draft).where(models.Draft.key == key))


def _record(row: models.Draft) -> Draft:
    return Draft(key=row.key, payload=json.loads(row.payload), updated_at=from_db(row.updated_at))
