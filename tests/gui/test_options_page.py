"""The Options page end to end: options typed in, assessed, compared and decided, read back from the db."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from db import drafts, settings
from db import options as db_options
from desktop.ui.dialogs.compare_dialog import CompareDialog
from desktop.ui.dialogs.decision_dialog import DecisionDialog
from desktop.ui.models.compare_table_model import DiffersRole
from desktop.ui.models.options_table_model import COLUMN_OF
from tests.gui.conftest import NOW, fixed_clock

LEFT = Qt.MouseButton.LeftButton
KEYBOARD_SEARCH_MS = 450
"""Longer than QApplication.keyboardInputInterval(), so typing in a combo starts a new search."""


def _page(window):  # type: ignore[no-untyped-def]
    window.show_page("options")
    return window.pages["options"]


def _add_option(qtbot, page, organisation, role, function, kind, pay, frontier):  # type: ignore[no-untyped-def]
    qtbot.wait(KEYBOARD_SEARCH_MS)  # a combo box's type-to-find resets after a pause
    qtbot.mouseClick(page.new_button, LEFT)
    ed = page.editor
    qtbot.keyClicks(ed.organisation_edit, organisation)
    qtbot.keyClicks(ed.role_edit, role)
    qtbot.keyClicks(ed.function_combo, function)
    qtbot.keyClicks(ed.work_kind_combo, kind)
    qtbot.keyClicks(ed.frontier_combo, frontier)
    qtbot.keyClicks(ed.pay_edit, pay)
    qtbot.keyClicks(ed.deadline_edit.edit, "15 Jan 2027")
    qtbot.keyClicks(ed.notes_edit, "Met the **team**.")
    qtbot.mouseClick(ed.save_button, LEFT)
    qtbot.waitUntil(lambda: not page.saving)  # stored on a worker (run_write)


def _select_row(qtbot, page, organisation):  # type: ignore[no-untyped-def]
    proxy = page.proxy
    row = next(r for r in range(proxy.rowCount())
               if proxy.index(r, COLUMN_OF["organisation"]).data() == organisation)
    rect = page.table.visualRect(proxy.index(row, COLUMN_OF["role"]))
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=rect.center())
    return row


def test_add_assess_compare_and_decide(qtbot, make_window, monkeypatch):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    page = _page(window)
    _add_option(qtbot, page, "Northwind AI", "Research engineer", "Engineering", "Capabilities",
                "210,000", "Yes")
    _add_option(qtbot, page, "Meridian Labs", "Interpretability researcher", "Research",
                "Safety", "165k", "No")
    assert page.model.rowCount() == 2
    assert page.proxy.index(0, COLUMN_OF["pay"]).data() in ("$165,000", "$210,000")

    # Assess both options through the form.
    for organisation, scale, bottleneck, words in (
            ("Northwind AI", "Noticeably", "Yes", "Papers at NeurIPS"),
            ("Meridian Labs", "Slightly", "No", "Kept internal")):
        _select_row(qtbot, page, organisation)
        page.tabs.setCurrentIndex(1)
        qtbot.wait(KEYBOARD_SEARCH_MS)
        form = page.assessment
        qtbot.keyClicks(form.input_for("timelines-effect"), scale)
        qtbot.keyClicks(form.input_for("agi-bottleneck"), bottleneck)
        qtbot.keyClicks(form.input_for("use-and-disclosure"), words)
        assert page.save_assessment_button.isEnabled()
        qtbot.mouseClick(page.save_assessment_button, LEFT)
        assert not page.save_assessment_button.isEnabled()
    # The panel of the capabilities option shows the AGI-bottleneck concern and the note.
    _select_row(qtbot, page, "Northwind AI")
    texts = " ".join(page.panel_view.texts())
    assert "not a verdict" in texts
    assert "AGI-bottleneck work" in texts and "Experts 6 and 7" in texts
    assert "because: Assessment: AGI-bottleneck work — Yes" in texts

    # Tick both, compare.
    assert not page.compare_button.isEnabled()
    for row in range(page.proxy.rowCount()):
        rect = page.table.visualRect(page.proxy.index(row, 0))
        page.proxy.setData(page.proxy.index(row, 0), Qt.CheckState.Checked,
                           Qt.ItemDataRole.CheckStateRole)
        assert rect.isValid()
    assert page.compare_button.isEnabled()
    shown: list[CompareDialog] = []

    def fake_compare_exec(self):  # type: ignore[no-untyped-def]
        shown.append(self)
        return 0

    monkeypatch.setattr(CompareDialog, "exec", fake_compare_exec)
    qtbot.mouseClick(page.compare_button, LEFT)
    model = shown[0].model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    timelines = labels.index("How directly would this work bring AGI sooner?")
    cells = {model.index(timelines, c).data() for c in (1, 2)}
    assert cells == {"Noticeably", "Slightly"}
    assert model.index(timelines, 0).data(DiffersRole) is True

    # Record the decision through the real dialog's widgets.
    northwind = next(o for o in page.model.options() if o.organisation == "Northwind AI")
    meridian = next(o for o in page.model.options() if o.organisation == "Meridian Labs")

    def fake_decision_exec(self):  # type: ignore[no-untyped-def]
        self.show()  # shown but not modal, so the test can type into it
        assert self.revisit_edit.date().toPython() == NOW.date() + timedelta(days=182)
        self.choice_combo.setCurrentIndex(self.choice_combo.findData(meridian.id))
        qtbot.keyClicks(self.summary_edit, "Take the interpretability role")
        qtbot.keyClicks(self.reasons_edit, "The *team* is what matters (Expert 9).")
        box = self.alternative_checks[northwind.id]
        qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # on the tick box
        qtbot.keyClicks(self.revisit_conditions_edit, "They start publishing capabilities")
        self.hide()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DecisionDialog, "exec", fake_decision_exec)
    qtbot.mouseClick(page.decision_button, LEFT)

    # Everything is in the database.
    db = window.context.db
    stored = {o.organisation: o for o in db_options.list_options(db)}
    assert stored["Northwind AI"].pay == 210000 and stored["Northwind AI"].frontier is True
    assert stored["Northwind AI"].function == "engineering"
    assert stored["Northwind AI"].work_kind == "capabilities"
    assert stored["Meridian Labs"].function == "research"
    assert stored["Meridian Labs"].work_kind == "safety"
    assert stored["Meridian Labs"].pay == 165000 and stored["Meridian Labs"].frontier is False
    assert stored["Meridian Labs"].notes == "Met the **team**."
    assert stored["Meridian Labs"].offer_deadline is not None
    assert stored["Meridian Labs"].status == "current"
    answers = {a.question_id: a for a in db_options.assessment_answers(db, northwind.id)}
    assert answers["timelines-effect"].number == 3
    assert answers["agi-bottleneck"].number == 1
    assert answers["use-and-disclosure"].text == "Papers at NeurIPS"
    other = {a.question_id: a for a in db_options.assessment_answers(db, meridian.id)}
    assert other["timelines-effect"].number == 1 and other["agi-bottleneck"].number == 0
    [decision] = db_options.decisions(db)
    assert decision.chosen_option_id == meridian.id
    assert decision.summary == "Take the interpretability role"
    assert decision.alternatives == (northwind.id,)
    assert decision.revisit_conditions == "They start publishing capabilities"
    assert abs((decision.revisit_on - NOW.date()) - timedelta(days=182)) <= timedelta(days=3)
    assert settings.get_profile(db).situation == "elsewhere"
    assert "Revisit scheduled for 28 May 2027" in page.revisit_label.text()
    assert "Current job:" in page.lockin_label.text()
    assert "Meridian Labs" in page.lockin_label.text()
    assert page.decisions_model.rowCount() == 1


def test_bad_pay_is_explained_inline_and_the_draft_kept(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    page = _page(window)
    qtbot.mouseClick(page.new_button, LEFT)
    qtbot.keyClicks(page.editor.organisation_edit, "Northwind AI")
    qtbot.keyClicks(page.editor.pay_edit, "lots")
    qtbot.mouseClick(page.editor.save_button, LEFT)
    assert not page.editor.error_label.isHidden()
    assert "Pay should be an amount" in page.editor.error_label.text()
    assert db_options.list_options(window.context.db) == []
    draft = drafts.load_draft(window.context.db, "option:new")
    assert draft is not None and draft.payload["pay"] == "lots"
    window.close()

    again = make_window(clock=fixed_clock(NOW))
    page2 = _page(again)
    assert page2.editor.organisation_edit.text() == "Northwind AI"
    page2.editor.pay_edit.clear()
    qtbot.keyClicks(page2.editor.pay_edit, "95000")
    qtbot.mouseClick(page2.editor.save_button, LEFT)
    qtbot.waitUntil(lambda: not page2.saving)
    [saved] = db_options.list_options(again.context.db)
    assert saved.pay == 95000
    assert drafts.load_draft(again.context.db, "option:new") is None


def test_status_filter_and_assessment_history(qtbot, make_window):  # type: ignore[no-untyped-def]
    from datetime import date

    from desktop.core.records import JobOption

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    a = db_options.save_option(db, JobOption(None, "Northwind AI", "RE", status="offer",
                                             offer_deadline=date(2026, 12, 1)))
    db_options.save_option(db, JobOption(None, "Meridian Labs", "IR", status="considering"))
    db_options.record_assessment(db, a.id, "timelines-effect", number=1, when=NOW - timedelta(days=30))
    db_options.record_assessment(db, a.id, "timelines-effect", number=3, when=NOW)
    page = _page(window)
    page.reload()
    page.status_combo.setCurrentIndex(page.status_combo.findData("offer"))
    assert page.proxy.rowCount() == 1
    assert "1 of 2 options shown" in page.count_label.text()
    page.select_option(a.id)
    button = page.assessment.history_button("timelines-effect")
    assert button.isEnabled() and button.text() == "History (2)"
    entries = [act.text() for act in button.menu().actions()]
    assert entries == ["27 Nov 2026 — Noticeably", "28 Oct 2026 — Slightly"]


def test_a_save_that_fails_on_the_worker_keeps_the_text_and_says_why(qtbot, make_window):  # type: ignore[no-untyped-def]
    """The write runs on a worker (run_write): when it fails there (the option was deleted
    meanwhile, by another window or process), the message is inline, the typed text stays
    on screen and in its draft, and nothing is stored."""
    window = make_window(clock=fixed_clock(NOW))
    page = _page(window)
    _add_option(qtbot, page, "Northwind AI", "Research engineer", "Engineering", "Capabilities",
                "210,000", "Yes")
    [option] = db_options.list_options(window.context.db)
    assert page.current_id == option.id
    qtbot.keyClicks(page.editor.notes_edit, " Second thoughts.")
    db_options.delete_option(window.context.db, option.id)  # gone before the save runs
    qtbot.mouseClick(page.editor.save_button, LEFT)
    qtbot.waitUntil(lambda: not page.saving)
    assert not page.editor.error_label.isHidden()
    assert "Second thoughts." in page.editor.notes_edit.toPlainText()
    assert db_options.list_options(window.context.db) == []
    draft = drafts.load_draft(window.context.db, f"option:{option.id}")
    assert draft is not None and "Second thoughts." in draft.payload["notes"]


def test_while_a_save_runs_a_second_save_waits_and_another_option_stays_shown(
        qtbot, make_window, monkeypatch):  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    page = _page(window)
    for name in ("Northwind AI", "Meridian Labs"):
        _add_option(qtbot, page, name, "Engineer", "Engineering", "Capabilities", "100,000", "Yes")
    first, second = sorted(db_options.list_options(window.context.db), key=lambda o: o.id)
    page.select_option(first.id)
    qtbot.keyClicks(page.editor.notes_edit, " More.")
    writes: list[int] = []
    real_save = db_options.save_option

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        writes.append(1)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(db_options, "save_option", counting)
    page.save_option()
    page.save_option()  # ignored: the first is still running
    page.select_option(second.id)  # chosen while the write runs
    qtbot.waitUntil(lambda: not page.saving)
    qtbot.wait(100)
    assert len(writes) == 1
    assert page.current_id == second.id
    assert page.editor.organisation_edit.text() == "Meridian Labs"
    stored = next(o for o in db_options.list_options(window.context.db) if o.id == first.id)
    assert " More." in stored.notes
