"""decisions in the search index

Revision ID: 0004
Revises: 0003

Ctrl+K found decisions by matching words with LIKE outside the index, so they were
neither ranked with the other kinds nor matched the way the rest were (stemming of
diacritics, phrases, prefixes). This revision adds them to the view ``search_source``
that the external-content index reads:

- a decision's key is **minus its id** (the other kinds keep ``source_id * 4 + kind``,
  which has no free remainder; ``db.search`` reads a negative key as a decision);
- title = the summary, body = the reasons and what would make the user revisit;
- an expression index on ``decisions (-id)`` lets FTS5's look-up by key find the row;
- triggers save a decision's indexed values in ``search_pending`` the first time it
  changes, exactly as 0003's do for the other kinds, so ``db.search.fold_pending``
  keeps the index current at every commit.

The index is rebuilt once from the new view (as 0003 did) and nothing stays pending.
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Frozen copies of 0003's view arms (a change to them needs a new revision).
_TAGS = ("(SELECT coalesce(group_concat(t.tag, ' '), '') FROM entry_tags AS t "
         "WHERE t.entry_id = {id})")
_ANSWER = "trim(coalesce({a}.value_text, '') || ' ' || coalesce({a}.skip_reason, ''))"
_OPTION_TITLE = ("CASE WHEN {o}.role <> '' THEN {o}.role || ' — ' || {o}.organisation "
                 "ELSE {o}.organisation END")
_OPTION_BODY = ("{o}.notes || char(10) || {o}.team || char(10) || {o}.publishes || char(10) || "
                "{o}.open_sources || char(10) || {o}.disclosure_commitments")
_DECISION_BODY = "{d}.reasons || char(10) || {d}.revisit_conditions"

VIEW = (
    "CREATE VIEW search_source(key, title, body, tags) AS "
    f"SELECT e.id * 4, e.title, e.body, {_TAGS.format(id='e.id')} FROM entries AS e "
    f"UNION ALL SELECT a.id * 4 + 1, '', {_ANSWER.format(a='a')}, '' FROM answers AS a "
    f"WHERE {_ANSWER.format(a='a')} <> '' "
    "UNION ALL SELECT c.id * 4 + 2, '', c.reflection, '' FROM checkins AS c "
    "WHERE trim(c.reflection) <> '' "
    f"UNION ALL SELECT o.id * 4 + 3, {_OPTION_TITLE.format(o='o')}, {_OPTION_BODY.format(o='o')}, "
    "'' FROM job_options AS o "
    f"UNION ALL SELECT -d.id, d.summary, {_DECISION_BODY.format(d='d')}, '' FROM decisions AS d"
)


def _save(key: str, indexed: str, title: str, body: str, source: str = "") -> str:
    """Save a decision's indexed values the first time it changes since the last fold."""
    return (f"INSERT INTO search_pending(key, indexed, title, body, tags) "
            f"SELECT {key}, {indexed}, {title}, {body}, '' {source}"
            f"WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE key = {key});")


def _decision(d: str) -> str:
    return _save(f"-{d}.id", "1", f"{d}.summary", _DECISION_BODY.format(d=d))


TRIGGERS = {
    "search_decisions_ai": ("AFTER INSERT ON decisions BEGIN "
                            f"{_save('-new.id', '0', 'NULL', 'NULL')} END"),
    "search_decisions_bu": ("BEFORE UPDATE OF summary, reasons, revisit_conditions ON decisions "
                            f"BEGIN {_decision('old')} END"),
    "search_decisions_bd": f"BEFORE DELETE ON decisions BEGIN {_decision('old')} END",
}


def upgrade() -> None:
    op.execute("DROP VIEW search_source")
    op.execute(VIEW)
    op.execute("CREATE INDEX ix_search_key_decisions ON decisions (-id)")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO search_fts(search_fts) VALUES('rebuild')")
    op.execute("DELETE FROM search_pending")


def downgrade() -> None:  # pragma: no cover - Keel never downgrades a journal
    raise NotImplementedError("Keel does not downgrade journals; restore a backup instead.")
