"""The printed export: Qt reads the export's Markdown, and nothing in it can load or run.

The PDF is laid out from the same Markdown the ``.md`` export writes. These tests build
that Qt document from a composed export holding the hostile corpus and check what a
reader of the PDF would meet: the attacks as plain text, no image, links only to
http(s) or mailto, headings styled as headings, the briefing on its own page, and
check-in answers as "Question — answer" lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QTextFormat

from desktop.core.export_compose import compose
from desktop.core.records import Entry
from desktop.ui.pdf_export import HEADINGS, build_document, print_markdown, write_pdf
from tests.unit.hostile_markdown import HOSTILE, MARKER
from tests.unit.test_export_compose import ALL, INSIDE, NOW, make_input

pytestmark = pytest.mark.usefixtures("qapp")


def _document(body: str, title: str = "Hostile"):  # type: ignore[no-untyped-def]
    entry = Entry(id=7, title=title, body=body, created_at=INSIDE, updated_at=INSIDE)
    return compose(make_input(entries=(entry,)), ALL, NOW)


def _fragments(text):  # type: ignore[no-untyped-def]
    block = text.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield block, it.fragment()
            it += 1
        block = block.next()


def test_hostile_markdown_prints_as_text_with_no_image_and_only_web_links() -> None:
    body = "\n\n".join(payload for _, payload in HOSTILE)
    text = build_document(_document(body))
    images = [f.charFormat().toImageFormat().name() for _, f in _fragments(text)
              if f.charFormat().isImageFormat()]
    assert images and all(re.fullmatch(r"keel-chart-\d+", name) for name in images)  # Keel's
    hrefs = {f.charFormat().anchorHref() for _, f in _fragments(text)} - {""}
    assert all(re.match(r"(https?|mailto):", href) for href in hrefs), hrefs
    plain = text.toPlainText()
    assert plain.count(MARKER) >= 3  # the markers around attacks show as words
    assert "<script>alert(1)</script>" in plain  # shown, not run or dropped silently
    assert "onerror=alert(1)" in plain


def test_the_document_never_loads_a_resource() -> None:
    text = build_document(_document("![x](file:///etc/passwd) ![a [b] c](https://evil.example/i.png)"))
    assert text.loadResource(0, "file:///etc/passwd") is None
    names = [f.charFormat().toImageFormat().name() for _, f in _fragments(text)
             if f.charFormat().isImageFormat()]
    # Only Keel's own charts, drawn into the document's own resources.
    assert all(re.fullmatch(r"keel-chart-\d+", name) for name in names), names


def test_headings_are_sized_and_the_briefing_ends_its_page() -> None:
    text = build_document(_document("Body text"))
    levels: dict[int, list[float]] = {}
    breaks = []
    for block, fragment in _fragments(text):
        level = block.blockFormat().headingLevel()
        if level:
            levels.setdefault(level, []).append(fragment.charFormat().font().pointSizeF())
            if block.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
                breaks.append(block.text())
    for level in (1, 2, 3):
        assert set(levels[level]) == {HEADINGS[level][0]}, (level, levels[level])
    assert breaks == ["Job options"]  # the first section after the briefing


def test_check_in_answers_print_as_question_and_answer_lines() -> None:
    markdown = print_markdown(_document("Body"))
    assert "| Question | Answer |" not in markdown
    lines = [line for line in markdown.splitlines() if " — **" in line]
    assert lines and all(line.endswith("**") for line in lines)
    assert not text_tables_for_pairs(markdown)


def text_tables_for_pairs(markdown: str) -> list[str]:
    """Pipe-table header rows of two columns left in the print Markdown."""
    return [line for line in markdown.splitlines()
            if re.fullmatch(r"\|[^|]*\|[^|]*\|", line.strip())]


def test_a_cancelled_pdf_leaves_the_old_file(tmp_path: Path) -> None:
    from desktop.export_writer import ExportCancelled

    target = tmp_path / "call.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ExportCancelled):
        write_pdf(_document("Body " * 2000), target, cancelled=lambda: True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["call.pdf"]


def _strategies(text):  # type: ignore[no-untyped-def]
    """Each paragraph's text with the style strategies its fragments are laid out with."""
    from PySide6.QtGui import QFont

    found: dict[str, set[QFont.StyleStrategy]] = {}
    for block, fragment in _fragments(text):
        font = fragment.charFormat().font().resolve(text.defaultFont())
        found.setdefault(block.text(), set()).add(font.styleStrategy())
    return found


def test_latin_text_skips_shaping_and_other_scripts_keep_it() -> None:
    from PySide6.QtGui import QFont

    body = "\n\n".join([
        "Plain office waffle — café, naïve, “quoted” → 5 €.",
        "Arabic مرحبا بالعالم here.",
        "Hebrew שלום and Hindi हिन्दी.",
        "A combining e\u0301 mark.",
        "Emoji 👩\u200d💻 joined.",
    ])
    found = _strategies(build_document(_document(body)))
    no_shaping = QFont.StyleStrategy.PreferNoShaping
    plain = next(k for k in found if k.startswith("Plain office"))
    assert all(s & no_shaping for s in found[plain]), found[plain]
    for start in ("Arabic", "Hebrew", "A combining", "Emoji"):
        paragraph = next(k for k in found if k.startswith(start))
        assert not any(s & no_shaping for s in found[paragraph]), (paragraph, found[paragraph])
