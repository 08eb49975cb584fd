"""Shared fixtures for unit tests: a fresh, migrated journal file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db.engine import Database
from db.journal_file import open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real SQLite journal in ``tmp_path``, migrated to the current schema."""
    backups = tmp_path / "backups"
    backups.mkdir()
    database = open_database(tmp_path / "keel.sqlite3", backups)
    try:
        yield database
    finally:
        database.close()
