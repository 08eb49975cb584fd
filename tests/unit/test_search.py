"""Full-text search: ranking, highlighted snippets, filters, index sync and odd query text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from db import search
from db.checkins import AnswerInput, complete_checkin
from db.engine import Database
from db.journal import create_entry, delete_entry, update_entry
from db.options import save_option
from desktop.core.records import AnswerKind, JobOption

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_title_hit_outranks_a_passing_mention(db: Database) -> None:
    create_entry(db, "Long day. " * 20 + "I briefly thought about vesting.", "Groceries",
                 when=WHEN)
    titled = create_entry(db, "Notes to self.", "Vesting schedule worries", when=WHEN)
    hits = search.search(db, "vesting")
    assert hits[0].id == titled.id
    assert len(hits) == 2
    assert hits[0].rank < hits[1].rank


def test_snippet_highlights_the_match(db: Database) -> None:
    create_entry(db, "We talked about open-sourcing the weights again.", "Team meeting", when=WHEN)
    [hit] = search.search(db, "weights")
    assert f"{search.HIGHLIGHT_START}weights{search.HIGHLIGHT_END}" in hit.snippet
    assert "<b>weights</b>" in hit.snippet_html()
    assert hit.kind == "entry" and hit.title == "Team meeting"


def test_answers_reflections_and_options_are_found(db: Database) -> None:
    complete_checkin(db, "The reflection mentions gardening.",
                     [AnswerInput("custom-q", AnswerKind.TEXT, "Spoke with a mentor about gardening",
                                  None, False, None)], when=WHEN)
    save_option(db, JobOption(None, "Halcyon", "Researcher", notes="gardening leave clause"))
    kinds = {h.kind for h in search.search(db, "gardening")}
    assert kinds == {"answer", "reflection", "option"}
    assert {h.kind for h in search.search(db, "gardening", kinds={"option"})} == {"option"}


def test_index_follows_edits_and_deletes(db: Database) -> None:
    entry = create_entry(db, "first draft about kayaks", "Boats", when=WHEN)
    assert [h.id for h in search.search(db, "kayaks")] == [entry.id]
    update_entry(db, entry.id, "now about canoes", "Boats", ["water"])
    assert search.search(db, "kayaks") == []
    assert [h.tags for h in search.search(db, "canoes")] == [("water",)]
    assert [h.id for h in search.search(db, "water")] == [entry.id]  # tags are indexed
    delete_entry(db, entry.id)
    assert search.search(db, "canoes") == []


def test_tag_and_date_filters(db: Database) -> None:
    early = create_entry(db, "salary talk", "A", tags=["money"],
                         when=datetime(2025, 1, 10, 9, tzinfo=UTC))
    late = create_entry(db, "salary talk again", "B", tags=["other"],
                        when=datetime(2025, 6, 10, 9, tzinfo=UTC))
    assert [h.id for h in search.search(db, "salary", tags=["money"])] == [early.id]
    assert [h.id for h in search.search(db, "salary", start=date(2025, 6, 1))] == [late.id]
    assert [h.id for h in search.search(db, "salary", end=date(2025, 1, 10))] == [early.id]


def test_phrases_prefixes_and_operators(db: Database) -> None:
    a = create_entry(db, "the safety team met", "x", when=WHEN)
    b = create_entry(db, "team safety review", "y", when=WHEN)
    assert [h.id for h in search.search(db, '"safety team"')] == [a.id]
    assert {h.id for h in search.search(db, "saf*")} == {a.id, b.id}
    assert [h.id for h in search.search(db, "team NOT review")] == [a.id]
    assert {h.id for h in search.search(db, "met OR review")} == {a.id, b.id}


@pytest.mark.parametrize("query", [
    '"', '"unterminated phrase', "NOT", "NOT NOT", "a NOT", "OR", "AND OR NOT", "*", "(",
    ")", "NEAR(a b)", "title:x", "^start", "-minus", "a + b", '""', "'", "\\", "🧭", "col:",
])
def test_odd_query_text_never_raises(db: Database, query: str) -> None:
    create_entry(db, "not a problem, or is it", "title", when=WHEN)
    assert isinstance(search.search(db, query), list)
    assert isinstance(search.search_entries(db, query), list)


def test_lone_operator_is_searched_as_a_word(db: Database) -> None:
    entry = create_entry(db, "I could not decide", "t", when=WHEN)
    assert [h.id for h in search.search(db, "NOT")] == [entry.id]


def test_search_entries_matches_word_prefixes_for_the_journal_page(db: Database) -> None:
    entry = create_entry(db, "Open weights debate", "t", when=WHEN)
    create_entry(db, "unrelated", "u", when=WHEN)
    assert search.search_entries(db, "weig") == [entry.id]
    assert search.search_entries(db, "   ") == []


def test_edited_text_leaves_the_index_and_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Replacing a word in an entry removes the old word from the file once the index syncs."""
    from db import journal
    from db.journal_file import open_database
    from db.search import search_entries, sync_index

    path = tmp_path / "keel.sqlite3"
    db = open_database(path)
    try:
        entry = journal.create_entry(db, "the word zanzibarcanary is here", "t")
        assert search_entries(db, "zanzibarcanary") == [entry.id]
        journal.update_entry(db, entry.id, "nothing to see", "t", [])
        sync_index(db)
        assert search_entries(db, "zanzibarcanary") == []
    finally:
        db.close()
    for file in tmp_path.iterdir():
        if file.is_file():
            assert b"zanzibarcanary" not in file.read_bytes(), file.name
