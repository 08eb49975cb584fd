"""search index without a second copy of the text, current at every commit

Revision ID: 0003
Revises: 0002

Revision 0002's ``search_fts`` kept its own copy of every title, body and tag (FTS5's
``_content`` table), and rows changed since the last search waited in ``search_pending``
until the next search folded them in. This revision:

- replaces it with an **external-content** FTS5 table reading the view ``search_source``
  (one row per searchable thing, keyed ``source_id * 4 + kind`` as before). Snippets
  and highlighting read the text through the view; the index holds only the terms.
  An expression index per source table (``id * 4 + kind``) lets FTS5's look-up by key
  (``WHERE key = ?``, pushed down into each arm of the view) find its row directly.
- turns ``search_pending`` into the record FTS5's ``delete`` command needs: an external
  content index can only forget a row when told the exact text it indexed, and by commit
  time that text is gone from the source tables. So BEFORE UPDATE/DELETE triggers save
  the row's indexed values the first time it changes (``indexed`` = it was in the index),
  AFTER INSERT triggers note new rows, and ``db.search.fold_pending`` — run by every
  writer just before COMMIT — deletes the saved values from the index, indexes the
  current rows and empties the table, all in the writer's transaction.
- adds ``search_purge``: a flag that old words still sit in the index's segments (the
  ``delete`` leaves a tombstone until the segments merge); ``db.search.sync_index``
  rewrites the index then, so deleted text leaves the file (R13).

Triggers still cannot write the FTS table itself (``trusted_schema`` is off; see 0002).
Saved values use ``WHERE NOT EXISTS`` rather than ``INSERT OR IGNORE``, because an outer
``INSERT OR REPLACE`` would override a trigger's conflict clause.

The upgrade builds the new index with FTS5's ``rebuild`` (about as long as 0002's build);
a kill part-way rolls the whole migration back.
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_TRIGGERS = (
    "search_entries_ai", "search_entries_au", "search_entries_ad", "search_entry_tags_ai",
    "search_entry_tags_ad", "search_answers_ai", "search_answers_au", "search_answers_ad",
    "search_checkins_ai", "search_checkins_au", "search_checkins_ad", "search_options_ai",
    "search_options_au", "search_options_ad",
)

# Frozen copies of the indexed expressions (revision 0002 indexed the same ones).
_TAGS = ("(SELECT coalesce(group_concat(t.tag, ' '), '') FROM entry_tags AS t "
         "WHERE t.entry_id = {id})")
_ANSWER = "trim(coalesce({a}.value_text, '') || ' ' || coalesce({a}.skip_reason, ''))"
_OPTION_TITLE = ("CASE WHEN {o}.role <> '' THEN {o}.role || ' — ' || {o}.organisation "
                 "ELSE {o}.organisation END")
_OPTION_BODY = ("{o}.notes || char(10) || {o}.team || char(10) || {o}.publishes || char(10) || "
                "{o}.open_sources || char(10) || {o}.disclosure_commitments")

VIEW = (
    "CREATE VIEW search_source(key, title, body, tags) AS "
    f"SELECT e.id * 4, e.title, e.body, {_TAGS.format(id='e.id')} FROM entries AS e "
    f"UNION ALL SELECT a.id * 4 + 1, '', {_ANSWER.format(a='a')}, '' FROM answers AS a "
    f"WHERE {_ANSWER.format(a='a')} <> '' "
    "UNION ALL SELECT c.id * 4 + 2, '', c.reflection, '' FROM checkins AS c "
    "WHERE trim(c.reflection) <> '' "
    f"UNION ALL SELECT o.id * 4 + 3, {_OPTION_TITLE.format(o='o')}, {_OPTION_BODY.format(o='o')}, "
    "'' FROM job_options AS o"
)

KEY_INDEXES = {
    "ix_search_key_entries": "entries (id * 4)",
    "ix_search_key_answers": "answers (id * 4 + 1)",
    "ix_search_key_checkins": "checkins (id * 4 + 2)",
    "ix_search_key_options": "job_options (id * 4 + 3)",
}


def _save(key: str, indexed: str, title: str, body: str, tags: str, source: str = "") -> str:
    """Save a row's indexed values the first time it changes since the last fold."""
    return (f"INSERT INTO search_pending(key, indexed, title, body, tags) "
            f"SELECT {key}, {indexed}, {title}, {body}, {tags} {source}"
            f"{'AND' if 'WHERE' in source else 'WHERE'} NOT EXISTS "
            f"(SELECT 1 FROM search_pending WHERE key = {key});")


def _new(key: str) -> str:
    return _save(key, "0", "NULL", "NULL", "NULL")


def _entry(id_: str) -> str:
    return _save("e.id * 4", "1", "e.title", "e.body", _TAGS.format(id="e.id"),
                 f"FROM entries AS e WHERE e.id = {id_} ")


def _answer(a: str) -> str:
    text = _ANSWER.format(a=a)
    return _save(f"{a}.id * 4 + 1", f"{text} <> ''", "''", text, "''")


def _checkin(c: str) -> str:
    return _save(f"{c}.id * 4 + 2", f"trim({c}.reflection) <> ''", "''", f"{c}.reflection", "''")


def _option(o: str) -> str:
    return _save(f"{o}.id * 4 + 3", "1", _OPTION_TITLE.format(o=o), _OPTION_BODY.format(o=o), "''")


_OPTION_COLUMNS = ("organisation, role, team, notes, publishes, open_sources, "
                   "disclosure_commitments")

TRIGGERS = {
    "search_entries_ai": f"AFTER INSERT ON entries BEGIN {_new('new.id * 4')} END",
    "search_entries_bu": f"BEFORE UPDATE OF title, body ON entries BEGIN {_entry('old.id')} END",
    "search_entries_bd": f"BEFORE DELETE ON entries BEGIN {_entry('old.id')} END",
    "search_entry_tags_bi": f"BEFORE INSERT ON entry_tags BEGIN {_entry('new.entry_id')} END",
    "search_entry_tags_bu": (f"BEFORE UPDATE ON entry_tags BEGIN {_entry('old.entry_id')} "
                             f"{_entry('new.entry_id')} END"),
    "search_entry_tags_bd": f"BEFORE DELETE ON entry_tags BEGIN {_entry('old.entry_id')} END",
    "search_answers_ai": f"AFTER INSERT ON answers BEGIN {_new('new.id * 4 + 1')} END",
    "search_answers_bu": (f"BEFORE UPDATE OF value_text, skip_reason ON answers "
                          f"BEGIN {_answer('old')} END"),
    "search_answers_bd": f"BEFORE DELETE ON answers BEGIN {_answer('old')} END",
    "search_checkins_ai": f"AFTER INSERT ON checkins BEGIN {_new('new.id * 4 + 2')} END",
    "search_checkins_bu": (f"BEFORE UPDATE OF reflection ON checkins "
                           f"BEGIN {_checkin('old')} END"),
    "search_checkins_bd": f"BEFORE DELETE ON checkins BEGIN {_checkin('old')} END",
    "search_options_ai": f"AFTER INSERT ON job_options BEGIN {_new('new.id * 4 + 3')} END",
    "search_options_bu": (f"BEFORE UPDATE OF {_OPTION_COLUMNS} ON job_options "
                          f"BEGIN {_option('old')} END"),
    "search_options_bd": f"BEFORE DELETE ON job_options BEGIN {_option('old')} END",
}


def upgrade() -> None:
    for name in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_pending")
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute(VIEW)
    for name, target in KEY_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")
    op.execute("CREATE TABLE search_pending (key INTEGER PRIMARY KEY, indexed INTEGER NOT NULL, "
               "title TEXT, body TEXT, tags TEXT)")
    op.execute("CREATE TABLE search_purge (id INTEGER PRIMARY KEY CHECK (id = 1))")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tags, "
        "content = 'search_source', content_rowid = 'key', "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")


def downgrade() -> None:  # pragma: no cover - Keel never downgrades a journal
    raise NotImplementedError("Keel does not downgrade journals; restore a backup instead.")
