"""A long Markdown export that does not redact hands its newest entries to a forked
child as soon as they are read (``desktop.export_markdown.LaterEntries``): the file must
be the same, byte for byte, as one process writes it, whatever happens to the child and
whenever the export fails; no child may outlive the export. A real journal, a real fork."""

from __future__ import annotations

import errno
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import desktop.core.export_compose as compose_module
from db.engine import Database
from db.journal import create_entry
from desktop import export_markdown
from desktop.core.export_compose import ExportOptions, Period, compose_entries
from desktop.core.local_format import LocalFormat
from desktop.export_writer import run_export
from tests.unit.children import all_reaped, noted

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
EVERYTHING = Period(date(2023, 1, 1), date(2024, 6, 30))

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture()
def journal(db: Database) -> Database:
    """Entries of every shape a renderer treats apart: headings, fences, HTML, links,
    tags, empty bodies, non-ASCII, two entries at the same second."""
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    bodies = ["Line one\nline two *emphasis*", "# A heading\n\ntext", "```\ncode\n", "",
              "<b>raw</b> and [a link](javascript:x)", "ünïcode — 日本語 ✓", "Title\n===\nbody",
              "- a list\n- of two"]
    for i in range(240):
        when = start + timedelta(hours=13 * (i - i % 7 // 6))  # some share their time
        create_entry(db, bodies[i % len(bodies)] * (1 + i % 5), f"Entry {i}",
                     ("work", "plans") if i % 3 == 0 else (), when)
    return db


@pytest.fixture()
def composers(monkeypatch, tmp_path) -> Path:
    """Fork for this small journal too, and note which process composes entries apart."""
    monkeypatch.setattr(export_markdown, "TWO_CORES_FROM", 1000)
    seen = tmp_path / "composers"
    original = compose_module.compose_entries

    def noting(*args, **kwargs):
        with open(seen, "a") as out:
            out.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(compose_module, "compose_entries", noting)
    return seen


def export(db: Database, target: Path, options: ExportOptions | None = None,
           fork: bool = True) -> bytes:
    """Export everything to *target* as Markdown, with a child allowed or not."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_markdown, "may_fork", lambda: fork)
        run_export(db, "md", target, EVERYTHING, options or ExportOptions(), NOW, UTC)
    return target.read_bytes()


def test_a_child_makes_the_newest_entries_and_the_file_is_the_same(journal, composers,
                                                                   tmp_path):
    alone = export(journal, tmp_path / "alone.md", fork=False)
    assert not noted(composers)
    together = export(journal, tmp_path / "together.md")
    assert together == alone
    made_by = noted(composers)
    assert len(made_by) == 1, "one child, and only one, composed entries"
    assert all_reaped(made_by)
    text = together.decode()
    assert text.index("### ") < text.index("Entry 239") < text.index("## Notes on the experts")


def _raise() -> None:
    raise RuntimeError("the child breaks")


def _kill() -> None:
    os.kill(os.getpid(), 9)


@pytest.mark.parametrize("misbehave", [_raise, _kill], ids=["fails", "killed"])
def test_a_broken_child_only_means_composing_here(journal, composers, tmp_path,
                                                  monkeypatch, misbehave):
    alone = export(journal, tmp_path / "alone.md", fork=False)
    parent = os.getpid()
    noting = compose_module.compose_entries

    def broken_in_child(*args, **kwargs):
        result = noting(*args, **kwargs)
        if os.getpid() != parent:
            misbehave()
        return result

    monkeypatch.setattr(compose_module, "compose_entries", broken_in_child)
    assert export(journal, tmp_path / "together.md") == alone
    made_by = noted(composers)
    assert made_by and all_reaped(made_by)


def test_a_failure_after_the_fork_stops_the_child_and_writes_nothing(journal, composers,
                                                                     tmp_path, monkeypatch):
    import db.snapshot

    def broken(*_args, **_kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(db.snapshot, "read_snapshot", broken)
    forked: list[int] = []
    fork = os.fork

    def noting() -> int:  # the child may be stopped before it composes anything
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", noting)
    target = tmp_path / "x.md"
    target.write_text("the old file")
    with pytest.raises(OSError):
        export(journal, target)
    assert target.read_text() == "the old file"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert len(forked) == 1 and all_reaped(forked)


def test_a_redacting_export_composes_every_entry_in_order(journal, composers, tmp_path):
    """Placeholders are numbered in reading order, so nothing is composed apart."""
    options = ExportOptions(redact_people=("Entry",), redact_money=True)
    alone = export(journal, tmp_path / "alone.md", options, fork=False)
    assert export(journal, tmp_path / "together.md", options) == alone
    assert not noted(composers)
    assert b"Person 1" in alone


def test_entries_of_a_redacting_export_are_never_composed_apart():
    with pytest.raises(ValueError):
        compose_entries((), EVERYTHING, ExportOptions(redact_money=True), LocalFormat(), UTC)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60),
       st.integers(min_value=0, max_value=100))
def test_the_cut_gives_away_at_most_the_share_and_keeps_the_oldest(weights, percent):
    cut = export_markdown.newest_share(weights, percent)
    assert 1 <= cut <= len(weights)
    total = sum(weights)
    assert sum(weights[cut:]) * 100 <= total * percent
    if cut > 1:  # one more entry would have been too many
        assert sum(weights[cut - 1:]) * 100 > total * percent


@pytest.mark.parametrize("options", [ExportOptions(), ExportOptions(redact_money=True)],
                         ids=["newest entries apart", "second half apart"])
def test_a_refused_fork_only_means_doing_it_here(journal, composers, tmp_path, monkeypatch,
                                                  options):
    """Too many processes or no memory: the system refuses the fork, the export is the
    same."""
    alone = export(journal, tmp_path / "alone.md", options, fork=False)

    def refuse() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    assert export(journal, tmp_path / "together.md", options) == alone
    assert not noted(composers)
