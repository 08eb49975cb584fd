"""A word-wrapped label that remembers its height for each width.

Qt asks a word-wrapped ``QLabel`` for its height at a given width many times while one
layout settles (each box layout up the tree, the scroll area with and without its scroll
bar), and ``QLabel`` lays its text out again every time. Showing Today with five flag
cards asked its 60 labels 1,370 times for 106 distinct (label, width) pairs: about two
thirds of the page's first show (docs/PERFORMANCE.md). This label answers a repeated
question from what it found the first time; a change of text, font, style or margins
forgets what it knew.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

_REMEMBERED = 8
"""Widths remembered per label (a window being resized asks for many; a few suffice)."""


class WrapLabel(QLabel):
    """A ``QLabel`` with word wrap on whose ``heightForWidth`` is remembered."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 objectName: str = "") -> None:  # noqa: N803 - Qt's keyword
        super().__init__(text, parent)
        if objectName:
            self.setObjectName(objectName)
        self.setWordWrap(True)
        self._heights: dict[tuple[int, str], int] = {}

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        key = (width, self.text())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= _REMEMBERED:
                self._heights.clear()
            height = self._heights[key] = super().heightForWidth(width)
        return height

    def setIndent(self, indent: int) -> None:  # noqa: N802 - Qt override
        self._heights.clear()
        super().setIndent(indent)

    def setMargin(self, margin: int) -> None:  # noqa: N802 - Qt override
        self._heights.clear()
        super().setMargin(margin)

    def setWordWrap(self, on: bool) -> None:  # noqa: N802 - Qt override
        if hasattr(self, "_heights"):
            self._heights.clear()
        super().setWordWrap(on)

    def setTextFormat(self, fmt: object) -> None:  # noqa: N802 - Qt override
        self._heights.clear()
        super().setTextFormat(fmt)  # type: ignore[arg-type]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # Font, style (a style sheet's padding or font), palette, direction…: start over.
        self._heights.clear()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Polish, QEvent.Type.PolishRequest,
                            QEvent.Type.StyleChange, QEvent.Type.FontChange,
                            QEvent.Type.ContentsRectChange):
            self._heights.clear()
        return super().event(event)
