"""Render a composed export to PDF with Qt alone (no external programs).

The export's Markdown (:func:`desktop.core.export_compose.iter_markdown`, the same text
``keel export --format md`` writes, with two-column tables as one line per row) is read
by Qt's own Markdown importer into a ``QTextDocument``, styled for paper, laid out on A4
pages and painted page by page on a ``QPdfWriter``, so each page gets a footer with the
document title, the period and "Page n of N". The briefing ends its page.

Why Markdown rather than HTML: the importer is C++ (md4c), and a thousand-page export
(ten years of weekly entries) is laid out and painted in about a third of the time the
HTML path took. The text is already safe: the Markdown writer shows raw HTML, images and
links other than http(s)/mailto as text, the importer is told to ignore HTML, and the
document refuses to load any resource.

The file is written through ``QSaveFile``: nothing replaces the target until the whole
PDF has been written, so a failure leaves the old file untouched.

Needs a ``QGuiApplication`` (fonts); :func:`ensure_gui_application` makes one for the CLI.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QRegularExpression,
    QSaveFile,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTable,
)

from desktop.core.export_charts import COLOURS as CHART_COLOURS
from desktop.core.export_charts import HEIGHT as CHART_HEIGHT
from desktop.core.export_charts import WIDTH as CHART_WIDTH
from desktop.core.export_charts import shapes as chart_shapes
from desktop.core.export_compose import Chart, ExportDocument, iter_markdown
from desktop.export_errors import ExportCancelled, ExportWriteError
from desktop.platform import second_core
from desktop.platform.second_core import may_fork
from desktop.ui.pdf_join import join

RESOLUTION = 300
"""Dots per inch of the PDF's layout grid (text stays vector)."""

BODY_POINTS = 10.0
HEADINGS: dict[int, tuple[float, str, float, float]] = {
    # level: (point size, colour, space above, space below) — points
    1: (19.0, "#1b1f23", 0.0, 2.0),
    2: (15.0, "#1d3b5c", 16.0, 6.0),
    3: (12.0, "#1b1f23", 11.0, 3.0),
    4: (10.5, "#1b1f23", 8.0, 2.0),
    5: (10.5, "#1b1f23", 8.0, 2.0),
    6: (10.5, "#1b1f23", 8.0, 2.0),
}
MUTED = "#57606a"
RULE = "#b7bdc5"
TABLE_HEADER = "#eef1f4"
MARKDOWN_FEATURES = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                     | QTextDocument.MarkdownFeature.MarkdownNoHTML)
_UNSHAPED = ("\t\n\u0020-\u007e\u00a0-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u04ff"
             "\u1e00-\u1fff\u2000-\u200a\u2010-\u2029\u2030-\u205e\u20a0-\u20c0"
             "\u2100-\u22ff\u2500-\u25ff\ufffc")
"""Characters printed without text shaping (see _shape_where_needed): Latin, Greek and
Cyrillic letters without combining marks, spaces, punctuation, currency, arrows, maths
and box drawing. Anything else — Arabic, Hebrew, Indic and other scripts, combining
marks, joiners, direction marks, variation selectors, emoji — asks for shaping."""
_NEEDS_SHAPING = re.compile(f"[^{_UNSHAPED}]")


class PrintDocument(QTextDocument):
    """A text document that never loads a resource: no file, no network, no image."""

    heading_blocks: set[int] = frozenset()  # type: ignore[assignment]
    """Numbers of the heading blocks (set while styling; the page cuts keep them with
    what follows)."""
    break_blocks: set[int] = frozenset()  # type: ignore[assignment]
    """Numbers of the blocks that start a new page (the appendix)."""
    chart_blocks: list[tuple[int, Chart]] = []  # noqa: RUF012 - replaced, never mutated
    """(block number, chart) of each chart's picture, painted as vectors in print."""
    _chart_places: list[tuple[float, QRectF, Chart]] | None = None
    """Where each chart is painted, once the layout is final (see _paint_charts)."""

    def loadResource(self, _type: int, _name: Any) -> Any:  # noqa: N802 - Qt override
        return None


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


def print_markdown(doc: ExportDocument, marker: Callable[[int], str] | None = None) -> str:
    """The Markdown a printed export is laid out from (with *marker*, a paragraph where
    each chart's picture goes)."""
    return "".join(iter_markdown(doc, pairs_as_lines=True, chart_marker=marker))


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart) -> None:
    """Draw *chart* into *rect* as vector shapes (lines, dots, and letters as outlines:
    a picture, not words to copy; its caption carries the words). The shapes are the
    SVG's (:func:`desktop.core.export_charts.shapes`)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / CHART_WIDTH, rect.height() / CHART_HEIGHT)
    font = QFont("DejaVu Sans")
    font.setPixelSize(10)
    metrics = QFontMetricsF(font)
    for shape in chart_shapes(chart.spec, chart.fmt):
        colour = QColor(CHART_COLOURS[shape.style])
        p = shape.points
        if shape.kind in ("line", "path"):
            pen = QPen(colour, 1.6 if shape.style in ("series", "baseline") else 0.8)
            if shape.dashed:
                pen.setDashPattern([5 / pen.widthF(), 3 / pen.widthF()])
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline([QPointF(p[i], p[i + 1]) for i in range(0, len(p), 2)])
        elif shape.kind == "dot":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(p[0], p[1]), p[2], p[2])
        else:
            width = metrics.horizontalAdvance(shape.text)
            x = p[0] - (width if shape.anchor == "end"
                        else width / 2 if shape.anchor == "middle" else 0)
            path = QPainterPath()
            path.addText(QPointF(x, p[1]), font, shape.text)
            painter.fillPath(path, colour)
    painter.restore()


def _place_charts(text: QTextDocument, doc: ExportDocument, marker: Callable[[int], str],
                  cursor: QTextCursor, for_print: bool) -> None:
    """Put each chart where its marker paragraph is: an inline image of the chart's
    size. On screen (the preview) the image is the chart drawn by :func:`paint_chart`;
    in print it is blank and the chart is painted over it as vectors (see _paint_page).
    Either way the image is a resource of the document itself: nothing is loaded."""
    charts = [block for section in doc.sections for block in section.blocks
              if isinstance(block, Chart)]
    if not charts:
        return
    placed: list[tuple[int, Chart]] = []
    # Each marker is found by the document's own search (one call per chart, not one
    # per block: a ten-year export has 39,000 blocks); it must be a whole paragraph.
    for index in range(len(charts)):
        block = text.find(marker(index), 0,
                          QTextDocument.FindFlag.FindCaseSensitively).block()
        if block.isValid() and block.text() == marker(index):
            name = f"keel-chart-{index}"
            if for_print:
                image = QImage(1, 1, QImage.Format.Format_ARGB32)
                image.fill(Qt.GlobalColor.transparent)
            else:
                image = QImage(int(CHART_WIDTH * 2), int(CHART_HEIGHT * 2),
                               QImage.Format.Format_ARGB32)
                image.fill(Qt.GlobalColor.white)
                painter = QPainter(image)
                paint_chart(painter, QRectF(0, 0, image.width(), image.height()),
                            charts[index])
                painter.end()
            text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
            picture = QTextImageFormat()
            picture.setName(name)
            picture.setWidth(CHART_WIDTH)
            picture.setHeight(CHART_HEIGHT)
            cursor.setPosition(block.position())
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.insertImage(picture)
            placed.append((block.blockNumber(), charts[index]))
    placed.sort(key=lambda found: found[0])
    if isinstance(text, PrintDocument):
        text.chart_blocks = placed
        # A caption stays on the page of its chart, as a heading does with its text.
        text.heading_blocks = set(text.heading_blocks) | {n - 1 for n, _chart in placed}


def _paint_charts(text: QTextDocument, painter: QPainter, top: float, bottom: float) -> None:
    """Paint the charts whose pictures sit between *top* and *bottom* (page coordinates
    are the painter's). Where each picture sits is worked out once per document (the
    layout is final by then), not again for every page."""
    for y, rect, chart in _chart_places(text):
        if top - 0.5 <= y < bottom:
            paint_chart(painter, rect, chart)


def _chart_places(text: QTextDocument) -> list[tuple[float, QRectF, Chart]]:
    places = getattr(text, "_chart_places", None)
    if places is not None:
        return places  # type: ignore[no-any-return]
    places = []
    for number, chart in getattr(text, "chart_blocks", ()):
        block = text.findBlockByNumber(number)
        lines = block.layout()
        if lines is None or lines.lineCount() == 0:
            continue
        line = lines.lineAt(0)
        origin = lines.position()
        scale = line.height() / max(1.0, CHART_HEIGHT)  # device units per chart unit
        height = line.ascent()
        width = height * CHART_WIDTH / CHART_HEIGHT
        y = origin.y() + line.y() + line.ascent() - height
        if scale > 0:
            places.append((y, QRectF(origin.x() + line.x(), y, width, height), chart))
    if isinstance(text, PrintDocument):
        text._chart_places = places
    return places


def _points(points: float) -> float:
    """Points in the units of block margins and padding: the layout scales them from
    Qt's logical 96 dots per inch to the device, so a point is 96/72 of a unit."""
    return points * 96.0 / 72.0


def _style_headings(text: QTextDocument, cursor: QTextCursor) -> None:
    """Sizes, colours and spacing of headings, the muted line under the title, and a
    page break before the first section after the briefing. One pass over the blocks;
    only headings are touched (a few thousand in a ten-year export), and each distinct
    format is built once: a format object reused keeps its hash, where a new one per
    heading made Qt hash and look up every one."""
    block = text.begin()
    sections = 0
    first = True
    headings: set[int] = set()
    breaks: set[int] = set()
    levels: dict[int, int] = {}  # block format index → heading level
    block_formats: dict[tuple[int, bool], QTextBlockFormat] = {}
    char_formats: dict[tuple[int, int], QTextCharFormat] = {}
    while block.isValid():
        index = block.blockFormatIndex()
        level = levels.get(index)
        if level is None:
            level = levels[index] = block.blockFormat().headingLevel()
        if level:
            headings.add(block.blockNumber())
        if level or first:
            cursor.setPosition(block.position())
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            breaking = False
            if level == 2:
                sections += 1
                breaking = sections == 2  # the briefing ends its page
                if breaking:
                    breaks.add(block.blockNumber())
            layout = block_formats.get((index, breaking))
            if layout is None:
                layout = QTextBlockFormat(block.blockFormat())
                if level:
                    _size, _colour, above, below = HEADINGS.get(level, HEADINGS[6])
                    layout.setTopMargin(_points(above))
                    layout.setBottomMargin(_points(below))
                    if breaking:
                        layout.setPageBreakPolicy(
                            QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                block_formats[(index, breaking)] = layout
            # The importer sizes headings with a relative "size adjustment" that wins over
            # any point size, so headings get a whole new character format.
            source = -1 if block.begin().atEnd() else block.begin().fragment().charFormatIndex()
            char = char_formats.get((source, level))
            if char is None:
                char = QTextCharFormat(block.begin().fragment().charFormat()) \
                    if source != -1 else QTextCharFormat()
                char.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                if level:
                    size, colour, _above, _below = HEADINGS.get(level, HEADINGS[6])
                    char.setFontPointSize(size)
                    char.setFontWeight(QFont.Weight.DemiBold)
                    char.setForeground(QBrush(QColor(colour)))
                else:  # the "Generated … · period …" line under the title
                    char.setForeground(QBrush(QColor(MUTED)))
                char_formats[(source, level)] = char
            cursor.setBlockFormat(layout)
            cursor.setCharFormat(char)
            first = bool(level == 1)
        block = block.next()
    if isinstance(text, PrintDocument):
        text.heading_blocks, text.break_blocks = headings, breaks


def _shape_where_needed(text: QTextDocument, cursor: QTextCursor) -> None:
    """Shape the paragraphs whose text needs it.

    The document's font asks Qt not to shape text (``PreferNoShaping``): for Latin text
    shaping only adds kerning and ligatures ("ff", "fi"), and it was about a third of
    laying out a ten-year export. But Qt still treats Arabic, Hebrew, Thai and others as
    not needing it (Arabic then loses its joined forms and lam-alef), and combining marks,
    joiners and emoji sequences need it too. So a paragraph holding any character
    outside :data:`_UNSHAPED` is shaped as usual. One pass over the text in Python; the
    document's own search only runs when something was found."""
    if _NEEDS_SHAPING.search(text.toPlainText()) is None:
        return
    shaped = QTextCharFormat()
    shaped.setFontStyleStrategy(QFont.StyleStrategy.PreferDefault)
    pattern = QRegularExpression(_NEEDS_SHAPING.pattern)
    found = text.find(pattern, 0)
    while not found.isNull():
        block = found.block()
        cursor.setPosition(block.position())
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(shaped)
        found = text.find(pattern, block.position() + block.length())


def _style_tables(text: QTextDocument) -> None:
    """Hairline borders, padding and a shaded header row for the few real tables left
    (comparing options, trends)."""
    for frame in text.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        table_format = frame.format()
        table_format.setBorder(1)
        table_format.setBorderBrush(QBrush(QColor(RULE)))
        table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        table_format.setBorderCollapse(True)
        table_format.setCellPadding(_points(3))
        table_format.setCellSpacing(0)
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        table_format.setHeaderRowCount(1)
        frame.setFormat(table_format)
        for column in range(frame.columns()):
            cell = frame.cellAt(0, column)
            cell_format = cell.format()
            cell_format.setBackground(QBrush(QColor(TABLE_HEADER)))
            cell.setFormat(cell_format)


def build_document(doc: ExportDocument, device: QPdfWriter | None = None) -> QTextDocument:
    """The styled, unpaginated text of *doc* (laid out for *device* when given).

    The document is styled before anything asks for its layout: every format change to
    a laid-out document lays out the rest of it again, which for a thousand-page export
    turned a second of work into twenty.
    """
    text = PrintDocument()
    text.setUndoRedoEnabled(False)
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BODY_POINTS)
    # Whole-pixel advances at the PDF's 300 dots per inch (a 1/600 inch rounding, not
    # seen in print): each glyph's position is then a short integer in the page stream,
    # a quarter less to write and compress for a thousand pages. And no shaping for the
    # Latin text that does not need it (see _shape_where_needed).
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    text.setDefaultFont(font)
    text.setDocumentMargin(0)
    nonce = os.urandom(6).hex()  # as secrets.token_hex(6), without importing secrets

    def marker(index: int) -> str:
        return f"KEELCHART{nonce}N{index}"

    text.setMarkdown(print_markdown(doc, marker), MARKDOWN_FEATURES)
    edit = QTextCursor(text)
    edit.beginEditBlock()
    _style_headings(text, edit)
    _style_tables(text)
    _shape_where_needed(text, edit)
    _place_charts(text, doc, marker, edit, for_print=device is not None)
    edit.endEditBlock()
    if device is not None:
        text.documentLayout().setPaintDevice(device)
    return text


_HAIR = 0.5
"""Device pixels (1/600 inch): how far inside a page's cut its clip starts and ends;
more than the 1/64 pixel Qt rounds text positions to."""


class _Unit:
    """A vertical stretch of the laid-out document that a page cut may not split, except
    between the lines of a single paragraph: one block, or a whole table."""

    __slots__ = ("block", "bottom", "first", "heading", "last", "top")

    def __init__(self, top: float, bottom: float, first: Any, last: Any, heading: bool) -> None:
        self.top, self.bottom, self.first, self.last = top, bottom, first, last
        self.block = first if first == last else None
        """The one block of a paragraph (None for a table row): a cut may split it."""
        self.heading = heading


class _Blocks:
    """Units of a laid-out document found near a height, a few calls into Qt each, so
    a thousand-page export is cut without walking its 39,000 blocks."""

    def __init__(self, text: QTextDocument, height: float) -> None:
        self.text = text
        self.height = height
        self.layout = text.documentLayout()
        self.headings = getattr(text, "heading_blocks", frozenset())
        self._from = 0
        """Where the last search ended: pages are cut in order."""

    def unit(self, block: Any) -> _Unit:
        rect_of = self.layout.blockBoundingRect
        table = QTextCursor(block).currentTable()
        if table is None:
            _x, top, _w, height = rect_of(block).getRect()
            return _Unit(top, top + height, block, block,
                         block.blockNumber() in self.headings)
        # A table that fits a page moves to the next page whole; a taller one is cut
        # between rows. A row's extent is that of its cells' text (an empty cell's
        # block does not say where its row is).
        rect = self.layout.frameBoundingRect(table)
        if rect.height() <= self.height:
            return _Unit(rect.top(), rect.bottom(), table.firstCursorPosition().block(),
                         table.lastCursorPosition().block(), False)
        row = table.cellAt(block.position()).row()
        tops, bottoms = [], []
        for column in range(table.columns()):
            cell = table.cellAt(row, column)
            for edge in (cell.firstCursorPosition().block(), cell.lastCursorPosition().block()):
                if edge.length() > 1:
                    _x, top, _w, height = rect_of(edge).getRect()
                    tops.append(top)
                    bottoms.append(top + height)
        if not tops:
            _x, top, _w, height = rect_of(block).getRect()
            tops, bottoms = [top], [top + height]
        return _Unit(min(tops), max(bottoms), table.cellAt(row, 0).firstCursorPosition().block(),
                     table.cellAt(row, table.columns() - 1).lastCursorPosition().block(), False)

    def before(self, unit: _Unit) -> _Unit | None:
        block = unit.first.previous()
        return self.unit(block) if block.isValid() else None

    def after(self, unit: _Unit) -> _Unit | None:
        block = unit.last.next()
        return self.unit(block) if block.isValid() else None

    def _top(self, number: int) -> float:
        return self.layout.blockBoundingRect(self.text.findBlockByNumber(number)).top()

    def crossing(self, limit: float) -> _Unit | None:
        """The first unit that ends below *limit*, or None when everything ends above.

        Block tops grow with block numbers, so the last block starting above *limit* is
        found by galloping on from the previous answer, then halving: about a dozen
        calls into Qt per page."""
        count = self.text.blockCount()
        low = min(self._from, count - 1)
        step = 1
        while low + step < count and self._top(low + step) <= limit:
            low += step
            step *= 2
        high = min(low + step, count)  # the first block starting below the limit is < high
        while high - low > 1:
            middle = (low + high) // 2
            if self._top(middle) <= limit:
                low = middle
            else:
                high = middle
        self._from = low
        unit: _Unit | None = self.unit(self.text.findBlockByNumber(low))
        assert unit is not None
        if unit.bottom > limit + 0.5:
            earlier = self.before(unit)
            while earlier is not None and earlier.bottom > limit + 0.5:
                unit, earlier = earlier, self.before(earlier)
            return unit
        while unit is not None and unit.bottom <= limit + 0.5:
            unit = self.after(unit)
        return unit


def _line_cut(unit: _Unit, start: float, limit: float) -> tuple[float, float] | None:
    """Where to cut inside a paragraph that runs past *limit*: the top of its first line
    that does not fit, if at least one line of it stays on this page, and that line's
    height. Lines are found by halving (a 5 MB entry is one paragraph of 60,000 lines)."""
    if unit.block is None or unit.top >= limit:
        return None
    lines = unit.block.layout()
    if lines is None or lines.lineCount() < 2:
        return None
    base = lines.position().y()  # below the block's top margin (the unit's top is above)
    if not unit.top - 0.5 <= base <= unit.bottom:
        return None  # a block inside a frame: positions are the frame's, not the page's
    count = lines.lineCount()
    low, high = 0, count  # the first line whose bottom is below the limit
    while low < high:
        middle = (low + high) // 2
        line = lines.lineAt(middle)
        if base + line.y() + line.height() > limit:
            high = middle
        else:
            low = middle + 1
    # At least two lines go on: no lone last line at a page's top (and _paint_page needs
    # the page's first line not to be the block's last).
    index = min(low, count - 2)
    if index < 1:
        return None
    line = lines.lineAt(index)
    top = base + line.y()
    return (top, line.height()) if top > start + 0.5 else None


class Cut(NamedTuple):
    """The top of a page in the long laid-out document."""

    y: float
    lead: float = 0.0
    """When the cut splits a paragraph: the height of the page's first line (see
    :func:`_paint_page`); 0 at a cut between blocks."""


def page_cuts(text: QTextDocument, height: float) -> list[Cut]:
    """Each page's top in *text* (laid out as one long page), then the end.

    Cuts fall between lines, never through one; a heading is never the last thing on a
    page (it moves to the next with what it heads); a block asking for a page break
    before it (the appendix) gets one.
    """
    blocks = _Blocks(text, height)
    end = text.documentLayout().documentSize().height()
    breaks = sorted(blocks.unit(text.findBlockByNumber(number)).top
                    for number in getattr(text, "break_blocks", ()))
    cuts = [Cut(0.0)]
    start = 0.0
    while True:
        limit = start + height
        forced = next((y for y in breaks if start + 0.5 < y <= limit + 0.5), None)
        if forced is not None:
            start = forced
            cuts.append(Cut(start))
            continue
        if end <= limit + 0.5:
            break
        unit = blocks.crossing(limit)
        if unit is None:
            break
        inside = _line_cut(unit, start, limit)
        if inside is not None:
            cut = Cut(*inside)
        else:
            first, earlier = unit, blocks.before(unit)
            while earlier is not None and earlier.heading and earlier.top > start + 0.5:
                first, earlier = earlier, blocks.before(earlier)  # take the headings along
            if first.top > start + 0.5:
                cut = Cut(first.top)
            elif unit.top > start + 0.5:
                cut = Cut(unit.top)
            else:
                cut = Cut(limit)  # taller than a page: nothing better than a straight cut
        start = cut.y
        cuts.append(cut)
    cuts.append(Cut(max(end, start + 1.0)))
    return cuts


def _paint_page(text: QTextDocument, painter: QPainter, top: Cut, bottom: Cut,
                width: float) -> None:
    """Paint the stretch of *text* between two cuts at the painter's origin.

    Qt's text layout also draws the one line just above the area it is asked to paint
    (clipped away on paper, but still in the PDF for copy, search and pdftotext). So
    where a cut splits a paragraph, the area asked for starts below the page's first
    line: the line "just above" is then that first line, which belongs on this page.
    The painter's own clip is the page. A hair inside the cuts, since Qt rounds text
    positions to 1/64 pixel.
    """
    page = QRectF(0, top.y, width, bottom.y - top.y)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = QRectF(0, top.y + top.lead + _HAIR, width,
                          bottom.y - top.y - top.lead - 2 * _HAIR)
    painter.save()
    painter.translate(0, -top.y)
    painter.setClipRect(page)
    text.documentLayout().draw(painter, context)
    _paint_charts(text, painter, top.y, bottom.y)
    painter.restore()


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


def _writer(doc: ExportDocument) -> tuple[QPdfWriter, QBuffer]:
    """A PDF writer for *doc*, writing into memory (see :func:`_paint`)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(doc.title)
    writer.setCreator("Keel")
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(20, 18, 20, 14), QPageLayout.Unit.Millimeter))
    return writer, buffer


class _Pages(NamedTuple):
    """What drawing a page needs: the laid-out text, where pages start, their size and
    the footer."""

    text: QTextDocument
    cuts: list[Cut]
    width: float
    body_height: float
    footer: float
    footer_font: QFont
    footer_text: str


def _draw(pages: _Pages, writer: QPdfWriter, painter: QPainter, numbers: range,
          progress: Callable[[int, int], None] | None,
          cancelled: Callable[[], bool] | None) -> None:
    """Draw the pages *numbers* (counted from 0) with their footers on *painter*."""
    total = len(pages.cuts) - 1
    width, body_height, footer = pages.width, pages.body_height, pages.footer
    for page in numbers:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if page != numbers.start:
            writer.newPage()
        _paint_page(pages.text, painter, pages.cuts[page], pages.cuts[page + 1], width)
        painter.setFont(pages.footer_font)
        painter.setPen(QColor(RULE))
        line_y = body_height + footer * 0.35
        painter.drawLine(0, int(line_y), int(width), int(line_y))
        painter.setPen(QColor(MUTED))
        box = QRectF(0, line_y + footer * 0.1, width, footer * 0.55)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         pages.footer_text)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         f"Page {page + 1} of {total}")
        if progress is not None:
            progress(page + 1, total)


TWO_CORES_FROM = 64
"""Pages from which the second half is drawn by a forked child (see :func:`_paint`)."""


def _draw_second_half(doc: ExportDocument, pages: _Pages, numbers: range) -> second_core.Helper:
    """Fork a child that draws *numbers* into a PDF of its own and sends it back
    (:mod:`desktop.platform.second_core`)."""

    def draw() -> bytes | None:
        writer, buffer = _writer(doc)
        painter = QPainter()
        if not painter.begin(writer):
            return None
        _draw(pages, writer, painter, numbers, None, None)
        return bytes(buffer.data()) if painter.end() else None

    return second_core.start(draw)


def _paint(doc: ExportDocument, device: QSaveFile,
           progress: Callable[[int, int], None] | None,
           cancelled: Callable[[], bool] | None) -> None:
    """Lay *doc* out, cut it into pages and draw them into *device*.

    A long export is drawn on two cores: once the document is laid out and cut, a forked
    child draws the second half of the pages (with the same :func:`_draw`) while this
    process draws the first, and the two PDFs are joined (:mod:`desktop.ui.pdf_join`).
    Only a single-threaded process forks (see :mod:`desktop.platform.second_core`); if
    the child fails or its PDF cannot be joined, this process draws those pages itself."""
    writer, buffer = _writer(doc)
    paint = writer.pageLayout().paintRectPixels(RESOLUTION)
    width = float(paint.width())
    footer = RESOLUTION * 0.45  # inches → device pixels
    body_height = float(paint.height()) - footer

    text = build_document(doc, writer)
    font = text.defaultFont()
    text.setTextWidth(width)  # one long page: the cuts are chosen below, not by Qt
    # Qt drops the glyphs of a laid-out paragraph and finds them again when it is drawn.
    # Keeping them (QTextLayout.setCacheEnabled on every block) saved 40 % of drawing
    # while Latin text was shaped; without shaping it saves nothing measurable and cost
    # about 100 MB at ten years, so it is no longer done.
    cuts = page_cuts(text, body_height)
    total = len(cuts) - 1

    footer_font = QFont(font)
    footer_font.setPointSizeF(8)
    pages = _Pages(text, cuts, width, body_height, footer, footer_font,
                   f"{doc.title} · {doc.period_text or doc.period.label}")
    half = total // 2 if total >= TWO_CORES_FROM and may_fork() else total
    child = _draw_second_half(doc, pages, range(half, total)) if half < total else None
    second: bytes | None = None
    painter = QPainter()
    try:
        if not painter.begin(writer):
            raise ExportWriteError("Could not start the PDF writer.")
        try:
            _draw(pages, writer, painter, range(half), progress, cancelled)
            if child is not None:
                helper, child = child, None
                second = second_core.receive(helper)
                if second is None:
                    logging.getLogger(__name__).info("second core's pages not received; drawn here")
                    writer.newPage()
                    _draw(pages, writer, painter, range(half, total), progress, cancelled)
        finally:
            painter.end()
    finally:
        if child is not None:  # cancelled or failed while the child was drawing
            second_core.abandon(child)
    data = bytes(buffer.data())
    if second is not None:
        try:
            data = join(data, second)
        except ValueError as exc:
            logging.getLogger(__name__).info("second core's pages not joined (%s); drawn here", exc)
            writer, buffer = _writer(doc)
            painter = QPainter()
            if not painter.begin(writer):
                raise ExportWriteError("Could not start the PDF writer.") from exc
            try:
                _draw(pages, writer, painter, range(total), None, cancelled)
            finally:
                painter.end()
            data = bytes(buffer.data())
        if progress is not None:
            progress(total, total)
    if device.write(data) != len(data):
        raise ExportWriteError(f"Could not write the PDF: {device.errorString()}.")
