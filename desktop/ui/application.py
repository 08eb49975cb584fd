"""The QApplication: names, icon, style sheet, and how errors reach the user."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import desktop
import resources
from desktop.paths import APP_ID, APP_NAME


def resource_dir() -> Path:
    """The ``resources`` package folder: in a checkout, an installed wheel, or the
    PyInstaller bundle (whose modules' ``__file__`` point into the bundle folder, where
    ``packaging/keel.spec`` puts ``resources/`` as plain files). Read directly rather
    than through ``importlib.resources``, which costs milliseconds before the window."""
    return Path(resources.__file__).parent


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resource_dir() / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"keel-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon


def style_sheet() -> str:
    return (resource_dir() / "style" / "keel.qss").read_text(encoding="utf-8")


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(desktop.__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    from desktop.ui.theme import follow_system

    follow_system(app)
    app.setStyleSheet(style_sheet())
    from desktop.ui.errors import install_excepthook

    install_excepthook()
    return app
