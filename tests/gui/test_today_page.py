"""The Today page: the flags the rules raise, dismissing one with a note, the check-in card, models."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.core.records import JobOption
from desktop.today_data import UpcomingItem
from desktop.ui.dialogs.flag_note_dialog import FlagNote, FlagNoteDialog
from desktop.ui.models.flag_history_model import FlagHistoryModel
from desktop.ui.models.upcoming_model import UpcomingModel
from tests.gui.conftest import NOW, fixed_clock


def _crafted(db) -> None:  # type: ignore[no-untyped-def]
    from db.options import record_decision, save_option
    from db.profile_history import add_baseline

    add_baseline(db, "Serious risk; I will keep checking.", 7, when=NOW - timedelta(days=400))
    option = save_option(db, JobOption(id=None, organisation="Halcyon Safety", role="Researcher",
                                       status="offer", offer_deadline=date(2026, 11, 30)),
                         when=NOW - timedelta(days=20))
    record_decision(db, None, "Stay for now and ask for the evals rotation", "vesting", [option.id], "",
                    date(2026, 11, 1), when=NOW - timedelta(days=60))


def _today(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    page = window.pages["today"]
    qtbot.waitUntil(lambda: page.view is not None, timeout=5000)
    return window, page


def test_today_opens_first_and_shows_exactly_the_rules_flags(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from desktop.paths import Paths

    db = open_database(Paths(data_dir).database)
    _crafted(db)
    db.close()
    window, page = _today(qtbot, make_window)
    assert window.current_page_id() == "today"
    from db.snapshot import load_snapshot
    from desktop.core.flags import active_flags

    expected = [f.message for f in active_flags(load_snapshot(window.context.db), NOW)]
    assert len(expected) >= 2
    assert [card.title.text() for card in page.flag_cards] == expected
    severities = [card.flag.severity for card in page.flag_cards]
    assert severities == sorted(severities, reverse=True)
    assert "Halcyon" in " ".join(expected)
    # Each card keeps the voices apart: the experts' point, Keel's reason, Keel's numbers.
    from PySide6.QtWidgets import QLabel

    for card in page.flag_cards:
        texts = [label.text() for label in card.findChildren(QLabel)]
        joined = " ".join(texts)
        if card.flag.experts:
            assert any(t.startswith("<b>Raised by Expert") for t in texts), joined
            assert "In the seed:" in joined
        assert "Why Keel asks:" in joined
        if card.flag.threshold:
            assert "Keel's threshold:" in joined and "not an expert's number" in joined


def test_dismissing_a_flag_removes_it_and_stores_the_note(qtbot, make_window, data_dir,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from desktop.paths import Paths

    db = open_database(Paths(data_dir).database)
    _crafted(db)
    db.close()
    window, page = _today(qtbot, make_window)
    card = page.flag_cards[0]
    key, message = card.flag.key, card.flag.message
    monkeypatch.setattr(FlagNoteDialog, "ask",
                        classmethod(lambda cls, parent, action, text: FlagNote("spoke to Sam")))
    count = len(page.flag_cards)
    qtbot.mouseClick(card.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.flag_cards) == count - 1 and page.view is not None
                    and all(f.key != key for f in page.view.flags), timeout=5000)
    assert message not in [c.title.text() for c in page.flag_cards]
    from db.flag_actions import flag_actions

    stored = flag_actions(window.context.db)
    assert [(a.flag_id, a.action, a.note) for a in stored] == [(key, "dismissed", "spoke to Sam")]
    assert page.history_view.history_model.rowCount() == 1


def test_cancelling_the_note_dialog_keeps_the_flag(qtbot, make_window, data_dir,
                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from desktop.paths import Paths

    db = open_database(Paths(data_dir).database)
    _crafted(db)
    db.close()
    window, page = _today(qtbot, make_window)
    monkeypatch.setattr(FlagNoteDialog, "ask", classmethod(lambda cls, *a: None))
    count = len(page.flag_cards)
    qtbot.mouseClick(page.flag_cards[0].snooze_button, Qt.MouseButton.LeftButton)
    assert len(page.flag_cards) == count
    from db.flag_actions import flag_actions

    assert flag_actions(window.context.db) == []


def test_new_journal_offers_the_checkin_and_start_navigates(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    _window, page = _today(qtbot, make_window)
    assert page.flag_cards == []
    assert page.no_flags_card.isVisible()
    assert page.start_button.isVisible()
    assert "due" in page.checkin_title.text()
    with qtbot.waitSignal(page.navigate, timeout=1000) as blocker:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["checkin"]


def test_upcoming_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = UpcomingModel()
    today = NOW.date()
    model.set_items([UpcomingItem(today + timedelta(days=1), "deadline", "Offer deadline: X"),
                     UpcomingItem(today + timedelta(days=9), "vesting", "Vesting: $10")], today)
    assert model.rowCount() == 2
    assert model.data(model.index(0)) == "Tomorrow — Offer deadline: X"
    qtmodeltester.check(model)


def test_flag_history_model_newest_first(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.records import FlagAction

    model = FlagHistoryModel()
    model.set_actions([
        FlagAction("no-xrisk-reading:2026-01-01", "dismissed", "old", NOW - timedelta(days=9)),
        FlagAction("worry-drift:2:down", "snoozed", "", NOW, NOW + timedelta(days=7)),
    ], {"worry-drift:2:down": "Your worry moved"})
    assert model.rowCount() == 2
    assert model.data(model.index(0, 1)) == "Your worry moved"
    assert model.data(model.index(0, 2)).startswith("Snoozed until")
    assert model.data(model.index(1, 1)) == "No x-risk reading"
    assert model.data(model.index(1, 3)) == "old"
    qtmodeltester.check(model)


def test_the_start_up_preview_adds_flag_cards_a_turn_each_and_is_loaded_when_complete(
        qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    """Start-up's longest stall was styling and laying out every flag card in one turn:
    the preview adds one card per event-loop turn and says ``loaded`` ("ready") after the last."""
    from db.journal_file import open_database
    from desktop.paths import Paths
    from desktop.ui.pages.today_page import TodayPage

    db = open_database(Paths(data_dir).database)
    _crafted(db)
    db.close()
    window, opened = _today(qtbot, make_window)
    view = opened.view
    assert len(view.flags) >= 2
    page = TodayPage(window.context)  # not opened yet, as at start-up
    qtbot.addWidget(page)
    page.show()
    seen: list[int] = []
    page.loaded.connect(lambda: seen.append(len(page.flag_cards)))
    built: list[int] = []
    sync = page._sync_flag_cards
    page._sync_flag_cards = lambda flags: (built.append(len(flags)), sync(flags))  # type: ignore[method-assign]
    page.show_preview(view)
    assert page.flag_cards == [] and seen == []  # the rest of the page is filled at once
    assert page.flags_heading.text() == f"Needs your attention ({len(view.flags)})"
    assert page.checkin_title.text() == opened.checkin_title.text()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [len(view.flags)]
    assert built == list(range(len(view.flags) + 1))  # 0 with the page, then one per turn
    assert [c.title.text() for c in page.flag_cards] == [c.title.text() for c in opened.flag_cards]

    # A newer render while the cards are still coming replaces the sequence: one ``loaded``.
    fresh = TodayPage(window.context)
    qtbot.addWidget(fresh)
    count: list[int] = []
    fresh.loaded.connect(lambda: count.append(1))
    fresh.show_preview(view)
    fresh.render(view)
    assert len(fresh.flag_cards) == len(view.flags)
    qtbot.wait(100)
    assert count == [] and len(fresh.flag_cards) == len(view.flags)


def test_a_re_render_keeps_the_cards_of_unchanged_flags_and_builds_only_new_ones(
        qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """A check-in that changes one flag and ends another must not rebuild the cards of
    the flags after them (a hidden Today lays out new cards when next shown)."""
    from desktop.core.flags import Flag
    from desktop.ui.widgets import flag_card

    _window, page = _today(qtbot, make_window)

    def flag(key: str, message: str) -> Flag:
        return Flag(key, key, "theme", (4,), 2, message, "why", ("evidence",), "step")

    a, b, c, d = (flag(k, f"Message {k}") for k in "abcd")
    page._sync_flag_cards([a, b, c, d])
    first = list(page.flag_cards)
    built: list[str] = []
    original = flag_card.FlagCard.__init__

    def counting(self, f, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(f.key)
        original(self, f, *args, **kwargs)

    flag_card.FlagCard.__init__ = counting  # type: ignore[method-assign]
    try:
        changed = flag("a", "Message a, moved on")
        page._sync_flag_cards([changed, c, d])  # a changed, b ended
    finally:
        flag_card.FlagCard.__init__ = original  # type: ignore[method-assign]
    assert built == ["a"]
    assert page.flag_cards[1:] == first[2:]  # c and d: the same cards, moved up
    assert [card.title.text() for card in page.flag_cards] == [
        "Message a, moved on", "Message c", "Message d"]
    shown = [page.flags_box.itemAt(i).widget() for i in range(page.flags_box.count())]
    assert shown == page.flag_cards  # the layout shows them in the flags' order

    page._sync_flag_cards([d, c])  # reordered: no card built, none lost
    assert [card.flag.key for card in page.flag_cards] == ["d", "c"]
    assert [page.flags_box.itemAt(i).widget() for i in range(page.flags_box.count())] == \
        page.flag_cards
