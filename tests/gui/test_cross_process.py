"""Views stay current when another process writes: a second process (``keel write``,
``keel import``, or plain Python on the same data folder) changes the journal while the
app shows each page, and the page updates within a few seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.core.changes import Change
from tests.gui.conftest import NOW, fixed_clock

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 6000
"""How long a view may take to follow (the watcher polls every second; the machine is slow)."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def keel(data_dir: Path, *args: str) -> str:
    """Run the command line in another process, as a user would beside the open app."""
    done = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def other_process(data_dir: Path, code: str) -> None:
    """Run *code* in another Python process with ``db`` open on *data_dir* (for writes the
    command line has no command for)."""
    script = ("import sys\nfrom datetime import datetime, timezone, timedelta, date\n"
              "from pathlib import Path\nfrom desktop.context import AppContext\n"
              "from desktop.paths import Paths\n"
              "ctx = AppContext(Paths(Path(sys.argv[1])))\ndb = ctx.open()\n"
              + code + "\nctx.close()\n")
    done = subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True,
                          text=True, env=_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_journal_list_follows_keel_write(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db import journal

    window = make_window(clock=fixed_clock(NOW))
    for n in range(3):
        journal.create_entry(window.context.db, f"Entry {n}", f"Title {n}", [])
    window.show_page("journal")
    page = window.pages["journal"]
    page.refresh(Change.ENTRIES)
    first = page.model.entry_at(0)
    page.list_view.setCurrentIndex(page.model.index(1))  # the user is reading an older one
    reading = page.current_id
    assert page.count_label.text() == "3 entries" and first is not None

    keel(data_dir, "write", "Written from the command line")
    qtbot.waitUntil(lambda: page.count_label.text() == "4 entries", timeout=SECONDS)
    assert page.model.rowCount() == 4
    assert page.model.entry_at(0).body == "Written from the command line"
    assert page.model.entry_at(3).title == "Title 0"  # the oldest is not hidden
    assert page.current_id == reading  # the open entry stays open


def test_journal_list_follows_an_entry_deleted_elsewhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    """Another process deletes one entry: the list shows exactly the others, in order, and
    the entry the user has open stays open and selected."""
    from db import journal

    window = make_window(clock=fixed_clock(NOW))
    ids = [journal.create_entry(window.context.db, f"Entry {n}", f"Title {n}", []).id
           for n in range(4)]
    window.show_page("journal")
    page = window.pages["journal"]
    page.refresh(Change.ENTRIES)
    page.list_view.setCurrentIndex(page.model.index(2))  # reading "Title 1"
    reading = page.current_id
    assert reading == ids[1]

    other_process(data_dir, f"from db import journal\njournal.delete_entry(db, {ids[2]})")
    qtbot.waitUntil(lambda: page.count_label.text() == "3 entries", timeout=SECONDS)
    assert [page.model.entry_at(r).title for r in range(page.model.rowCount())] == [
        "Title 3", "Title 1", "Title 0"]
    assert page.current_id == reading
    assert page.list_view.currentIndex().row() == 1
    assert page.editor.title_edit.text() == "Title 1"


def test_settings_shows_own_prompts_imported_by_another_process(qtbot, make_window, data_dir,
                                                                 tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.portable import iter_export_json
    from db.prompts_state import add_custom_prompt
    from desktop.context import AppContext
    from desktop.core.records import AnswerKind
    from desktop.paths import Paths, prepare

    source = tmp_path / "other journal"
    prepare(Paths(source))
    other = AppContext(Paths(source))
    add_custom_prompt(other.open(), "own", "Did I read a paper this week?", "", AnswerKind.TEXT)
    export = tmp_path / "keel export.json"
    export.write_text("".join(iter_export_json(other.db)), encoding="utf-8")
    other.close()

    window = make_window(clock=fixed_clock(NOW))
    window.show_page("settings")
    own = window.pages["settings"].section("OwnPromptsSection")
    prompts = window.pages["settings"].section("PromptsSection")
    assert own.model.rowCount() == 0
    before = prompts.model.prompt_count()

    keel(data_dir, "import", str(export), "--merge")
    qtbot.waitUntil(lambda: own.model.rowCount() == 1, timeout=SECONDS)
    assert prompts.model.prompt_count() == before + 1


def test_settings_situation_follows_a_decision_made_elsewhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from db.options import save_option
    from db.settings import get_profile
    from desktop.core.records import JobOption

    window = make_window(clock=fixed_clock(NOW))
    option = save_option(window.context.db, JobOption(
        id=None, organisation="Frontier Lab", role="Engineer", frontier=True,
        work_kind="capabilities"), when=NOW)
    window.show_page("settings")
    profile = window.pages["settings"].section("ProfileSection")
    assert get_profile(window.context.db).situation != "at-lab"

    other_process(data_dir, "from db.options import record_decision\n"
                            f"record_decision(db, {option.id}, 'Take the lab job', '', [], '')")
    qtbot.waitUntil(lambda: profile.situation_combo.currentData() == "at-lab", timeout=SECONDS)


def test_today_and_the_banner_follow_a_checkin_saved_elsewhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.ui.reminder_controller import ReminderController

    window = make_window()
    today = window.pages["today"]
    qtbot.waitUntil(lambda: today.view is not None, timeout=SECONDS)
    assert today.view.checkins_done == 0
    controller = ReminderController(QApplication.instance(), window, window.context)
    window.page_data_changed.connect(controller._on_page_data_changed)
    controller._on_service_overdue_announced("Your first check-in is ready: 5 questions.")
    assert window.banner.isVisible()

    other_process(data_dir, "from db.checkins import complete_checkin\n"
                            "complete_checkin(db, 'Checked in from elsewhere', [])")
    qtbot.waitUntil(lambda: today.view.checkins_done == 1, timeout=SECONDS)
    assert "1 check-in" in today.last_label.text()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=SECONDS)


def test_own_writes_are_not_reported_back_as_external(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from db import journal

    window = make_window(clock=fixed_clock(NOW))
    seen: list[Change] = []
    window.watcher.changed.connect(seen.append)
    window.show_page("journal")
    page = window.pages["journal"]
    qtbot.keyClicks(page.editor.body_edit, "Written in the app")
    page.save_entry()
    qtbot.wait(2500)  # two polls
    assert seen == []
    journal.create_entry(window.context.db, "Behind the app's back", "", [])  # no event
    qtbot.waitUntil(lambda: seen == [Change.ENTRIES], timeout=SECONDS)
    assert page.count_label.text() == "2 entries"


def test_options_page_follows_an_option_saved_elsewhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("options")
    page = window.pages["options"]
    before = page.model.rowCount()

    other_process(data_dir, "from db.options import save_option\n"
                            "from desktop.core.records import JobOption\n"
                            "save_option(db, JobOption(id=None, organisation='Elsewhere Labs',"
                            " role='Researcher'))")
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=SECONDS)
    assert "Elsewhere Labs" in [page.model.option_at(r).organisation
                                for r in range(page.model.rowCount())]


def test_checkin_page_follows_prompts_snoozed_elsewhere(qtbot, make_window, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = make_window(clock=fixed_clock(NOW))
    window.show_page("checkin")
    page = window.pages["checkin"]
    assert page.stack.currentWidget() is page.form_view and page.cards  # nothing typed yet

    other_process(data_dir, "from db.prompts_state import snooze_all\n"
                            "from desktop.due_now import all_prompts\n"
                            "snooze_all(db, [p.id for p in all_prompts(db)[0]],"
                            " datetime(2027, 1, 1, tzinfo=timezone.utc))")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty_view, timeout=SECONDS)
    assert window.sidebar.buttons["checkin"].text().endswith("Check-in")  # no count left
