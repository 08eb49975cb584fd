"""Where Keel's shipped files are (icons, the style sheet), without Qt."""

from __future__ import annotations

from pathlib import Path

import resources


def resource_dir() -> Path:
    """The ``resources`` package folder: in a checkout, an installed wheel, or the
    PyInstaller bundle (whose modules' ``__file__`` point into the bundle folder, where
    ``packaging/keel.spec`` puts ``resources/`` as plain files). Read directly rather
    than through ``importlib.resources``, which costs milliseconds before the window."""
    return Path(resources.__file__).parent


def style_sheet() -> str:
    return (resource_dir() / "style" / "keel.qss").read_text(encoding="utf-8")
