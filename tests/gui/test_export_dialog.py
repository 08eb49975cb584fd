"""The export dialog: sections, redaction, Markdown/PDF files written private, bad targets."""

from __future__ import annotations

import logging
import stat
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from desktop.demo import generate
from desktop.ui.dialogs.export_dialog import ExportDialog, default_file_name, months_back
from tests.gui.conftest import NOW, fixed_clock

ORGS = ("Quanta Systems", "Meridian AI", "Northwind Robotics", "Halcyon Safety Institute",
        "Lattice Labs")


@pytest.fixture
def dialog(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    generate(window.context.db, 1, NOW)
    dlg = ExportDialog(window, window.context)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: not dlg.preview_pending, timeout=20000)
    return dlg


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(parent, caption, folder, filters, selected):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return str(path), selected

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    """Click a check box or radio on its indicator, as a person would."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_helpers() -> None:
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_back(date(2026, 1, 15), 3) == date(2025, 10, 15)
    assert default_file_name(date(2026, 11, 27), "pdf") == "keel-journal-2026-11-27.pdf"


def test_preview_shows_the_briefing_and_follows_redaction(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    text = dialog.preview.toPlainText()
    assert "Agenda" in text and "Questions I want to discuss" in text
    assert any(org in text for org in ORGS)
    _tick(qtbot, dialog.redact_orgs_check)
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=20000)
    text = dialog.preview.toPlainText()
    assert "Org A" in text
    assert not any(org in text for org in ORGS)
    assert dialog.preview.loaded_resources == []


def test_briefing_cannot_be_unticked(dialog) -> None:  # type: ignore[no-untyped-def]
    check = dialog.section_checks["briefing"]
    assert check.isChecked() and not check.isEnabled()
    assert next(iter(dialog.section_checks)) == "briefing"


def test_markdown_export_with_sections_and_redaction(qtbot, dialog, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "call.md"
    asked = _save_to(monkeypatch, target)
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("all"))
    _tick(qtbot, dialog.section_checks["entries"])
    _tick(qtbot, dialog.redact_orgs_check)
    _tick(qtbot, dialog.format_radios["md"])
    dialog.questions_edit.setPlainText("Is the Halcyon offer worth the pay cut?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=20000)

    assert asked[0].endswith("keel-journal-2026-11-27.md")
    text = target.read_text(encoding="utf-8")
    assert "## Agenda" in text
    assert "## Journal entries" not in text
    assert "## Job options" in text
    assert "Org A" in text
    assert not any(org in text for org in ORGS)
    assert "pay cut" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    from db.export_data import last_export, saved_questions

    db = dialog.context.db
    assert saved_questions(db) == "Is the Halcyon offer worth the pay cut?"
    assert last_export(db) is not None


def test_pdf_export_can_be_read_back(qtbot, dialog, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "call"  # no suffix: the dialog adds it
    _save_to(monkeypatch, target)
    _tick(qtbot, dialog.redact_orgs_check)
    assert dialog.format_radios["pdf"].isChecked()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=60000)

    written = tmp_path / "call.pdf"
    assert dialog.saved_path == written
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    reader = pypdf.PdfReader(str(written))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", raw).replace("\t", " ")  # "ﬁ" ligatures, tabs
    assert "Agenda" in text
    assert "Page 1 of" in text
    assert not any(org in text for org in ORGS)


def test_unwritable_target_gives_a_message_and_writes_nothing(  # type: ignore[no-untyped-def]
        qtbot, dialog, tmp_path, monkeypatch, caplog) -> None:
    target = tmp_path / "missing-folder" / "call.md"
    _save_to(monkeypatch, target)
    _tick(qtbot, dialog.format_radios["md"])
    with caplog.at_level(logging.WARNING, logger="desktop.ui.errors"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in caplog.text
    assert not target.parent.exists()
    assert dialog.saved_path is None
    assert dialog.isVisible() and dialog.save_button.isEnabled()


def test_failed_export_leaves_the_old_file(qtbot, dialog, tmp_path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "call.md"
    target.write_text("old notes", encoding="utf-8")
    _save_to(monkeypatch, target)
    _tick(qtbot, dialog.format_radios["md"])

    import desktop.export_writer as writer

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise writer.ExportWriteError("Could not write: disk full.")

    monkeypatch.setattr(writer, "write_atomic", broken)
    with caplog.at_level(logging.WARNING, logger="desktop.ui.errors"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "disk full" in caplog.text, timeout=20000)
    assert target.read_text(encoding="utf-8") == "old notes"
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=2000)
    assert dialog.status_label.text() == "Nothing was written."


def test_choices_are_remembered_and_the_redaction_is_stated(  # type: ignore[no-untyped-def]
        qtbot, dialog, tmp_path, monkeypatch) -> None:
    """Issue 18: a second export must not silently go out unredacted."""
    assert "Not redacted" in dialog.preview.toPlainText()
    assert "Not redacted" in dialog.redaction_state.text()
    target = tmp_path / "call.md"
    _save_to(monkeypatch, target)
    _tick(qtbot, dialog.redact_money_check)
    _tick(qtbot, dialog.section_checks["entries"])
    dialog.people_edit.setText("Marcus, Hana")
    dialog.org_names_edit.setText("Acme")
    _tick(qtbot, dialog.format_radios["md"])
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=20000)
    stated = "Redacted: organisation names, 2 people's names, amounts of money"
    assert stated in dialog.preview.toPlainText()
    assert stated in dialog.redaction_state.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=20000)
    assert stated in target.read_text(encoding="utf-8")

    again = ExportDialog(dialog.parent(), dialog.context)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: not again.preview_pending, timeout=20000)
    assert again.redact_money_check.isChecked()
    assert not again.redact_orgs_check.isChecked()
    assert again.people_edit.text() == "Marcus, Hana"
    assert again.org_names_edit.text() == "Acme"
    assert not again.section_checks["entries"].isChecked()
    assert again.section_checks["decisions"].isChecked()
    assert stated in again.preview.toPlainText()


def test_the_preview_is_the_document_written(qtbot, dialog, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from tests.unit.export_words import pdf_words, words

    dialog.questions_edit.setPlainText("First question?\nSecond <b>question</b>?")
    qtbot.waitUntil(lambda: not dialog.preview_pending, timeout=20000)
    shown = dialog.preview.toPlainText()
    assert "Second <b>question</b>?" in shown  # typed markup shown, as in the PDF
    target = tmp_path / "call.pdf"
    _save_to(monkeypatch, target)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=60000)
    # The preview's text with its list numbers (toPlainText leaves them out; on paper
    # they are printed).
    document = dialog.preview.document()
    lines = []
    block = document.begin()
    while block.isValid():
        marker = block.textList().itemText(block) if block.textList() else ""
        lines.append(f"{marker} {block.text()}")
        block = block.next()
    assert Counter(words("\n".join(lines))) == Counter(pdf_words(target))
