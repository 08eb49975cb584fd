"""The QApplication: names, icon, style sheet, and how errors reach the user."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import desktop
from desktop.paths import APP_ID, APP_NAME
from desktop.ui.resources import resource_dir, style_sheet

__all__ = ["app_icon", "create_application", "resource_dir", "style_sheet"]


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resource_dir() / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"keel-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


UI_SWITCH_INTERVAL = 0.001
"""Seconds a worker thread may run Python before it must offer the interpreter to the UI
thread (Python's default is 0.005). Painting a page calls into Python dozens of times
(models, delegates); while a worker imports SQLAlchemy or reads the journal, each of
those calls could wait a whole interval, and the first paint of Today stalled for 200 ms
or more. A shorter interval costs workers a little throughput."""


def freeze_start_up_heap() -> None:
    """Keep the objects alive once start-up is done out of the cyclic garbage collector's
    full collections (``gc.freeze``). A full collection walks every tracked object while
    holding the interpreter, whichever thread triggers it: a worker reading ten years of
    answers triggered one that walked the whole window's objects for 56 ms, and the UI
    thread could run no Python (no paint, no model) until it ended. The window, its pages
    and the modules live as long as the app, so walking them finds nothing; reference
    counting still frees them, and everything made later is collected as before."""
    import gc

    gc.freeze()


def create_application(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(UI_SWITCH_INTERVAL)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(desktop.__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    from desktop.ui.theme import follow_system

    follow_system(app)  # the palette and the style sheet with its tokens
    from desktop.ui.errors import install_excepthook

    install_excepthook()
    return app
