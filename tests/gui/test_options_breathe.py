"""Options that breathe (issue 19): New option shows and focuses its first field; a
prompt about an option names it; a decision offers to decline the alternatives, with undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog

from desktop.core.records import JobOption
from desktop.ui.dialogs.decision_dialog import DecisionDialog
from tests.gui.conftest import NOW, fixed_clock

LEFT = Qt.MouseButton.LeftButton


def _options(data_dir, *names: str, status: str = "offer") -> None:  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from db.options import save_option
    from desktop.paths import Paths

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        for i, name in enumerate(names):
            save_option(db, JobOption(id=None, organisation=name, role="Research engineer",
                                      status=status, offer_deadline=date(2027, 1, 1)),
                        when=NOW - timedelta(days=30 - i))
    finally:
        db.close()


@pytest.mark.parametrize("size", [(900, 700), (1280, 800)])
def test_new_option_shows_and_focuses_the_first_field(qtbot, make_window, data_dir,  # type: ignore[no-untyped-def]
                                                      size) -> None:
    _options(data_dir, *(f"Org {i}" for i in range(12)))
    window = make_window(clock=fixed_clock(NOW))
    window.resize(*size)
    window.show()
    window.show_page("options")
    page = window.pages["options"]
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 12, timeout=5000)
    page.editor.scroll.verticalScrollBar().setValue(page.editor.scroll.verticalScrollBar().maximum())
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    field = page.editor.organisation_edit
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    viewport = page.editor.scroll.viewport()
    top_left = field.mapTo(viewport, QPoint(0, 0))
    assert top_left.y() >= 0 and top_left.y() + field.height() <= viewport.height()
    # The editor is a full-height pane beside a narrow list, not a strip under a table.
    editor = page.tabs.geometry()
    listing = page.list_pane.geometry()
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
    assert editor.left() > listing.right() and editor.top() == listing.top()
    assert editor.height() == page.splitter.height() >= page.height() // 2
    assert editor.width() >= 2 * listing.width()
    visible = [c for c in range(page.proxy.columnCount()) if not page.table.isColumnHidden(c)]
    assert len(visible) == 3  # organisation, role, status
    # The whole role group fits in view without scrolling at either size.
    box = page.editor.status_combo
    bottom = box.mapTo(viewport, QPoint(0, box.height())).y()
    assert bottom <= viewport.height()


@pytest.mark.qt_log_ignore("This plugin does not support")  # the calendar popup, offscreen
def test_dates_start_empty(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    page = window.pages["options"]
    page.new_option()
    editor = page.editor
    fields = (editor.vesting_start_edit, editor.cliff_edit, editor.vest_end_edit,
              editor.deadline_edit)
    for edit in fields:
        assert edit.date() is None and edit.edit.text() == ""
        assert edit.edit.placeholderText() == "No date"
    # Opening the calendar and closing it without a click fills nothing in.
    editor.vesting_start_edit.open_calendar()
    editor.vesting_start_edit._menu.hide()
    assert editor.vesting_start_edit.date() is None
    # A click on a day sets it; typing another form of date is read; bad text is named.
    editor.vesting_start_edit.calendar.clicked.emit(QDate(2027, 2, 1))
    assert editor.vesting_start_edit.date() == date(2027, 2, 1)
    assert editor.vesting_start_edit.edit.text() == "1 Feb 2027"
    qtbot.keyClicks(editor.organisation_edit, "Dated Labs")
    qtbot.keyClicks(editor.vest_end_edit.edit, "2031-02-01")
    qtbot.keyClicks(editor.deadline_edit.edit, "next tuesday")
    assert editor.build_option() is None
    assert "offer deadline should be a date" in editor.error_label.text()
    assert editor.payload()["offer_deadline"] == "next tuesday"  # the draft keeps the text
    editor.deadline_edit.edit.clear()
    option = editor.build_option()
    assert option is not None and option.vesting_start == date(2027, 2, 1)
    assert option.vest_end_date == date(2031, 2, 1)
    assert option.cliff_date is None and option.offer_deadline is None
    page.save_option()
    from db.options import list_options

    def saved():  # type: ignore[no-untyped-def]
        return next((o for o in list_options(window.context.db)
                     if o.organisation == "Dated Labs"), None)

    qtbot.waitUntil(lambda: saved() is not None, timeout=5000)  # the save runs on a worker
    stored = saved()
    assert (stored.cliff_date, stored.offer_deadline) == (None, None)
    assert stored.vesting_start == date(2027, 2, 1)


def test_a_prompt_about_an_option_names_it(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    _options(data_dir, "Halcyon Safety Institute")
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("checkin")
    page = window.pages["checkin"]
    qtbot.waitUntil(lambda: bool(page.cards), timeout=5000)
    about = [c for c in page.cards if c.prompt.cadence == "on-new-option"]
    assert about, "a new option raises its prompts"
    for card in about:
        assert "Research engineer — Halcyon Safety Institute" in card.question.text()
    others = [c for c in page.cards if c.prompt.cadence != "on-new-option"]
    assert all("Halcyon" not in c.question.text() for c in others)


def test_decision_offers_to_decline_the_alternatives_with_undo(qtbot, make_window, data_dir,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    _options(data_dir, "Alpha Labs", "Beta Works", "Gamma Org")
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("options")
    page = window.pages["options"]
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 3, timeout=5000)
    by_name = {o.organisation: o for o in page.model.options()}

    def fake_exec(self):  # type: ignore[no-untyped-def]
        self.show()
        self.choice_combo.setCurrentIndex(self.choice_combo.findData(by_name["Alpha Labs"].id))
        qtbot.keyClicks(self.summary_edit, "Take Alpha")
        for name in ("Beta Works", "Gamma Org"):
            box = self.alternative_checks[by_name[name].id]
            if not box.isChecked():
                qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
        self.hide()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DecisionDialog, "exec", fake_exec)
    qtbot.mouseClick(page.decision_button, LEFT)
    banner = page.banner
    assert not banner.isHidden() and "declined" in banner.label.text()
    assert "Beta Works" in banner.label.text() and "Gamma Org" in banner.label.text()
    qtbot.mouseClick(banner.buttons[0], LEFT)  # Mark declined

    def statuses() -> dict[str, str]:
        from db.options import list_options

        return {o.organisation: o.status for o in list_options(window.context.db)}

    assert statuses() == {"Alpha Labs": "current", "Beta Works": "declined",
                          "Gamma Org": "declined"}
    assert "Undo" in banner.buttons[0].text()
    qtbot.mouseClick(banner.buttons[0], LEFT)  # Undo
    assert statuses() == {"Alpha Labs": "current", "Beta Works": "offer", "Gamma Org": "offer"}
    assert banner.isHidden()


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_typed_dates_never_raise_and_round_trip(text: str) -> None:
    """Whatever is typed into a date field, reading it gives a date or None; a date
    shown the way Keel writes it reads back as the same day."""
    from desktop.ui.widgets.optional_date_edit import parse_day

    value = parse_day(text)
    assert value is None or isinstance(value, date)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_a_shown_date_reads_back(day: date) -> None:
    from PySide6.QtCore import QDate

    from desktop.ui.widgets.optional_date_edit import DISPLAY_FORMAT, parse_day

    shown = QDate(day.year, day.month, day.day).toString(DISPLAY_FORMAT)
    assert parse_day(shown) == day
    assert parse_day(day.isoformat()) == day
