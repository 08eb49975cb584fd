"""One renderer: the PDF, the HTML page and the Markdown file of one journal carry the
same words (issue 18), even with hostile Markdown, right-to-left text, emoji, line
breaks and a very long entry; the PDF repeats no line across a page break and leaves
no heading alone at a page's end."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.journal import create_entry
from db.journal_file import open_database
from desktop.cli import main
from desktop.demo import generate
from tests.unit.export_words import html_words, markdown_words, pdf_pages, pdf_words
from tests.unit.hostile_markdown import HOSTILE

pytestmark = pytest.mark.usefixtures("qapp")
NOW = datetime.now(UTC)
QUESTIONS = "Should I stay for the vest?\nIs the eval team a real tilt?\nHow long a runway?"
LONG = " ".join(f"Sentence {i} about the long week and what it meant for the plan."
                for i in range(1200))


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("journal")
    db = open_database(folder / "keel.sqlite3")
    try:
        generate(db, 0.5, NOW)
        create_entry(db, "\n\n".join(p for _n, p in HOSTILE), "Pasted things", when=NOW)
        create_entry(db, "I typed <script>alert('x')</script> in here, and **bold**.",
                     "Script", when=NOW)
        create_entry(db, "שלום עולם — مرحبا بالعالم\nمع السلامة 🙂 🚀 done", "RTL 🙂",
                     when=NOW)
        create_entry(db, LONG, "A very long entry", when=NOW)
    finally:
        db.close()
    out = {}
    for fmt in ("md", "html", "pdf"):
        path = folder / f"call.{fmt}"
        assert main(["--data-dir", str(folder), "export", "--format", fmt, "--output",
                     str(path), "--questions", QUESTIONS]) == 0
        out[fmt] = path
    return out


def _differences(a: list[str], b: list[str]) -> tuple[list, list]:
    ca, cb = Counter(a), Counter(b)
    return (ca - cb).most_common(8), (cb - ca).most_common(8)


def test_pdf_html_and_markdown_show_the_same_words(exports: dict[str, Path]) -> None:
    md, page, pdf = (markdown_words(exports["md"]), html_words(exports["html"]),
                     pdf_words(exports["pdf"]))
    assert len(md) > 5000
    assert md == page, _differences(md, page)
    assert Counter(md) == Counter(pdf), _differences(md, pdf)
    assert "script" in md and "alert" in md  # typed markup is shown as the user's words
    assert "שלום" in pdf and "مرحبا" in pdf


def test_no_line_is_printed_on_two_pages(exports: dict[str, Path]) -> None:
    """A line at the foot of one page is not printed again at the head of the next
    (the demo repeats some sentences on purpose: those appear twice in the Markdown)."""
    pages = pdf_pages(exports["pdf"])
    assert len(pages) > 5
    source = exports["md"].read_text(encoding="utf-8")
    repeated = []
    for before, after in itertools.pairwise(pages):
        tail = [line for line in before.splitlines() if line.strip()][-2:]
        head = [line for line in after.splitlines() if line.strip()][:2]
        repeated += [line for line in tail
                     if line in head and source.count(line.replace("ﬁ", "fi")) < 2]
    assert repeated == []


def test_questions_keep_their_line_breaks(exports: dict[str, Path]) -> None:
    text = "\n".join(pdf_pages(exports["pdf"])[:1])
    lines = [line.strip() for line in text.splitlines()]
    for question in QUESTIONS.splitlines():
        assert question in lines, question
    html = exports["html"].read_text(encoding="utf-8")
    assert "Should I stay for the vest?<br>" in html


def test_no_heading_is_left_alone_at_a_page_end(exports: dict[str, Path]) -> None:
    import re

    md = exports["md"].read_text(encoding="utf-8")
    headings = {re.sub(r"\\(.)", r"\1", line.lstrip("#").strip())
                for line in md.splitlines() if re.match(r"#{2,6} ", line)}
    for number, page in enumerate(pdf_pages(exports["pdf"])[:-1], start=1):
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last not in headings, (number, last)
