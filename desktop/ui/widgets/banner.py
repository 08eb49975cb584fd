"""An inline message bar (like a browser's info bar) with up to two actions.

At most one banner is in view at a time (docs/DESIGN_SYSTEM.md, "Banners"): when the
window's banner and the shown page's banner both have something to say, the more
urgent kind wins (error, then warning, then info); between equals the page's own
banner wins, being about what the user is looking at, then the newer message. The
other waits, hidden, and comes back when the winner is dismissed or the page changes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from itertools import count

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

PRIORITY = {"info": 1, "warning": 2, "error": 3}
_order = count(1)
_wanted: weakref.WeakSet[Banner] = weakref.WeakSet()
"""Banners with a message set (what :func:`arbitrate` chooses among). Searching the
whole window's widget tree for banners instead took 40-50 ms on every page switch."""


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.label = QLabel(wordWrap=True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 8, 8)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self.wanted = False
        """A message is set and not dismissed (it may still wait behind another banner)."""
        self.kind = "info"
        self._seq = 0
        super().hide()

    def show_message(self, text: str, actions: list[tuple[str, Callable[[], None]]] = (),  # type: ignore[assignment]
                     kind: str = "info") -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        from PySide6.QtCore import Qt  # not before the first window (see sidebar.py)

        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = kind if kind in PRIORITY else "info"
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        for caption, callback in actions:
            button = QPushButton(caption)
            button.clicked.connect(callback)
            self._layout.addWidget(button)
            self._buttons.append(button)
        self.wanted = True
        _wanted.add(self)
        self._seq = next(_order)
        super().show()
        arbitrate(self.window())

    def hide(self) -> None:
        """Dismiss the message; a banner that waited behind this one comes into view."""
        self.wanted = False
        _wanted.discard(self)
        super().hide()
        arbitrate(self.window())

    def _rank(self) -> tuple[int, int, int]:
        depth, widget = 0, self.parentWidget()
        while widget is not None:
            depth, widget = depth + 1, widget.parentWidget()
        return PRIORITY[self.kind], depth, self._seq

    @property
    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)


def arbitrate(window: QWidget | None) -> None:
    """Show only the most urgent wanted banner among those the user could see now."""
    if window is None:
        return
    in_view = [b for b in list(_wanted)
               if isValid(b) and b.wanted and _inside(b, window)
               and (b.parentWidget() is None or b.parentWidget().isVisible())]
    if len(in_view) < 2:
        for banner in in_view:
            QFrame.show(banner)
        return
    winner = max(in_view, key=Banner._rank)
    for banner in in_view:
        QFrame.setVisible(banner, banner is winner)


def _inside(banner: Banner, window: QWidget) -> bool:
    """*banner* is a descendant of *window* (as ``window.findChildren`` would find it)."""
    parent = banner.parent()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parent()
    return False
