"""A Markdown preview that loads nothing: no network, no local files, no images."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.core.markup import render_markdown

PREVIEW_CSS = """
body { line-height: 145%; }
h1, h2, h3 { margin-top: 0.6em; }
code, pre { font-family: monospace; }
blockquote { margin-left: 12px; padding-left: 8px; border-left: 3px solid palette(mid); }
table { border-collapse: collapse; }
th, td { border: 1px solid palette(mid); padding: 3px 6px; }
"""


class MarkdownView(QTextBrowser):
    """Shows sanitised Markdown. ``loadResource`` refuses every resource, so neither a
    remote URL nor a ``file:`` path in the text can make the viewer fetch anything."""

    def __init__(self, parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(PREVIEW_CSS)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.loaded_resources: list[str] = []
        """URLs the document asked for (always refused); tests read this."""

    def set_markdown_text(self, text: str) -> None:
        self.setHtml(render_markdown(text))

    def loadResource(self, kind: int, url: QUrl) -> object:  # noqa: N802 - Qt override
        self.loaded_resources.append(url.toString())
        return None

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
