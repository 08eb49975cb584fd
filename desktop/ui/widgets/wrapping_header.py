"""A horizontal table header whose titles wrap onto more lines instead of being cut.

``QHeaderView`` draws each title on one line (or on the lines its text already holds),
so a narrow window either scrolls the table sideways or cuts a title mid-word ("Research
Engineer, Interpret"). This header breaks each title at spaces to fit its column, and
grows as tall as its tallest title. The style draws the section as usual (theme colours,
dark palette); only the text it is given is wrapped.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget


def wrap_words(text: str, width: int, metrics: QFontMetrics) -> list[str]:
    """*text* broken into lines at most *width* pixels wide, at spaces; its own line
    breaks are kept, and a word longer than *width* gets a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


class WrappingHeader(QHeaderView):
    """A horizontal header that wraps each section's title to the section's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._height = 0
        self.sectionResized.connect(self._refit)

    def _title(self, logical: int) -> str:
        model = self.model()
        if model is None:
            return ""
        value = model.headerData(logical, self.orientation(), Qt.ItemDataRole.DisplayRole)
        return "" if value is None else str(value)

    def _text_width(self, logical: int) -> int:
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        return max(1, self.sectionSize(logical) - 2 * margin - 2)

    def _lines(self, logical: int) -> list[str]:
        return wrap_words(self._title(logical), self._text_width(logical), self.fontMetrics())

    def _one_line_height(self) -> int:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.text = "X"
        return self.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option,
                                             QSize(), self).height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        if self.model() is None:
            return hint
        lines = max((len(self._lines(i)) for i in range(self.count())
                     if not self.isSectionHidden(i)), default=1)
        height = self._one_line_height() + (lines - 1) * self.fontMetrics().lineSpacing()
        return QSize(hint.width(), height)

    def _refit(self, *_: object) -> None:
        """A column changed width: the header may need another height."""
        height = self.sizeHint().height()
        if height != self._height:
            self._height = height
            self.updateGeometry()
            self.geometriesChanged.emit()  # the table moves its rows below the header

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:  # noqa: N802
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical
        option.text = "\n".join(self._lines(logical))
        option.textAlignment = self.defaultAlignment()
        option.state |= QStyle.StateFlag.State_Enabled if self.isEnabled() \
            else QStyle.StateFlag.State_None
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()
