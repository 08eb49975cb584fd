"""The navigation column on the left of the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
        brand = QLabel("Keel", objectName="brand")
        tagline = QLabel("a steady course", objectName="tagline")
        layout.addWidget(brand)
        layout.addWidget(tagline)
        layout.addSpacing(14)
        for spec in pages:
            button = QToolButton(objectName=f"nav_{spec.id}")
            button.setText(f"{spec.icon}   {spec.title}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
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

    def set_current(self, page_id: str) -> None:
        if page_id in self.buttons:
            self.buttons[page_id].setChecked(True)

    def set_badge(self, page_id: str, text: str) -> None:
        """Show a small count next to a page's name (e.g. prompts due)."""
        button = self.buttons.get(page_id)
        if button is None:
            return
        base = button.text().split("  ·", 1)[0]
        button.setText(f"{base}  · {text}" if text else base)
