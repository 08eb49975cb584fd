"""Render resources/icons/keel.svg to the PNG sizes desktops and installers ask for.

Run from anywhere: ``python packaging/render_icons.py``. Writes ``keel-<size>.png`` next to
the SVG for every size in :data:`SIZES`, with a transparent background. Uses Qt's own SVG
renderer (PySide6.QtSvg) on an offscreen QGuiApplication, so no display is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "keel.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path = SVG, out_dir: Path = ICON_DIR, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """Render ``svg`` to ``out_dir/keel-<size>.png`` for each size; return the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    written: list[Path] = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"keel-{size}.png"
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    del app
    return written


if __name__ == "__main__":
    for path in render():
        print(path)
