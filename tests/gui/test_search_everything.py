"""Search everywhere (issue 19): Ctrl+K from any page over entries, answers, reflections,
options and decisions, best first; a result opens in its context (an answer opens its
check-in, read-only, not a new check-in)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.records import AnswerKind, JobOption
from desktop.ui.dialogs.checkin_view_dialog import CheckinViewDialog
from desktop.ui.dialogs.search_dialog import SearchDialog
from tests.gui.conftest import NOW, fixed_clock


def _journal(data_dir) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from db.checkins import AnswerInput, complete_checkin
    from db.journal import create_entry
    from db.journal_file import open_database
    from db.options import record_decision, save_option
    from desktop.paths import Paths

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        entry = create_entry(db, "Walked to the lighthouse and thought about leaving.", "Walk")
        checkin = complete_checkin(db, "A calm week.", [
            AnswerInput("view-shift-argument", AnswerKind.TEXT,
                        "The lighthouse keeper's story about noticing drift", None, False, None),
        ], NOW - timedelta(days=200))
        option = save_option(db, JobOption(id=None, organisation="Beacon AI", role="Engineer",
                                           status="offer", offer_deadline=date(2027, 1, 1),
                                           notes="Office next to the lighthouse."))
        decision = record_decision(db, None, "Stay until the lighthouse project ships", "",
                                   [option.id], "")
        answer_id = checkin.answers[0].id
    finally:
        db.close()
    return {"entry": entry.id, "checkin": checkin.id, "answer": answer_id,
            "option": option.id, "decision": decision.id}


def _search(qtbot, window, text: str) -> SearchDialog:  # type: ignore[no-untyped-def]
    window.show_page("trends")
    window.pages["trends"].setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SearchDialog)
                    or getattr(window, "search_dialog", None) is not None, timeout=3000)
    dialog = window.search_dialog
    qtbot.keyClicks(dialog.field, text)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=5000)
    return dialog


def test_ctrl_k_finds_every_kind_best_first(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    ids = _journal(data_dir)
    window = make_window(clock=fixed_clock(NOW))
    window.fill_menus()
    dialog = _search(qtbot, window, "lighthouse")
    hits = [dialog.model.hit(r) for r in range(dialog.model.rowCount())]
    kinds = {h.kind for h in hits}
    assert {"entry", "answer", "option", "decision"} <= kinds
    assert hits[0].kind == "decision" and hits[0].id == ids["decision"]  # named in its summary
    assert window.current_page_id() == "trends"


def test_an_answer_opens_its_check_in_read_only(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    ids = _journal(data_dir)
    window = make_window(clock=fixed_clock(NOW))
    window.fill_menus()
    dialog = _search(qtbot, window, "keeper")
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.hit(r).kind == "answer")
    dialog.view.setCurrentIndex(dialog.model.index(row))
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "checkin_view", None) is not None, timeout=3000)
    view = window.checkin_view
    assert isinstance(view, CheckinViewDialog)
    assert view.checkin is not None and view.checkin.id == ids["checkin"]
    assert "lighthouse keeper" in view.matched_text
    assert view.browser.isReadOnly()
    assert window.current_page_id() == "trends"  # no new check-in was started
    view.reject()


def test_an_entry_opens_in_the_journal_and_an_option_on_options(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    ids = _journal(data_dir)
    window = make_window(clock=fixed_clock(NOW))
    window.fill_menus()
    dialog = _search(qtbot, window, "lighthouse")
    hit = next(dialog.model.hit(r) for r in range(dialog.model.rowCount())
               if dialog.model.hit(r).kind == "entry")
    dialog.open_hit.emit(hit)
    assert window.current_page_id() == "journal"
    assert window.pages["journal"].current_id == ids["entry"]
    option_hit = next(dialog.model.hit(r) for r in range(dialog.model.rowCount())
                      if dialog.model.hit(r).kind == "option")
    window.open_search_hit(option_hit)
    assert window.current_page_id() == "options"
    assert window.pages["options"].current_id == ids["option"]


def test_decisions_come_from_the_index_ranked_and_open_in_context(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                   data_dir) -> None:
    from db.journal_file import open_database
    from db.options import record_decision
    from db.search import search
    from desktop.paths import Paths

    ids = _journal(data_dir)
    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        in_reasons = record_decision(db, None, "Take the Zürich offer",
                                     "The harbour team publishes its safety work", [], "")
        in_summary = record_decision(db, None, "Harbour role: say no", "", [], "")
        in_conditions = record_decision(db, None, "Keep the lease", "",
                                        [], "the harbourmaster sells the flat")
    finally:
        db.close()
    # The index, not a word match outside it: diacritics fold, prefixes and phrases work,
    # and every word must match.
    def found(query: str) -> list[int]:
        return [h.id for h in search(window.context.db, query) if h.kind == "decision"]

    window = make_window(clock=fixed_clock(NOW))
    assert found("zurich") == [in_reasons.id]
    assert found("harbourmaster") == [in_conditions.id]
    assert found("harbour*")[:1] == [in_summary.id]  # a word in the summary ranks first
    assert set(found("harbour*")) == {in_summary.id, in_reasons.id, in_conditions.id}
    assert found('"safety work"') == [in_reasons.id]
    assert found("harbour banana") == []
    window.fill_menus()
    dialog = _search(qtbot, window, "harbour")
    hits = [dialog.model.hit(r) for r in range(dialog.model.rowCount())]
    decided = [h for h in hits if h.kind == "decision"]
    # As typed, the last word is a prefix (harbour… finds harbourmaster too).
    assert {h.id for h in decided} == {in_summary.id, in_reasons.id, in_conditions.id}
    assert hits[0].kind == "decision" and hits[0].id == in_summary.id  # title words weigh most
    assert all("\x02" in h.snippet for h in decided)  # the matched word is marked
    row = next(r for r in range(len(hits)) if hits[r].id == in_reasons.id)
    dialog.view.setCurrentIndex(dialog.model.index(row))
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    options = window.pages["options"]
    qtbot.waitUntil(lambda: window.current_page_id() == "options", timeout=3000)
    assert options.tabs.currentIndex() == 3  # the decision journal
    assert options.decisions_table.selectionModel().hasSelection()
    assert "Take the Zürich offer" in options.decision_view.toPlainText()
    assert ids["decision"] not in found("zurich")


def test_a_past_check_in_reads_numbers_with_their_units(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.checkins import AnswerInput, complete_checkin
    from db.journal_file import open_database
    from desktop.paths import Paths

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        checkin = complete_checkin(db, "", [
            AnswerInput("runway-months", AnswerKind.NUMBER, None, 4, False, None),
            AnswerInput("runway-months", AnswerKind.NUMBER, None, 1, False, None),
        ], NOW - timedelta(days=3))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    view = CheckinViewDialog(window.context, checkin.id, checkin.answers[0].id, window)
    qtbot.addWidget(view)
    text = view.browser.toPlainText()
    assert "4 months" in text and "1 month\n" in text + "\n"
    assert view.matched_text == "4 months"
