"""Native notifications from the running app, and `keel remind`'s click reaching a running
Keel: a private session bus with the test notification server on it, real Qt windows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from db.settings import get_profile, save_profile
from desktop.app import LaunchOptions, StartupClock
from desktop.context import AppContext
from desktop.paths import Paths, prepare
from desktop.platform.reminder_files import read_state
from desktop.ui.application import create_application
from desktop.ui.main_window import MainWindow
from desktop.ui.reminder_controller import ReminderController
from tests.gui.test_tray import PAGES
from tests.session_bus import NotificationServer, notification_server, private_bus

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = ["default", "Check in now", "checkin", "Check in now", "snooze-hour", "Snooze 1 hour",
           "snooze-tomorrow", "Tomorrow"]

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support raise")]


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def server(bus: str) -> Iterator[NotificationServer]:
    with notification_server(bus) as srv:
        yield srv


@pytest.fixture
def no_tray(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stock GNOME: no tray (also what offscreen Qt reports)."""
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))


@pytest.fixture
def context(qtbot, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A new onboarded journal (every prompt due), quiet hours off, the real clock."""
    create_application()
    paths = Paths(tmp_path / "journal")
    prepare(paths)
    ctx = AppContext(paths)
    ctx.open()
    save_profile(ctx.db, replace(get_profile(ctx.db), onboarded=True, quiet_start=0, quiet_end=0))
    yield ctx
    ctx.close()


@pytest.fixture
def controller(qtbot, context: AppContext) -> Iterator[ReminderController]:  # type: ignore[no-untyped-def]
    window = MainWindow(context, pages=PAGES)
    qtbot.addWidget(window)
    window.journal_opened()
    window.show()
    made = ReminderController(QApplication.instance(), window, context)  # type: ignore[arg-type]
    yield made
    made.stop()


def test_the_running_app_notifies_natively_and_the_action_opens_the_check_in(
        no_tray: None, server: NotificationServer, controller: ReminderController,
        qtbot) -> None:  # type: ignore[no-untyped-def]
    controller.window.show_page("journal")
    controller.start()
    call = server.next_call()
    assert call["summary"] == "Your weekly check-in is ready"
    assert call["body"].startswith("12 questions waiting, starting with ")
    assert call["actions"] == ACTIONS
    assert Path(call["app_icon"]).is_file()
    assert controller.window.current_page_id() == "journal"
    server.invoke(call["id"], "checkin")
    qtbot.waitUntil(lambda: controller.window.current_page_id() == "checkin", timeout=10_000)
    assert server.calls_so_far() == []  # one notification, not one per tick


def test_snooze_1_hour_from_the_notification_is_shared_with_keel_remind(
        no_tray: None, server: NotificationServer, controller: ReminderController,
        context: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller.start()
    call = server.next_call()
    server.invoke(call["id"], "snooze-hour")

    def snoozed() -> bool:
        state = read_state(context.paths.data_dir)
        return state is not None and state.snoozed_until is not None

    qtbot.waitUntil(snoozed, timeout=10_000)
    state = read_state(context.paths.data_dir)
    assert state is not None and state.snoozed_until is not None
    assert state.snoozed_until - datetime.now(UTC) > timedelta(minutes=59)


def test_without_a_notification_service_the_banner_still_says_it(
        no_tray: None, bus: str, controller: ReminderController) -> None:
    controller.start()
    assert "check-in is ready" in controller.window.banner.label.text()
    assert controller.window.banner.buttons[0].text() == "Check in now"
    assert "no notification service" in (controller.native.last_problem or "")


def test_keel_remind_while_closed_then_check_in_now_reaches_the_running_keel(
        no_tray: None, bus: str, server: NotificationServer, context: AppContext,
        qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The issue's "done when": no tray, Keel closed, a due check-in gives exactly one
    native notification, and its action opens the check-in (here in a Keel the user
    started meanwhile, through the single-instance socket)."""
    if shutil.which("keel", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the keel script is not installed beside this Python")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DBUS_SESSION_BUS_ADDRESS": bus}
    data_dir = str(context.paths.data_dir)
    remind = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", data_dir,
                               "remind", "--wait", "60"], env=env, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True)
    try:
        call = server.next_call()
        assert call["call"] == "Notify" and call["actions"] == ACTIONS

        # The user opens Keel before clicking: the real shell, holding the lock.
        from desktop.ui import shell as shell_module
        from desktop.ui.single_instance import acquire_lock

        monkeypatch.setattr(shell_module, "MainWindow",
                            lambda ctx, settings=None, defer_first_page=False: MainWindow(
                                ctx, pages=PAGES, settings=settings,
                                defer_first_page=defer_first_page))
        lock = acquire_lock(context.paths)
        assert lock is not None
        options = LaunchOptions(data_dir=data_dir)
        shell: Any = shell_module.Shell(QApplication.instance(), context, options, lock=lock)  # type: ignore[arg-type]
        qtbot.addWidget(shell.window)
        shell.start(StartupClock(options))
        qtbot.waitUntil(lambda: shell.server is not None, timeout=10_000)
        qtbot.waitUntil(lambda: getattr(shell, "reminders", None) is not None, timeout=10_000)
        shell.window.show_page("journal")

        server.invoke(call["id"], "default")  # a click on the notification itself
        qtbot.waitUntil(lambda: shell.window.current_page_id() == "checkin", timeout=30_000)
        _out, err = remind.communicate(timeout=30)
        assert "opened the check-in" in err and "Traceback" not in err
        # The running Keel saw the batch already reminded about: no second notification.
        assert [c for c in server.calls_so_far() if c.get("call") == "Notify"] == []
        shell.reminders.stop()
        if getattr(shell, "backups", None) is not None and hasattr(shell.backups, "stop"):
            shell.backups.stop()
        shell.server.close()
        lock.unlock()
    finally:
        if remind.poll() is None:
            remind.kill()
            remind.wait()


@pytest.fixture
def dunst(bus: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """dunst, a real notification server, on the private bus, drawing on its own Xvfb."""
    for tool in ("Xvfb", "dunst", "dunstctl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian packages xvfb and dunst; .ci/run "
                        "installs them)")
    import random

    display = f":{random.randint(200, 900)}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus, "DISPLAY": display,
           "HOME": str(tmp_path)}
    server = None
    try:
        from tests.session_bus import wait_for

        assert wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{display[1:]}"), timeout=20)
        server = subprocess.Popen(["dunst"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)

        def answering() -> bool:
            done = subprocess.run(["dunstctl", "count", "displayed"], env=env,
                                  capture_output=True, text=True, check=False)
            return done.returncode == 0 and done.stdout.strip().isdigit()

        assert wait_for(answering, timeout=20)
        yield env
    finally:
        for proc in (server, xvfb):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)


def test_dunst_shows_the_reminder_and_its_default_action_opens_the_check_in(
        no_tray: None, dunst: dict[str, str], controller: ReminderController,
        qtbot) -> None:  # type: ignore[no-untyped-def]
    """With a real server: dunst accepts Keel's Notify (its signature, icon and hints) and
    shows it; dunst's own "action" command clicks it, and the window goes to the check-in."""
    controller.window.show_page("journal")
    controller.start()
    assert controller.native.last_problem is None
    assert controller.native.last_id > 0

    def displayed() -> str:
        return subprocess.run(["dunstctl", "count", "displayed"], env=dunst,
                              capture_output=True, text=True, check=False).stdout.strip()

    qtbot.waitUntil(lambda: displayed() == "1", timeout=10_000)
    subprocess.run(["dunstctl", "action", "0"], env=dunst, check=True)
    qtbot.waitUntil(lambda: controller.window.current_page_id() == "checkin", timeout=10_000)


def test_a_locked_journal_still_reminds_from_the_schedule_file(
        no_tray: None, server: NotificationServer, controller: ReminderController,
        context: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Auto-lock closes an encrypted journal while Keel keeps running (and `keel remind`
    stays silent because Keel runs): the service reminds from the schedule file it wrote,
    with the count only, and snoozing works without the journal."""
    from desktop.core.reminders import ReminderState
    from desktop.platform.reminder_files import read_schedule, write_state

    controller.start()  # writes the schedule; notifies once
    server.next_call()
    schedule = read_schedule(context.paths.data_dir)
    assert schedule is not None and schedule.due_count == 12
    write_state(context.paths.data_dir, ReminderState())  # as if never reminded
    context.close()
    context.paused = "Keel is locked."
    controller.service.check_now()
    call = server.next_call()
    assert call["body"] == "12 questions waiting."  # no theme while the journal is closed
    server.invoke(call["id"], "snooze-tomorrow")
    qtbot.waitUntil(lambda: (read_state(context.paths.data_dir) or ReminderState())
                    .snoozed_until is not None, timeout=10_000)
    context.paused = None
