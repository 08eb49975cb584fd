"""Grow a window so a message that just appeared in it is read whole."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` tall enough for its layout at its current width.

    A word-wrapped label shown after the window was sized (an error under a field) wraps
    to more lines than the layout had room for, and Qt clips it rather than growing the
    dialog. The width is kept; only the height grows, never shrinks.
    """
    layout = window.layout()
    if layout is None:
        return
    layout.invalidate()
    layout.activate()
    width = window.width()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    needed = max(needed, layout.totalMinimumSize().height())
    if window.height() < needed:
        window.resize(width, needed)
