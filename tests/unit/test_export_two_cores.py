"""A long Markdown export is rendered on two cores (a forked child renders the second
half): the text must be the same as rendered in one process, whatever happens to the
child, and no child may outlive the export."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

import desktop.core.export_compose as compose_module
from desktop import export_markdown, export_writer
from desktop.core.export_compose import ExportInput, ExportOptions, Period, compose, iter_markdown
from desktop.core.records import Entry, Profile
from desktop.export_errors import ExportCancelled
from tests.unit.children import all_reaped, noted

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)


@pytest.fixture()
def doc():
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    entries = tuple(Entry(i, f"Day {i} — ünïcode", f"Line one of {i}\nline two *{i}*\n\n# Head {i}",
                          start + timedelta(hours=i), start, ("work",) if i % 2 else ())
                    for i in range(3000))
    data = ExportInput(profile=Profile(), period=Period(date(2024, 1, 1), date(2024, 6, 30)),
                       entries=entries, tz=UTC)
    return compose(data, ExportOptions(), NOW)


@pytest.fixture()
def two_cores(monkeypatch, tmp_path):
    """Fork even for this small export, and note which processes render entries."""
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    # Forced on even if an earlier test left a thread behind: the child only renders.
    monkeypatch.setattr(export_markdown, "TWO_CORES_FROM", 1000)
    monkeypatch.setattr(export_markdown, "may_fork", lambda: True)
    seen = tmp_path / "renderers"
    original = compose_module._md_entries

    def noting(block):
        with open(seen, "a") as out:
            out.write(f"{os.getpid()}\n")
        return original(block)

    monkeypatch.setattr(compose_module, "_md_entries", noting)
    return seen


def test_two_cores_write_the_same_bytes(doc, two_cores, tmp_path):
    expected = "".join(iter_markdown(doc)).encode("utf-8")
    out = export_writer.write_atomic(tmp_path / "x.md", export_writer.render(doc, "md"))
    assert out.read_bytes() == expected
    assert noted(two_cores), "the second half was not rendered by a child"
    assert all_reaped(noted(two_cores))


def _raise() -> None:
    raise RuntimeError("the child breaks")


def _kill() -> None:
    os.kill(os.getpid(), 9)


@pytest.mark.parametrize("misbehave", [_raise, _kill], ids=["fails", "killed"])
def test_a_broken_child_only_means_rendering_here(doc, two_cores, tmp_path, monkeypatch,
                                                  misbehave):
    parent = os.getpid()
    original = compose_module._md_entries

    def broken_in_child(block):
        with open(two_cores, "a") as out:
            out.write(f"{os.getpid()}\n")
        if os.getpid() != parent:
            misbehave()
        return original(block)

    monkeypatch.setattr(compose_module, "_md_entries", broken_in_child)
    expected = "".join(iter_markdown(doc)).encode("utf-8")
    out = export_writer.write_atomic(tmp_path / "x.md", export_writer.render(doc, "md"))
    assert out.read_bytes() == expected
    assert noted(two_cores)
    assert all_reaped(noted(two_cores))


def test_cancelling_stops_the_child_and_writes_nothing(doc, two_cores, tmp_path):
    polls = iter(range(1000))
    target = tmp_path / "x.md"
    target.write_text("the old file")
    with pytest.raises(ExportCancelled):
        export_writer.write_atomic(target, export_writer.render(doc, "md"),
                                   cancelled=lambda: next(polls) >= 1)
    assert target.read_text() == "the old file"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert all_reaped(noted(two_cores))


def test_no_fork_beside_other_threads(doc, monkeypatch, tmp_path):
    """The app exports on a worker thread beside Qt's: it renders in one process."""
    monkeypatch.setattr(export_markdown, "TWO_CORES_FROM", 1000)
    forks = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or (_ for _ in ()).throw(OSError))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        out = export_writer.write_atomic(tmp_path / "x.md", export_writer.render(doc, "md"))
    finally:
        stop.set()
        other.join()
    assert out.read_bytes() == "".join(iter_markdown(doc)).encode("utf-8")
    assert forks == []
