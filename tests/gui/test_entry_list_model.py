"""The Journal list model: every row known up front, pages read only when shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from desktop.core.records import Entry
from desktop.ui.models.entry_list_model import PAGE, EntryListModel, EntryRole, SnippetRole

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def make_entries(n: int) -> list[Entry]:
    return [Entry(i, f"Title {i}" if i % 3 else "", f"# Heading {i}\nBody **{i}** [link](x)",
                  BASE - timedelta(days=i), BASE - timedelta(days=i), ("t",) if i % 2 else ())
            for i in range(n)]


class Source:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.calls: list[tuple[int, int]] = []

    def __call__(self, offset: int, limit: int) -> list[Entry]:
        self.calls.append((offset, limit))
        return self.entries[offset:offset + limit]


def test_rows_are_all_known_and_pages_load_on_demand() -> None:
    source = Source(make_entries(PAGE * 5 + 7))
    model = EntryListModel()
    model.reset(source, len(source.entries))
    assert model.rowCount() == PAGE * 5 + 7
    assert source.calls == []  # nothing read until a row is shown
    last = model.index(model.rowCount() - 1)
    assert last.data(EntryRole).id == PAGE * 5 + 6
    assert source.calls == [(PAGE * 5, PAGE)]
    assert model.index(1).data() == "Title 1"
    assert model.index(0).data() == "Heading 0"  # untitled: first line, without '#'
    assert model.index(0).data(SnippetRole) == "Body 0 link"
    assert len(source.calls) == 2


def test_upsert_and_remove_keep_rows_in_step() -> None:
    entries = make_entries(10)
    source = Source(entries)
    model = EntryListModel()
    model.reset(source, len(entries))
    assert model.index(3).data(EntryRole).id == 3
    renamed = Entry(3, "Renamed", "b", BASE, BASE)
    assert model.upsert(renamed) == 3
    assert model.index(3).data(Qt.ItemDataRole.DisplayRole) == "Renamed"

    new = Entry(99, "Newest", "b", BASE + timedelta(days=1), BASE)
    entries.insert(0, new)
    assert model.upsert(new) == 0
    assert model.rowCount() == 11 and model.index(0).data() == "Newest"
    entries.pop(0)
    model.remove(99)
    assert model.rowCount() == 10


def test_fixed_list_for_search_results() -> None:
    model = EntryListModel()
    model.set_entries(make_entries(3))
    assert [model.index(r).data(EntryRole).id for r in range(3)] == [0, 1, 2]
    model.remove(1)
    assert [model.index(r).data(EntryRole).id for r in range(2)] == [0, 2]


def test_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = EntryListModel()
    model.reset(Source(make_entries(PAGE + 3)), PAGE + 3)
    qtmodeltester.check(model)
