"""Markdown rendering and sanitising: hostile input is neutralised, ordinary Markdown survives."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from desktop.core.markup import CSP, plain_text, render_markdown, safe_html_document
from tests.unit.hostile_markdown import FORBIDDEN, HOSTILE, MARKER, violations


@pytest.mark.parametrize(("name", "payload"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_payload_is_neutralised(name: str, payload: str) -> None:
    html = render_markdown(payload)
    assert violations(html) == [], f"{name}: {html!r}"


def test_whole_corpus_in_one_document_is_neutralised_and_keeps_the_safe_text() -> None:
    document = "\n\n".join(payload for _, payload in HOSTILE)
    html = render_markdown(document)
    assert violations(html) == []
    assert MARKER in html


def test_forbidden_patterns_do_catch_the_raw_payloads() -> None:
    """Guard against a corpus check that could never fail."""
    raw = "\n".join(payload for _, payload in HOSTILE)
    caught = {what for what, pattern in FORBIDDEN if pattern.search(raw)}
    assert {"script tag", "event attribute", "javascript: URL", "iframe", "image",
            "src attribute", "data: URL", "file: URL"} <= caught


def test_ordinary_markdown_survives() -> None:
    text = (
        "# Weighing the offer\n\n"
        "## Pros\n\n"
        "Some *emphasis*, **strong** and `code`.\n\n"
        "- first point\n- second point\n\n"
        "1. one\n2. two\n\n"
        "> a quote\n\n"
        "| Option | Pay |\n|:--|--:|\n| Lab A | 120 |\n\n"
        "```python\nprint('<b>hi</b>')\n```\n\n"
        "See [the post](https://example.org/post \"Title\") or "
        "[mail me](mailto:me@example.org).\n\n---\n"
    )
    html = render_markdown(text)
    for fragment in ("<h1", "Weighing the offer</h1>", "<h2", "<em>emphasis</em>",
                     "<strong>strong</strong>", "<code>code</code>", "<ul>",
                     "<li dir=\"auto\">first point</li>", "<ol>", "<blockquote", "<table>",
                     "<th align=\"left\"", "<td align=\"right\"", "Lab A", "<pre><code",
                     "&lt;b&gt;hi&lt;/b&gt;", 'href="https://example.org/post"',
                     'title="Title"', 'href="mailto:me@example.org"',
                     'rel="noopener noreferrer"', "<hr>"):
        assert fragment in html, fragment


def test_image_becomes_its_alt_text_in_brackets() -> None:
    html = render_markdown("Look: ![my cat](https://example.org/cat.png) here")
    assert "[my cat]" in html
    assert "<img" not in html and "cat.png" not in html


def test_line_breaks_the_user_typed_are_kept() -> None:
    assert "<br>" in render_markdown("line one\nline two")


def test_nul_bytes_and_control_characters_are_stripped() -> None:
    html = render_markdown("a\x00b\x02c\x03d\x1be")
    assert html == '<p dir="auto">abcde</p>'


def test_lone_surrogates_do_not_crash() -> None:
    html = render_markdown("broken \ud800 pair \udfff and a real one \ud83d\ude00")
    assert "\ufffd" in html and "😀" in html
    html.encode("utf-8")  # must be valid
    assert "broken" in plain_text("broken \ud800")


def test_emoji_rtl_and_combining_marks_are_kept() -> None:
    text = "😀👩‍👩‍👧 שלום עולם مرحبا e\u0301\u0301"
    html = render_markdown(text)
    assert "😀👩‍👩‍👧" in html and "שלום עולם" in html and "مرحبا" in html
    assert "e\u0301\u0301" in html
    assert 'dir="auto"' in html


def test_one_megabyte_entry_renders() -> None:
    text = ("A long line of journal text with *some* emphasis. " * 20 + "\n\n") * 1000
    assert len(text) > 1_000_000
    html = render_markdown(text)
    assert html.count("<p") == 1000


def test_deeply_nested_input_does_not_crash() -> None:
    html = render_markdown(">" * 5000 + " deep")
    assert "deep" in html


def test_empty_text_renders_to_nothing() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n\x00 ") == ""


def test_plain_text_drops_markup_and_collapses_whitespace() -> None:
    text = (
        "# Title\n\nSome **bold** and [a link](https://x.org)\n\n- item\n\n"
        "<script>bad()</script>"
    )
    assert plain_text(text) == "Title Some bold and a link item"


def test_plain_text_keeps_typed_angle_brackets_as_text() -> None:
    assert plain_text("5 &lt; 6 and a < b") == "5 < 6 and a < b"


def test_safe_html_document_is_self_contained_with_strict_csp() -> None:
    page = safe_html_document("<p>hi</p>", "Mine </title><script>x()</script>",
                              "p { color: red } </style><script>y()</script>")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert f'http-equiv="Content-Security-Policy" content="{CSP}"' in page
    assert "default-src 'none'" in CSP and "style-src 'unsafe-inline'" in CSP
    assert "<script" not in page
    assert page.count("</style>") == 1 and page.count("</title>") == 1
    assert "<p>hi</p>" in page


def test_importing_markup_does_not_import_markdown_or_nh3() -> None:
    code = (
        "import sys, desktop.core.markup; "
        "print(sorted(m for m in ('markdown', 'nh3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_rendering_is_repeatable_without_state_leaking_between_calls() -> None:
    first = render_markdown("[a][r]\n\n[r]: https://example.org/one")
    second = render_markdown("[a][r]")
    assert "example.org/one" in first
    assert "example.org" not in second
    assert re.search(r"<a\b", second) is None


@pytest.mark.parametrize("text", [
    "A plain paragraph about the offer, the team and money ($120/h).",
    "Two lines\nof prose.\n\nAnd a second paragraph — with an em dash; and “quotes”.",
    "It’s 5 o’clock: time to write 3 things down!",
])
def test_plain_prose_fast_path_renders_like_markdown(text: str) -> None:
    """Plain prose skips the Markdown parser; the result reads exactly the same."""
    import re

    from desktop.core.markup import _markdown, is_plain_prose, render_markdown, sanitize_html

    assert is_plain_prose(text)
    slow = sanitize_html(_markdown().reset().convert(text))
    squash = lambda h: re.sub(r"\s+", " ", h.replace("<br />", "<br>")).strip()  # noqa: E731
    assert squash(render_markdown(text)) == squash(slow)


@pytest.mark.parametrize("text", [
    "*emphasis*", "snake_case", "- item", "1. first", "    code", "# heading", "<b>x</b>",
    "[link](http://example.com)", "a & b", "x\n---", "`code`", "> quote",
])
def test_anything_markdown_would_change_is_not_plain(text: str) -> None:
    from desktop.core.markup import is_plain_prose

    assert not is_plain_prose(text)
