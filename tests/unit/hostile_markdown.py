"""A corpus of hostile Markdown/HTML for every test of a preview or export.

Each payload, once rendered by ``desktop.core.markup.render_markdown`` (or placed in an
exported entry), must run nothing and load nothing. ``FORBIDDEN`` holds the patterns
that must not appear in the output; ``MARKER`` is ordinary text placed in some payloads
that should survive, showing the sanitiser removed the attack, not the whole entry.
Apply ``violations`` to a fragment or to a page's ``<body>``: a whole page has its own
``<meta>`` and ``<style>``. It matches text too, so escaped attacks shown literally
(a plain-text title such as ``&lt;img src=x&gt;``) count; check those with an HTML parser.
"""

from __future__ import annotations

import re

MARKER = "keelsafe"

HOSTILE: list[tuple[str, str]] = [
    ("script tag", f"{MARKER} <script>alert('x')</script>"),
    ("script tag uppercase", "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>"),
    ("script split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script in markdown block", f"# {MARKER}\n\n<div>\n<script>alert(1)</script>\n</div>"),
    ("img onerror", f"{MARKER} <img src=x onerror=alert(1)>"),
    ("img onerror quoted", '<img src="x" onerror="alert(\'x\')">'),
    ("body onload", "<body onload=alert(1)>"),
    ("div onclick", f'<div onclick="alert(1)">{MARKER}</div>'),
    ("a onmouseover", '<a href="https://example.org" onmouseover="alert(1)">x</a>'),
    ("p onfocus autofocus", '<p tabindex=1 onfocus=alert(1) autofocus>x</p>'),
    ("svg onload", "<svg onload=alert(1)>"),
    ("svg with script", "<svg><script>alert(1)</script><circle r=5 /></svg>"),
    ("svg animate", '<svg><a><animate attributeName=href values=javascript:alert(1) />'
                    '<text x=20 y=20>x</text></a></svg>'),
    ("math", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("javascript link", "[click](javascript:alert(1))"),
    ("mixed-case javascript link", "[click](JaVaScRiPt:alert(1))"),
    ("javascript link with spaces", "[click](  javascript:alert(1))"),
    ("entity-encoded javascript link",
     "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))"),
    ("hex entity javascript link",
     '<a href="&#x6A;avascript&#x3A;alert(1)">click</a>'),
    ("tab-split javascript link", '<a href="java\tscript:alert(1)">click</a>'),
    ("raw javascript anchor", '<a href="javascript:alert(1)">click</a>'),
    ("javascript reference link", "[click][r]\n\n[r]: javascript:alert(1)"),
    ("javascript autolink", "<javascript:alert(1)>"),
    ("data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data image", "![pixel](data:image/png;base64,iVBORw0KGgo=)"),
    ("data raw anchor", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("iframe", f'{MARKER} <iframe src="https://evil.example"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object", '<object data="https://evil.example/x.swf"></object>'),
    ("embed", '<embed src="https://evil.example/x.swf">'),
    ("style tag", f"<style>body {{ background: url(http://evil.example/t.png) }}</style>{MARKER}"),
    ("style attribute", '<p style="background:url(http://evil.example/t.png)">x</p>'),
    ("remote img tag", "<img src=http://evil.example/track.png>"),
    ("remote markdown image", "![tracker](http://evil.example/track.png)"),
    ("remote reference image", "![tracker][t]\n\n[t]: https://evil.example/t.png"),
    ("image with brackets in its alt text", "![a [b] c](https://evil.example/nested.png)"),
    ("img srcset", '<img srcset="http://evil.example/a.png 1x">'),
    ("file link", "[passwords](file:///etc/passwd)"),
    ("file raw anchor", '<a href="file:///C:/Users/me/secret.txt">x</a>'),
    ("absolute local image", "![me](/home/me/Pictures/me.jpg)"),
    ("windows local image", "![me](C:/Users/me/me.jpg)"),
    ("relative link", "[x](../../etc/passwd)"),
    ("form and input", '<form action="https://evil.example"><input name=q>'
                       '<button formaction=javascript:alert(1)>go</button></form>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'),
    ("base href", '<base href="https://evil.example/">'),
    ("link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("comment", f"<!-- <script>alert(1)</script> -->{MARKER}"),
    ("unclosed comment", "text <!-- never closed"),
    ("video poster", '<video poster="http://evil.example/p.png" src="x.mp4"></video>'),
    ("audio", '<audio src="http://evil.example/a.mp3" autoplay></audio>'),
    ("table background", '<table background="http://evil.example/bg.png"><tr><td>x</td></tr>'
                          "</table>"),
    ("noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("template", "<template><script>alert(1)</script></template>"),
    ("css expression", '<div style="width: expression(alert(1))">x</div>'),
    ("vbscript link", "[x](vbscript:msgbox(1))"),
    ("object data link in markdown", '[x](data:image/svg+xml,<svg onload=alert(1)>)'),
]
"""(name, Markdown text) pairs; every one is an attack."""

FORBIDDEN: list[tuple[str, re.Pattern[str]]] = [
    ("script tag", re.compile(r"<script", re.IGNORECASE)),
    ("event attribute", re.compile(r"\son\w+\s*=", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
    ("vbscript: URL", re.compile(r"vbscript:", re.IGNORECASE)),
    ("data: URL", re.compile(r"data:", re.IGNORECASE)),
    ("file: URL", re.compile(r"file:", re.IGNORECASE)),
    ("iframe", re.compile(r"<iframe", re.IGNORECASE)),
    ("object", re.compile(r"<object", re.IGNORECASE)),
    ("embed", re.compile(r"<embed", re.IGNORECASE)),
    ("svg", re.compile(r"<svg", re.IGNORECASE)),
    ("math", re.compile(r"<math", re.IGNORECASE)),
    ("style tag", re.compile(r"<style", re.IGNORECASE)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("image", re.compile(r"<img", re.IGNORECASE)),
    ("video/audio", re.compile(r"<(video|audio|source)", re.IGNORECASE)),
    ("form", re.compile(r"<(form|input|button)", re.IGNORECASE)),
    ("meta", re.compile(r"<meta", re.IGNORECASE)),
    ("base", re.compile(r"<base", re.IGNORECASE)),
    ("link tag", re.compile(r"<link", re.IGNORECASE)),
    ("src attribute", re.compile(r"src\s*=", re.IGNORECASE)),
    ("background attribute", re.compile(r"background\s*=", re.IGNORECASE)),
    ("remote URL", re.compile(r"evil\.example", re.IGNORECASE)),
    ("local path", re.compile(r"/etc/passwd|/home/me|C:/Users", re.IGNORECASE)),
]
"""(what, pattern) pairs that must not occur in sanitised output of ``HOSTILE``."""


def violations(html: str) -> list[str]:
    """The names of the ``FORBIDDEN`` patterns found in *html*."""
    return [what for what, pattern in FORBIDDEN if pattern.search(html)]


ACTIVE_TAGS = frozenset({"script", "iframe", "img", "link", "object", "embed", "svg", "form",
                         "input", "button", "base", "video", "audio", "source", "math", "meta",
                         "style", "frame", "frameset", "template", "noscript"})
"""Tags that would run, load or restyle something; none may come from user text."""


def active_markup(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in *html* is live markup rather than text: forbidden tags, event or
    resource attributes, links other than http(s)/mailto/#. Attacks shown as text
    (``&lt;script&gt;`` in a paragraph) are the user's words and are not counted.
    *allowed* names tags the caller adds itself (a page's own ``meta`` and ``style``)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class _Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ACTIVE_TAGS and tag not in allowed:
                found.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on") or name in {"src", "srcset", "background",
                                                     "formaction", "style", "srcdoc"}:
                    found.append(f"{tag} {name}=")
                if name == "href" and not re.match(r"(https?:|mailto:|#)", value or ""):
                    found.append(f"href={value}")

    _Parser().feed(html)
    return found


_KEEL_CHART = re.compile(r'<figure class="chart">(<svg .*?</svg>)</figure>', re.S)


def without_keel_charts(html: str) -> str:
    """*html* without Keel's own chart pictures, after checking that each is inert
    (no script, link, event, style or reference to anything outside it)."""
    for svg in _KEEL_CHART.findall(html):
        assert not re.search(r"<script|href|\son\w+\s*=|url\(|<image|<use|<foreign", svg,
                             re.IGNORECASE), svg[:200]
    return _KEEL_CHART.sub("", html)
