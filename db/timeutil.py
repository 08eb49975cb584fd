"""Aware UTC datetimes in Keel's records; naive UTC in SQLite columns."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(value: datetime | None) -> datetime | None:
    """Aware datetime → naive UTC for storage (naive values are taken as UTC already)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def from_db(value: datetime | None) -> datetime | None:
    """Stored naive UTC → aware UTC."""
    return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
