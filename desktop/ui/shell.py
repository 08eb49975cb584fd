"""The running app around the main window: opening the journal after the window shows,
the single-instance server, and a clean shutdown that flushes every draft."""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication

from desktop.context import AppContext
from desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


INSTANCE_SERVER_DELAY_MS = 150
"""When to start listening for a second launch (``send_to_running`` retries for ~0.6 s)."""

PAINT_BEFORE_LOADING_MS = 30
"""After Today is filled, how long to leave the UI thread alone to paint it."""

STORAGE_MODULES = (
    "db.journal_file", "db.settings", "db.journal",
    "db.drafts", "db.checkins", "db.snapshot", "db.options", "db.prompts_state",
    "desktop.due_now", "desktop.today_data",
)


def preload_page_data(page_id: str) -> None:
    """Worker thread: import the plain-Python modules the first page reads with (for Today,
    ``desktop.today_data``). Never a Qt module: importing one, or creating a Qt type or enum,
    off the UI thread while it builds widgets crashed Keel at start-up under load."""
    if page_id == "today":
        import desktop.today_data  # noqa: F401 - no Qt in it (checked by the start-up tests)


def preload_storage() -> None:
    """Import what opening and showing the journal needs (runs on a worker thread)."""
    from importlib import import_module

    for name in STORAGE_MODULES:
        import_module(name)


def preload_and_check(database: Any, passphrase: str | None) -> bool:
    """Worker thread: the imports, then ``quick_check`` of the journal's pages (100 ms on a
    100-year journal, so it stays off the path to the first window). False: damaged."""
    preload_storage()
    from db.schema import SchemaError, SchemaState, state
    from db.sqlfile import database_errors

    try:
        return state(database, passphrase) is not SchemaState.DAMAGED
    except (SchemaError, OSError, *database_errors()):
        return True  # too new / busy / unreadable: opening reports it in plain words


START_FRESH = "Start a new journal"
"""The lost-journal banner's second button."""


class Shell(QObject):
    def __init__(self, app: QApplication, context: AppContext, options: Any,
                 lock: Any = None, problem: str | None = None) -> None:
        super().__init__(app)
        self.app = app
        self.context = context
        self.options = options
        self.lock = lock
        self.problem = problem
        self.server = None
        self.clock: Any = None
        settings_file = str(context.paths.data_dir / "window.ini")
        self.settings = QSettings(settings_file, QSettings.Format.IniFormat)
        from desktop.ui.theme import SCHEME_KEY, set_scheme_choice

        choice = str(self.settings.value(SCHEME_KEY, "system"))
        if choice != "system":  # Settings → Appearance; "system" is already in force
            set_scheme_choice(app, choice)
        self.window = MainWindow(context, settings=self.settings, defer_first_page=True)
        self._ready = False
        if options.page:
            self.window.show_page(options.page)
        app.aboutToQuit.connect(self._on_app_about_to_quit)

    def start(self, clock: Any) -> None:
        """Show the window at once, then (one event-loop turn later) its first page,
        a Today read with plain sqlite3, and only then SQLAlchemy and the full open."""
        self.clock = clock
        if self.lock is not None:
            # Listen for a second launch once the window has painted and its first page
            # is built (QtNetwork is not needed for either, and doing all three in one
            # event-loop turn stalled it); until then a second launch waits and retries.
            QTimer.singleShot(INSTANCE_SERVER_DELAY_MS, self._start_instance_server)
        if not self.options.background or self.problem:
            self.window.show()  # --background still shows a journal that cannot open
        clock.mark("window shown")
        if self.problem:
            self.window.show_first_page()
            self.window.journal_failed(self.problem)
            self._offer_recovery()
            self._finish_report()
            return
        # The menus' actions get their own event-loop turn (their first QAction builds
        # Qt's enums, ~20 ms), apart from the first paint and the first page.
        QTimer.singleShot(0, self.window.fill_menus)
        spec = self.window.first_page_spec()
        if spec is None:
            QTimer.singleShot(0, self._after_first_frame)
            return
        # The plain-Python modules Today reads with load on a worker while the window
        # paints; the page's own (Qt) module is imported on the UI thread in its own
        # event-loop turn, then its widgets are built in the next one.
        from desktop.ui.tasks import run_in_background

        run_in_background(preload_page_data, spec.id,
                          on_done=lambda _none: self._import_first_page(spec),
                          on_error=lambda _e: self._import_first_page(spec))

    def _import_first_page(self, spec: Any) -> None:
        """UI thread: import the first page's module, and build it one turn later."""
        spec.factory()
        QTimer.singleShot(0, self._after_first_frame)

    @Slot()
    def _after_first_frame(self) -> None:
        """Build the first page; if it is Today, fill it from a read that needs no
        SQLAlchemy (about a third of a second sooner), then open the journal fully.
        Each step is its own event-loop turn, so the UI thread is never held long."""
        self.window.show_first_page()
        QTimer.singleShot(0, self._start_preview)

    @Slot()
    def _start_preview(self) -> None:
        page = self.window.pages[self.window.current_page_id()]
        if not hasattr(page, "show_preview"):
            self._load_storage()
            return
        from desktop.today_data import build_today_preview
        from desktop.ui.tasks import run_in_background

        paths = self.context.paths
        run_in_background(build_today_preview, paths.database, paths.data_dir,
                          self.context.now(), self.context.tz,
                          on_done=self._on_preview_built, on_error=self._on_preview_failed)

    def _on_preview_built(self, view: Any) -> None:
        if view is None or self.context.is_open:
            self._load_storage()
            return
        from PySide6.QtCore import Qt  # not before the first window (see sidebar.py)

        page = self.window.pages[self.window.current_page_id()]
        # Today fills itself over a few event-loop turns (a flag card each) and says
        # ``loaded`` once it is complete: that is "ready".
        page.loaded.connect(self._on_preview_shown, Qt.ConnectionType.SingleShotConnection)
        page.show_preview(view)

    @Slot()
    def _on_preview_shown(self) -> None:
        self._mark_ready()
        # Let the filled page paint before SQLAlchemy starts loading next to it.
        QTimer.singleShot(PAINT_BEFORE_LOADING_MS, self._load_storage)

    def _on_preview_failed(self, exc: BaseException) -> None:
        # Nothing is lost: the full open below reads (and if need be repairs) the journal.
        log.info("the quick Today read failed (%s); opening the journal fully", type(exc).__name__)
        self._load_storage()

    def _load_storage(self) -> None:
        # SQLAlchemy and the storage modules take ~0.3 s to import: do that on a worker
        # thread so the window stays responsive, then open the journal.
        from desktop.ui.tasks import run_in_background

        paths, passphrase = self.context.paths, self.context.passphrase
        run_in_background(preload_and_check, paths.database, passphrase,
                          on_done=self._on_preloaded, on_error=lambda _e: self.open_journal())

    def _mark_ready(self) -> None:
        """Today shows the journal and the window answers: Keel is ready."""
        if not self._ready:
            self._ready = True
            if self.clock:
                self.clock.mark("ready")

    def _on_preloaded(self, sound: bool) -> None:
        """The worker imported the storage modules and quick-checked the file."""
        if sound:
            self.context.schema_verified = True  # opening need not check again
            self.open_journal()
            return
        from desktop.lifecycle import ensure_schema

        self.problem = ensure_schema(self.context.paths, self.options, self.context.passphrase)
        if self.problem is None:  # damage was not confirmed on a second look
            self.open_journal()
            return
        self.window.show()
        self.window.journal_failed(self.problem)
        self._offer_recovery()
        self._finish_report()

    @Slot()
    def _start_instance_server(self) -> None:
        from desktop.ui.single_instance import InstanceServer

        self.server = InstanceServer(self.context.paths, self)
        self.server.message_received.connect(self._on_server_message_received)

    @Slot()
    def open_journal(self) -> None:
        """The first open (``desktop.ui.lifecycle.open_journal``, like every reopen)."""
        from desktop.ui.lifecycle import open_journal

        if not open_journal(self.window, self.context, before_telling=self._watch_first_page):
            self.window.show()  # --background still shows a journal that cannot open
            self._finish_report()
            return
        if not self.window.pages[self.window.current_page_id()].loads_in_background:
            self._on_first_page_loaded()

    def _watch_first_page(self) -> None:
        """The journal is open, the pages not yet told: start the rest once the first
        page has loaded (a page that loads on a worker says so with ``loaded``)."""
        if self.clock:
            self.clock.mark("journal open")
        current = self.window.pages[self.window.current_page_id()]
        if current.loads_in_background:
            from PySide6.QtCore import Qt

            current.loaded.connect(self._on_first_page_loaded,
                                   Qt.ConnectionType.SingleShotConnection)

    @Slot()
    def _on_first_page_loaded(self) -> None:
        """The journal is open and the first page shows it. Everything else starts now."""
        self._mark_ready()
        self._finish_report()
        if self.options.startup_report:
            return
        QTimer.singleShot(0, self._start_reminders)
        from desktop.ui.backup_scheduler import BackupScheduler

        self.backups = BackupScheduler(self.context, self)
        self.backups.start()
        from desktop.ui.auto_lock import AutoLock

        self.auto_lock = AutoLock(self.app, self.window, self.context, self)
        self.auto_lock.start()
        self.window.build_remaining_pages()
        from db.settings import get_profile

        if not get_profile(self.context.db).onboarded and not self.options.background:
            QTimer.singleShot(0, lambda: self._run_onboarding())

    def _run_onboarding(self) -> None:
        """First run: the onboarding wizard; "Not now" still leaves Keel open and usable."""
        from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard

        if OnboardingWizard.ask(self.window, self.context):
            self.window.journal_opened()

    def _offer_recovery(self) -> None:
        """A damaged journal was set aside, or the journal is missing or empty beside
        sound backups: offer the newest backup in the banner — and, for a lost journal,
        a new empty one instead (the user may have removed it on purpose)."""
        recovery = getattr(self.options, "recovery", None)
        if recovery is None or recovery.backup is None:
            return
        actions = [(recovery.button_text, lambda: self._restore_backup(recovery.backup.path))]
        if recovery.moved_to is None:
            actions.append((START_FRESH, self._start_fresh))
        self.window.banner.show_message(self.problem or recovery.message, actions, kind="error")

    def _start_fresh(self) -> None:
        """The lost-journal banner's second button: after a confirmation, a new, empty
        journal (onboarding follows); the old journal's backups stay where they are,
        listed in Settings ▸ Backups and kept by the usual rotation."""
        from desktop.lifecycle import ensure_schema
        from desktop.ui.widgets.confirm import Confirm

        backups = self.context.paths.backups
        if not Confirm.ask(self.window, "Start a new journal?",
                           "Keel will start a new, empty journal. The backups of the old "
                           f"one stay in {backups}: Settings ▸ Backups can still restore "
                           "one, and they are thinned out over time like any backup.",
                           confirm=START_FRESH):
            return
        self.options.recovery = None
        self.problem = ensure_schema(self.context.paths, self.options, self.context.passphrase)
        if self.problem is not None:
            self.window.journal_failed(self.problem)
            return
        self.window.banner.hide()
        self.open_journal()

    def _restore_backup(self, backup: Any) -> None:
        """The recovery banner's button: the backup in place of the set-aside journal,
        then the first open (through the one lifecycle, ``desktop.ui.lifecycle``)."""
        from desktop.ui.errors import user_message
        from desktop.ui.lifecycle import restore

        def before_telling() -> None:
            self.problem = None
            self.options.recovery = None
            self.window.banner.show_message("The backup was restored.", kind="info")
            self._watch_first_page()

        error = restore(self.window, self.context, backup, before_telling=before_telling)
        if error is not None:
            self.window.journal_failed(user_message(error))
        elif not self.window.pages[self.window.current_page_id()].loads_in_background:
            self._on_first_page_loaded()

    @Slot()
    def _start_reminders(self) -> None:
        """The tray (or, with none, reminders in the window) and the reminder timer."""
        if getattr(self, "reminders", None) is not None or self.options.startup_report:
            return  # already running (the journal was reopened), or only measuring start-up
        from desktop.ui.reminder_controller import ReminderController

        self.reminders = ReminderController(self.app, self.window, self.context, parent=self)
        try:
            self.reminders.start()
        except Exception:  # a reminder problem must not stop the journal from working
            log.exception("starting reminders failed")

    def _finish_report(self) -> None:
        if self.options.startup_report and self.clock is not None:
            print(self.clock.report(), flush=True)
            QTimer.singleShot(0, self.app.quit)

    @Slot(str)
    def _on_server_message_received(self, message: str) -> None:
        self.window.raise_window()
        if message in self.window.pages:
            self.window.show_page(message)

    @Slot()
    def _on_app_about_to_quit(self) -> None:
        self.window.flush_pages()

    def shutdown(self) -> None:
        from desktop.ui.lifecycle import close_journal

        if self.server is not None:
            self.server.close()
        close_journal(self.window, self.context, None)
        if self.lock is not None:
            self.lock.unlock()
        sys.stdout.flush()
