"""Regenerate the screenshots in docs/screenshots from demo data.

    .venv/bin/python docs/make_screenshots.py [--dark] [--pages journal today ...]

Builds a throwaway journal with ``desktop.demo.generate`` (two years, a fixed date so the
pictures do not change from run to run), opens the real main window offscreen at
1280×800, shows each page and saves ``widget.grab()``. The README and the user guide
use these files, so they always show the app as it is.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
OUT = ROOT / "docs" / "screenshots"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--pages", nargs="*", help="page ids (default: all)")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from db.journal_file import open_database
    from desktop.context import AppContext
    from desktop.demo import generate
    from desktop.paths import Paths, prepare
    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="keel-shots-"))
    paths = Paths(folder)
    prepare(paths)
    database = open_database(paths.database, paths.backups)
    generate(database, 2, NOW)
    database.close()

    app = create_application()
    if args.dark:
        from desktop.ui.theme import apply_color_scheme

        apply_color_scheme(app, dark=True)
    context = AppContext(paths, clock=lambda: NOW)
    window = MainWindow(context, settings=QSettings(str(folder / "w.ini"), QSettings.Format.IniFormat))
    window.resize(width, height)
    window.show()
    context.open()
    window.journal_opened()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if args.dark else ""
    if (width, height) != (1280, 800):
        suffix += f"-{width}x{height}"
    for page_id in args.pages or list(window.pages):
        window.show_page(page_id)
        if page_id == "journal":
            journal = window.pages["journal"]
            journal._select_row(0)
        for _ in range(30):
            app.processEvents()
        QApplication.processEvents()
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(10_000)
        for _ in range(10):
            app.processEvents()
        target = out / f"{page_id}{suffix}.png"
        window.grab().save(str(target))
        print(target)
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
