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


def _python_calls_during(action) -> int:  # type: ignore[no-untyped-def]
    """How many Python functions run (Qt's callbacks into the model included) while
    *action* runs and the view catches up."""
    import sys

    from PySide6.QtWidgets import QApplication

    calls = 0

    def count(_frame, event, _arg):  # type: ignore[no-untyped-def]
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        action()
        for _ in range(3):
            QApplication.processEvents()
    finally:
        sys.setprofile(None)
    return calls


def test_one_row_in_or_out_does_not_call_python_for_every_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    """QListView lays out every row again when the row count changes and asks the model
    for two indexes per row: with a Python ``rowCount`` that was 73,000 calls into Python
    for one removed row of a 100-year journal. The rows stay Qt's own (C++) now, so only
    the rows on screen reach Python."""
    from PySide6.QtWidgets import QListView

    entries = make_entries(20_000)
    source = Source(entries)
    model = EntryListModel()
    model.reset(source, len(entries))
    view = QListView()
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(300, 400)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert model.entry_at(5).id == 5  # shown, so its page is read

    def remove() -> None:
        del entries[5]
        model.remove(5)

    assert _python_calls_during(remove) < 2_000  # was over 40,000
    assert model.rowCount() == 19_999
    assert [model.index(r).data(EntryRole).id for r in (4, 5, 6)] == [4, 6, 7]

    new = Entry(20_000, "Newest", "b", BASE + timedelta(days=1), BASE)

    def insert() -> None:
        entries.insert(0, new)
        model.upsert(new)

    assert _python_calls_during(insert) < 2_000
    assert model.rowCount() == 20_000 and model.index(0).data(EntryRole).id == 20_000
    assert model.index(6).data(EntryRole).id == 6
    assert _python_calls_during(lambda: model.reset(source, len(entries))) < 2_000


def test_rows_are_read_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt's list model underneath is editable; the journal list must not be."""
    model = EntryListModel()
    model.reset(Source(make_entries(3)), 3)
    index = model.index(1)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "renamed")
    assert model.index(1).data() == "Title 1"
    assert not model.flags(model.index(5)) & Qt.ItemFlag.ItemIsEnabled  # no such row
