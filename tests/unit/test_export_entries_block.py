"""The journal entries of an export are one kind of block (:class:`Entries`), not a
heading and paragraphs per entry: every renderer must give exactly the text the separate
blocks gave (the 100-year Markdown export was checked byte for byte; these tests keep it
so for any entry text, any number of entries and any split into blocks)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.export_compose import (
    Block,
    Entries,
    ExportDocument,
    ExportInput,
    ExportOptions,
    Heading,
    Paragraph,
    Period,
    Section,
    check_redaction,
    compose,
    iter_markdown,
    markdown_of,
    markdown_plan,
    to_html,
)
from desktop.core.records import Entry, Profile
from desktop.core.redact import RedactionIncomplete, Redactor

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
PERIOD = Period(date(2024, 1, 1), date(2024, 6, 30))

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60) | \
    st.sampled_from(["", " ", "\n", "\x01\x02", "# Head\nline", "a\nb", "```\ncode",
                     "Title\n===", "<b>x</b> [l](javascript:x)", "- item\n- two", "$250k"])
entry_items = st.tuples(st.sampled_from(["1 Jan 2024", "29 Feb 2024"]), texts,
                        st.sampled_from(["", "*Tags: work*", "*Tags: a, b*", "*Tags: \\#x*"]),
                        st.none() | texts)


def separate_blocks(items: list[tuple[str, str, str, str | None]]) -> tuple[Block, ...]:
    """What the composer built before :class:`Entries`: a heading and paragraphs."""
    blocks: list[Block] = []
    for shown, title, tags, body in items:
        blocks.append(Heading(3, f"{shown}: {title}", anchor=shown))
        if tags:
            blocks.append(Paragraph(tags))
        if body is not None:
            blocks.append(Paragraph(body))
    return tuple(blocks)


def document(blocks: tuple[Block, ...]) -> ExportDocument:
    return ExportDocument("Keel", NOW, PERIOD, (Section("entries", "Journal entries", blocks),))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry_items, max_size=6), st.integers(1, 4))
def test_entries_render_as_separate_blocks_did(items, size):
    chunks = tuple(Entries(tuple(items[i:i + size])) for i in range(0, len(items), size))
    as_entries, as_blocks = document(chunks), document(separate_blocks(items))
    assert "".join(iter_markdown(as_entries)) == "".join(iter_markdown(as_blocks))
    assert to_html(as_entries) == to_html(as_blocks)
    plan = markdown_plan(as_entries)
    for cut in range(len(plan) + 1):  # any stretch renders on its own, and they join
        assert "".join(markdown_of(plan[:cut])) + "".join(markdown_of(plan[cut:])) \
            == "".join(iter_markdown(as_blocks))


def test_redaction_check_names_the_entry_across_blocks():
    """The residual scan counts entries as items across blocks, as it counted headings."""
    items = [(f"{day} Jan 2024", "Note", "", "nothing here") for day in range(1, 4)]
    items.append(("4 Jan 2024", "Note", "", "lunch with Dana"))
    redactor = Redactor(people=["Dana"])
    for size in (1, 3, 4):
        blocks = tuple(Entries(tuple(items[i:i + size])) for i in range(0, len(items), size))
        doc = replace(document(blocks), redactor=redactor)
        with pytest.raises(RedactionIncomplete, match=r"item 4 \(4 Jan 2024\)"):
            check_redaction(doc)
        with pytest.raises(RedactionIncomplete, match=r"item 4 \(4 Jan 2024\)"):
            check_redaction(replace(document(separate_blocks(items)), redactor=redactor))


def test_composer_makes_blocks_of_entries_and_says_when_there_are_none():
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    entries = tuple(Entry(i, f"T{i}", f"body {i}" if i % 3 else " \n", start + timedelta(hours=i),
                          start, ("a", "b") if i % 2 else ()) for i in range(2500))
    data = ExportInput(profile=Profile(), period=PERIOD, entries=entries, tz=UTC)
    section = compose(data, ExportOptions(frozenset({"entries"})), NOW).sections[1]
    assert [len(b.items) for b in section.blocks if isinstance(b, Entries)] == [1024, 1024, 452]
    first = section.blocks[0].items  # type: ignore[union-attr]
    assert first[1] == ("1 Jan 2024", "T1", "*Tags: a, b*", "body 1")
    assert first[3][3] is None  # a body of white space is no paragraph
    empty = compose(replace(data, entries=()), ExportOptions(frozenset({"entries"})), NOW)
    assert empty.sections[1].blocks == (Paragraph("No journal entries in this period."),)
