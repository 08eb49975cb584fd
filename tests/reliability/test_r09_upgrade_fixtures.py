"""R9: a fixture journal of every earlier schema revision upgrades to head, losing nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.backup import integrity_errors, list_backups
from db.schema import HEAD_REVISION, KNOWN_REVISIONS, SchemaState, migrate, state
from desktop.paths import Paths, prepare
from tests.reliability.helpers import ROOT, table_counts

FIXTURES = ROOT / "tests" / "fixtures" / "db"
EARLIER = [r for r in KNOWN_REVISIONS if r != HEAD_REVISION]


def test_a_fixture_exists_for_every_earlier_revision() -> None:
    missing = [r for r in EARLIER if not (FIXTURES / f"rev{r}.sqlite3").exists()]
    assert missing == [], f"run python -m tests.fixtures.db.make_fixtures for {missing}"


@pytest.mark.parametrize("revision", EARLIER)
def test_upgrade_from_fixture(revision: str, tmp_path: Path, figure) -> None:  # type: ignore[no-untyped-def]
    paths = Paths(tmp_path / "data")
    prepare(paths)
    # The fixture is a closed file in the source tree: load it with the backup API.
    src = sqlite3.connect(f"file:{FIXTURES / f'rev{revision}.sqlite3'}?mode=ro", uri=True)
    dst = sqlite3.connect(paths.database)
    src.backup(dst)
    dst.close()
    src.close()
    before = table_counts(paths.database)
    assert before["entries"] > 0 and before["answers"] > 0

    backup = migrate(paths.database, paths.backups)

    assert state(paths.database) is SchemaState.CURRENT
    sound = backup is not None and backup.exists() and not integrity_errors(backup)
    assert backup is not None and backup in [b.path for b in list_backups(paths.backups)]
    from db.backup import unpacked

    with unpacked(backup) as plain:
        kept = sqlite3.connect(plain)
        assert kept.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        kept.close()
    after = table_counts(paths.database)
    lost = sum(max(0, n - after.get(name, 0)) for name, n in before.items())
    conn = sqlite3.connect(paths.database)
    fk_rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    # The index is built by the migration, complete and sound: no search has to wait.
    indexed = conn.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0]
    sources = conn.execute("SELECT count(*) FROM search_source").fetchone()[0]
    conn.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
    pending = conn.execute("SELECT count(*) FROM search_pending").fetchone()[0]
    conn.close()
    figure("R9", f"rev {revision}: rows indexed / searchable rows", f"{indexed}/{sources}",
           "all, none pending")
    assert indexed == sources > 0 and pending == 0
    figure("R9", f"rev {revision}: pre-migration backup sound", "yes" if sound else "no", "yes")
    figure("R9", f"rev {revision}: rows lost", lost, "0")
    figure("R9", f"rev {revision}: foreign_key_check rows", len(fk_rows), "0")
    assert sound and lost == 0 and fk_rows == []
