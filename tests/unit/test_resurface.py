"""Resurfacing (issue 19): this day in earlier years; answers from six and twelve months ago."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from desktop.core.resurface import earlier_answers, on_this_day

NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


def test_on_this_day_prefers_the_nearest_day_and_the_latest_year() -> None:
    items = [NOW - timedelta(days=d) for d in (365, 367, 200, 730, 1500)]
    found = on_this_day(items, lambda w: w, date(2026, 11, 27), UTC)
    assert [(f.years, f.item) for f in found] == [(1, items[0]), (2, items[3])]
    assert found[0].label == "A year ago" and found[1].label == "2 years ago"


def test_leap_day_does_not_break() -> None:
    assert on_this_day([], lambda w: w, date(2028, 2, 29), UTC) == []


def test_earlier_answers_six_and_twelve_months() -> None:
    answers = [(NOW - timedelta(days=d), f"v{d}") for d in (7, 30, 170, 190, 360, 420)]
    echoes = earlier_answers(answers, NOW)
    assert [(e.words, e.value) for e in echoes] == [("about six months ago", "v190"),
                                                    ("about a year ago", "v360")]


def test_no_echo_without_an_answer_near_the_mark() -> None:
    assert earlier_answers([(NOW - timedelta(days=20), "recent")], NOW) == []


def test_a_number_answer_of_one_takes_the_singular_unit() -> None:
    from types import SimpleNamespace

    from desktop.core.resurface import answer_words

    def words(number: float, unit: str) -> str:
        return answer_words(SimpleNamespace(unit=unit, maximum=None),
                            SimpleNamespace(text=None, number=number))

    assert words(1, "conversations") == "1 conversation"
    assert words(2, "conversations") == "2 conversations"
    assert words(1, "months") == "1 month" and words(1.5, "months") == "1.5 months"
    assert words(1, "%") == "1 %"
