"""R3: every connection the engine hands out has Keel's pragmas."""

from __future__ import annotations

from pathlib import Path

from db.engine import Database
from db.pragmas import PRAGMAS

EXPECTED = {
    "journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "secure_delete": 1,
    "trusted_schema": 0,
}


def test_every_connection_has_the_pragmas(tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    db = Database(tmp_path / "keel.sqlite3")
    mismatches: list[str] = []
    connections = []
    try:
        for _ in range(4):  # several pooled connections, opened at once
            conn = db.engine.raw_connection()
            connections.append(conn)
            cursor = conn.cursor()
            for name, want in EXPECTED.items():
                got = cursor.execute(f"PRAGMA {name}").fetchone()[0]
                if got != want:
                    mismatches.append(f"{name}={got!r}, want {want!r}")
            if cursor.execute("PRAGMA busy_timeout").fetchone()[0] <= 0:
                mismatches.append("busy_timeout not > 0")
        assert set(PRAGMAS) >= set(EXPECTED) | {"busy_timeout"}
    finally:
        for conn in connections:
            conn.close()
        db.close()
    figure("R3", "pragma mismatches", len(mismatches), "0")
    assert mismatches == []
