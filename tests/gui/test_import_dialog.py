"""The import dialog: format detection, merge question, report, bad files change nothing."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from db import journal
from desktop.ui.dialogs.import_dialog import ImportDialog, report_text
from desktop.ui.widgets.confirm import Confirm

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _dialog(qtbot, window, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(window, window.context, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog._detecting, timeout=5000)
    return dialog


def test_jrnl_file_is_detected_and_imported(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    source = shutil.copy(FIXTURES / "jrnl.json", tmp_path / "export.json")
    dialog = _dialog(qtbot, window, Path(source))
    assert "jrnl JSON" in dialog.detected_label.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=5000)

    entries = journal.list_entries(window.context.db)
    assert len(entries) == 2
    assert any("interpretability paper" in e.title for e in entries)
    assert report_text(dialog.report) == "Imported 2 entries"


def test_second_import_asks_to_merge_and_adds_nothing_twice(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    db = window.context.db
    journal.create_entry(db, "something already here", "Mine")
    asked: list[str] = []

    def confirm(cls, parent, title, text, **_kw):  # type: ignore[no-untyped-def]
        asked.append(title)
        return True

    monkeypatch.setattr(Confirm, "ask", classmethod(confirm))
    for round_ in range(2):
        dialog = _dialog(qtbot, window, FIXTURES / "jrnl.json")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dialog: d.report is not None, timeout=5000)
        if round_ == 1:
            assert report_text(dialog.report) == "Imported 0 entries (2 already present)"
    assert len(asked) == 2
    assert journal.count_entries(db) == 3


def test_declining_the_merge_imports_nothing(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    db = window.context.db
    journal.create_entry(db, "something already here", "Mine")
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: False))
    dialog = _dialog(qtbot, window, FIXTURES / "dayone.json")
    assert "Day One" in dialog.detected_label.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert dialog.report is None
    assert journal.count_entries(db) == 1


def test_malformed_file_names_the_line_and_writes_nothing(qtbot, make_window, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "entries": [\n    {"title": "x",\n', encoding="utf-8")
    dialog = _dialog(qtbot, window, broken)
    assert "line" in dialog.detected_label.text()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("jrnl"))
    with caplog.at_level(logging.WARNING, logger="desktop.ui.errors"):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Could not import" in caplog.text, timeout=5000)
    assert "line" in caplog.text
    assert dialog.report is None
    assert journal.count_entries(window.context.db) == 0
    assert dialog.import_button.isEnabled()


def test_menu_import_refreshes_the_journal_list(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(FIXTURES / "jrnl.json"), "")))

    def run_without_modal_loop(self) -> int:  # type: ignore[no-untyped-def]
        self.show()
        self.import_button.click()
        qtbot.waitUntil(lambda: self.report is not None, timeout=5000)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", run_without_modal_loop)
    window.import_action.trigger()
    page = window.pages["journal"]
    assert page.model.rowCount() == 2
    assert "Imported 2 entries" in window.statusBar().currentMessage()
