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
        self.window = MainWindow(context, settings=self.settings)
        if options.page:
            self.window.show_page(options.page)
        app.aboutToQuit.connect(self._on_app_about_to_quit)

    def start(self, clock: Any) -> None:
        self.clock = clock
        if self.lock is not None:
            from desktop.ui.single_instance import InstanceServer

            self.server = InstanceServer(self.context.paths, self)
            self.server.message_received.connect(self._on_server_message_received)
        if not self.options.background:
            self.window.show()
        clock.mark("window shown")
        if self.problem:
            self.window.journal_failed(self.problem)
            self._finish_report()
            return
        QTimer.singleShot(0, self.open_journal)

    @Slot()
    def open_journal(self) -> None:
        try:
            self.context.open()
        except Exception as exc:  # noqa: BLE001 - shown in the window, never a traceback
            from desktop.ui.errors import user_message

            log.exception("opening the journal failed")
            self.window.journal_failed(user_message(exc))
            self._finish_report()
            return
        if self.clock:
            self.clock.mark("journal open")
        self.window.journal_opened()
        if self.clock:
            self.clock.mark("ready")
        self._finish_report()

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
        self.window.flush_pages()
        if self.server is not None:
            self.server.close()
        self.context.close()
        if self.lock is not None:
            self.lock.unlock()
        sys.stdout.flush()
