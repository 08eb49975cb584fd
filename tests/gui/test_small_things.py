"""Small things a user notices (issue 19), each driven through the real widget."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

from desktop.ui.dialogs.onboarding_wizard import OnboardingWizard
from desktop.ui.dialogs.passphrase_dialog import PassphraseDialog
from tests.gui.conftest import NOW, fixed_clock


def _wizard_at_tripwires(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    wizard = OnboardingWizard(window.context, window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.setStartId(wizard.pageIds()[0])
    while wizard.currentPage() is not wizard.tripwires_page:
        if wizard.currentPage() is wizard.situation_page:
            wizard.situation_page.buttons["at-lab"].click()
        if wizard.currentPage() is wizard.baseline_page:
            wizard.baseline_page.text_edit.setPlainText("A baseline worth keeping.")
        wizard.next()
    return wizard


def test_return_in_the_tripwire_field_adds_it_and_stays(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard_at_tripwires(qtbot, make_window)
    page = wizard.tripwires_page
    page.line_edit.setFocus()
    qtbot.keyClicks(page.line_edit, "My team starts open-sourcing weights")
    qtbot.keyClick(page.line_edit, Qt.Key.Key_Return)
    assert wizard.currentPage() is page  # did not leave the page
    assert page.lines() == ["My team starts open-sourcing weights"]
    assert page.line_edit.text() == ""
    qtbot.keyClick(page.line_edit, Qt.Key.Key_Return)  # an empty field: Return is Next
    assert wizard.currentPage() is wizard.snapshot_page


def test_currency_label_is_a_mnemonic_not_a_literal_ampersand(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard_at_tripwires(qtbot, make_window)
    page = wizard.snapshot_page
    labels = [lab for lab in page.findChildren(QLabel) if "Currency" in lab.text()]
    assert len(labels) == 1 and labels[0].buddy() is page.currency_combo


def test_inline_tripwire_editor_has_room_for_descenders(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard_at_tripwires(qtbot, make_window)
    page = wizard.tripwires_page
    page.add_line("Asked to work on gigantic, hyped, quietly risky projects")
    view = page.list_view
    index = page.model.index(0)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: view.state() == QAbstractItemView.State.EditingState, timeout=2000)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    assert editor.height() >= editor.sizeHint().height()
    assert view.visualRect(index).height() >= editor.sizeHint().height()


def test_passphrase_dialog_shows_its_whole_error(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog(None, "set")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    qtbot.keyClicks(dialog.new, "short")
    dialog.ok.click()  # too short: the longest message
    message = dialog.message
    assert message.isVisible() and "at least" in message.text()
    needed = message.heightForWidth(message.width())
    assert message.height() >= needed
    assert message.geometry().bottom() < dialog.ok.geometry().top() + dialog.ok.parentWidget().y()
    assert dialog.height() >= before


def test_unlock_dialog_shows_its_whole_error(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.dialogs.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(None, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._say("That passphrase does not open this journal. Nothing was changed; try again. "
                "A second sentence makes it wrap to three lines in a narrow dialog.")
    message = dialog.message
    assert message.height() >= message.heightForWidth(message.width())


def test_one_check_in_reads_singular_on_today(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.checkins import complete_checkin
    from db.journal_file import open_database
    from desktop.paths import Paths

    paths = Paths(data_dir)
    db = open_database(paths.database, paths.backups)
    try:
        complete_checkin(db, "First one.", [], NOW - timedelta(days=2))
    finally:
        db.close()
    window = make_window(clock=fixed_clock(NOW))
    page = window.pages["today"]
    qtbot.waitUntil(lambda: "in all" in page.last_label.text(), timeout=5000)
    assert "1 check-in in all" in page.last_label.text()
    assert "check-ins in all" not in page.last_label.text()


def test_history_button_leaves_room_for_its_arrow(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    from desktop.ui.widgets.assessment_form import AssessmentForm

    forms = window.findChildren(AssessmentForm)
    if not forms:
        window.show_page("options")
        forms = window.findChildren(AssessmentForm)
    form = forms[0]
    button = next(iter(form._history_buttons.values()))
    text_width = button.fontMetrics().horizontalAdvance(button.text())
    # The menu arrow sits in padding of its own, to the right of the text.
    assert button.sizeHint().width() >= text_width + 20
