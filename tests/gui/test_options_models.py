"""The Options page's table models: options table + filter proxy, comparison, decision journal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt

from desktop.core.assessment import load_assessment
from desktop.core.compare import compare
from desktop.core.records import AssessmentAnswer, Decision, JobOption
from desktop.ui.models.compare_table_model import (
    EMPTY,
    CompareTableModel,
    DiffersRole,
    IsSectionRole,
)
from desktop.ui.models.decisions_table_model import DecisionsTableModel
from desktop.ui.models.options_table_model import (
    COLUMN_OF,
    OptionRole,
    OptionsFilterProxy,
    OptionsTableModel,
)

D = Qt.ItemDataRole.DisplayRole
WHEN = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _options() -> list[JobOption]:
    return [
        JobOption(1, "Northwind AI", "Research engineer", team="Pretraining", status="offer",
                  function="engineering", seniority="mid", work_kind="capabilities",
                  frontier=True, pay=210000, offer_deadline=date(2026, 12, 4)),
        JobOption(2, "Meridian Labs", "Interpretability researcher", status="interviewing",
                  function="research", seniority="junior", work_kind="safety", pay=165000),
        JobOption(3, "Civic Compute", "Head of comms", status="offer",
                  function="communications", seniority="senior", work_kind="unrelated",
                  pay=None, currency="GBP"),
    ]


def test_options_table_shows_fields_and_ticks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = OptionsTableModel(_options())
    assert model.rowCount() == 3
    assert model.columnCount() == 9
    assert model.data(model.index(0, COLUMN_OF["organisation"]), D) == "Northwind AI"
    assert model.data(model.index(0, COLUMN_OF["pay"]), D) == "$210,000"
    assert model.data(model.index(0, COLUMN_OF["offer_deadline"]), D) == "4 Dec 2026"
    assert model.data(model.index(0, COLUMN_OF["status"]), D) == "Offer"
    assert model.data(model.index(2, COLUMN_OF["work_kind"]), D) == "Unrelated to AI"
    assert model.data(model.index(2, COLUMN_OF["pay"]), D) == ""
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Kind of work"
    assert model.data(model.index(1, 0), OptionRole).id == 2
    # Ticking for comparison
    assert model.checked_options() == []
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    model.set_checked(3, True)
    assert [o.id for o in model.checked_options()] == [1, 3]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # A reload keeps ticks of options that still exist, drops the rest.
    model.set_options(_options()[:2])
    assert [o.id for o in model.checked_options()] == [1]
    qtmodeltester.check(model)


def test_filter_proxy_by_status_and_text(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = OptionsTableModel(_options())
    proxy = OptionsFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3
    proxy.set_status("offer")
    assert sorted(proxy.index(r, 0).data(D) for r in range(proxy.rowCount())) == [
        "Civic Compute", "Northwind AI"]
    proxy.set_text("northwind")
    assert proxy.rowCount() == 1
    proxy.set_status(None)
    proxy.set_text("")
    proxy.sort(COLUMN_OF["pay"], Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data(D) for r in range(3)] == [
        "Northwind AI", "Meridian Labs", "Civic Compute"]
    qtmodeltester.check(proxy)


def test_compare_model_sections_and_differences(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    questions = load_assessment()
    options = _options()[:2]
    answers = {1: {"timelines-effect": AssessmentAnswer(1, "timelines-effect", WHEN, number=3)},
               2: {}}
    rows = compare(options, answers, questions)
    model = CompareTableModel()
    model.set_comparison(["Northwind AI", "Meridian Labs"], rows)
    assert model.columnCount() == 3
    sections = [r for r in range(model.rowCount()) if model.data(model.index(r, 0), IsSectionRole)]
    assert [model.data(model.index(r, 0), D) for r in sections][:2] == [
        "The option", "Your assessment"]
    assert model.rowCount() == len(rows) + len(sections)
    labels = [model.data(model.index(r, 0), D) for r in range(model.rowCount())]
    org = labels.index("Organisation")
    assert model.data(model.index(org, 1), D) == "Northwind AI"
    assert model.data(model.index(org, 2), D) == "Meridian Labs"
    assert model.data(model.index(org, 0), DiffersRole) is True
    assert model.data(model.index(org, 1), Qt.ItemDataRole.BackgroundRole) is not None
    frontier = labels.index("Currency") if "Currency" in labels else labels.index("Vest end")
    assert model.data(model.index(frontier, 0), DiffersRole) is False
    assert model.data(model.index(frontier, 1), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(frontier, 1), D) == EMPTY
    question_row = next(r for r in range(model.rowCount())
                        if model.data(model.index(r, 0), D) == questions[0].question)
    assert model.data(model.index(question_row, 1), D) == "Noticeably"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Meridian Labs"
    qtmodeltester.check(model)


def test_decisions_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DecisionsTableModel()
    decisions = [
        Decision(2, WHEN, 1, "Take the Northwind offer", "Pay and team",
                 revisit_on=date(2027, 5, 28)),
        Decision(1, datetime(2026, 1, 5, tzinfo=UTC), None, "Stay for now",
                 revisit_on=date(2026, 7, 6), revisited_at=WHEN),
    ]
    model.set_decisions(decisions, {1: "Research engineer — Northwind AI"}, UTC)
    assert model.rowCount() == 2
    assert [model.data(model.index(0, c), D) for c in range(4)] == [
        "27 Nov 2026", "Take the Northwind offer", "Research engineer — Northwind AI",
        "28 May 2027"]
    assert model.data(model.index(1, 2), D) == "Stay where I am"
    assert model.data(model.index(1, 3), D) == "Revisited"
    qtmodeltester.check(model)
