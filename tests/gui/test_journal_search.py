"""Journal page search: ranked hits of every kind with snippets, odd queries, clearing."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from db import journal
from desktop.ui.widgets.search_results import (
    HitRole,
    KindRole,
    SearchResultsModel,
    SnippetHtmlRole,
    snippet_html,
)


def _page(window):  # type: ignore[no-untyped-def]
    window.show_page("journal")
    return window.pages["journal"]


def _fill(db) -> None:  # type: ignore[no-untyped-def]
    journal.create_entry(db, "Long walk. Thought about runway and savings.", "Weekend")
    journal.create_entry(db, "The runway question came up twice in the call with my mentor, "
                             "and runway again at dinner.", "Mentor call")
    journal.create_entry(db, "Nothing about money today.", "Runway")


def test_search_shows_ranked_hits_with_snippets(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _fill(window.context.db)
    page = _page(window)
    page.reload()
    qtbot.keyClicks(page.search_edit, "runway")
    qtbot.waitUntil(lambda: page.list_stack.currentWidget() is page.results_view, timeout=3000)
    model = page.results_model
    assert model.rowCount() == 3
    first = model.index(0)
    assert first.data() == "Runway"  # a title hit ranks first
    assert first.data(KindRole) == "Entry"
    snippets = [model.index(r).data(SnippetHtmlRole) for r in range(3)]
    assert any("<b>runway</b>" in s.lower() for s in snippets)
    assert "3 results" in page.count_label.text()


def test_clicking_an_entry_hit_opens_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _fill(window.context.db)
    page = _page(window)
    page.reload()
    qtbot.keyClicks(page.search_edit, "mentor")
    qtbot.waitUntil(lambda: page.results_model.rowCount() == 1, timeout=3000)
    rect = page.results_view.visualRect(page.results_model.index(0))
    qtbot.mouseClick(page.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.payload()["title"] == "Mentor call"


def test_prefix_while_typing_and_superseded_queries(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _fill(window.context.db)
    page = _page(window)
    page.reload()
    page.search_edit.setText("savings")
    page._run_search()  # an older query, still running…
    page.search_edit.setText("runw")  # …superseded by a word still being typed
    page._run_search()
    qtbot.waitUntil(lambda: page.results_model.rowCount() == 3, timeout=3000)
    qtbot.wait(100)
    assert page.results_model.rowCount() == 3


def test_stray_quote_or_lone_not_shows_no_error(qtbot, make_window, caplog) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _fill(window.context.db)
    page = _page(window)
    page.reload()
    with caplog.at_level(logging.WARNING):
        for query in ('"runway', "NOT", '(("', "AND OR"):
            page.search_edit.setText(query)
            page._run_search()
            qtbot.waitUntil(lambda: page.list_stack.currentWidget() is not page.list_view,
                            timeout=3000)
            qtbot.wait(50)
    assert "error shown to user" not in caplog.text
    assert "search failed" not in caplog.text


def test_clearing_returns_to_the_entry_list(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    _fill(window.context.db)
    page = _page(window)
    page.reload()
    qtbot.keyClicks(page.search_edit, "nothingmatchesthis")
    qtbot.waitUntil(lambda: page.list_stack.currentWidget() is page.no_results_label, timeout=3000)
    assert "Nothing matches" in page.no_results_label.text()
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.list_stack.currentWidget() is page.list_view, timeout=3000)
    assert page.model.rowCount() == 3
    assert page.count_label.text() == "3 entries"


def test_results_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from db.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit

    hits = [SearchHit("answer", 4, "How rested do you feel?", datetime(2026, 1, 2, tzinfo=UTC),
                      f"more {HIGHLIGHT_START}tired{HIGHLIGHT_END} <than> usual", -3.0),
            SearchHit("option", 2, "Researcher — Halcyon", None, "notes", -1.0)]
    model = SearchResultsModel(UTC)
    model.set_hits(hits)
    assert model.rowCount() == 2
    assert model.index(0).data(KindRole) == "Check-in answer"
    assert model.index(1).data(KindRole) == "Option note"
    assert model.index(0).data(SnippetHtmlRole) == "more <b>tired</b> &lt;than&gt; usual"
    assert model.index(0).data(HitRole) is hits[0]
    assert snippet_html(f"{HIGHLIGHT_START}a{HIGHLIGHT_END}") == "<b>a</b>"
    qtmodeltester.check(model)


def test_hit_in_a_checkin_answer_opens_that_check_in_read_only(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """Not a new check-in (issue 19): the answer's own check-in, read-only."""
    from datetime import UTC, datetime

    from db.checkins import AnswerInput, complete_checkin
    from db.search import SearchHit
    from desktop.core.records import AnswerKind

    window = make_window()
    page = _page(window)
    done = complete_checkin(window.context.db, "", [
        AnswerInput("view-shift-argument", AnswerKind.TEXT, "A tired argument", None, False, None)])
    answer = done.answers[0]
    page.results_model.set_hits([SearchHit("answer", answer.id, "Q",
                                           datetime(2026, 1, 2, tzinfo=UTC), "x", -1.0,
                                           checkin_id=done.id)])
    page._on_results_activated(page.results_model.index(0))
    view = window.checkin_view
    assert view.checkin.id == done.id and view.matched_text == "A tired argument"
    assert window.current_page_id() == "journal"
    view.reject()


def _locked_error(tmp_path) -> BaseException:  # type: ignore[no-untyped-def]
    """A real "database is locked" from SQLite: a second connection reading while the
    first holds an exclusive lock (rollback-journal mode, no wait)."""
    import sqlite3

    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(path, timeout=0)
    try:
        reader.execute("SELECT * FROM t").fetchall()
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        reader.close()
        holder.close()
    raise AssertionError("the read was not refused")


def test_a_failed_search_says_why(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A busy journal is not a bad query: the page says the journal is busy (the error
    boundary's sentence), and "try other words" only when other words could help."""
    import sqlite3

    from desktop.ui.errors import SEARCH_FAILED

    window = make_window()
    page = _page(window)
    page._search_generation = 7
    page._on_search_failed(7, _locked_error(tmp_path))
    assert page.list_stack.currentWidget() is page.no_results_label
    shown = page.no_results_label.text()
    assert "busy" in shown and "other words" not in shown, shown
    page._on_search_failed(7, sqlite3.OperationalError('fts5: syntax error near "("'))
    assert page.no_results_label.text() == SEARCH_FAILED
