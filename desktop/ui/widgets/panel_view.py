"""The experts' panel for one option: considerations grouped by stance, never a verdict."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.core.panel import PanelItem
from desktop.core.provenance import OTHER_VIEW, raised_by, source_line
from desktop.core.records import JobOption

GROUPS = (
    ("caution", "Reasons for caution"),
    ("supportive", "Points in favour"),
    ("consider", "To consider"),
)
NOTE = ("The panel lists considerations the experts raised that fit this option, each "
        "paraphrased with a few words of the seed to find it by. It is not a verdict or a "
        "score: the experts disagree with each other, and the weighing is yours.")


def _label(text: str, name: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PanelItemCard(QFrame):
    """One consideration: title and experts, the paraphrase, why it applies, another view."""

    def __init__(self, item: PanelItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("panelCard")
        self.setProperty("stance", item.stance)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        title = _label(f"<b>{html.escape(item.title)}</b> &nbsp;·&nbsp; "
                       f"{html.escape(raised_by(item.experts))}", "panelTitle", rich=True)
        layout.addWidget(title)
        layout.addWidget(_label(item.summary, "panelSummary"))
        layout.addWidget(_label(f"because: {item.trigger}", "mutedLabel"))
        if item.ask:
            ask = _label(f"<b>Keel can't tell yet — answer in the assessment:</b> "
                         f"{html.escape(item.ask, quote=False)}", "panelAsk", rich=True)
            layout.addWidget(ask)
        if item.counterpoint:
            other = _label(f"<b>{OTHER_VIEW}:</b> {html.escape(item.counterpoint, quote=False)}",
                           "panelCounterpoint", rich=True)
            layout.addWidget(other)
        sources = source_line((*item.sources, *item.counter_sources))
        if sources:
            layout.addWidget(_label(f"In the seed: {sources}", "panelSource"))
        self.setAccessibleName(f"{item.title}, {item.attribution}")


class PanelView(QWidget):
    """Shows :func:`desktop.core.panel.panel` items for the selected option."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = QWidget(objectName="panelHost")
        self._body = QVBoxLayout(self._host)
        self._body.setContentsMargins(4, 4, 12, 12)
        self._body.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._host)
        self.note = _label(NOTE, "panelNote")
        self.heading = _label("", "panelHeading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.cards: list[PanelItemCard] = []
        self.show_panel(None, ())

    def _clear(self) -> None:
        while self._body.count():
            child = self._body.takeAt(0)
            widget = child.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.cards = []

    def show_panel(self, option: JobOption | None, items: Sequence[PanelItem]) -> None:
        """Show ``items`` for ``option`` (None: nothing selected)."""
        self._clear()
        if option is None:
            self.heading.setText("Select an option to see which experts' concerns apply.")
            self._body.addStretch(1)
            return
        self.heading.setText(f"What the experts would raise about {option.title}")
        if not items:
            self._body.addWidget(_label(
                "None of the panel's rules fit this option yet. Fill in the details and the "
                "assessment — team, kind of work, what gets published — and the relevant "
                "considerations will appear here.", "mutedLabel"))
        for stance, title in GROUPS:
            group = [i for i in items if i.stance == stance]
            if not group:
                continue
            self._body.addWidget(_label(f"{title} ({len(group)})", "panelGroup"))
            for item in group:
                card = PanelItemCard(item)
                self.cards.append(card)
                self._body.addWidget(card)
        self._body.addStretch(1)

    def texts(self) -> list[str]:
        """Every label's text, in order (for tests and accessibility checks)."""
        labels = [self.heading, self.note, *self._host.findChildren(QLabel)]
        return [w.text() for w in labels]
