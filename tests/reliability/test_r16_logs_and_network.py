"""R16: a full session at DEBUG — no entry text in the logs, no outbound connection."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

from desktop.paths import Paths, prepare

SECRET = "quokkasecret4417"


def test_full_session_logs_no_text_and_opens_no_socket(tmp_path: Path, qtbot, monkeypatch,
                                                       figure) -> None:  # type: ignore[no-untyped-def]
    attempts: list[str] = []

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(repr(args[:2]))
        raise OSError("Keel must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    from desktop.cli import main
    from desktop.logging_setup import setup_logging

    paths = Paths(tmp_path / "data")
    prepare(paths)
    setup_logging(paths, level=logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    d = str(paths.data_dir)
    assert main(["--data-dir", d, "write", f"CLI entry {SECRET}"]) == 0
    assert main(["--data-dir", d, "demo", "--years", "0.2", "--force"]) == 0
    assert main(["--data-dir", d, "search", SECRET]) == 0
    assert main(["--data-dir", d, "export", "--format", "md", "-o",
                 str(tmp_path / "out.md")]) == 0
    assert main(["--data-dir", d, "backup"]) == 0

    # The GUI: onboarding data via services, a check-in via services, the Journal page.
    from PySide6.QtCore import QSettings

    from db.checkins import AnswerInput, complete_checkin
    from db.profile_history import add_baseline, add_tripwire
    from desktop.context import AppContext
    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow

    create_application()
    context = AppContext(paths)
    context.open()
    add_baseline(context.db, f"Baseline {SECRET}", 6)
    add_tripwire(context.db, f"Tripwire {SECRET}")
    complete_checkin(context.db, f"Reflection {SECRET}",
                     [AnswerInput("worry-level", "scale", None, 6.0)])
    window = MainWindow(context, settings=QSettings(str(tmp_path / "w.ini"),
                                                    QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.journal_opened()
    window.show_page("journal")
    page = window.pages["journal"]
    page.new_entry()
    qtbot.keyClicks(page.editor.body_edit, f"GUI entry {SECRET}")
    page.save_draft()
    page.save_entry()
    window.close()
    context.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = "".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in paths.logs.glob("keel.log*"))
    assert logged  # DEBUG logging really ran
    figure("R16", "entry text in DEBUG logs", logged.count(SECRET), "0")
    figure("R16", "outbound connection attempts", len(attempts), "0")
    assert SECRET not in logged and attempts == []
