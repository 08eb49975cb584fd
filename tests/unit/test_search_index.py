"""The search index is current at every commit and holds no second copy of the text.

Every check ends with FTS5's own ``integrity-check``: for an external-content table it
compares the index with the rows the view ``search_source`` gives, so a ``delete`` told
the wrong old text (a stale word, a missing one) fails it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import search
from db.checkins import AnswerInput, complete_checkin
from db.engine import Database
from db.journal import create_entry, delete_entry, update_entry
from db.options import delete_option, save_option
from desktop.core.records import AnswerKind, JobOption

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _state(path: Path) -> tuple[int, int, int]:
    """(rows pending, rows indexed, rows the view gives), after FTS5's integrity check."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO search_fts(search_fts) VALUES('integrity-check')")
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM search_pending), "
            "(SELECT count(*) FROM search_fts_docsize), (SELECT count(*) FROM search_source)"
        ).fetchone())
    finally:
        conn.close()


def _current(db: Database) -> None:
    pending, indexed, sources = _state(db.path)
    assert pending == 0 and indexed == sources


def test_every_kind_of_write_leaves_the_index_current(db: Database) -> None:
    entry = create_entry(db, "first draft about kayaks", "Boats", ["water"], when=WHEN)
    _current(db)
    update_entry(db, entry.id, "now about canoes", "Boats", ["river", "lake"])
    _current(db)
    update_entry(db, entry.id, "now about canoes", "Boats", [])  # tags only
    _current(db)
    complete_checkin(db, "A reflection on gardening.",
                     [AnswerInput("q1", AnswerKind.TEXT, "mentor talk", None, False, None),
                      AnswerInput("q2", AnswerKind.NUMBER, None, 3.0, False, None),
                      AnswerInput("q3", AnswerKind.TEXT, None, None, True, "too tired")],
                     when=WHEN)
    _current(db)
    option = save_option(db, JobOption(None, "Halcyon", "Researcher", notes="gardening leave"))
    _current(db)
    save_option(db, JobOption(option.id, "Halcyon", "Lead", notes="no leave clause"))
    _current(db)
    with db.write() as session:  # an answer emptied, a reflection emptied
        session.execute("UPDATE answers SET value_text = NULL, skip_reason = NULL")
        session.execute("UPDATE checkins SET reflection = ''")
    _current(db)
    with db.write() as session:  # and filled again
        session.execute("UPDATE answers SET value_text = 'back again'")
    _current(db)
    delete_option(db, option.id)
    delete_entry(db, entry.id)
    _current(db)
    assert [h.kind for h in search.search(db, "back")] == ["answer"] * 3
    assert search.search(db, "canoes") == [] and search.search(db, "gardening") == []


def test_nothing_waits_for_the_first_search(db: Database) -> None:
    """A search right after writes has nothing left to fold in."""
    for i in range(20):
        create_entry(db, f"entry number {i} about lighthouses", f"T{i}", when=WHEN)
    assert search.sync_index(db) == 0  # nothing pending, nothing to purge
    assert len(search.search(db, "lighthouses")) == 20


def test_the_plain_journal_folds_too(tmp_path: Path, db: Database) -> None:
    from db.plain_journal import PlainJournal

    journal = PlainJournal(db.path)
    try:
        entry_id = create_entry(journal, "written from the command line about otters", "CLI",
                                ["animals"]).id
        _current(db)
        assert [h.id for h in search.search(journal, "otters")] == [entry_id]
        assert [h.id for h in search.search(journal, "animals")] == [entry_id]
    finally:
        journal.close()


def test_an_outer_or_replace_does_not_overwrite_the_saved_values(db: Database) -> None:
    """The triggers use NOT EXISTS, not OR IGNORE, which an outer OR REPLACE overrides."""
    entry = create_entry(db, "plain words", "Title", ["alpha"], when=WHEN)
    with db.write() as session:
        session.execute(("INSERT OR REPLACE INTO entry_tags(entry_id, tag) VALUES (:e, 'beta')"),
                        {"e": entry.id})
        session.execute(("INSERT OR REPLACE INTO entry_tags(entry_id, tag) VALUES (:e, 'gamma')"),
                        {"e": entry.id})
        session.execute(("UPDATE entries SET body = 'other words' WHERE id = :e"),
                        {"e": entry.id})
    _current(db)
    assert search.search(db, "plain") == []
    assert [h.id for h in search.search(db, "gamma")] == [entry.id]


def test_a_rolled_back_write_leaves_the_index_as_it_was(db: Database) -> None:
    entry = create_entry(db, "stable words", "Kept", when=WHEN)
    try:
        with db.write() as session:
            session.execute(("UPDATE entries SET body = 'vanishing' WHERE id = :e"),
                            {"e": entry.id})
            raise RuntimeError("abandon")
    except RuntimeError:
        pass
    _current(db)
    assert [h.id for h in search.search(db, "stable")] == [entry.id]
    assert search.search(db, "vanishing") == []


def test_the_journal_holds_no_second_copy_of_the_text(db: Database) -> None:
    create_entry(db, "a sentence that appears once: quokkaonlyonce", "T", when=WHEN)
    with db.read() as session:
        tables = {r[0] for r in session.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "search_fts_content" not in tables
    data = db.path.read_bytes() + Path(str(db.path) + "-wal").read_bytes()
    # FTS5 keeps the term (once per segment) and the table keeps the sentence; the
    # sentence itself is stored once.
    assert data.count(b"a sentence that appears once") == 1


def test_the_weights_follow_the_index_columns(db: Database) -> None:
    """bm25 takes weights by column position: the code's order is the table's."""
    with db.read() as session:
        columns = tuple(r[1] for r in session.execute("PRAGMA table_info(search_fts)"))
    assert columns == search.COLUMNS == ("body", "title", "tags")  # body first (0005)
    assert dict(zip(columns, search.COLUMN_WEIGHTS, strict=True)) == search.WEIGHT_OF
    # A title hit outranks a body that says the word more often in a shorter text.
    body = create_entry(db, "quokka quokka, said the note about quokka.", "Notes", when=WHEN)
    titled = create_entry(db, "Nothing much happened today, at length. " * 3, "Quokka",
                          when=WHEN)
    assert [h.id for h in search.search(db, "quokka")] == [titled.id, body.id]


_WORDS = st.sampled_from(["apple", "birch", "cedar", "delta", "ember", "fjord", "Éclair"])
_OPS = st.lists(st.tuples(
    st.sampled_from(["create", "edit", "retag", "delete", "batch"]),
    st.integers(0, 5), st.lists(_WORDS, min_size=0, max_size=4), st.lists(_WORDS, max_size=3)),
    min_size=1, max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_any_sequence_of_writes_keeps_the_index_exact(db: Database, ops) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        session.execute("DELETE FROM entries")
    ids: list[int] = []
    for op, pick, words, tags in ops:
        body = " ".join(words)
        if op == "create" or not ids:
            ids.append(create_entry(db, body, "", tags, when=WHEN).id)
        elif op == "edit":
            update_entry(db, ids[pick % len(ids)], body, " ".join(tags), tags)
        elif op == "retag":
            entry_id = ids[pick % len(ids)]
            with db.write() as session:
                session.execute(("DELETE FROM entry_tags WHERE entry_id = :e"), {"e": entry_id})
                for tag in dict.fromkeys(tags):
                    session.execute(("INSERT INTO entry_tags VALUES (:e, :t)"),
                                    {"e": entry_id, "t": tag})
        elif op == "delete":
            with db.write() as session:
                session.execute(("DELETE FROM entries WHERE id = :e"),
                                {"e": ids.pop(pick % len(ids))})
        else:  # several changes to one row in one transaction, then a new row reusing it
            entry_id = ids[pick % len(ids)]
            with db.write() as session:
                session.execute(("UPDATE entries SET body = :b WHERE id = :e"),
                                {"b": body + " once", "e": entry_id})
                session.execute(("UPDATE entries SET title = :b WHERE id = :e"),
                                {"b": body + " twice", "e": entry_id})
                session.execute(("DELETE FROM entries WHERE id = :e"), {"e": entry_id})
                session.execute((
                    "INSERT INTO entries(id, title, body, created_at, updated_at) "
                    "VALUES (:e, 'reborn', :b, '2025-01-01 00:00:00.000000', "
                    "'2025-01-01 00:00:00.000000')"), {"e": entry_id, "b": body})
        _current(db)
    with db.read() as session:
        rows = list(session.execute(
            "SELECT key / 4, title || ' ' || body || ' ' || tags FROM search_source"))
    for word in ("apple", "eclair", "reborn"):
        expected = {key for key, words in rows if word in _folded(words).split()}
        assert {h.id for h in search.search(db, word)} == expected


def _folded(words: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", words)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def test_decisions_are_indexed_and_forgotten_like_the_rest(db: Database) -> None:
    """Migration 0004: a decision's key is minus its id; edits and deletes keep the index
    exact (FTS5's integrity check), and a search finds it only while its words are there."""
    from db.options import record_decision

    decision = record_decision(db, None, "Stay for the cormorant project", "pay is fine",
                               [], "they cut the cormorant team", when=WHEN)
    _current(db)

    def decisions(query: str) -> list[int]:
        return [h.id for h in search.search(db, query) if h.kind == "decision"]

    assert decisions("cormorant") == [decision.id]
    assert search.search(db, "cormorant", kinds=["entry", "option"]) == []
    assert [h.kind for h in search.search(db, "cormorant", kinds=["decision"])] == ["decision"]
    with db.write() as session:
        session.execute(("UPDATE decisions SET summary = 'Leave for the pelican lab', "
                             "revisit_conditions = '' WHERE id = :id"), {"id": decision.id})
    _current(db)
    assert decisions("cormorant") == [] and decisions("pelican") == [decision.id]
    with db.write() as session:
        session.execute(("DELETE FROM decisions WHERE id = :id"), {"id": decision.id})
    _current(db)
    assert decisions("pelican") == []
    # An entry whose id maps near the decision's key is untouched by it.
    entry = create_entry(db, "pelican notes", "Birds", [], when=WHEN)
    assert [(h.kind, h.id) for h in search.search(db, "pelican")] == [("entry", entry.id)]


def test_a_whole_index_build_leaves_one_merged_segment(db: Database) -> None:
    """A bulk change rebuilds the index and merges what the rebuild wrote (``optimize``):
    a further merge finds nothing to shrink (docs/PERFORMANCE.md, "Storage")."""
    import random

    create_entry(db, "one entry written by Keel", "First", when=WHEN)
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(3, 9)))
             for _ in range(4000)]
    conn = sqlite3.connect(db.path)  # a writer outside Keel: rows wait in search_pending
    conn.executemany(
        "INSERT INTO entries (title, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
        [(f"T{i}", " ".join(rng.choices(words, k=200)), "2025-03-01 12:00:00.000000",
          "2025-03-01 12:00:00.000000") for i in range(2500)])  # about 3 MB: several segments
    conn.commit()
    conn.close()
    assert search.sync_index(db) == 2500
    _current(db)

    def index_bytes() -> int:
        with sqlite3.connect(db.path) as check:
            return int(check.execute("SELECT sum(length(block)) FROM search_fts_data").fetchone()[0])

    built = index_bytes()
    with sqlite3.connect(db.path) as again:
        again.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
    assert index_bytes() == built
    assert len(search.search(db, words[0])) > 0
