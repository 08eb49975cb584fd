"""Autosaved drafts: typed text that has not been saved yet survives a crash.

The one reader and writer of drafts, in SQL on :class:`db.access.Session`
(docs/ARCHITECTURE.md, "One data path"). No SQLAlchemy here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from db.rows import DRAFT_COLUMNS, draft_from_row
from db.timeutil import to_stored, utcnow
from db.validation import clean_text
from desktop.core.records import Draft

if TYPE_CHECKING:
    from db.access import Journal, Session

SAVE_DRAFT = (
    "INSERT INTO drafts (key, payload, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, "
    "updated_at = excluded.updated_at WHERE drafts.payload IS NOT excluded.payload")
"""A new draft, or a changed one; an unchanged draft keeps its time (a no-op write)."""
SELECT_DRAFTS = f"SELECT {DRAFT_COLUMNS} FROM drafts"
LOAD_DRAFT = SELECT_DRAFTS + " WHERE key = ?"
LIST_DRAFTS = (SELECT_DRAFTS + " WHERE substr(key, 1, length(:prefix)) = :prefix "
               "ORDER BY updated_at DESC, key")
"""Drafts whose key starts with ``prefix`` exactly (``LIKE`` would ignore case and
treat ``%`` and ``_`` in a key as wildcards)."""
DISCARD_DRAFT = "DELETE FROM drafts WHERE key = ?"


def write_draft(session: Session, key: str, payload: Any,
                when: datetime | None = None) -> None:
    """The writer of a draft (new, or changed; an unchanged one keeps its time), inside
    the caller's write transaction."""
    # ASCII JSON: every character typed — even a lone surrogate that UTF-8 cannot hold —
    # is stored as an escape and comes back exactly. A draft is never refused.
    text = json.dumps(payload, ensure_ascii=True)
    session.execute(SAVE_DRAFT, (clean_text(key, "draft key", limit=100), text,
                                 to_stored(when or utcnow())))


def save_draft(db: Journal, key: str, payload: dict[str, Any]) -> None:
    """Store (or replace) the draft under ``key``; a no-op write is cheap."""
    with db.write() as session:
        write_draft(session, key, payload)


def load_draft(db: Journal, key: str) -> Draft | None:
    with db.read() as session:
        row = session.execute(LOAD_DRAFT, (key,)).first()
    return None if row is None else draft_from_row(row)


def list_drafts(db: Journal, prefix: str = "") -> list[Draft]:
    """Drafts whose key starts with ``prefix``, most recently saved first."""
    with db.read() as session:
        return [draft_from_row(r) for r in session.execute(LIST_DRAFTS, {"prefix": prefix})]


def discard_draft(db: Journal, key: str) -> None:
    with db.write() as session:
        session.execute(DISCARD_DRAFT, (key,))

