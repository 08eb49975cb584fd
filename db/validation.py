"""Checks on user text before it is stored: refuse clearly, never mangle silently."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.core.errors import UserError

MAX_TEXT = 5_000_000
"""Characters in one field; a 1 MB entry is fine, a runaway paste is refused."""


class InvalidInput(UserError, ValueError):
    """User input Keel refuses; the message says what to change."""


def clean_text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    """Return ``value`` unchanged if it can be stored exactly, else raise InvalidInput.

    NUL bytes, emoji, right-to-left text and combining marks round-trip as they are.
    Lone surrogates cannot be stored as UTF-8, so they are refused with a message.
    """
    if not isinstance(value, str):
        raise InvalidInput(f"The {what} must be text.")
    if len(value) > limit:
        raise InvalidInput(
            f"The {what} is too long ({len(value):,} characters; the limit is {limit:,})."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"The {what} contains a character that cannot be saved "
            f"(position {exc.start + 1}); please remove it."
        ) from exc
    return value


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags trimmed, lower-cased, de-duplicated, without a leading '#', order kept."""
    seen: list[str] = []
    for raw in tags:
        tag = clean_text(raw, "tag", limit=100).strip().lstrip("#").strip().lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen
