"""Entries and answers are built from stored rows without the frozen dataclass's
``__init__`` (db.rows._builder): the records must be the same as ``Entry(...)`` and
``Answer(...)`` make, and a record type that needs its own ``__init__`` is refused."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.rows import _builder, answers_from_rows, entries_from_rows
from desktop.core.records import Answer, AnswerKind, Entry

stored = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))
tag_sets = st.lists(st.text(st.characters(exclude_characters="\x1f", codec="utf-8",
                                          exclude_categories=("Cs",)), min_size=1),
                    max_size=3, unique=True)


@given(st.lists(st.tuples(st.integers(1, 10**9), st.text(max_size=20), st.text(max_size=40),
                          stored, stored, tag_sets), max_size=8))
def test_entries_are_the_records_entry_makes(rows):
    stored_rows = [(i, title, body, created.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    updated.strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "\x1f".join(tags) if tags else None)
                   for i, title, body, created, updated, tags in rows]
    built = entries_from_rows(stored_rows)
    expected = [Entry(id=i, title=title, body=body, created_at=created.replace(tzinfo=UTC),
                      updated_at=updated.replace(tzinfo=UTC), tags=tuple(sorted(tags)))
                for i, title, body, created, updated, tags in rows]
    assert built == expected
    for entry in built:
        assert vars(entry) == vars(expected[built.index(entry)])
        assert hash(entry) == hash(expected[built.index(entry)])


def test_answers_are_the_records_answer_makes():
    rows = [(1, 2, "worry-level", "2024-05-01 09:00:00.000000", "scale", None, 4.0, 0, None),
            (2, 2, "note", "2024-05-01 09:00:00.000000", "text", "fine", None, 1, "later")]
    when = datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert answers_from_rows(rows) == [
        Answer(1, 2, "worry-level", when, AnswerKind.SCALE, None, 4.0, False, None),
        Answer(2, 2, "note", when, AnswerKind.TEXT, "fine", None, True, "later")]


def test_built_records_stay_frozen_and_complete():
    entry = _builder(Entry)(1, "t", "b", datetime(2024, 1, 1, tzinfo=UTC),
                            datetime(2024, 1, 1, tzinfo=UTC), ())
    with pytest.raises(FrozenInstanceError):
        entry.title = "changed"  # type: ignore[misc]
    assert [f.name for f in fields(Entry)] == list(vars(entry))
    with pytest.raises(ValueError):  # a value missing is an error, not a record short of it
        _builder(Entry)(1, "t")


def test_records_that_need_their_own_init_are_refused():
    @dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value >= 0

    @dataclass(frozen=True, slots=True)
    class Slotted:
        value: int

    for record in (Checked, Slotted):
        with pytest.raises(TypeError):
            _builder(record)
