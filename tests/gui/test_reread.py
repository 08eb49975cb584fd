"""A journal to reread (issue 19): entries open rendered, full width, F2 to edit; "a year
ago" on Today; earlier answers beside a check-in prompt, with their dates."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.core.records import AnswerKind
from tests.gui.conftest import NOW, fixed_clock


def _db(data_dir):  # type: ignore[no-untyped-def]
    from db.journal_file import open_database
    from desktop.paths import Paths

    paths = Paths(data_dir)
    return open_database(paths.database, paths.backups)


def test_an_entry_opens_for_reading_and_f2_edits(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.journal import create_entry

    db = _db(data_dir)
    try:
        create_entry(db, "# Heading\n\nSome **bold** words.", "A day")
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    window.resize(1280, 800)
    window.show_page("journal")
    page = window.pages["journal"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page._select_row(0)
    editor = page.editor
    assert editor.reading
    assert editor.preview.isVisible() and not editor.body_edit.isVisible()
    assert "bold" in editor.preview.toPlainText() and "**" not in editor.preview.toPlainText()
    qtbot.waitUntil(lambda: editor.preview.width() > editor.width() * 0.9, timeout=2000)  # full width
    editor.preview.setFocus()
    qtbot.keyClick(editor.preview, Qt.Key.Key_F2)
    assert not editor.reading and editor.body_edit.isVisible()
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_F2)
    assert editor.reading


def test_today_brings_back_an_entry_from_a_year_ago(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.journal import create_entry

    db = _db(data_dir)
    try:
        old = create_entry(db, "The first week at the lab felt strange.", "First week",
                           when=NOW - timedelta(days=365))
        create_entry(db, "Something from spring.", "Spring", when=NOW - timedelta(days=200))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    page = window.pages["today"]
    qtbot.waitUntil(lambda: page.year_ago_card.isVisibleTo(page), timeout=5000)
    assert page.year_ago_heading.text().startswith("A year ago")
    assert "first week at the lab" in page.year_ago_text.text()
    page.year_ago_button.click()
    assert window.current_page_id() == "journal"
    assert window.pages["journal"].current_id == old.id and window.pages["journal"].editor.reading


def test_check_in_shows_earlier_answers_with_dates(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.checkins import AnswerInput, complete_checkin

    db = _db(data_dir)
    try:
        for days, worry in ((365, 8), (182, 6)):
            complete_checkin(db, "", [
                AnswerInput("worry-level", AnswerKind.SCALE, None, worry, False, None)],
                NOW - timedelta(days=days))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("checkin")
    page = window.pages["checkin"]
    qtbot.waitUntil(lambda: bool(page.cards), timeout=5000)
    card = next(c for c in page.cards if c.prompt.id == "worry-level")
    text = card.echo_label.text()
    assert card.echo_label.isVisibleTo(card)
    six = (NOW - timedelta(days=182)).astimezone()
    year = (NOW - timedelta(days=365)).astimezone()
    assert f"<b>6 of 10</b> — {six.day} {six:%b %Y} (about six months ago)" in text
    assert f"<b>8 of 10</b> — {year.day} {year:%b %Y} (about a year ago)" in text


def test_the_timeline_moves_through_the_years(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.journal import create_entry

    db = _db(data_dir)
    try:
        for days in range(0, 900, 20):
            create_entry(db, f"Entry {days} days back", f"Day {days}", when=NOW - timedelta(days=days))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("journal")
    page = window.pages["journal"]
    qtbot.waitUntil(lambda: page.timeline.count() > 10, timeout=5000)
    labels = [page.timeline.itemText(i) for i in range(page.timeline.count())]
    years = {(NOW - timedelta(days=d)).astimezone(window.context.tz).year for d in range(0, 900, 20)}
    assert all(str(y) in labels for y in years)
    oldest_year = min(years)
    index = next(i for i in range(page.timeline.count())
                 if page.timeline.itemData(i) is not None and page.timeline.itemData(i)[0] == oldest_year
                 and "(" in page.timeline.itemText(i))
    page.go_to_month(page.timeline.itemData(index))
    year, month = page.timeline.itemData(index)
    shown = window.pages["journal"].current_id
    from db.journal import get_entry

    written = get_entry(window.context.db, shown).created_at.astimezone(window.context.tz)
    assert (written.year, written.month) == (year, month)  # the month's newest entry is shown


def test_the_calendar_marks_days_and_a_click_shows_that_days_entries(  # type: ignore[no-untyped-def]
        qtbot, make_window, data_dir) -> None:
    from datetime import date, datetime, time

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QTableView

    from db.journal import create_entry, get_entry

    db = _db(data_dir)
    try:
        tz = datetime.now().astimezone().tzinfo
        for day, hour, title in ((date(2024, 3, 12), 9, "Morning, two years back"),
                                 (date(2024, 3, 12), 21, "Evening, two years back"),
                                 (date(2024, 3, 20), 12, "Later that March"),
                                 (date(2026, 11, 20), 12, "Last week")):
            create_entry(db, title, title, when=datetime.combine(day, time(hour), tz))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("journal")
    page = window.pages["journal"]
    calendar = page.calendar
    assert calendar.isVisibleTo(page) and page.calendar_button.isChecked()
    qtbot.waitUntil(lambda: calendar.entries_on(date(2026, 11, 20)) == 1, timeout=5000)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)
    assert date(2026, 11, 20) in calendar.marked_days()
    # Back through the years with the calendar's own navigation: the marks follow.
    for _ in range(2):
        calendar.showPreviousYear()
    while calendar.monthShown() != 3:
        calendar.showPreviousMonth()
    assert (calendar.yearShown(), calendar.monthShown()) == (2024, 3)
    assert {date(2024, 3, 12), date(2024, 3, 20)} <= set(calendar.marked_days())
    assert date(2024, 3, 13) not in calendar.marked_days()
    marked = calendar.dateTextFormat(QDate(2024, 3, 12))
    assert marked.fontWeight() > calendar.dateTextFormat(QDate(2024, 3, 13)).fontWeight()
    # Choosing a day with the keyboard (Return) shows that day's newest entry.
    messages: list[str] = []
    page.status_message.connect(messages.append)
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    calendar.setSelectedDate(QDate(2024, 3, 12))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    shown = get_entry(window.context.db, page.current_id)
    assert shown.title == "Evening, two years back"
    assert messages[-1] == "2 entries on 12 March 2024"
    next_row = page.model.index(page.model.row_of(page.current_id) + 1)
    assert next_row.data(Qt.ItemDataRole.DisplayRole) is not None  # the morning's follows
    # A day without entries says so and leaves the open entry alone.
    calendar.clicked.emit(QDate(2024, 3, 13))
    assert messages[-1] == "No entries on 13 March 2024" and page.current_id == shown.id
    # Opening an entry turns the calendar to its month; the toggle hides the calendar.
    page._select_row(0)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)
    qtbot.mouseClick(page.calendar_button, Qt.MouseButton.LeftButton)
    assert not calendar.isVisibleTo(page)
