"""Today's data (due check-in, flags, rhythm, coming up) and the Trends series, from a real journal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from db.checkins import AnswerInput, complete_checkin
from db.flag_actions import dismiss_flag
from db.options import save_option
from db.snapshot import load_snapshot
from desktop.core.flags import active_flags
from desktop.core.records import AnswerKind, JobOption
from desktop.today_data import build_today_view
from desktop.trends_data import downsample, load_trends

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_new_journal_is_new_with_prompts_due_and_no_flags(db) -> None:  # type: ignore[no-untyped-def]
    view = build_today_view(db, NOW, UTC)
    assert view.is_new
    assert view.due, "a fresh journal has prompts due"
    assert view.flags == ()
    assert view.last_checkin_at is None and view.streak == 0


def test_flags_match_the_rules_and_dismissal_hides_one(db) -> None:  # type: ignore[no-untyped-def]
    save_option(db, JobOption(id=None, organisation="Halcyon", role="Engineer", status="offer",
                              offer_deadline=date(2026, 12, 1)), when=NOW - timedelta(days=3))
    view = build_today_view(db, NOW, UTC)
    expected = [f.message for f in active_flags(load_snapshot(db), NOW)]
    assert [f.message for f in view.flags] == expected
    assert any("Halcyon" in m for m in expected)
    key = next(f.key for f in view.flags if f.id == "offer-deadline")
    dismiss_flag(db, key, "decided already", when=NOW)
    after = build_today_view(db, NOW, UTC)
    assert all(f.key != key for f in after.flags)
    assert after.history[0].note == "decided already"


def test_coming_up_lists_offer_deadline_within_60_days_only(db) -> None:  # type: ignore[no-untyped-def]
    save_option(db, JobOption(id=None, organisation="Soon", role="R", status="offer",
                              offer_deadline=date(2026, 12, 20)), when=NOW)
    save_option(db, JobOption(id=None, organisation="Late", role="R", status="offer",
                              offer_deadline=date(2027, 6, 1)), when=NOW)
    titles = [i.title for i in build_today_view(db, NOW, UTC).upcoming]
    assert any("Soon" in t for t in titles)
    assert not any("Late" in t for t in titles)


def test_downsample_keeps_short_series_and_averages_long_ones() -> None:
    short = [(NOW - timedelta(days=7 * i), float(i)) for i in range(10)]
    assert len(downsample(short)) == 10
    daily = [(NOW - timedelta(days=i), 5.0) for i in range(3 * 365)]
    reduced = downsample(daily, max_points=300)
    assert 150 <= len(reduced) <= 160  # about one point a week
    assert all(v == 5.0 for _, v in reduced)
    assert reduced == sorted(reduced)


def test_trends_counts_answers_per_prompt(db) -> None:  # type: ignore[no-untyped-def]
    for i, worry in enumerate([7, 6, 6, 5]):
        when = NOW - timedelta(weeks=4 - i)
        complete_checkin(db, "", [
            AnswerInput("worry-level", AnswerKind.SCALE, None, worry, False, None)], when=when)
    data = load_trends(db, NOW)
    assert [p.prompt_id for p in data.prompts] == ["worry-level"]
    assert data.prompts[0].count == 4
    assert [v for _, v in data.series["worry-level"]] == [7, 6, 6, 5]
    assert data.latest_worry is not None and data.latest_worry[1] == 5
