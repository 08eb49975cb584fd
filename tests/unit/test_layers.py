"""The layers stay visible: core and db load without Qt, the window module without SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_and_db_import_without_qt() -> None:
    import pkgutil

    import db
    import desktop.core

    names = [f"desktop.core.{m.name}" for m in pkgutil.iter_modules(desktop.core.__path__)]
    names += [f"db.{m.name}" for m in pkgutil.iter_modules(db.__path__) if m.name != "migrations"]
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert not any(m.startswith("PySide6") for m in loaded)


def test_core_imports_neither_sqlalchemy_nor_db() -> None:
    import pkgutil

    import desktop.core

    names = [f"desktop.core.{m.name}" for m in pkgutil.iter_modules(desktop.core.__path__)]
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert "sqlalchemy" not in loaded
    assert not any(m == "db" or m.startswith("db.") for m in loaded)


def test_first_window_path_does_not_import_sqlalchemy() -> None:
    loaded = _modules_after(
        "import desktop.app, desktop.ui.main_window, desktop.ui.shell, desktop.ui.navigation\n"
        "from desktop.ui.navigation import PAGES\n"
        "[spec.factory() for spec in PAGES]")
    assert "sqlalchemy" not in loaded
    assert "alembic" not in loaded
    assert "markdown" not in loaded
