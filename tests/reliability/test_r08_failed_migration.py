"""R8: a migration that fails after its first operation leaves the journal exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import db.schema as schema
from tests.reliability.helpers import ROOT, make_journal

FAILING = '''"""a revision that fails half-way"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("mood", sa.Integer(), nullable=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    raise RuntimeError("injected failure after the first operations")


def downgrade() -> None:
    pass
'''


def _schema(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        return rows, versions
    finally:
        conn.close()


def test_failing_migration_changes_nothing(tmp_path: Path, monkeypatch, figure) -> None:  # type: ignore[no-untyped-def]
    paths = make_journal(tmp_path / "data", years=0.2)
    scripts = tmp_path / "migrations"
    shutil.copytree(ROOT / "db" / "migrations", scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_fails.py").write_text(
        FAILING.format(head=schema.HEAD_REVISION), encoding="utf-8")
    real_config = schema.alembic_config

    def config(connection=None):  # type: ignore[no-untyped-def]
        cfg = real_config(connection)
        cfg.set_main_option("script_location", str(scripts))
        return cfg

    monkeypatch.setattr(schema, "alembic_config", config)
    monkeypatch.setattr(schema, "HEAD_REVISION", "9999")
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (*schema.KNOWN_REVISIONS, "9999"))
    before = _schema(paths.database)
    with pytest.raises(RuntimeError, match="injected failure"):
        schema.migrate(paths.database, paths.backups)
    after = _schema(paths.database)
    tmp_tables = [name for name, _sql in after[0] if name.startswith("_alembic_tmp")]
    unchanged = before == after
    figure("R8", "schema and alembic_version unchanged", "yes" if unchanged else "no", "yes")
    figure("R8", "_alembic_tmp_* tables", len(tmp_tables), "0")
    assert unchanged and tmp_tables == []
    assert sqlite3.connect(paths.database).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
