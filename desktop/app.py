"""Start Keel's window. The start-up sequence, in order:

1. **Arguments** are parsed by ``desktop.cli`` and arrive here as ``LaunchOptions``.
2. **Paths**: the data folder is resolved (``--data-dir``, ``KEEL_DATA_DIR``,
   platformdirs) and created 0700; an unwritable folder is reported in the window.
3. **Logging** to a private file in that folder (never entry text).
4. **Single instance**: a QLockFile per data folder. If another live Keel holds it, we
   ask it (over a QLocalSocket) to raise its window and exit. A stale lock from a killed
   process is taken over. ``--background`` (start at login) on a desktop without a tray
   stops here: nothing would be on screen, and no passphrase is asked for.
5. **The journal's start-up checks** (``desktop.lifecycle.check_at_start``; this module
   supplies only the dialogs). **Unlock** (only for an encrypted journal):
   ``QApplication`` is created early and the unlock dialog asks for the passphrase (or
   ``KEEL_PASSPHRASE`` is used); the key check is timed ("unlock" in
   ``--startup-report``). Nothing is read before it.
   **Schema**: a cheap read of the stored Alembic revision with ``sqlite3``. Only a new
   or out-of-date journal loads Alembic and migrates (after an online backup). A journal
   from a newer Keel, or a damaged one, is not touched; the window explains.
6. **QApplication** with organisation, name, version and desktop file name.
7. **Main window**, shown at once: its frame only (no page, and no SQLAlchemy import,
   stands before it).
8. **Load the data**: on the first event-loop turn the first page is built; Today is
   filled from a read-only ``sqlite3`` read ("ready"); then SQLAlchemy loads on a worker,
   the journal is opened through it and every page fills itself (``desktop.ui.shell``).
9. **Event loop.**
"""

from __future__ import annotations

import logging
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
    recovery: object | None = None
    """A ``db.recovery.Recovery`` when a damaged journal was set aside at start-up."""
    unlock_seconds: float | None = None
    """How long checking an encrypted journal's passphrase took (None: not encrypted)."""


class StartupClock:
    """Times each start-up phase from process start, and — once the window is shown —
    the longest the UI thread went without turning the event loop (a 5 ms heartbeat)."""

    def __init__(self, options: LaunchOptions) -> None:
        self.t0 = _process_start()
        self.options = options
        self._beat: float | None = None
        self.max_stall = 0.0
        self._timer = None
        self.rss_at_ready: float | None = None

    def mark(self, phase: str) -> None:
        self.options.phases.append((phase, time.perf_counter() - self.t0))
        if phase == "window shown" and self.options.startup_report:
            self._start_heartbeat()
        if phase == "ready":
            self.rss_at_ready = _peak_rss_mib()

    def _start_heartbeat(self) -> None:
        from PySide6.QtCore import QTimer

        self._timer = QTimer(interval=5)
        self._timer.timeout.connect(self._on_heartbeat)
        self._beat = time.perf_counter()
        self._timer.start()

    def _on_heartbeat(self) -> None:
        now = time.perf_counter()
        if self._beat is not None:
            self.max_stall = max(self.max_stall, now - self._beat)
        self._beat = now

    def report(self) -> str:
        if self._beat is not None:
            self._on_heartbeat()  # the stretch since the last beat counts too
        lines = [f"{name:<24} {seconds * 1000:8.1f} ms" for name, seconds in self.options.phases]
        if self.options.unlock_seconds is not None:
            lines.append(f"{'unlock (key check)':<24} {self.options.unlock_seconds * 1000:8.1f} ms")
        if self._timer is not None:
            lines.append(f"{'longest UI stall':<24} {self.max_stall * 1000:8.1f} ms")
        now = _peak_rss_mib()
        if now is not None:
            # "ready" comes before SQLAlchemy has loaded (Today is read with sqlite3); the
            # report waits for the full open, so both figures are printed.
            at_ready = self.rss_at_ready if self.rss_at_ready is not None else now
            lines.append(f"peak rss {at_ready:.1f} MiB")
            lines.append(f"{'rss once fully open':<24} {now:8.1f} MiB")
        return "\n".join(lines)


def _peak_rss_mib() -> float | None:
    """The process's peak resident memory so far, in MiB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows: no getrusage
        return None
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


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
    """Run the GUI; returns the process exit code. A ``--demo`` journal's temporary
    folder is removed when Keel exits, however it exits."""
    if options.demo_years is None:
        return _run(options)
    options.data_dir = _make_demo_folder(options.demo_years)
    try:
        return _run(options)
    finally:
        _remove_demo_folder(Path(options.data_dir))


def _remove_demo_folder(folder: Path) -> None:
    import shutil

    try:  # background tasks may still be logging into the folder: let them finish first
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(10_000)
    except ImportError:
        pass
    root = logging.getLogger()
    for handler in list(root.handlers):  # the log file inside it is closed first
        if str(getattr(handler, "baseFilename", "")).startswith(str(folder)):
            root.removeHandler(handler)
            handler.close()
    shutil.rmtree(folder, ignore_errors=True)


def _run(options: LaunchOptions) -> int:
    os.umask(0o077)  # QLockFile and QSettings create files 0644 otherwise
    clock = StartupClock(options)
    from desktop.paths import DataDirError, prepare, resolve

    try:
        paths = resolve(options.data_dir)
    except DataDirError as exc:  # e.g. --data-dir '': never the real journal instead
        print(f"keel: {exc}", file=sys.stderr)
        return 2
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

    from PySide6.QtCore import QCoreApplication, QTimer

    lock = None
    if problem is None:
        from desktop.ui.single_instance import acquire_lock, send_to_running

        lock = acquire_lock(paths)
        if lock is None:
            existing = QCoreApplication.instance()
            core = existing or QCoreApplication(sys.argv[:1])
            message = "checkin" if options.page == "checkin" else "show"
            if send_to_running(paths, message):
                print("Keel is already running; its window has been raised.", file=sys.stderr)
                del core
                return 0
            if existing is None:
                core.shutdown()  # the window below needs a QApplication of its own
            del core
            problem = (f"Another Keel seems to be using {paths.data_dir} but does not answer. "
                       "Close it (or wait a moment) and try again.")
    clock.mark("single instance")

    # Qt 6 already rounds high-DPI scale factors with PassThrough (the policy Keel wants);
    # naming the policy would build every Qt-namespace enum (~20 ms) before the window.
    from desktop.ui.application import create_application

    app = None
    passphrase: str | None = None
    if problem is None and options.background:
        app = create_application()
        clock.mark("QApplication")
        from PySide6.QtWidgets import QSystemTrayIcon

        if not QSystemTrayIcon.isSystemTrayAvailable():
            # Started at login on a desktop without a tray: there is nowhere to wait hidden,
            # and a window (or a passphrase prompt) at every login is not wanted. Reminders
            # while Keel is closed come from the scheduler entry (`keel reminders on`).
            import logging

            logging.getLogger(__name__).info("started in the background without a tray: "
                                             "nothing to show, not starting")
            if lock is not None:
                lock.unlock()
            return 0
    if problem is None:
        from desktop.lifecycle import check_at_start

        asker = _DialogAsker(paths, options, app, clock)
        checked = check_at_start(paths, options, asker, clock.mark)
        app = asker.app
        if checked.cancelled:  # nothing was read or written
            if lock is not None:
                lock.unlock()
            return 0
        passphrase, problem = checked.passphrase, checked.problem
    else:
        clock.mark("schema")

    if app is None:
        app = create_application()
        clock.mark("QApplication")

    from desktop.context import AppContext
    from desktop.ui.shell import Shell

    # The quick check of the file's pages runs on the start-up worker thread (Shell).
    context = AppContext(paths, passphrase=passphrase)
    shell = Shell(app, context, options, lock=lock, problem=problem)
    shell.start(clock)
    if options.startup_report:
        QTimer.singleShot(0, lambda: None)
    code = app.exec()
    shell.shutdown()
    return code


class _DialogAsker:
    """Start-up's passphrase questions (``desktop.lifecycle.PassphraseAsker``):
    ``KEEL_PASSPHRASE`` when it opens the file, else the unlock dialog; the
    ``QApplication`` the dialog needs is created on the first question."""

    def __init__(self, paths, options, app, clock) -> None:  # type: ignore[no-untyped-def]
        self.paths, self.options, self.app, self.clock = paths, options, app, clock

    def _application(self) -> None:
        if self.app is None:
            from desktop.ui.application import create_application

            self.app = create_application()
            self.clock.mark("QApplication")

    def journal(self) -> str | None:
        self._application()
        return _unlock(self.paths, self.options)

    def backups(self, wanted) -> str | None:  # type: ignore[no-untyped-def]
        self._application()
        return _unlock_backups(self.paths, wanted)


def _unlock(paths, options) -> str | None:  # type: ignore[no-untyped-def]
    """The checked passphrase of the encrypted journal (``KEEL_PASSPHRASE`` or the dialog)."""
    from db.crypto import WrongPassphrase, unlock

    given = os.environ.get("KEEL_PASSPHRASE")
    if given:
        try:
            options.unlock_seconds = unlock(paths.database, given)
            return given
        except WrongPassphrase:
            pass  # ask in the dialog instead
    from desktop.ui.dialogs.unlock_dialog import UnlockDialog

    passphrase = UnlockDialog.ask(None, paths.data_dir)
    if passphrase is not None:
        options.unlock_seconds = UnlockDialog.last_unlock_seconds
    return passphrase


def _unlock_backups(paths, wanted) -> str | None:  # type: ignore[no-untyped-def]
    """The passphrase of encrypted backups beside a journal that needs none
    (:func:`db.recovery.backup_key_wanted`): ``KEEL_PASSPHRASE`` when it opens them, else
    the unlock dialog checking against the newest of them; None when cancelled."""
    from db.crypto import WrongPassphrase, unlock

    given = os.environ.get("KEEL_PASSPHRASE")
    if given:
        try:
            unlock(wanted.backup, given)
            return given
        except WrongPassphrase:
            pass  # ask in the dialog instead
    from desktop.ui.dialogs.unlock_dialog import UnlockDialog

    return UnlockDialog.ask(None, paths.data_dir, target=wanted.backup, intro=wanted.message)


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
