"""The words a reader sees in each export format, for comparing them (issue 18).

* Markdown: rendered by python-markdown (as a Markdown viewer would) and read as text;
* HTML: the text of ``<body>``, without Keel's charts (``<svg>``: pictures, not words);
* PDF: ``pdftotext`` without the running footer.

Ordered-list numbers are part of the text a browser shows, so they are counted for the
HTML (the PDF's text has them). A hyphen is ignored inside a word: ``pdftotext`` joins
"low-" at a line's end with "precision" on the next.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import markdown

_SKIP = {"svg", "style", "title", "script", "head"}
_BREAKS = {"br", "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div",
           "pre", "blockquote", "figcaption"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        if tag in _BREAKS:
            self.out.append("\n")
        if tag == "ol":
            self.lists.append(int(dict(attrs).get("start") or 1))
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            number = self.lists[-1]
            self.out.append(f"{number}. ")
            self.lists[-1] = number + 1  # type: ignore[operator]

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip -= 1
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.out)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", "", text)
    text = re.sub(r"(?<=\w)-\n(?=\w)", "", text)
    return re.findall(r"\w+", text)


def markdown_words(path: Path) -> list[str]:
    rendered = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables"])
    return words(html_text(rendered))


def html_words(path: Path) -> list[str]:
    page = path.read_text(encoding="utf-8")
    body = page.split("<body", 1)[1].split(">", 1)[1]
    return words(html_text(body))


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, without the footer (title · period, "Page n of N")."""
    pages = pdf_text(path).split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return ["\n".join(line for line in page.splitlines()
                      if not re.fullmatch(r"\s*Page \d+ of \d+\s*", line)
                      and "Keel — notes for an advising call ·" not in line)
            for page in pages]


def pdf_words(path: Path) -> list[str]:
    return words("\n".join(pdf_pages(path)))
