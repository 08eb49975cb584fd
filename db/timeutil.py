"""Aware UTC datetimes in Keel's records; naive UTC in SQLite columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy's SQLite ``DateTime`` stores a (naive UTC) time; raw SQL matches it."""


@overload
def to_db(value: datetime) -> datetime: ...
@overload
def to_db(value: None) -> None: ...
def to_db(value: datetime | None) -> datetime | None:
    """Aware datetime → naive UTC for storage (naive values are taken as UTC already)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


@overload
def from_db(value: datetime) -> datetime: ...
@overload
def from_db(value: None) -> None: ...
def from_db(value: datetime | None) -> datetime | None:
    """Stored naive UTC → aware UTC."""
    return None if value is None else value.replace(tzinfo=UTC)


@overload
def from_stored(value: str | datetime) -> datetime: ...
@overload
def from_stored(value: None) -> None: ...
def from_stored(value: str | datetime | None) -> datetime | None:
    """A time column read as stored text (SQL on :class:`db.access.Session`) → aware UTC.

    SQLAlchemy stores ``YYYY-MM-DD HH:MM:SS.ffffff``; :meth:`datetime.fromisoformat`
    reads it in C, and reading it with a ``+00:00`` suffix is several times faster than
    ``replace(tzinfo=UTC)`` afterwards (the zone is the same ``UTC`` object).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value + "+00:00")


@overload
def to_stored(value: datetime) -> str: ...
@overload
def to_stored(value: None) -> None: ...
def to_stored(value: datetime | None) -> str | None:
    """An aware (or naive UTC) time → the text SQLAlchemy's ``DateTime`` stores
    (:data:`STORED_TIME`), for SQL on :class:`db.access.Session`; None stays None."""
    if value is None:
        return None
    return to_db(value).strftime(STORED_TIME)


def utcnow() -> datetime:
    return datetime.now(UTC)
