"""Run Keel with a watch on imports: every load of a Qt module (PySide6, or Keel's
own ``desktop.ui``) on a thread other than the main one is written to the file
named by the first argument, one line each. Used by the start-up tests; the rest of the
arguments are Keel's command line.

    python tests/reliability/_qt_thread_guard.py OUT --data-dir DIR --startup-report
"""

from __future__ import annotations

import builtins
import sys
import threading
import traceback
from pathlib import Path

WATCHED = ("PySide6", "shiboken6", "desktop.ui")


def install(out: Path) -> None:
    original = builtins.__import__
    seen: list[str] = []
    lock = threading.Lock()

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread():
            full = name
            if level and globals:
                package = globals.get("__package__") or ""
                full = f"{package}.{name}" if name else package
            # Only a real load counts: naming a module already loaded (``from PySide6.QtCore
            # import QThread`` in an excepthook) creates nothing.
            if full.startswith(WATCHED) and full not in sys.modules:
                where = traceback.extract_stack(limit=4)[0]
                line = (f"{threading.current_thread().name}: import {full} "
                        f"({where.filename}:{where.lineno})")
                with lock:
                    seen.append(line)
                    with out.open("a", encoding="utf-8") as handle:
                        handle.write(line + "\n")
        return original(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.touch()
    install(out)
    from desktop.cli import main

    sys.exit(main(sys.argv[2:]))
