"""Markdown to safe HTML, for every preview and every HTML export.

Keel shows the user's own Markdown in previews and writes it into HTML exports. Both
must load nothing (no remote images, no local files, no scripts) and run nothing, even
when the text was pasted from somewhere hostile. The pipeline is:

1. clean the text: strip NUL and other C0 control characters (python-markdown uses
   ``\\x02``/``\\x03`` as internal placeholders, so user text must not contain them) and
   replace lone surrogates, which the Rust sanitiser cannot accept;
2. render with python-markdown (tables, fenced code, sane lists, nl2br — a journal is
   typed in a plain editor, so a line break the user typed should show); images are
   replaced by their alt text in brackets, so nothing is ever fetched;
3. sanitise with nh3 (ammonia) against an explicit allow-list: no ``img``, no ``style``,
   no event attributes, only ``http``/``https``/``mailto`` links and no relative URLs.

``markdown`` and ``nh3`` are imported on first use, so importing this module costs
nothing on the path to the first window.
"""

from __future__ import annotations

import html
import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import markdown as _markdown_t
    import nh3 as _nh3_t

ALLOWED_TAGS: frozenset[str] = frozenset({
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "pre", "code", "em", "strong", "del", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "a",
})
"""Tags a rendered fragment may contain; everything else is stripped (content kept,
except for ``script``/``style``-like tags whose content is dropped too)."""

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"

_DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "svg", "math", "noscript",
    "template", "textarea", "select", "title", "frame", "frameset", "noembed",
    "noframes", "applet", "xmp", "plaintext",
})
"""Tags removed together with everything inside them."""

_DIR_AUTO_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th")
"""Blocks given ``dir="auto"`` so right-to-left paragraphs lay out correctly."""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
    "font-src 'none'; form-action 'none'; base-uri 'none'"
)
"""Content-Security-Policy of every HTML page Keel writes: nothing but inline CSS."""

_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS_RE = re.compile(r"\s+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""What :data:`_CONTROL_RE` removes, as the UTF-8 bytes of those characters."""

_local = threading.local()
_cleaner_lock = threading.Lock()
_cleaners: dict[str, Any] = {}


def clean_text(text: str) -> str:
    """Return *text* safe to hand to the renderer and the sanitiser.

    Removes NUL and other C0 control characters (tab, newline and carriage return
    stay) and turns lone surrogates into U+FFFD; a valid surrogate pair becomes the
    character it encodes.
    """
    if not isinstance(text, str):
        text = str(text)
    if text.isprintable():
        return text  # one line of ordinary text: controls and surrogates are unprintable
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = None  # a lone surrogate: the full work below
    if data is not None:
        # Several lines (a journal entry): UTF-8 encodes a control character as its own
        # byte and no other character uses those bytes, so deleting them and comparing
        # lengths is one C pass, two to four times faster than the pattern.
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return text
        return _CONTROL_RE.sub("", text)
    if _SURROGATE_RE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub("", text)
    return text


def _markdown() -> _markdown_t.Markdown:
    """The Markdown converter of this thread, built on first use.

    ``markdown.Markdown`` keeps state between conversions, so each thread (UI preview,
    export worker) gets its own instance.
    """
    md = getattr(_local, "md", None)
    if md is None:
        import markdown
        from markdown.treeprocessors import Treeprocessor

        class _ImagesToAltText(Treeprocessor):
            """Replace every ``<img>`` by ``[alt text]`` so nothing is loaded."""

            def run(self, root: Any) -> None:
                for parent in list(root.iter()):
                    children = list(parent)
                    for index, child in enumerate(children):
                        if child.tag != "img":
                            continue
                        alt = child.get("alt") or "image"
                        text = f"[{alt}]" + (child.tail or "")
                        if index == 0:
                            parent.text = (parent.text or "") + text
                        else:
                            previous = children[index - 1]
                            previous.tail = (previous.tail or "") + text
                        parent.remove(child)

        md = markdown.Markdown(
            extensions=["tables", "fenced_code", "sane_lists", "nl2br"],
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
        # After the inline processor (priority 20) has created the <img> elements.
        md.treeprocessors.register(_ImagesToAltText(md), "keel_images_to_alt", 15)
        _local.md = md
    return md


def _cleaner(kind: str) -> _nh3_t.Cleaner:
    """A shared nh3 cleaner: ``fragment`` for rendered Markdown, ``text`` for no tags."""
    cleaner = _cleaners.get(kind)
    if cleaner is None:
        import nh3

        with _cleaner_lock:
            cleaner = _cleaners.get(kind)
            if cleaner is None:
                if kind == "fragment":
                    cleaner = nh3.Cleaner(
                        tags=set(ALLOWED_TAGS),
                        clean_content_tags=set(_DROP_WITH_CONTENT),
                        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                        url_schemes=set(URL_SCHEMES),
                        url_relative="deny",
                        link_rel=LINK_REL,
                        strip_comments=True,
                        set_tag_attribute_values={t: {"dir": "auto"} for t in _DIR_AUTO_TAGS},
                    )
                else:
                    cleaner = nh3.Cleaner(
                        tags=set(),
                        clean_content_tags=set(_DROP_WITH_CONTENT),
                        attributes={},
                        strip_comments=True,
                        link_rel=None,
                    )
                _cleaners[kind] = cleaner
    return cleaner


def sanitize_html(fragment: str, *, extra_tags: frozenset[str] = frozenset(),
                  extra_attributes: dict[str, set[str]] | None = None) -> str:
    """Sanitise an HTML fragment with Keel's allow-list (plus *extra_tags*).

    Extra tags and attributes are for Keel's own structural markup (``section``,
    ``class`` on a table); user text never needs them.
    """
    fragment = clean_text(fragment)
    if not extra_tags and not extra_attributes:
        return _cleaner("fragment").clean(fragment)
    key = repr((sorted(extra_tags),
                sorted((tag, sorted(names)) for tag, names in (extra_attributes or {}).items())))
    cleaner = _cleaners.get(key)
    if cleaner is None:
        import nh3

        attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
        for tag, names in (extra_attributes or {}).items():
            attributes.setdefault(tag, set()).update(names)
        cleaner = nh3.Cleaner(
            tags=set(ALLOWED_TAGS | extra_tags),
            clean_content_tags=set(_DROP_WITH_CONTENT - extra_tags),
            attributes=attributes,
            url_schemes=set(URL_SCHEMES),
            url_relative="deny",
            link_rel=LINK_REL,
            strip_comments=True,
        )
        with _cleaner_lock:
            _cleaners.setdefault(key, cleaner)
    return cleaner.clean(fragment)


_NOT_PROSE_RE = re.compile(
    r"[^\w\s.,;:'\"?!()%$€£@/–—’‘“”-]"  # any Markdown or HTML punctuation
    r"|_"  # emphasis inside words
    r"|^[ \t]"  # indented code, nested lists
    r"|^[-+]"  # list items, rules, setext underlines
    r"|^\d+[.)]",  # ordered lists
    re.MULTILINE,
)


def is_plain_prose(text: str) -> bool:
    """True when *text* has nothing Markdown would treat as markup: words, spaces and
    everyday punctuation only. Most journal paragraphs are like that."""
    return _NOT_PROSE_RE.search(text) is None


def _prose_html(text: str) -> str:
    """What Markdown (with nl2br) makes of plain prose, without running it: paragraphs
    at blank lines, a line break at each newline, everything escaped. Ten times faster,
    which matters for a thousand-page PDF export."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    return "\n".join(
        "<p dir=\"auto\">" + "<br>\n".join(html.escape(line.strip(), quote=False)
                                for line in p.split("\n")) + "</p>"
        for p in paragraphs)


def render_markdown(text: str) -> str:
    """Render the user's Markdown *text* to a sanitised HTML fragment.

    Safe for any input: scripts, event attributes, ``javascript:``/``data:``/``file:``
    links, frames, SVG, styles and images are all removed (an image becomes its alt
    text in brackets), and the result refers to no resource at all.
    """
    text = clean_text(text)
    if not text.strip():
        return ""
    if is_plain_prose(text):
        return _prose_html(text)
    md = _markdown()
    try:
        rendered = md.reset().convert(text)
    except RecursionError:
        # Pathologically nested input (thousands of ">" or list levels): show it as text.
        rendered = "<pre>" + html.escape(text) + "</pre>"
        md.reset()
    return _cleaner("fragment").clean(rendered)


def plain_text(markdown_text: str) -> str:
    """The readable text of *markdown_text*, without markup, on one line.

    For snippets, search results and titles: whitespace runs collapse to one space.
    The result is plain text, not HTML: show it with ``Qt.TextFormat.PlainText``
    (a user's ``<b>`` typed as text comes back as ``<b>``).
    """
    text = clean_text(markdown_text)
    if not text.strip():
        return ""
    md = _markdown()
    try:
        rendered = md.reset().convert(text)
    except RecursionError:
        md.reset()
        return _WS_RE.sub(" ", text).strip()
    stripped = _cleaner("text").clean(rendered)
    return _WS_RE.sub(" ", html.unescape(stripped)).strip()


def safe_html_document(body_html: str, title: str, css: str = "") -> str:
    """Wrap an already sanitised *body_html* into a complete, self-contained page.

    The page declares UTF-8, a strict Content-Security-Policy (nothing may load; only
    inline styles apply) and ``no-referrer``. *title* is plain text and is escaped;
    *css* is placed in a ``<style>`` element and cannot close it early.
    """
    safe_css = clean_text(css).replace("<", "\\3C ")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(clean_text(title))}</title>\n"
        f"<style>\n{safe_css}\n</style>\n"
        "</head>\n"
        f'<body dir="auto">\n{body_html}\n</body>\n</html>\n'
    )
