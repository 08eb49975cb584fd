"""full-text search

Revision ID: 0002
Revises: 0001

One FTS5 table, ``search_fts``, indexes every piece of text a user may want to find:
entries (title, body, tags), check-in answers' text (and skip reasons), check-in
reflections, and job options (title; notes, team and what the team publishes).

The table keeps its own copy of the text (not external-content), so ``snippet()`` needs
no join and a row is replaced by rowid. The rowid encodes where the text came from,
``source_id * 4 + kind`` (0 entry, 1 answer, 2 reflection, 3 option).

Why a queue and not triggers that write the FTS table directly: Keel opens every
connection with ``PRAGMA trusted_schema=OFF`` (a hardening we keep), and SQLite then
refuses any trigger that touches an FTS5 table ("unsafe use of virtual table"). So the
triggers below only note *which* rows changed in the ordinary table ``search_pending``
(inside the same transaction as the write, so nothing is ever missed), and
``db.search.sync_index`` folds the pending rows into ``search_fts`` with plain
statements before a search runs — a few milliseconds after a normal edit. The upgrade
builds the index for every existing row.
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _mark(key: str) -> str:
    return f"INSERT OR IGNORE INTO search_pending(key) VALUES ({key});"


TRIGGERS = {
    "search_entries_ai": f"AFTER INSERT ON entries BEGIN {_mark('new.id * 4')} END",
    "search_entries_au": f"AFTER UPDATE OF title, body ON entries BEGIN {_mark('new.id * 4')} END",
    "search_entries_ad": f"AFTER DELETE ON entries BEGIN {_mark('old.id * 4')} END",
    "search_entry_tags_ai": f"AFTER INSERT ON entry_tags BEGIN {_mark('new.entry_id * 4')} END",
    "search_entry_tags_ad": f"AFTER DELETE ON entry_tags BEGIN {_mark('old.entry_id * 4')} END",
    "search_answers_ai": f"AFTER INSERT ON answers BEGIN {_mark('new.id * 4 + 1')} END",
    "search_answers_au": (
        f"AFTER UPDATE OF value_text, skip_reason ON answers BEGIN {_mark('new.id * 4 + 1')} END"
    ),
    "search_answers_ad": f"AFTER DELETE ON answers BEGIN {_mark('old.id * 4 + 1')} END",
    "search_checkins_ai": f"AFTER INSERT ON checkins BEGIN {_mark('new.id * 4 + 2')} END",
    "search_checkins_au": (
        f"AFTER UPDATE OF reflection ON checkins BEGIN {_mark('new.id * 4 + 2')} END"
    ),
    "search_checkins_ad": f"AFTER DELETE ON checkins BEGIN {_mark('old.id * 4 + 2')} END",
    "search_options_ai": f"AFTER INSERT ON job_options BEGIN {_mark('new.id * 4 + 3')} END",
    "search_options_au": (
        "AFTER UPDATE OF organisation, role, team, notes, publishes, open_sources, "
        f"disclosure_commitments ON job_options BEGIN {_mark('new.id * 4 + 3')} END"
    ),
    "search_options_ad": f"AFTER DELETE ON job_options BEGIN {_mark('old.id * 4 + 3')} END",
}


_TAGS = "(SELECT coalesce(group_concat(t.tag, ' '), '') FROM entry_tags AS t WHERE t.entry_id = e.id)"
_ANSWER = "trim(coalesce(a.value_text, '') || ' ' || coalesce(a.skip_reason, ''))"
_OPTION_TITLE = ("CASE WHEN o.role <> '' THEN o.role || ' — ' || o.organisation "
                 "ELSE o.organisation END")
_OPTION_BODY = ("o.notes || char(10) || o.team || char(10) || o.publishes || char(10) || "
                "o.open_sources || char(10) || o.disclosure_commitments")
_INSERT = "INSERT INTO search_fts(rowid, title, body, tags) SELECT "
# Frozen here (they were once db.search.REBUILD_STATEMENTS): a migration must not change
# when later code does. Revision 0003 replaces this index with an external-content one.
REBUILD_STATEMENTS = (
    f"{_INSERT}e.id * 4, e.title, e.body, {_TAGS} FROM entries AS e",
    f"{_INSERT}a.id * 4 + 1, '', {_ANSWER}, '' FROM answers AS a WHERE {_ANSWER} <> ''",
    f"{_INSERT}c.id * 4 + 2, '', c.reflection, '' FROM checkins AS c "
    "WHERE trim(c.reflection) <> ''",
    f"{_INSERT}o.id * 4 + 3, {_OPTION_TITLE}, {_OPTION_BODY}, '' FROM job_options AS o",
)


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, body, tags, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute("CREATE TABLE search_pending (key INTEGER PRIMARY KEY)")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    for statement in REBUILD_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_pending")
    op.execute("DROP TABLE IF EXISTS search_fts")
