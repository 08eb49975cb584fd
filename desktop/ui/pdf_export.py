"""Render a composed export to PDF with Qt alone (no external programs).

The sanitised HTML body of :func:`desktop.core.export_compose.iter_html_body` is laid
out by a ``QTextDocument`` on A4 pages and painted page by page on a ``QPdfWriter``, so
each page gets a footer with the document title, the period and "Page n of N". The file
is written through ``QSaveFile``: nothing replaces the target until the whole PDF has
been written, so a failure leaves the old file untouched. The briefing ends its page;
headings stay with what follows them.

Needs a ``QGuiApplication`` (fonts); :func:`ensure_gui_application` makes one for the CLI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QIODevice, QMarginsF, QRectF, QSaveFile, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from desktop.core.export_compose import ExportDocument, iter_html_body
from desktop.export_writer import ExportCancelled, ExportWriteError

RESOLUTION = 300
"""Dots per inch of the PDF's layout grid (text stays vector)."""

PDF_CSS = """
body { font-size: 10pt; color: #1b1f23; }
h1 { font-size: 19pt; font-weight: 600; margin-bottom: 2pt; }
h2 { font-size: 15pt; font-weight: 600; color: #1d3b5c; margin-top: 18pt; margin-bottom: 6pt;
     page-break-after: avoid; }
h3 { font-size: 12pt; font-weight: 600; margin-top: 12pt; margin-bottom: 4pt; }
h4, h5, h6 { font-size: 10.5pt; font-weight: 600; margin-top: 8pt; margin-bottom: 3pt; }
p { margin-top: 3pt; margin-bottom: 5pt; line-height: 135%; }
p.meta { color: #57606a; }
li { margin-bottom: 2pt; }
table { border-collapse: collapse; margin-top: 4pt; margin-bottom: 8pt; }
th { background-color: #eef1f4; font-weight: 600; text-align: left; }
th, td { border: 1px solid #b7bdc5; padding: 4pt; vertical-align: top; }
blockquote { margin-left: 12pt; color: #3d444d; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
a { color: #1b1f23; text-decoration: none; }
"""

_FIRST_SECTION_AFTER_BRIEFING = re.compile(r"<h2>")


def ensure_gui_application() -> QGuiApplication:
    """The running Q(Gui)Application, or a new one (offscreen when there is no display)."""
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if not os.environ.get("QT_QPA_PLATFORM") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ) and os.name == "posix" and not _is_macos():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    global _OWN_APP
    _OWN_APP = QGuiApplication(["keel"])
    import atexit

    atexit.register(_drop_own_app)  # destroy it before the interpreter tears down PySide6
    return _OWN_APP


_OWN_APP: QGuiApplication | None = None


def _drop_own_app() -> None:
    global _OWN_APP
    if _OWN_APP is not None:
        _OWN_APP.shutdown() if hasattr(_OWN_APP, "shutdown") else None
        _OWN_APP = None


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


def pdf_html(doc: ExportDocument) -> str:
    """The body HTML laid out for paper: every section after the briefing starts a page."""
    parts = []
    for index, chunk in enumerate(iter_html_body(doc)):
        if index >= 2:  # 0 is the header, 1 the briefing
            chunk = _FIRST_SECTION_AFTER_BRIEFING.sub(
                '<h2 style="page-break-before: always">', chunk, count=1) if index == 2 else chunk
        parts.append(chunk)
    # QTextDocument draws table borders only with a border attribute or CSS on the table.
    html = "\n".join(parts).replace(
        "<table>", '<table width="100%" cellspacing="0" cellpadding="5" border="1" '
        'style="border-collapse: collapse; border: 1px solid #b7bdc5;">')
    return f"<html><body>{html}</body></html>"


def write_pdf(doc: ExportDocument, path: Path,
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
    """Write *doc* as an A4 PDF at *path* (atomically, mode 0600); returns *path*.

    *progress(done, total)* is called once per page; when *cancelled()* turns True the
    write is abandoned (:class:`ExportCancelled`) and the old file is untouched.
    """
    ensure_gui_application()
    path = Path(path).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise ExportWriteError(f"Cannot write {path}: the folder does not exist or it is a folder.")
    target = QSaveFile(str(path))
    if not target.open(QIODevice.OpenModeFlag.WriteOnly):
        raise ExportWriteError(
            f"Could not write {path}: {target.errorString()}. Choose another folder; "
            "any existing file there was left untouched.")
    try:
        _paint(doc, target, progress, cancelled)
    except BaseException:
        target.cancelWriting()
        target.commit()  # discards the temporary file
        raise
    if not target.commit():
        raise ExportWriteError(
            f"Could not write {path}: {target.errorString()}. Any existing file there was "
            "left untouched.")
    os.chmod(path, 0o600)
    return path


def _paint(doc: ExportDocument, device: QSaveFile,
           progress: Callable[[int, int], None] | None,
           cancelled: Callable[[], bool] | None) -> None:
    writer = QPdfWriter(device)
    writer.setResolution(RESOLUTION)
    writer.setTitle(doc.title)
    writer.setCreator("Keel")
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(20, 18, 20, 14), QPageLayout.Unit.Millimeter))
    paint = writer.pageLayout().paintRectPixels(RESOLUTION)
    width = float(paint.width())
    footer = RESOLUTION * 0.45  # inches → device pixels
    body_height = float(paint.height()) - footer

    text = QTextDocument()
    text.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(10)
    text.setDefaultFont(font)
    text.setDefaultStyleSheet(PDF_CSS)
    text.setDocumentMargin(0)
    text.setHtml(pdf_html(doc))
    text.setPageSize(QSizeF(width, body_height))
    pages = max(1, text.pageCount())

    footer_font = QFont(font)
    footer_font.setPointSizeF(8)
    footer_text = f"{doc.title} · {doc.period.label}"
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportWriteError("Could not start the PDF writer.")
    try:
        for page in range(pages):
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body_height)
            text.drawContents(painter, QRectF(0, page * body_height, width, body_height))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#b7bdc5"))
            line_y = body_height + footer * 0.35
            painter.drawLine(0, int(line_y), int(width), int(line_y))
            painter.setPen(QColor("#57606a"))
            box = QRectF(0, line_y + footer * 0.1, width, footer * 0.55)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             footer_text)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"Page {page + 1} of {pages}")
            if progress is not None:
                progress(page + 1, pages)
    finally:
        painter.end()
