"""A 900 px window: tables fit without scrolling sideways, titles wrap instead of being
cut, and the Settings index follows the section in view."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from desktop.core.records import with_unit
from desktop.ui.widgets.wrapping_header import WrappingHeader, wrap_words
from tests.gui.conftest import NOW, fixed_clock


def _demo_window(make_window):  # type: ignore[no-untyped-def]
    from desktop.demo import generate

    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    generate(window.context.open(), 2, NOW)
    window.journal_opened()
    return window


def _fits(header: WrappingHeader) -> list[str]:
    """Titles whose wrapped lines are wider than their column (a lone long word aside)."""
    metrics = header.fontMetrics()
    wide = []
    for column in range(header.count()):
        for line in header._lines(column):
            if " " in line and metrics.horizontalAdvance(line) > header._text_width(column):
                wide.append(line)
    return wide


def test_finances_table_fits_a_900_px_window(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _demo_window(make_window)
    window.resize(900, 700)
    window.show_page("settings")
    page = window.pages["settings"]
    section = page.section("FinancesSection")
    assert section is not None and section.table.rowCount() > 0
    page.scroll_to(page.sections.index(section))
    qtbot.wait(50)
    table = section.table
    header = table.horizontalHeader()
    assert isinstance(header, WrappingHeader)
    assert table.horizontalScrollBar().maximum() == 0  # nothing hidden to the right
    titles = [header._title(c) for c in range(header.count())]
    assert "Unvested equity" in titles
    assert max(len(header._lines(c)) for c in range(header.count())) == 2  # it wrapped
    assert header.height() >= 2 * header.fontMetrics().lineSpacing()  # and grew to show it
    assert _fits(header) == []
    for column, title in enumerate(titles):  # every word of every title is shown
        assert " ".join(header._lines(column)).split() == title.split()
    window.resize(1280, 800)
    qtbot.wait(50)
    assert max(len(header._lines(c)) for c in range(header.count())) == 1  # room: one line


def test_compare_dialog_wraps_long_roles(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from db.options import list_options
    from desktop.core.assessment import load_assessment
    from desktop.ui.dialogs.compare_dialog import CompareDialog

    window = _demo_window(make_window)
    options = list_options(window.context.db)[:3]
    dialog = CompareDialog(window, options, {}, load_assessment())
    qtbot.addWidget(dialog)
    dialog.resize(840, 660)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.view.horizontalHeader()
    assert isinstance(header, WrappingHeader)
    assert dialog.view.horizontalScrollBar().maximum() == 0
    assert _fits(header) == []
    for column, option in enumerate(options, start=1):
        shown = " ".join(header._lines(column)).split()
        assert shown == f"{option.organisation} {option.role}".split()  # nothing cut
    lines = max(len(header._lines(c)) for c in range(header.count()))
    assert header.height() >= lines * header.fontMetrics().lineSpacing()
    dialog.reject()


def test_settings_index_follows_the_section_in_view(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = _demo_window(make_window)
    window.resize(1280, 800)
    window.show_page("settings")
    page = window.pages["settings"]
    qtbot.wait(50)
    bar = page.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    current = page.index_view.currentIndex
    assert current().row() == 0  # highlighted from the start
    for row in (3, 1, 4):
        page.scroll_to(row)
        qtbot.waitUntil(lambda row=row: current().row() == row, timeout=1000)
    bar.setValue(bar.maximum())  # the end: the last section, whose top cannot reach the top
    assert current().row() == len(page.sections) - 1
    bar.setValue(0)
    assert current().row() == 0
    # A click on a section near the end keeps that section highlighted.
    second_last = page.index_model.index(len(page.sections) - 2)
    page.index_view.clicked.emit(second_last)
    assert current().row() == len(page.sections) - 2


def test_a_percent_sign_follows_its_number() -> None:
    assert with_unit("4", "%") == "4%"
    assert with_unit("2.5", "hours") == "2.5 hours"
    assert with_unit("7", "") == "7"


_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs",
                                                                             "Zl", "Zp")),
                 min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=8), min_size=1, max_size=3),
       st.integers(min_value=1, max_value=300))
def test_wrapping_keeps_every_word_and_fits(qapp, paragraphs, width) -> None:  # type: ignore[no-untyped-def]
    metrics = QFontMetrics(QApplication.font())
    text = "\n".join(" ".join(words) for words in paragraphs)
    lines = wrap_words(text, width, metrics)
    assert " ".join(lines).split() == text.split()
    assert len(lines) >= len(paragraphs)
    for line in lines:
        assert " " not in line or metrics.horizontalAdvance(line) <= width
