"""Encryption in the UI: the unlock dialog, the passphrase dialog's warning, and Settings ▸ Encryption."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from db import crypto
from desktop.paths import Paths
from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard
from desktop.ui.dialogs.passphrase_dialog import PassphraseChoice, PassphraseDialog
from desktop.ui.dialogs.unlock_dialog import UnlockDialog
from tests.gui.conftest import NOW, fixed_clock

PASS = "a long enough passphrase"
CANARY = "wombatcanary"
HEADER = b"SQLite format 3\x00"


@pytest.fixture(autouse=True)
def _settle_earlier_tasks(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A task an earlier test's window left running may report to its deleted page (a
    Today-page render, seen after test_desktop_integration); let it land before this test."""
    from PySide6.QtCore import QCoreApplication, QThreadPool

    with qtbot.capture_exceptions():
        QThreadPool.globalInstance().waitForDone(5000)
        QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def _no_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OnboardingWizard, "ask", classmethod(lambda cls, parent, ctx: False))


def _encrypted_journal(data_dir: Path) -> Paths:
    from db.journal import create_entry
    from db.journal_file import open_database

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        create_entry(db, f"about the {CANARY}", "first")
    finally:
        db.close()
    crypto.encrypt(paths.database, PASS, paths.backups)
    return paths


def test_unlock_dialog_says_wrong_passphrase_and_writes_nothing(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    paths = _encrypted_journal(data_dir)
    before = paths.database.read_bytes()
    dialog = UnlockDialog(None, data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    qtbot.keyClicks(dialog.field, "not it")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and "does not open" in dialog.message.text()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.passphrase is None
    assert paths.database.read_bytes() == before
    dialog.field.clear()
    qtbot.keyClicks(dialog.field, PASS)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.passphrase == PASS and dialog.unlock_seconds is not None


def test_passphrase_dialog_needs_matching_twice_and_i_understand(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog(None, "set")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "nobody can recover" in dialog.warning.text()
    assert dialog.warning.isVisible() and dialog.understand.isVisible()
    qtbot.keyClicks(dialog.new, PASS)
    qtbot.keyClicks(dialog.again, PASS + "x")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.message.text() and dialog.choice is None
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, PASS)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "I understand" in dialog.message.text() and dialog.choice is None
    dialog.understand.setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.choice == PassphraseChoice(current=None, new=PASS)


def test_settings_section_sets_changes_and_removes_the_passphrase(  # type: ignore[no-untyped-def]
        make_window, qtbot, monkeypatch, data_dir: Path) -> None:
    from db.journal import create_entry, list_entries

    window = make_window(clock=fixed_clock(NOW))
    context = window.context
    create_entry(context.db, f"the {CANARY} entry", "first")
    window.show_page("settings")
    section = window.pages["settings"].section("EncryptionSection")
    assert section.set_button.isVisible() and not section.change_button.isVisible()
    answers = iter([PassphraseChoice(new=PASS), PassphraseChoice(current=PASS, new=PASS + "2"),
                    PassphraseChoice(current=PASS + "2")])
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, p, mode: next(answers)))

    qtbot.mouseClick(section.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.busy, timeout=10_000)
    database = context.paths.database
    assert crypto.is_encrypted(data_dir) and CANARY.encode() not in database.read_bytes()
    assert context.passphrase == PASS
    assert [e.title for e in list_entries(context.db)] == ["first"]  # reopened, usable
    assert "Encrypted" in section.status.text() and section.change_button.isVisible()

    qtbot.mouseClick(section.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.busy, timeout=10_000)
    with pytest.raises(crypto.WrongPassphrase):
        crypto.unlock(database, PASS)
    crypto.unlock(database, PASS + "2")
    create_entry(context.db, "after the change", "second")

    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.busy, timeout=10_000)
    assert not crypto.is_encrypted(data_dir) and database.read_bytes().startswith(HEADER)
    assert context.passphrase is None
    assert sorted(e.title for e in list_entries(context.db)) == ["first", "second"]
    assert section.set_button.isVisible() and "Not encrypted" in section.status.text()


def test_wrong_current_passphrase_in_settings_changes_nothing(  # type: ignore[no-untyped-def]
        make_window, qtbot, monkeypatch, data_dir: Path) -> None:
    from db.journal import list_entries

    paths = _encrypted_journal(data_dir)
    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    window.context.passphrase = PASS
    window.context.open()
    window.journal_opened()
    section = window.pages["settings"].section("EncryptionSection")
    monkeypatch.setattr(PassphraseDialog, "ask",
                        classmethod(lambda cls, p, mode: PassphraseChoice(current="nope")))
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.busy, timeout=10_000)
    assert crypto.is_encrypted(data_dir) and window.context.passphrase == PASS
    crypto.unlock(paths.database, PASS)  # the old passphrase still opens it
    assert sorted(p.name for p in data_dir.glob("*part*")) == []
    assert [e.title for e in list_entries(window.context.db)] == ["first"]


def test_auto_lock_closes_the_journal_and_asks_again(  # type: ignore[no-untyped-def]
        make_window, qtbot, monkeypatch, data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from db.journal import list_entries
    from desktop.core.errors import UserError
    from desktop.ui.auto_lock import AutoLock

    _encrypted_journal(data_dir)
    window = make_window(clock=fixed_clock(NOW), open_journal=False)
    context = window.context
    context.passphrase = PASS
    context.open()
    window.journal_opened()
    section = window.pages["settings"].section("EncryptionSection")
    assert section.lock_combo.isVisibleTo(section)
    section.lock_combo.setCurrentIndex(section.lock_combo.findData(5))
    section.lock_combo.activated.emit(section.lock_combo.currentIndex())
    lock = AutoLock(QApplication.instance(), window, context)
    lock.start()
    assert lock.minutes == 5
    seen: dict[str, object] = {}

    def ask(cls, parent, folder):  # type: ignore[no-untyped-def]
        seen["open"] = context.is_open
        seen["window"] = window.isVisible()
        with pytest.raises(UserError, match="locked"):
            context.open()
        return PASS

    monkeypatch.setattr(UnlockDialog, "ask", classmethod(ask))
    lock._on_timer_timeout()  # not idle long enough: nothing happens
    assert not lock.is_locked and context.is_open
    lock._last_input -= 6 * 60
    lock._on_timer_timeout()
    assert lock.is_locked and not context.is_open
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=5000)
    assert seen == {"open": False, "window": False}
    assert window.isVisible() and [e.title for e in list_entries(context.db)] == ["first"]
