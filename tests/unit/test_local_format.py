"""One date format and one money format per export, from the user's locale."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.local_format import LocalFormat, absolute

DAY = date(2026, 11, 30)


def test_days_in_each_order_and_numbers_with_local_separators() -> None:
    assert LocalFormat().day(DAY) == "30 Nov 2026"
    assert LocalFormat(order="mdy").day(DAY) == "Nov 30, 2026"
    assert LocalFormat(order="ymd").day(DAY) == "2026 Nov 30"
    german = LocalFormat(group=".", decimal=",")
    assert german.number(1234567.5) == "1.234.567,5"
    assert german.money(200000, "usd") == "200.000 USD"
    assert LocalFormat(group="\u202f").number(40000) == "40\u202f000"


def test_keel_wording_becomes_absolute() -> None:
    fmt = LocalFormat(order="mdy")
    text = "Runway of 12,000 USD on 30 Nov 2026 (today); last on 2 Oct 2026 (8 weeks ago)"
    assert absolute(text, fmt) == "Runway of 12,000 USD on Nov 30, 2026; last on Oct 2, 2026"
    assert absolute("(snapshot of 30 Nov 2026 (today))", LocalFormat()) == \
        "(snapshot of 30 Nov 2026)"
    assert absolute("31 Feb 2026 stays", fmt) == "31 Feb 2026 stays"


def test_settings_round_trip_and_damage() -> None:
    fmt = LocalFormat(order="ymd", group=" ", decimal=",")
    assert LocalFormat.from_settings(fmt.to_settings()) == fmt
    for bad in (None, "x", {"months": ["a"] * 11, "order": "dmy", "group": ",", "decimal": "."},
                {**fmt.to_settings(), "order": "xyz"}, {**fmt.to_settings(), "decimal": " "}):
        assert LocalFormat.from_settings(bad) is None


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize(("name", "day", "number"), [
    ("en_US", "Nov 30, 2026", "1,234.5"),
    ("en_GB", "30 Nov 2026", "1,234.5"),
    ("de_DE", "30 Nov 2026", "1.234,5"),
])
def test_the_format_is_read_from_qlocale(name: str, day: str, number: str) -> None:
    from PySide6.QtCore import QLocale

    from desktop.export_locale import from_qlocale

    fmt = from_qlocale(QLocale(name))
    assert fmt.number(1234.5) == number
    assert fmt.day(DAY).replace("Nov.", "Nov") == day
