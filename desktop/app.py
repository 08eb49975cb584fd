"""Start Keel's window. The start-up sequence, in order:

1. **Arguments** are parsed by ``desktop.cli`` and arrive here as ``LaunchOptions``.
2. **Paths**: the data folder is resolved (``--data-dir``, ``KEEL_DATA_DIR``,
   platformdirs) and created 0700; an unwritable folder is reported in the window.
3. **Logging** to a private file in that folder (never entry text).
4. **Single instance**: a QLockFile per data folder. If another live Keel holds it, we
   ask it (over a QLocalSocket) to raise its window and exit. A stale lock from a killed
   process is taken over.
5. **Schema**: a cheap read of the stored Alembic revision with ``sqlite3``. Only a new
   or out-of-date journal loads Alembic and migrates (after an online backup). A journal
   from a newer Keel, or a damaged one, is not touched; the window explains.
6. **QApplication** with organisation, name, version and desktop file name.
7. **Main window**, shown at once (no SQLAlchemy import stands before it).
8. **Load the data**: on the first event-loop turn the journal is opened through
   SQLAlchemy and every page fills itself.
9. **Event loop.**
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LaunchOptions:
    data_dir: str | None = None
    background: bool = False
    """Start hidden in the tray (used by start at login)."""
    startup_report: bool = False
    """Print the time of each start-up phase and exit once the journal is loaded."""
    demo_years: float | None = None
    """Open a throwaway journal filled with this many years of demo data."""
    page: str | None = None
    phases: list[tuple[str, float]] = field(default_factory=list)


class StartupClock:
    def __init__(self, options: LaunchOptions) -> None:
        self.t0 = _process_start()
        self.options = options

    def mark(self, phase: str) -> None:
        self.options.phases.append((phase, time.perf_counter() - self.t0))

    def report(self) -> str:
        lines = [f"{name:<24} {seconds * 1000:8.1f} ms" for name, seconds in self.options.phases]
        return "\n".join(lines)


def _process_start() -> float:
    """perf_counter() value at process start (best effort; falls back to import time)."""
    start = os.environ.get("KEEL_T0")
    if start:
        try:
            return time.perf_counter() - (time.time() - float(start))
        except ValueError:
            pass
    return _IMPORTED_AT


_IMPORTED_AT = time.perf_counter()


def run(options: LaunchOptions) -> int:
    """Run the GUI; returns the process exit code."""
    clock = StartupClock(options)
    from desktop.paths import DataDirError, prepare, resolve

    if options.demo_years is not None:
        options.data_dir = _make_demo_folder(options.demo_years)
    paths = resolve(options.data_dir)
    problem: str | None = None
    try:
        prepare(paths)
    except DataDirError as exc:
        problem = str(exc)
    clock.mark("paths")

    from desktop.logging_setup import setup_logging

    if problem is None:
        setup_logging(paths)
    clock.mark("logging")

    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    lock = None
    if problem is None:
        from desktop.ui.single_instance import acquire_lock, send_to_running

        lock = acquire_lock(paths)
        if lock is None:
            core = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
            message = "checkin" if options.page == "checkin" else "show"
            if send_to_running(paths, message):
                print("Keel is already running; its window has been raised.", file=sys.stderr)
                del core
                return 0
            problem = (f"Another Keel seems to be using {paths.data_dir} but does not answer. "
                       "Close it (or wait a moment) and try again.")
    clock.mark("single instance")

    if problem is None:
        problem = _ensure_schema(paths)
    clock.mark("schema")

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    from desktop.ui.application import create_application

    app = create_application()
    clock.mark("QApplication")

    from desktop.context import AppContext
    from desktop.ui.shell import Shell

    context = AppContext(paths)
    shell = Shell(app, context, options, lock=lock, problem=problem)
    shell.start(clock)
    if options.startup_report:
        QTimer.singleShot(0, lambda: None)
    code = app.exec()
    shell.shutdown()
    return code


def _ensure_schema(paths) -> str | None:  # type: ignore[no-untyped-def]
    """Migrate when behind; return a message for the user when the journal can't be used."""
    from db.schema import SchemaError, SchemaState, migrate, state

    current = state(paths.database)
    if current is SchemaState.CURRENT:
        return None
    try:
        migrate(paths.database, paths.backups)
    except SchemaError as exc:
        return str(exc)
    except OSError as exc:
        return f"Keel could not update its journal file: {exc.strerror or exc}. Nothing was changed."
    return None


def _make_demo_folder(years: float) -> str:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="keel-demo-"))
    folder.chmod(0o700)
    from datetime import UTC, datetime

    from db.journal_file import open_database
    from desktop.demo import generate

    (folder / "backups").mkdir(mode=0o700, exist_ok=True)
    db = open_database(folder / "keel.sqlite3", folder / "backups")
    try:
        generate(db, years, datetime.now(UTC))
    finally:
        db.close()
    print(f"Demo journal in {folder}", file=sys.stderr)
    return str(folder)
