"""The export's shortcuts give exactly what the full work would give.

A 100-year Markdown export must take under two seconds, so most text skips work that
would not change it: ``user_markdown`` skips its line loop, ``md_escape`` its
substitutions, and bulk reads skip SQLAlchemy's row processing. Each shortcut is checked
here against the full path over a generated corpus of awkward text, so a shortcut that
skips too much fails a test rather than leaking markup into someone's export.
"""

from __future__ import annotations

import gc
import itertools
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.journal import create_entry, entries_between, list_entries
from db.journal_file import open_database
from db.snapshot import load_snapshot
from db.timeutil import from_stored
from desktop.core import export_compose
from desktop.core.export_compose import (
    _hard_breaks,
    _md_escape_line,
    _needs_line_work,
    _user_markdown_lines,
)
from desktop.core.markup import clean_text
from desktop.export_writer import collection_paused

PIECES = [
    "plain words", "", " ", "\n", "\n\n", "# heading", "   ## three spaces", "    #code",
    "====", "---", " - item", "-", "--", "* star", "+ plus", "1. one", "2) two", "> quote",
    "```", "~~~", "``", "`code`", "<b>", "<https://example.org>", "[link](javascript:x)",
    "![img](x.png)", "[ref]: file:///etc", "a]b", "\\", "*em*", "_u_", "~", "&amp;", "&#1;",
    "| pipe |", "tab\there", "=", "9", "10.", "12345678901.", "\u202e", "naïve", "-x",
]


def corpus(seed: int = 7, count: int = 4000) -> list[str]:
    """Short texts joined from awkward pieces by spaces and newlines."""
    rng = random.Random(seed)
    texts = ["".join(p) for p in itertools.product(PIECES[:12], ["\n", " ", ""], PIECES)]
    for _ in range(count):
        parts = rng.choices(PIECES, k=rng.randint(1, 7))
        texts.append("".join(p + rng.choice(["\n", " ", "", "\n\n", "\n   "]) for p in parts))
    return texts


def test_user_markdown_skips_its_line_loop_only_when_the_loop_would_change_nothing() -> None:
    skipped = 0
    for text in corpus():
        if not _needs_line_work(text):
            skipped += 1
            assert _user_markdown_lines(text, 3) == _hard_breaks(text.strip("\n")), repr(text)
    assert skipped > 500  # the shortcut is actually taken for ordinary text


def test_md_escape_returns_text_unchanged_only_when_nothing_needs_escaping() -> None:
    kept = 0
    for text in corpus(seed=11):
        line = " ".join(text.split())
        escaped = export_compose.md_escape(text)
        assert escaped == (_md_escape_line(line) if line else ""), repr(text)
        if escaped == line:
            kept += 1
    assert kept > 200
    # A date first (every entry heading) is not a list marker; "1. " is.
    assert export_compose.md_escape("2026-01-02: A day") == "2026-01-02: A day"
    assert export_compose.md_escape("1. Not a list") == "1\\. Not a list"


_WHITESPACE_AND_CONTROLS = "ab \t\n\r\x00\x0b\x1f\x7f\xa0\x85\u2028\u3000\ud800\udc00#-`~="


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_WHITESPACE_AND_CONTROLS), max_size=24)
       | st.text(max_size=24))
def test_hard_breaks_match_the_plain_look_behind_pattern(text: str) -> None:
    """The pattern that starts with its newline finds exactly the breaks the plain
    ``(?<=\\S)\\n(?=[ \\t]*\\S)`` finds, Unicode spaces and controls included."""
    reference = re.sub(r"(?<=\S)\n(?=[ \t]*\S)", "  \n", text)
    assert _hard_breaks(text) == reference


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_WHITESPACE_AND_CONTROLS), max_size=24)
       | st.text(max_size=24))
def test_clean_text_shortcut_for_printable_text_skips_nothing(text: str) -> None:
    """Printable text is returned as it is; that is what the full cleaning gives it."""
    full = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text.encode(
        "utf-16", "surrogatepass").decode("utf-16", "replace"))
    assert clean_text(text) == full


@settings(max_examples=600, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=()), max_size=12)
                | st.sampled_from(["\n", "\r\n", "\t", "\x00", "\x7f", "\ud83d", "\ude00",
                                   "\ud83d\ude00", "é", "\u2028", "\x85"]), max_size=12))
def test_clean_text_of_several_lines_matches_the_full_cleaning(parts: list[str]) -> None:
    """Text that is not one printable line (an entry) is checked through its UTF-8
    bytes; with or without lone surrogates, pairs and controls, the result is the full
    cleaning's."""
    text = "\n".join(parts)
    full = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text.encode(
        "utf-16", "surrogatepass").decode("utf-16", "replace"))
    assert clean_text(text) == full


def test_user_markdown_line_loop_still_demotes_fences_and_setext() -> None:
    """The loop only matches a fence, ATX or setext pattern when its character is on the
    line (or a text line came before); each kind still works."""
    text = "Title\n===\n# h\nx\n---\n```\n# not a heading\n<b>\n"
    assert _user_markdown_lines(text, 3) == (
        "#### Title  \n#### h  \n##### x\n```\n# not a heading\n<b>\n\n```")


def test_table_cells_are_escaped_the_same_way_when_repeated() -> None:
    for _ in range(3):  # the second and third come from the cache
        assert export_compose._md_cell("a | b *c*") == "a \\| b \\*c\\*"
        assert export_compose._md_cell("") == " "


def test_stored_times_read_as_aware_utc() -> None:
    when = from_stored("2026-03-04 05:06:07.080900")
    assert when == datetime(2026, 3, 4, 5, 6, 7, 80900, tzinfo=UTC)
    assert when.tzinfo is UTC
    naive = datetime(2020, 1, 1, 12)
    assert from_stored(naive) == naive.replace(tzinfo=UTC)
    assert from_stored(None) is None


def test_the_sql_readers_give_the_same_entries_as_the_paged_list(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "keel.sqlite3")
    try:
        base = datetime(2025, 5, 1, 9, 30, 15, 123456, tzinfo=UTC)
        for i in range(5):
            create_entry(db, f"Body {i}", f"Title {i}", ["b", "a"] if i % 2 else [],
                         when=base + timedelta(days=i, microseconds=i))
        fast = entries_between(db, base, base + timedelta(days=10))
        slow = sorted(list_entries(db), key=lambda e: (e.created_at, e.id))
        assert fast == slow
        assert fast[1].tags == ("a", "b") and fast[0].created_at == base
        assert all(e.created_at.tzinfo is UTC for e in fast)

        with db.read() as session:  # the one data path: the driver's own tuples
            rows = session.execute("SELECT id, created_at FROM entries").all()
        assert rows and all(isinstance(r, tuple) and isinstance(r[1], str) for r in rows)
        snapshot = load_snapshot(db)
        assert snapshot.answers == ()
    finally:
        db.close()


def test_the_collector_is_paused_for_an_export_and_back_on_after_a_failure() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("disk full")
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


_ZONES = ["UTC", "Europe/London", "America/Sao_Paulo", "Pacific/Apia", "Pacific/Kiritimati",
          "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Havana"]


@settings(max_examples=500, deadline=None)
@given(zone=st.sampled_from(_ZONES),
       start=st.dates(min_value=datetime(1900, 1, 2).date(), max_value=datetime(2999, 12, 1).date()),
       days=st.integers(min_value=0, max_value=40),
       offset=st.integers(min_value=-3 * 86400, max_value=45 * 86400))
def test_within_a_period_agrees_with_the_local_day_of_every_time(
        zone: str, start, days: int, offset: int) -> None:  # type: ignore[no-untyped-def]
    """The shortcut for times well inside a period gives what converting each time to
    its local day gives, across clock changes and odd offsets."""
    from zoneinfo import ZoneInfo

    from db.export_data import within
    from desktop.core.export_compose import Period

    tz = ZoneInfo(zone)
    period = Period(start, start + timedelta(days=days))
    when = datetime(start.year, start.month, start.day, tzinfo=UTC) + timedelta(seconds=offset)
    expected = period.start <= when.astimezone(tz).date() <= period.end
    assert within(period, tz)(when) is expected
