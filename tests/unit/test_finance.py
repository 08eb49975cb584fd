"""Financial lock-in arithmetic: runway, vesting schedules, cliffs and the next vest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.core.finance import (
    add_months,
    current_job,
    latest_snapshot,
    lock_in,
    vesting_schedule,
)
from desktop.core.records import FinancialSnapshot, JobOption

TAKEN = datetime(2025, 1, 1, tzinfo=UTC)


def snapshot(**fields: object) -> FinancialSnapshot:
    return FinancialSnapshot(id=1, taken_at=TAKEN, **fields)  # type: ignore[arg-type]


def grant(**fields: object) -> JobOption:
    """A 48,000 grant over four years from 15 Jan 2024 with a one-year cliff."""
    values: dict[str, object] = {
        "equity_value": 48_000.0,
        "vesting_start": date(2024, 1, 15),
        "cliff_date": date(2025, 1, 15),
        "vest_end_date": date(2028, 1, 15),
        "status": "current",
        "organisation": "Lab",
        "role": "Engineer",
    }
    values.update(fields)
    return JobOption(id=1, **values)  # type: ignore[arg-type]


def test_no_snapshot_and_no_job_explain_themselves() -> None:
    result = lock_in(None, None, date(2025, 3, 1))
    assert result.runway_months is None
    assert result.unvested_total is None
    assert result.next_vest_date is None
    assert "No financial snapshot yet." in result.notes
    assert "No current job recorded." in result.notes


def test_runway_is_savings_over_monthly_spending() -> None:
    snap = snapshot(liquid_savings=30_000, monthly_spending=4_000)
    result = lock_in(snap, None, date(2025, 3, 1))
    assert result.runway_months == pytest.approx(7.5)


def test_zero_spending_gives_no_runway_and_a_note() -> None:
    result = lock_in(snapshot(liquid_savings=30_000, monthly_spending=0), None, date(2025, 3, 1))
    assert result.runway_months is None
    assert any("zero" in note for note in result.notes)


def test_negative_savings_means_no_runway_left() -> None:
    result = lock_in(snapshot(liquid_savings=-500, monthly_spending=2_000), None, date(2025, 3, 1))
    assert result.runway_months == 0


def test_missing_spending_is_noted() -> None:
    result = lock_in(snapshot(liquid_savings=30_000), None, date(2025, 3, 1))
    assert result.runway_months is None
    assert any("monthly spending" in note for note in result.notes)


def test_schedule_lumps_the_first_year_on_the_cliff_then_vests_monthly() -> None:
    schedule = vesting_schedule(grant())
    assert schedule[0] == (date(2025, 1, 15), pytest.approx(12_000))
    assert schedule[1] == (date(2025, 2, 15), pytest.approx(1_000))
    assert schedule[-1] == (date(2028, 1, 15), pytest.approx(1_000))
    assert len(schedule) == 1 + 36
    assert sum(amount for _, amount in schedule) == pytest.approx(48_000)


def test_before_the_cliff_the_cliff_is_next() -> None:
    result = lock_in(None, grant(), date(2024, 6, 1))
    assert result.cliff_passed is False
    assert result.next_vest_date == date(2025, 1, 15)
    assert result.next_vest_amount == pytest.approx(12_000)
    assert result.unvested_total == pytest.approx(48_000)


def test_cliff_already_passed() -> None:
    result = lock_in(None, grant(), date(2025, 6, 1))
    assert result.cliff_passed is True
    assert result.next_vest_date == date(2025, 6, 15)
    assert result.next_vest_amount == pytest.approx(1_000)
    # Cliff (12,000) plus Feb–May (4 × 1,000) have vested.
    assert result.unvested_total == pytest.approx(32_000)
    assert result.months_to_next_vest == pytest.approx(14 / 30.436875)


def test_a_vest_dated_today_counts_as_vested() -> None:
    result = lock_in(None, grant(), date(2025, 1, 15))
    assert result.next_vest_date == date(2025, 2, 15)
    assert result.unvested_total == pytest.approx(36_000)


def test_fully_vested() -> None:
    result = lock_in(None, grant(), date(2028, 2, 1))
    assert result.unvested_total == 0
    assert result.next_vest_date is None
    assert result.months_to_next_vest is None
    assert "Your equity is fully vested." in result.notes


def test_month_end_start_dates_clamp_to_short_months() -> None:
    job = grant(
        vesting_start=date(2024, 1, 31), cliff_date=None, vest_end_date=date(2025, 1, 31),
        equity_value=12_000.0,
    )
    days = [day for day, _ in vesting_schedule(job)]
    assert days[:4] == [date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 31)]
    assert days[-1] == date(2025, 1, 31)
    assert len(days) == 12
    assert all(amount == pytest.approx(1_000) for _, amount in vesting_schedule(job))


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 5, 15), -5) == date(2024, 12, 15)


def test_a_final_part_month_vests_proportionally_less() -> None:
    job = grant(
        vesting_start=date(2025, 1, 1), cliff_date=None, vest_end_date=date(2025, 3, 16),
        equity_value=2_000.0 + 1_000.0 * 15 / 31,
    )
    schedule = vesting_schedule(job)
    assert [day for day, _ in schedule] == [date(2025, 2, 1), date(2025, 3, 1), date(2025, 3, 16)]
    assert schedule[0][1] == pytest.approx(1_000)
    assert schedule[2][1] == pytest.approx(1_000 * 15 / 31)


@pytest.mark.parametrize(
    "fields",
    [
        {"vest_end_date": None},
        {"vesting_start": None},
        {"vest_end_date": date(2023, 1, 1)},
        {"equity_value": None},
        {"equity_value": 0.0},
    ],
)
def test_missing_or_impossible_terms_give_no_schedule(fields: dict[str, object]) -> None:
    job = grant(**fields)
    assert vesting_schedule(job) == []
    result = lock_in(None, job, date(2025, 6, 1))
    assert result.next_vest_date is None
    assert result.unvested_total is None
    assert result.notes  # says why


def test_incomplete_dates_are_explained() -> None:
    result = lock_in(None, grant(vest_end_date=None), date(2025, 6, 1))
    assert any("vesting dates are incomplete" in note for note in result.notes)


def test_snapshot_figures_take_precedence() -> None:
    snap = snapshot(
        liquid_savings=10_000, monthly_spending=1_000,
        unvested_equity=40_000, next_vest_date=date(2025, 7, 15),
    )
    result = lock_in(snap, grant(), date(2025, 6, 1))
    assert result.unvested_total == 40_000
    assert result.next_vest_date == date(2025, 7, 15)
    assert result.next_vest_amount == pytest.approx(1_000)  # matched in the schedule


def test_a_snapshot_vest_date_that_has_passed_falls_back_to_the_schedule() -> None:
    snap = snapshot(monthly_spending=1_000, next_vest_date=date(2025, 2, 1))
    result = lock_in(snap, grant(), date(2025, 6, 1))
    assert result.next_vest_date == date(2025, 6, 15)
    assert any("has passed" in note for note in result.notes)


def test_snapshot_alone_without_a_job() -> None:
    snap = snapshot(unvested_equity=20_000, next_vest_date=date(2025, 9, 1))
    result = lock_in(snap, None, date(2025, 6, 1))
    assert result.unvested_total == 20_000
    assert result.next_vest_date == date(2025, 9, 1)
    assert result.next_vest_amount is None
    assert result.cliff_passed is None


def test_schedule_window_and_sum() -> None:
    job = grant()
    window = vesting_schedule(job, after=date(2025, 1, 15), until=date(2025, 4, 15))
    assert [day for day, _ in window] == [date(2025, 2, 15), date(2025, 3, 15), date(2025, 4, 15)]
    assert sum(amount for _, amount in vesting_schedule(
        job, after=date(2024, 12, 31), until=date(2025, 3, 31))) == pytest.approx(14_000)


def test_current_job_and_latest_snapshot_pick_the_right_record() -> None:
    options = [grant(status="offer"), grant(status="current", role="Researcher")]
    assert current_job(options) is options[1]
    assert current_job([grant(status="left")]) is None
    older = FinancialSnapshot(id=1, taken_at=datetime(2024, 1, 1, tzinfo=UTC))
    newer = FinancialSnapshot(id=2, taken_at=datetime(2025, 1, 1, tzinfo=UTC))
    future = FinancialSnapshot(id=3, taken_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert latest_snapshot([newer, older]) is newer
    assert latest_snapshot([older, future, newer], now=datetime(2026, 1, 1, tzinfo=UTC)) is newer
    assert latest_snapshot([]) is None


def test_a_newer_check_in_runway_answer_is_the_runway() -> None:
    """One truth for money (issue 19): the newest of snapshot and check-in answer."""
    from datetime import UTC, datetime

    from desktop.core.finance import latest_runway_answer, runway_history
    from desktop.core.records import Answer, AnswerKind, FinancialSnapshot

    snap = FinancialSnapshot(1, datetime(2025, 1, 1, tzinfo=UTC), 30_000, 3_000)
    answers = [Answer(1, 1, "runway-months", datetime(2025, 2, 1, tzinfo=UTC), AnswerKind.NUMBER,
                      number=4), Answer(2, 1, "worry-level", datetime(2025, 3, 1, tzinfo=UTC),
                                        AnswerKind.SCALE, number=9)]
    answer = latest_runway_answer(answers)
    assert answer == (datetime(2025, 2, 1, tzinfo=UTC), 4.0)
    figures = lock_in(snap, None, date(2025, 3, 1), runway_answer=answer)
    assert figures.runway_months == 4.0 and figures.runway_from == "check-in"
    older = (datetime(2024, 12, 1, tzinfo=UTC), 2.0)
    figures = lock_in(snap, None, date(2025, 3, 1), runway_answer=older)
    assert figures.runway_months == 10.0 and figures.runway_from == "snapshot"
    assert [v for _, v in runway_history([snap], answers)] == [10.0, 4.0]
