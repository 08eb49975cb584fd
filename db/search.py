"""Finding entries by their words."""

from __future__ import annotations

from sqlalchemy import or_, select

from db import models
from db.engine import Database


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_entries(db: Database, text: str, limit: int = 500) -> list[int]:
    """Ids of entries containing every word of ``text`` (title, body or tag), newest first."""
    words = [w for w in text.split() if w]
    if not words:
        return []
    query = select(models.Entry.id).order_by(models.Entry.created_at.desc()).limit(limit)
    for word in words:
        pattern = _like(word)
        tagged = select(models.EntryTag.entry_id).where(
            models.EntryTag.tag.like(pattern, escape="\\"))
        query = query.where(or_(
            models.Entry.title.like(pattern, escape="\\"),
            models.Entry.body.like(pattern, escape="\\"),
            models.Entry.id.in_(tagged),
        ))
    with db.reading() as session:
        return list(session.scalars(query))
