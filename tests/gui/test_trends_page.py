"""The Trends page: the answered-prompts list, the chart's points and baseline line, the drift card."""

from __future__ import annotations

from datetime import timedelta

from desktop.core.records import AnswerKind
from desktop.trends_data import TrendPrompt
from desktop.ui.models.trend_prompts_model import TrendPromptsModel
from tests.gui.conftest import NOW, fixed_clock


def _journal(data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.checkins import AnswerInput, complete_checkin
    from db.journal_file import open_database
    from db.profile_history import add_baseline
    from desktop.paths import Paths

    db = open_database(Paths(data_dir).database)
    add_baseline(db, "Worried, for good reasons.", 7, when=NOW - timedelta(days=100))
    for i, (worry, share) in enumerate([(7, 5), (7, 4), (6, 2), (5, 0), (5, 0)]):
        when = NOW - timedelta(weeks=5 - i)
        complete_checkin(db, "", [
            AnswerInput("worry-level", AnswerKind.SCALE, None, worry, False, None),
            AnswerInput("conscience-share", AnswerKind.NUMBER, None, share, False, None),
            AnswerInput("view-shift-argument", AnswerKind.TEXT, f"view {i}", None, False, None),
        ], when=when)
    db.close()


def test_chart_has_one_point_per_answer_and_the_baseline(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    _journal(data_dir)
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("trends")
    page = window.pages["trends"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=5000)
    assert page.model.rowCount() == 2
    assert page.chart.point_count() == 5
    assert page.chart.reference_value == 7
    assert "Worried, for good reasons." in page.baseline_text.text()
    assert "view 4" in page.view_text.text()
    assert page.conscience_chart.point_count() == 5
    assert page.conscience_chart.reference_value == 5
    row = page.model.row_of("conscience-share")
    page.list_view.setCurrentIndex(page.model.index(row))
    assert page.chart.point_count() == 5
    assert page.chart.reference_value == 5


def test_empty_journal_shows_empty_states(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("trends")
    page = window.pages["trends"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=5000)
    assert page.model.rowCount() == 0
    assert page.chart.point_count() == 0
    assert page.list_empty.isVisible()
    assert "No baseline yet" in page.baseline_text.text()


def test_trend_prompts_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = TrendPromptsModel()
    model.set_prompts([TrendPrompt("worry-level", "How worried?", "value-drift", 12,
                                   last_value=5.0, last_at=NOW),
                       TrendPrompt("xrisk-reading", "Hours reading?", "reading", 1, "hours")])
    assert model.rowCount() == 2
    assert model.data(model.index(0)) == "How worried?\n12 answers · latest 5"
    assert model.row_of("xrisk-reading") == 1
    qtmodeltester.check(model)
