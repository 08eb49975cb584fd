"""What a write in the app tells the other views: a finished check-in (stored off the UI
thread, what is due read once, every flag rule evaluated once, the check-in banner gone),
a decision that moves the situation (Settings follows; the Options page says so), own
prompts imported in the app (Settings lists them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.changes import Change
from tests.gui.conftest import NOW, fixed_clock
from tests.gui.test_checkin_page import answer_generically, checkin_page


def test_finishing_a_checkin_reads_due_and_flags_once(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import desktop.core.flags as flags
    import desktop.due_now as due_now
    import desktop.today_data as today_data
    from desktop.ui.reminder_controller import ReminderController
    from desktop.ui.tasks import writes_running

    window = make_window(clock=fixed_clock(NOW))
    today = window.pages["today"]
    qtbot.waitUntil(lambda: today.view is not None, timeout=5000)
    controller = ReminderController(QApplication.instance(), window, window.context)
    window.page_data_changed.connect(controller._on_page_data_changed)
    controller._on_service_overdue_announced("Your first check-in is ready: 5 questions.")
    page = checkin_page(window)
    for card in page.cards:
        answer_generically(qtbot, card)

    calls = {"due": 0, "flags": 0}

    def counting(name, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            # What is due *now* (the reminder schedule also looks ahead to the next due
            # time: a different question, asked once).
            if name != "due" or args[3] == NOW:
                calls[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(due_now, "due_prompts", counting("due", due_now.due_prompts))
    counted_flags = counting("flags", flags.all_flags)
    monkeypatch.setattr(flags, "all_flags", counted_flags)
    monkeypatch.setattr(today_data, "all_flags", counted_flags)

    qtbot.keyClick(page.reflection_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.state_label.text() == "Saving…"  # the UI thread did not wait for the write
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.done_view, timeout=5000)
    qtbot.waitUntil(lambda: today.view.checkins_done == 1, timeout=5000)
    qtbot.wait(300)
    assert writes_running() == 0
    assert calls == {"due": 1, "flags": 1}
    assert not window.banner.isVisible()  # "your first check-in is ready" is gone
    assert window.context.today_view is None  # handed over for that one change only


def test_a_decision_that_moves_the_situation_reaches_settings(qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.options import save_option
    from db.settings import get_profile
    from desktop.core.records import JobOption
    from desktop.ui.dialogs.decision_dialog import DecisionDialog

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    option = save_option(db, JobOption(id=None, organisation="Frontier Lab", role="Engineer",
                                       frontier=True, work_kind="capabilities"), when=NOW)
    settings = window.pages["settings"]
    profile = settings.section("ProfileSection")
    assert profile.situation_combo.currentData() != "at-lab"
    window.show_page("options")
    options = window.pages["options"]
    options.reload()

    def decide(cls, parent, context, candidates, preselect=None):  # type: ignore[no-untyped-def]
        dialog = DecisionDialog(parent, context, candidates, preselect=option.id)
        dialog.summary_edit.setText("Take the lab job")
        assert "situation" in dialog.situation_note.text().lower()
        return dialog.decision()

    monkeypatch.setattr(DecisionDialog, "ask", classmethod(decide))
    options.record_decision()
    assert get_profile(db).situation == "at-lab"
    assert profile.situation_combo.currentData() == "at-lab"
    assert "situation" in options.revisit_label.text().lower()


def test_own_prompts_imported_in_the_app_reach_settings(qtbot, make_window, tmp_path,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.portable import iter_export_json
    from db.prompts_state import add_custom_prompt
    from desktop.context import AppContext
    from desktop.core.records import AnswerKind
    from desktop.paths import Paths, prepare
    from desktop.ui.dialogs.import_dialog import ImportDialog

    source = tmp_path / "other"
    prepare(Paths(source))
    other = AppContext(Paths(source))
    add_custom_prompt(other.open(), "own", "Did I talk to a critic?", "", AnswerKind.YESNO)
    export = tmp_path / "export.json"
    export.write_text("".join(iter_export_json(other.db)), encoding="utf-8")
    other.close()

    window = make_window(clock=fixed_clock(NOW))
    own = window.pages["settings"].section("OwnPromptsSection")
    assert own.model.rowCount() == 0

    def run_import(cls, parent, context):  # type: ignore[no-untyped-def]
        from db.portable import import_file

        return import_file(context.db, export, merge=True)

    monkeypatch.setattr(ImportDialog, "ask", classmethod(run_import))
    seen: list[Change] = []
    window.watcher.changed.connect(seen.append)
    window._on_import()
    assert own.model.rowCount() == 1
    qtbot.wait(2500)
    assert seen == []  # the app's own import is not reported back as another process's


def test_a_decisions_revisit_is_marked_done_from_the_options_page(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from db.options import decisions, record_decision

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    record_decision(db, None, "Stay and ask for the evals rotation", "", [], "",
                    NOW.date() + timedelta(days=10), when=NOW - timedelta(days=170))
    today = window.pages["today"]
    today.refresh(Change.DECISIONS)

    def revisit_upcoming() -> bool:
        return any(item.kind == "revisit" for item in today.view.upcoming)

    qtbot.waitUntil(lambda: today.view is not None and revisit_upcoming(), timeout=5000)
    window.show_page("options")
    page = window.pages["options"]
    page.reload()
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    page.decisions_table.selectRow(0)
    assert page.revisited_button.isEnabled()
    qtbot.mouseClick(page.revisited_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: decisions(db)[0].revisited_at is not None, timeout=5000)
    assert decisions(db)[0].revisited_at == NOW
    qtbot.waitUntil(lambda: page.decisions_model.index(0, 3).data() == "Revisited", timeout=5000)
    assert not page.revisited_button.isEnabled()
    assert "Revisited on" in page.decision_view.toPlainText()
    qtbot.waitUntil(lambda: not revisit_upcoming(), timeout=5000)  # Today followed


def test_snoozing_a_prompt_from_the_checkin_stores_it_and_settings_shows_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from db.prompts_state import get_states
    from desktop.due_now import compute_due

    window = make_window(clock=fixed_clock(NOW))
    db = window.context.db
    page = checkin_page(window)
    card = page.cards[0]
    prompt_id = card.prompt.id
    count = len(page.cards)
    settings = window.pages["settings"].section("PromptsSection")

    week = next(a for a in card.snooze_button.menu().actions() if a.text() == "For a week")
    week.trigger()
    qtbot.waitUntil(lambda: len(page.cards) == count - 1, timeout=5000)
    assert prompt_id not in [c.prompt.id for c in page.cards]
    assert get_states(db)[prompt_id].snoozed_until == NOW + timedelta(days=7)
    assert prompt_id not in {p.id for p in compute_due(db, NOW)[0].due}
    assert prompt_id in {p.id for p in compute_due(db, NOW + timedelta(days=8))[0].due}
    shown = [row.state for group in settings.model.groups for row in group.rows
             if row.prompt.id == prompt_id]
    assert shown and shown[0].snoozed_until == NOW + timedelta(days=7)
    texts = [settings.model.index(r, 1, settings.model.index(g, 0)).data()
             for g, group in enumerate(settings.model.groups) for r, row in enumerate(group.rows)
             if row.prompt.id == prompt_id]
    assert texts and "snoozed until" in texts[0]


def test_closing_the_window_while_a_checkin_is_stored_keeps_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from db import checkins

    window = make_window(clock=fixed_clock(NOW))
    page = checkin_page(window)
    for card in page.cards:
        answer_generically(qtbot, card)
    page.finish()
    window.close()  # at once: closing waits for the write still running
    stored = checkins.list_checkins(window.context.db)
    assert len(stored) == 1 and len(stored[0].answers) == len(page.cards)


def test_saving_an_option_stores_it_off_the_ui_thread_and_every_view_follows(
        qtbot, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Saving an option goes through run_write: the write and the page's reads run on a
    worker, the result is shown on the UI thread, and Today (its flags and what is coming
    up) and the Journal's search hear of it."""
    import threading
    from datetime import date

    import db.options as db_options
    from desktop.ui.models.options_table_model import COLUMN_OF
    from desktop.ui.tasks import writes_running

    window = make_window(clock=fixed_clock(NOW))
    today = window.pages["today"]
    qtbot.waitUntil(lambda: today.view is not None, timeout=5000)
    assert not any("Halcyon" in f.message for f in today.view.flags)
    checkin = window.pages["checkin"]  # built and hidden, as after start-up
    qtbot.waitUntil(lambda: checkin.plan is not None, timeout=5000)
    window.show_page("options")
    page = window.pages["options"]
    stored_on: list[threading.Thread] = []
    real_save = db_options.save_option

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        stored_on.append(threading.current_thread())
        return real_save(*args, **kwargs)

    monkeypatch.setattr(db_options, "save_option", recording)
    # What Today, the Check-in count and the reminders show next is read once, by the
    # write's own task: no other worker reads it again while the page is laid out.
    import desktop.due_now
    import desktop.today_data

    reads: list[tuple[str, threading.Thread]] = []
    real_build, real_due = desktop.today_data.build_today_view, desktop.due_now.compute_due

    def build(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(("today", threading.current_thread()))
        return real_build(*args, **kwargs)

    def due(*args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(("due", threading.current_thread()))
        return real_due(*args, **kwargs)

    monkeypatch.setattr(desktop.today_data, "build_today_view", build)
    monkeypatch.setattr(desktop.due_now, "compute_due", due)
    page.new_option()
    editor = page.editor
    editor.organisation_edit.setText("Halcyon")
    editor.role_edit.setText("Engineer")
    editor.load_payload({**editor.payload(), "status": "offer",
                         "offer_deadline": date(2026, 12, 4).isoformat()})
    editor.notes_edit.setPlainText("gardening leave clause")
    page.save_option()
    assert page.saving  # the UI thread did not wait for the write
    qtbot.waitUntil(lambda: not page.saving, timeout=5000)
    assert stored_on and stored_on[0] is not threading.main_thread()
    assert writes_running() == 0
    # The Options page shows it, selected, as saved.
    assert page.model.rowCount() == 1
    assert page.proxy.index(0, COLUMN_OF["organisation"]).data() == "Halcyon"
    assert page.current_id is not None and editor.option_id == page.current_id
    assert editor.state_label.text().startswith("Saved at")
    # Today: the offer's deadline is flagged and coming up.
    qtbot.waitUntil(lambda: any("Halcyon" in f.message for f in today.view.flags),
                    timeout=5000)
    qtbot.waitUntil(lambda: any("Halcyon" in item.title for item in today.view.upcoming),
                    timeout=5000)
    assert any("Halcyon" in card.flag.message for card in today.flag_cards)
    qtbot.wait(200)
    assert reads == [("today", stored_on[0])]
    badge = window.sidebar.buttons["checkin"].property("badge") or ""
    assert badge == (str(len(today.view.due)) if today.view.due else "")
    # Search everywhere finds the option's notes.
    from db.search import search

    assert [hit.kind for hit in search(window.context.db, "gardening")] == ["option"]


def test_reminders_recheck_only_for_writes_that_move_what_is_due(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """An entry saved or a flag dismissed cannot change what is due: the reminders do
    not check again (a check without a view read what is due on the UI thread)."""
    from desktop.ui.reminder_controller import ReminderController

    window = make_window(clock=fixed_clock(NOW))
    controller = ReminderController(QApplication.instance(), window, window.context)
    window.page_data_changed.connect(controller._on_page_data_changed)
    checks = controller.service.checks
    window.publish(Change.ENTRIES)
    window.publish(Change.FLAGS | Change.FINANCES | Change.BASELINE)
    assert controller.service.checks == checks
    window.publish(Change.PROMPTS)
    assert controller.service.checks == checks + 1
    window.publish(Change.PROFILE)
    assert controller.service.checks == checks + 2
