"""Side-by-side comparison: field, assessment and panel rows aligned, differences marked."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from desktop.core.assessment import load_assessment
from desktop.core.compare import (
    NOT_APPLICABLE,
    SECTION_ASSESSMENT,
    SECTION_FIELDS,
    SECTION_PANEL,
    CompareRow,
    compare,
    format_money,
)
from desktop.core.records import AssessmentAnswer, JobOption

T0 = datetime(2024, 3, 1, tzinfo=UTC)

LAB = JobOption(
    id=1, organisation="Big Lab", role="Research engineer", team="Pretraining",
    function="engineering", seniority="mid", work_kind="capabilities", frontier=True,
    open_sources="model weights", pay=185000, currency="USD", equity_value=400000,
    cliff_date=date(2025, 3, 1), vest_end_date=date(2028, 3, 1),
    offer_deadline=date(2024, 4, 1), status="offer",
)
FUNDER = JobOption(
    id=2, organisation="Lab Two", role="Head of fundraising", function="fundraising",
    seniority="senior", work_kind="capabilities", frontier=True, pay=72500, currency="GBP",
    status="interviewing",
)
SMALL = JobOption(
    id=3, organisation="Small Co", role="ML engineer", function="engineering",
    seniority="mid", work_kind="capabilities", frontier=False, pay=185000, currency="USD",
    status="offer",
)


def _a(
    option_id: int, qid: str, text: str | None = None, number: float | None = None
) -> AssessmentAnswer:
    return AssessmentAnswer(option_id, qid, T0, text, number)


def rows_by_label(rows: list[CompareRow], section: str) -> dict[str, CompareRow]:
    return {r.label: r for r in rows if r.section == section}


def test_fields_come_first_and_cells_follow_option_order() -> None:
    rows = compare([LAB, FUNDER], {}, ())
    assert rows[0] == CompareRow(SECTION_FIELDS, "Organisation", ("Big Lab", "Lab Two"), True)
    fields = rows_by_label(rows, SECTION_FIELDS)
    assert fields["Function"].values == ("Engineering", "Fundraising")
    assert fields["Pushes the frontier"].values == ("Yes", "Yes")
    assert fields["Pushes the frontier"].differs is False
    assert fields["Vesting cliff"].values == ("1 Mar 2025", "")
    assert fields["Status"].values == ("Offer", "Interviewing")
    for label in ("Team", "Seniority", "Kind of work", "Publishes", "Open-sources",
                  "Disclosure commitments", "Equity", "Vest end", "Offer deadline"):
        assert label in fields


def test_money_has_thousands_separators_and_currency() -> None:
    fields = rows_by_label(compare([LAB, FUNDER], {}, ()), SECTION_FIELDS)
    assert fields["Pay (yearly)"].values == ("$185,000", "£72,500")
    assert fields["Equity"].values == ("$400,000", "")
    assert format_money(1234567.5, "CHF") == "1,234,567.50 CHF"
    assert format_money(None, "USD") == ""


def test_same_pay_different_currency_differs_and_same_pay_same_currency_does_not() -> None:
    assert rows_by_label(compare([LAB, FUNDER], {}, ()), SECTION_FIELDS)[
        "Pay (yearly)"].differs is True
    assert rows_by_label(compare([LAB, SMALL], {}, ()), SECTION_FIELDS)[
        "Pay (yearly)"].differs is False


def test_one_assessment_row_per_question_with_labels_not_numbers() -> None:
    questions = load_assessment()
    answers = {
        1: {"career-capital": _a(1, "career-capital", number=4),
            "agi-bottleneck": _a(1, "agi-bottleneck", number=1)},
        2: {"career-capital": _a(2, "career-capital", number=4)},
    }
    rows = compare([LAB, FUNDER], answers, questions)
    assessment = [r for r in rows if r.section == SECTION_ASSESSMENT]
    assert [r.label for r in assessment] == [q.question for q in questions]
    by_id = dict(zip((q.id for q in questions), assessment))
    assert by_id["career-capital"].values == ("A great deal", "A great deal")
    assert by_id["career-capital"].differs is False
    assert by_id["agi-bottleneck"].values == ("Yes", "")
    assert by_id["agi-bottleneck"].differs is True


def test_panel_rows_align_by_rule_with_dash_where_a_rule_does_not_apply() -> None:
    rows = compare([LAB, FUNDER, SMALL], {}, ())
    panel_rows = [r for r in rows if r.section == SECTION_PANEL]
    fundraising = next(r for r in panel_rows if r.label.startswith("Role leverage: fundraising"))
    assert fundraising.values[0] == NOT_APPLICABLE
    assert "Function: fundraising" in fundraising.values[1]
    assert fundraising.values[2] == NOT_APPLICABLE
    assert fundraising.differs is True
    assert "(Expert 1)" in fundraising.label

    small_lab = next(r for r in panel_rows if r.label.startswith("Small lab"))
    assert small_lab.values[:2] == (NOT_APPLICABLE, NOT_APPLICABLE)
    assert small_lab.values[2] != NOT_APPLICABLE

    open_frontier = next(r for r in panel_rows if "open-sourcing" in r.label)
    assert "(Experts 5 and 3)" in open_frontier.label
    assert open_frontier.values[0].startswith("Caution")
    assert all(len(r.values) == 3 for r in rows)


def test_rules_that_apply_to_no_option_get_no_row() -> None:
    rows = compare([SMALL, replace(SMALL, id=4)], {}, ())
    panel_rows = [r for r in rows if r.section == SECTION_PANEL]
    assert [r.label.split(" (")[0] for r in panel_rows] == ["Small lab, not at the frontier"]
    assert panel_rows[0].differs is False


def test_option_count_must_be_two_to_four() -> None:
    with pytest.raises(ValueError):
        compare([LAB], {}, ())
    with pytest.raises(ValueError):
        compare([LAB, FUNDER, SMALL, LAB, FUNDER], {}, ())
    assert len(compare([LAB, FUNDER, SMALL, LAB], {}, ())[0].values) == 4


def test_kind_of_work_keeps_the_capitals_of_ai() -> None:
    from dataclasses import replace

    rows = compare([replace(LAB, work_kind="unrelated"), FUNDER], {}, ())
    assert rows_by_label(rows, SECTION_FIELDS)["Kind of work"].values[0] == "Unrelated to AI"
