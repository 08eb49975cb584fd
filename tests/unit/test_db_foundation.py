"""The journal file: migration from empty, pragmas on every connection, refusals, entries."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from db import journal
from db.engine import Database
from db.journal_file import open_database
from db.schema import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    DatabaseDamaged,
    DatabaseTooNew,
    SchemaState,
    state,
)
from db.validation import InvalidInput


@pytest.fixture
def journal_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "backups").mkdir()
    database = open_database(tmp_path / "keel.sqlite3", tmp_path / "backups")
    yield database
    database.close()


def test_migration_from_empty_creates_every_table(journal_db: Database) -> None:
    from db.models import Base

    with journal_db.read() as session:
        tables = {r[0] for r in session.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = session.execute("SELECT version_num FROM alembic_version").scalar()
    assert set(Base.metadata.tables) <= tables
    assert version == HEAD_REVISION
    assert state(journal_db.path) is SchemaState.CURRENT


def test_known_revisions_match_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    from db.schema import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD_REVISION
    assert {s.revision for s in scripts.walk_revisions()} == set(KNOWN_REVISIONS)


def test_models_match_the_migrated_schema(journal_db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base
    from db.search import include_object

    with journal_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


@pytest.mark.parametrize(("pragma", "expected"), [
    ("journal_mode", "wal"), ("synchronous", 2), ("foreign_keys", 1),
    ("secure_delete", 1), ("trusted_schema", 0), ("busy_timeout", 5000),
])
def test_pragmas_on_every_connection(journal_db: Database, pragma: str, expected: object) -> None:
    for _ in range(2):
        with journal_db.engine.connect() as conn:
            assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_database_file_is_private(journal_db: Database) -> None:
    journal.create_entry(journal_db, "x")
    for path in journal_db.path.parent.iterdir():
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "keel.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of Keel"):
        open_database(path)
    assert path.read_bytes() == before


def test_damaged_header_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "keel.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseDamaged):
        open_database(path)
    assert path.read_bytes() == b"not a database at all" * 100


def test_entries_listed_newest_first_with_tags(journal_db: Database) -> None:
    from datetime import UTC, datetime

    journal.create_entry(journal_db, "older", tags=["Work", "#work", " values "],
                         when=datetime(2025, 1, 1, tzinfo=UTC))
    journal.create_entry(journal_db, "newer", when=datetime(2026, 1, 1, tzinfo=UTC))
    entries = journal.list_entries(journal_db)
    assert [e.body for e in entries] == ["newer", "older"]
    assert entries[1].tags == ("values", "work")
    assert journal.list_entries(journal_db, offset=1, limit=1)[0].body == "older"
    assert journal.all_tags(journal_db) == [("values", 1), ("work", 1)]


@pytest.mark.parametrize("body", [
    "x" * 1_000_000, "NUL\x00inside", "emoji 🧭🛶", "RTL שלום مرحبا",
    "combining e\u0301a\u0308", "long line " * 50_000,
])
def test_hostile_text_round_trips_exactly(journal_db: Database, body: str) -> None:
    entry = journal.create_entry(journal_db, body, title=body[:50])
    again = journal.get_entry(journal_db, entry.id)
    assert again is not None and again.body == body and again.title == body[:50]


def test_lone_surrogate_is_refused_with_a_message(journal_db: Database) -> None:
    with pytest.raises(InvalidInput, match="cannot be saved"):
        journal.create_entry(journal_db, "bad \ud800 char")
    assert journal.count_entries(journal_db) == 0


def test_failed_write_leaves_nothing_behind(journal_db: Database) -> None:
    with pytest.raises(RuntimeError), journal_db.write() as session:
        journal.insert_entry(session, "b", "t")
        assert session.execute("SELECT count(*) FROM entries").scalar() == 1
        raise RuntimeError("simulated crash mid-transaction")
    assert journal.count_entries(journal_db) == 0


def test_pages_walk_the_whole_journal_newest_first(journal_db: Database) -> None:
    """Pages joined end to end are the full list, even where entries share a timestamp."""
    from datetime import UTC, datetime, timedelta

    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(23):
        journal.create_entry(journal_db, f"entry {i}", tags=["t"] if i % 2 else [],
                             when=base + timedelta(days=i // 3))  # three share each day
    walked: list = []
    page = journal.entries_at(journal_db, 0, 5)
    while page:
        walked += page
        page = journal.entries_at(journal_db, len(walked), 5)
    assert [e.id for e in walked] == [e.id for e in journal.list_entries(journal_db)]
    assert [e.tags for e in walked] == [e.tags for e in journal.list_entries(journal_db)]
