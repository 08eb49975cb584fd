"""The navigation column on the left of the main window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui.navigation import PageSpec


class Sidebar(QFrame):
    page_requested = Signal(str)
    """The user picked a page (argument: page id)."""

    def __init__(self, pages: tuple[PageSpec, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setFixedWidth(196)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 16, 10, 12)
        layout.setSpacing(2)
        self.brand = QLabel("Keel", objectName="brand")
        self.tagline = QLabel("a steady course", objectName="tagline")
        layout.addWidget(self.brand)
        layout.addWidget(self.tagline)
        self._specs = pages
        self.compact = False
        layout.addSpacing(14)
        for spec in pages:
            button = QToolButton(objectName=f"nav_{spec.id}")
            button.setText(f"{spec.icon}   {spec.title}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            # Qt.ToolButtonStyle.ToolButtonTextOnly, set by value: naming any Qt-namespace
            # enum builds all of them (~20 ms) before the first window.
            button.setProperty("toolButtonStyle", 1)
            button.setSizePolicy(button.sizePolicy().horizontalPolicy().Expanding,
                                 button.sizePolicy().verticalPolicy())
            keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{spec.title} ({keys})")
            button.setAccessibleName(spec.title)
            button.clicked.connect(lambda _c=False, page=spec.id: self.page_requested.emit(page))
            self._group.addButton(button)
            self.buttons[spec.id] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.footer = QLabel(objectName="sidebarFooter", wordWrap=True)
        layout.addWidget(self.footer)

    WIDE, NARROW = 196, 64

    def set_compact(self, compact: bool) -> None:
        """Icons only (narrow windows) or icons and names."""
        if compact == self.compact:
            return
        self.compact = compact
        self.setFixedWidth(self.NARROW if compact else self.WIDE)
        self.tagline.setVisible(not compact)
        self.brand.setText("K" if compact else "Keel")
        for spec in self._specs:
            button = self.buttons[spec.id]
            badge = button.property("badge") or ""
            button.setText(self._caption(spec.icon, spec.title, badge))
        self.footer.setVisible(not compact)
        self.setProperty("compact", compact)
        if not self.isVisible():
            return  # the first polish, when shown, reads the property (and re-polishing
            # here, inside the first show, cost ~20 ms of enum building before the window)
        self.style().unpolish(self)
        self.style().polish(self)
        for button in self.buttons.values():
            self.style().unpolish(button)
            self.style().polish(button)

    def _caption(self, icon: str, title: str, badge: str) -> str:
        if self.compact:  # no room for a count beside the icon (it was elided to "…"):
            return icon   # the count stays in the tooltip and the accessible description
        return f"{icon}   {title}  · {badge}" if badge else f"{icon}   {title}"

    def set_current(self, page_id: str) -> None:
        if page_id in self.buttons:
            self.buttons[page_id].setChecked(True)

    def set_badge(self, page_id: str, text: str) -> None:
        """Show a small count next to a page's name (e.g. prompts due)."""
        button = self.buttons.get(page_id)
        spec = next((s for s in self._specs if s.id == page_id), None)
        if button is None or spec is None:
            return
        button.setProperty("badge", text)
        button.setText(self._caption(spec.icon, spec.title, text))
        button.setAccessibleDescription(f"{text} due" if text else "")
        keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{spec.title} ({keys})" + (f" · {text} due" if text else ""))
