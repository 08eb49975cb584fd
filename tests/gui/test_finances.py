"""One truth for money (issue 19): Finances in Settings holds the snapshot history (add,
correct); the check-in's runway answer and the snapshot are one figure for flags,
Options and Trends."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.core.records import AnswerKind, JobOption
from tests.gui.conftest import NOW, fixed_clock


def _db(data_dir):  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from desktop.paths import Paths

    paths = Paths(data_dir)
    return open_database(paths.database, paths.backups)


def test_finances_section_adds_and_corrects_snapshots(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from db.profile_history import snapshots

    window = make_window(clock=fixed_clock(NOW))
    section = window.pages["settings"].section("FinancesSection")
    assert section is not None and section.empty_label.isVisibleTo(section)
    qtbot.keyClicks(section.savings_edit, "24,000")
    qtbot.keyClicks(section.spending_edit, "3,000")
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert section.table.rowCount() == 1
    assert section.table.item(0, 3).text() == "8.0 months"
    section.table.selectRow(0)
    assert section.savings_edit.text() == "24,000" and section.save_button.isEnabled()
    section.savings_edit.setText("12,000")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    stored = snapshots(window.context.db)
    assert len(stored) == 1 and stored[0].liquid_savings == 12_000  # corrected, not added
    assert section.table.item(0, 3).text() == "4.0 months"
    qtbot.keyClicks(section.savings_edit, "lots")
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert section.error_label.isVisibleTo(section) and "savings" in section.error_label.text()
    assert len(snapshots(window.context.db)) == 1


def test_check_in_runway_answer_is_the_figure_everywhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.checkins import AnswerInput, complete_checkin
    from db.options import save_option
    from db.profile_history import add_snapshot

    db = _db(data_dir)
    try:
        add_snapshot(db, 60_000, 3_000, None, None, when=NOW - timedelta(days=300))  # 20 months
        save_option(db, JobOption(id=None, organisation="Meridian", role="Engineer",
                                  status="current", offer_deadline=date(2027, 1, 1)))
        complete_checkin(db, "", [AnswerInput("runway-months", AnswerKind.NUMBER, None, 4,
                                                    False, None)], NOW - timedelta(days=3))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    options = window.pages["options"]
    window.show_page("options")
    qtbot.waitUntil(lambda: "Runway" in options.lockin_label.text(), timeout=5000)
    assert "Runway: 4" in options.lockin_label.text()
    today = window.pages["today"]
    qtbot.waitUntil(lambda: today.view is not None, timeout=5000)
    titles = [f.message for f in today.view.flags]
    assert any("about 4.0 months" in t for t in titles), titles
    window.show_page("trends")
    trends = window.pages["trends"]
    qtbot.waitUntil(lambda: trends.data is not None, timeout=5000)
    assert [round(v, 1) for _, v in trends.data.runway] == [20.0, 4.0]


def test_a_snapshot_can_be_deleted_and_every_view_follows(qtbot, make_window, data_dir,  # type: ignore[no-untyped-def]
                                                         monkeypatch) -> None:
    from db.options import save_option
    from db.profile_history import add_snapshot, snapshots
    from desktop.ui.widgets.confirm import Confirm

    db = _db(data_dir)
    try:
        add_snapshot(db, 72_000, 3_000, None, None, when=NOW - timedelta(days=300))  # 24 months
        add_snapshot(db, 9_000, 3_000, None, None, when=NOW - timedelta(days=2))  # 3 months
        save_option(db, JobOption(id=None, organisation="Meridian", role="Engineer",
                                  status="current"))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    options, today, trends = (window.pages[p] for p in ("options", "today", "trends"))
    window.show_page("trends")
    qtbot.waitUntil(lambda: trends.data is not None, timeout=5000)
    assert [round(v, 1) for _, v in trends.data.runway] == [24.0, 3.0]
    window.show_page("today")
    qtbot.waitUntil(lambda: today.view is not None, timeout=5000)
    assert any("about 3.0 months" in f.message for f in today.view.flags)
    window.show_page("settings")
    section = window.pages["settings"].section("FinancesSection")
    assert section.table.rowCount() == 2 and not section.delete_button.isEnabled()
    section.table.selectRow(0)  # newest first
    assert section.delete_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(Confirm, "ask", classmethod(
        lambda cls, parent, title, text, **kw: asked.append(text) or False))
    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)
    assert len(snapshots(window.context.db)) == 2  # cancelled: nothing deleted
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **kw: True))
    section.table.selectRow(0)
    qtbot.mouseClick(section.delete_button, Qt.MouseButton.LeftButton)
    assert "November 2026" in asked[0]
    assert [s.liquid_savings for s in snapshots(window.context.db)] == [72_000]
    assert section.table.rowCount() == 1 and section.table.item(0, 3).text() == "24.0 months"
    # The change event reached the other pages at once (not the file watcher's next poll).
    assert "Runway: 24" in options.lockin_label.text()
    # The change event reaches the flags, Options and Trends.
    window.show_page("options")
    qtbot.waitUntil(lambda: "Runway: 24" in options.lockin_label.text(), timeout=5000)
    window.show_page("today")
    qtbot.waitUntil(lambda: today.view is not None and not any(
        "about 3.0 months" in f.message for f in today.view.flags), timeout=5000)
    window.show_page("trends")
    qtbot.waitUntil(lambda: trends.data is not None
                    and [round(v, 1) for _, v in trends.data.runway] == [24.0], timeout=5000)
