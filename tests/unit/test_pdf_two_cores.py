"""A long PDF is drawn on two cores: a forked child draws the second half of the pages and
the two files are joined (desktop.ui.pdf_join). The joined file must be the same document
as one drawn in a single process, and anything going wrong with the child only means the
pages are drawn here."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

import desktop.ui.pdf_export as pdf_export
from db.journal import create_entry
from db.journal_file import open_database
from desktop.core.export_compose import compose
from desktop.core.records import Entry
from desktop.export_writer import ExportCancelled
from desktop.ui.pdf_export import TWO_CORES_FROM, write_pdf
from desktop.ui.pdf_join import join
from tests.unit.export_words import pdf_text
from tests.unit.test_export_compose import ALL, INSIDE, NOW, make_input

pytestmark = pytest.mark.usefixtures("qapp")
ROOT = Path(__file__).resolve().parents[2]
LINES = "\n\n".join(f"Paragraph {i}: what the week held, and what it meant for the plan — "
                    "a line long enough to wrap once at ten points on A4." for i in range(2400))


def _long_document():  # type: ignore[no-untyped-def]
    entries = tuple(Entry(id=n, title=f"Entry {n}", body=LINES, created_at=INSIDE,
                          updated_at=INSIDE) for n in range(1, 3))
    return compose(make_input(entries=entries), ALL, NOW)


def _pages(path: Path) -> list[str]:
    """Each page's text (poppler), once pypdf has read the file strictly."""
    count = len(PdfReader(path, strict=True).pages)
    pages = pdf_text(path).split("\f")[:count]
    assert len(pages) == count
    return pages


def _font_programs(path: Path) -> int:
    return path.read_bytes().count(b"/FontFile2")


@pytest.fixture(scope="module")
def in_one_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one") / "one.pdf"
    saved = pdf_export.may_fork
    pdf_export.may_fork = lambda: False  # type: ignore[assignment]
    try:
        write_pdf(_long_document(), out)
    finally:
        pdf_export.may_fork = saved  # type: ignore[assignment]
    return out


def test_the_command_line_draws_a_long_pdf_on_two_cores_and_joins_it(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    db = open_database(folder / "keel.sqlite3")
    try:
        for n in range(2):
            create_entry(db, LINES, f"Entry {n}", when=datetime.now(UTC))
    finally:
        db.close()
    out = tmp_path / "call.pdf"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(folder), "export",
                           "--format", "pdf", "--sections", "entries", "--output", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pages = _pages(out)
    assert len(pages) >= TWO_CORES_FROM
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    # Each half embeds its own subset of the body font: the file was joined, not drawn
    # in one go; and it has one catalogue.
    data = out.read_bytes()
    assert len(re.findall(rb"/FontName /[A-Z]{6}\+DejaVuSans\s", data)) == 2
    assert data.count(b"/Type /Catalog") == 1
    words = " ".join(pages).split()
    assert words.count("Paragraph") == 2 * 2400


def _failing_child(doc, pages, numbers):  # type: ignore[no-untyped-def]
    """A child that dies at once, without touching Qt (safe to fork beside threads)."""
    reader, sender = os.pipe()
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    os.close(sender)
    return pid, reader


def test_a_failed_child_means_its_pages_are_drawn_here(
        tmp_path: Path, in_one_process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_export, "may_fork", lambda: True)
    monkeypatch.setattr(pdf_export, "_draw_second_half", _failing_child)
    out = tmp_path / "call.pdf"
    write_pdf(_long_document(), out)
    assert _pages(out) == _pages(in_one_process)
    assert _font_programs(out) == _font_programs(in_one_process)  # not joined


def test_a_refused_fork_means_every_page_is_drawn_here(
        tmp_path: Path, in_one_process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Too many processes or no memory: the system refuses the fork, the PDF is the same."""
    monkeypatch.setattr(pdf_export, "may_fork", lambda: True)

    def refuse() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    out = tmp_path / "call.pdf"
    write_pdf(_long_document(), out)
    assert _pages(out) == _pages(in_one_process)


def test_pages_that_cannot_be_joined_are_drawn_here(
        tmp_path: Path, in_one_process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_export, "may_fork", lambda: True)
    monkeypatch.setattr(pdf_export, "_draw_second_half", _failing_child)
    monkeypatch.setattr(pdf_export.second_core, "receive", lambda helper: (
        os.close(helper[1]), os.waitpid(helper[0], 0), b"%PDF-1.4\nnot a PDF")[-1])
    out = tmp_path / "call.pdf"
    write_pdf(_long_document(), out)
    assert _pages(out) == _pages(in_one_process)


def test_a_cancelled_two_core_export_leaves_the_old_file_and_no_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    children: list[int] = []

    def child(doc, pages, numbers):  # type: ignore[no-untyped-def]
        reader, sender = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            import time

            time.sleep(60)
            os._exit(0)
        os.close(sender)
        children.append(pid)
        return pid, reader

    monkeypatch.setattr(pdf_export, "may_fork", lambda: True)
    monkeypatch.setattr(pdf_export, "_draw_second_half", child)
    target = tmp_path / "call.pdf"
    target.write_bytes(b"old")
    calls = iter(range(1000))
    with pytest.raises(ExportCancelled):
        write_pdf(_long_document(), target, cancelled=lambda: next(calls) > 3)
    assert target.read_bytes() == b"old"
    assert children
    with pytest.raises(ChildProcessError):  # killed and reaped
        os.waitpid(children[0], os.WNOHANG)


def test_join_keeps_every_page_in_order(tmp_path: Path, in_one_process: Path) -> None:
    data = in_one_process.read_bytes()
    joined = tmp_path / "joined.pdf"
    joined.write_bytes(join(data, data))
    once = _pages(in_one_process)
    assert _pages(joined) == once + once


@pytest.mark.parametrize("broken", [b"", b"%PDF-1.4\n", b"%PDF-1.4\nstartxref\n9\n%%EOF\n"])
def test_join_refuses_what_qt_did_not_write(in_one_process: Path, broken: bytes) -> None:
    with pytest.raises(ValueError):
        join(in_one_process.read_bytes(), broken)
