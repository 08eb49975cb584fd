"""R22: the SQL writers of options, decisions, baselines and money on a full disk (an 8 MB
tmpfs): each failure is classified as "disk full" by the one error boundary (the engine's
SQLAlchemy error hook does not see SQL run on the connection under it), nothing half
written, and the journal is whole and writable once space is freed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import options, profile_history
from db.failures import Kind, classify
from db.journal_file import open_database
from desktop.core.records import JobOption
from tests.reliability.helpers import fill_disk, small_tmpfs

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
BIG = "é" * 99_000  # ~200 KB stored: more than any free page the file could still have


@pytest.fixture
def small_disk() -> Iterator[Path]:
    with small_tmpfs("8m") as mount:
        yield mount


def test_full_disk_while_saving_options_decisions_and_money(small_disk: Path, figure) -> None:  # type: ignore[no-untyped-def]
    db = open_database(small_disk / "keel.sqlite3")
    try:
        kept = options.save_option(db, JobOption(id=None, organisation="Kept", role="r"),
                                   when=NOW)
        assert kept.id is not None
        filler = fill_disk(small_disk)
        attempts = {
            "save_option": lambda: options.save_option(
                db, JobOption(id=None, organisation="New", role="r", notes=BIG)),
            "update option": lambda: options.save_option(
                db, JobOption(id=kept.id, organisation="Kept", role="r", notes=BIG)),
            "record_decision": lambda: options.record_decision(
                db, kept.id, "Join", BIG * 3, [], ""),
            "add_baseline": lambda: profile_history.add_baseline(db, BIG * 3, 5),
        }
        kinds = {}
        for name, attempt in attempts.items():
            with pytest.raises(Exception) as caught:
                attempt()
            kinds[name] = classify(caught.value).kind
        full = sum(kind is Kind.DISK_FULL for kind in kinds.values())
        figure("R22", 'writers failing on a full disk classified "disk full"',
               f"{full} of {len(kinds)}", "all")
        assert set(kinds.values()) == {Kind.DISK_FULL}, kinds
        filler.unlink()
        assert [o.organisation for o in options.list_options(db)] == ["Kept"]
        assert options.get_option(db, kept.id).notes == ""  # type: ignore[union-attr]
        assert options.decisions(db) == [] and profile_history.baselines(db) == []
        assert options.events(db) == [("on-new-option", NOW)]  # no event from a failed save
        options.record_decision(db, kept.id, "Join after all", "", [], "", when=NOW)
    finally:
        db.close()
    conn = sqlite3.connect(small_disk / "keel.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
