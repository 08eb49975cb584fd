"""The tray: its menu, reminders that open the check-in, closing into the tray, and no tray."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from db.checkins import AnswerInput, complete_checkin
from db.settings import get_profile, get_value, save_profile, set_value
from desktop.app import LaunchOptions, StartupClock
from desktop.context import AppContext
from desktop.core.records import AnswerKind
from desktop.due_now import compute_due
from desktop.paths import Paths, prepare
from desktop.platform.reminder_files import read_state
from desktop.ui.application import create_application
from desktop.ui.main_window import MainWindow
from desktop.ui.navigation import PageSpec
from desktop.ui.pages.base import Page
from desktop.ui.reminder_controller import (
    CLOSED_REMINDERS_ACTION,
    NO_TRAY_TEXT,
    NO_TRAY_TOLD_KEY,
    STILL_RUNNING_TITLE,
    ReminderController,
)

pytestmark = [
    # Offscreen Qt has no tray: showing an icon there makes Qt say the platform lacks a
    # tray-window signal. Harmless, and seen only because these tests pretend a tray exists.
    # Offscreen windows cannot be raised above others; raising a hidden window is what a
    # reminder click does, so every test here would hit it.
    pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged",
                              "This plugin does not support raise"),
]

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The user answered everything at this moment (a Monday, their check-in day)."""
DUE_AGAIN = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
"""A week later, mid-morning: the weekly prompts are due."""


class CheckinStub(Page):
    """Stands in for the check-in page so these tests do not depend on its contents."""


PAGES = (
    PageSpec("journal", "Journal", "Ctrl+2", "desktop.ui.pages.journal_page", "JournalPage", "✎"),
    PageSpec("checkin", "Check-in", "Ctrl+3", "tests.gui.test_tray", "CheckinStub", "✓"),
)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _answer_everything(context: AppContext, when: datetime) -> None:
    for _round in range(10):
        plan, _problems = compute_due(context.db, when, context.tz)
        if not plan.due:
            return
        answers = [AnswerInput(p.id, p.answer, text="fine") if p.answer in
                   (AnswerKind.TEXT, AnswerKind.CHOICE) else AnswerInput(p.id, p.answer, number=1)
                   for p in plan.due]
        complete_checkin(context.db, "", answers, when=when)


@pytest.fixture
def tray_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))


@pytest.fixture
def no_tray(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))


@pytest.fixture(scope="module")
def template_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An onboarded journal, everything answered on MONDAY (built once, copied per test)."""
    folder = tmp_path_factory.mktemp("template")
    paths = Paths(folder)
    prepare(paths)
    ctx = AppContext(paths, clock=FakeClock(MONDAY), tz=UTC)
    ctx.open()
    save_profile(ctx.db, replace(get_profile(ctx.db), onboarded=True))
    _answer_everything(ctx, MONDAY)
    ctx.close()
    return paths.database


@pytest.fixture
def context(qtbot, tmp_path: Path, template_journal: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A copy of the template journal; the clock reads DUE_AGAIN."""
    create_application()
    paths = Paths(tmp_path / "journal")
    prepare(paths)
    shutil.copy2(template_journal, paths.database)
    ctx = AppContext(paths, clock=FakeClock(DUE_AGAIN), tz=UTC)
    ctx.open()
    yield ctx
    ctx.close()


@pytest.fixture
def build(qtbot, context: AppContext) -> Iterator[Callable[..., ReminderController]]:  # type: ignore[no-untyped-def]
    """A hidden main window (as with --background) and a started reminder controller."""
    made: list[ReminderController] = []

    def make(show_window: bool = False) -> ReminderController:
        window = MainWindow(context, pages=PAGES)
        qtbot.addWidget(window)
        window.journal_opened()
        if show_window:
            window.show()
        controller = ReminderController(QApplication.instance(), window, context)  # type: ignore[arg-type]
        made.append(controller)
        controller.start()
        return controller

    yield make
    for controller in made:
        controller.stop()
        controller.window.keep_running_on_close = False
    QApplication.setQuitOnLastWindowClosed(True)


def test_menu_counts_due_prompts_and_check_in_opens_the_check_in_page(
        tray_available: None, build: Callable[..., ReminderController]) -> None:
    controller = build()
    tray = controller.tray
    assert tray is not None and tray.isVisible()
    assert not controller.window.isVisible()  # --background: nothing but the tray
    due = controller.service.due_count
    assert due > 0
    assert tray.checkin_action.text() == f"Check in now ({due} due)"
    tray.checkin_action.trigger()
    assert controller.window.isVisible()
    assert controller.window.current_page_id() == "checkin"


def test_open_keel_and_clicking_the_icon_show_the_window(
        tray_available: None, build: Callable[..., ReminderController]) -> None:
    controller = build()
    tray = controller.tray
    assert tray is not None
    tray.open_action.trigger()
    assert controller.window.isVisible()
    controller.window.hide()
    tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert controller.window.isVisible()
    assert controller.window.current_page_id() != "checkin"


def test_a_reminder_is_shown_once_and_clicking_it_opens_the_check_in(
        tray_available: None, build: Callable[..., ReminderController],
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    from desktop.ui.tray import Tray

    monkeypatch.setattr(Tray, "showMessage", lambda self, title, text, *a: shown.append(
        (title, text)))
    controller = build()
    assert len(shown) == 1 and "check-in" in shown[0][0] and "questions waiting" in shown[0][1]
    for _minute in range(5):
        controller.context.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
        controller.service.tick()
    assert len(shown) == 1
    assert controller.tray is not None
    controller.tray.messageClicked.emit()
    assert controller.window.isVisible()
    assert controller.window.current_page_id() == "checkin"


@pytest.mark.parametrize(("choice", "expected"), [
    ("hour", DUE_AGAIN + timedelta(hours=1)),
    ("tomorrow", datetime(2026, 3, 10, 8, 0, tzinfo=UTC)),
    ("week", datetime(2026, 3, 16, 8, 0, tzinfo=UTC)),
])
def test_snooze_menu_stores_the_snooze(
        tray_available: None, build: Callable[..., ReminderController], context: AppContext,
        choice: str, expected: datetime) -> None:
    controller = build()
    assert controller.tray is not None
    controller.tray.snooze_actions[choice].trigger()
    stored = read_state(context.paths.data_dir)  # shared with `keel remind`
    assert stored is not None and stored.snoozed_until == expected
    assert "snoozed" in controller.tray.toolTip()


def test_quit_goes_through_the_window(
        tray_available: None, build: Callable[..., ReminderController],
        monkeypatch: pytest.MonkeyPatch) -> None:
    controller = build()
    asked: list[bool] = []
    monkeypatch.setattr(controller.window, "quit_requested", lambda: asked.append(True))
    assert controller.tray is not None
    controller.tray.quit_action.trigger()
    assert asked == [True]


def test_closing_the_window_keeps_keel_in_the_tray_and_says_so_once(
        tray_available: None, build: Callable[..., ReminderController], context: AppContext,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.tray import Tray

    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    shown: list[str] = []
    monkeypatch.setattr(Tray, "showMessage", lambda self, title, *a: shown.append(title))
    controller = build(show_window=True)
    shown.clear()
    window = controller.window
    window.close()
    assert not window.isVisible()
    assert shown == [STILL_RUNNING_TITLE]
    window.raise_window()
    window.close()
    assert shown == [STILL_RUNNING_TITLE]  # told once
    assert get_value(context.db, "tray_close_message_shown") is True
    assert quits == []

    set_value(context.db, "keep_in_tray", False)  # the Settings checkbox, turned off
    window.raise_window()
    window.close()
    QApplication.processEvents()
    assert quits == [True]


def test_without_a_tray_reminders_appear_in_the_window(
        no_tray: None, build: Callable[..., ReminderController], context: AppContext,
        fake_systemctl: Any) -> None:
    controller = build(show_window=True)
    assert controller.tray is None
    window = controller.window
    banner = window.banner
    assert not banner.isHidden()
    assert "check-in" in banner.label.text()
    assert NO_TRAY_TEXT in banner.label.text()
    captions = [b.text() for b in banner.buttons]
    assert captions == ["Check in now", CLOSED_REMINDERS_ACTION]

    banner.buttons[1].click()  # the scheduler entry that reminds while Keel is closed
    timer = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user" / "keel-remind.timer"
    assert timer.is_file()
    assert "--user enable --now keel-remind.timer" in fake_systemctl.calls
    assert get_value(context.db, NO_TRAY_TOLD_KEY) is True
    assert "while Keel is closed" in banner.label.text()

    again = build(show_window=True)
    assert NO_TRAY_TEXT not in again.window.banner.label.text()  # told once


def test_started_at_login_without_a_tray_keel_quits_instead_of_opening_its_window(
        no_tray: None, build: Callable[..., ReminderController],
        monkeypatch: pytest.MonkeyPatch) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    controller = build()  # hidden, as --background leaves it
    QApplication.processEvents()
    assert not controller.window.isVisible()
    assert quits == [True]


def test_without_a_tray_the_check_in_button_opens_the_page(
        no_tray: None, build: Callable[..., ReminderController]) -> None:
    controller = build(show_window=True)
    controller.window.banner.buttons[0].click()
    assert controller.window.current_page_id() == "checkin"
    assert controller.window.banner.isHidden()


# --- the whole app, as started at login ----------------------------------------------------


@pytest.fixture
def shell_factory(qtbot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A Shell as ``desktop.app.run`` builds it, on the test journal and its fake clock."""
    from desktop.ui import shell as shell_module

    monkeypatch.setattr(shell_module, "MainWindow",
                        lambda ctx, settings=None, defer_first_page=False: MainWindow(
                            ctx, pages=PAGES, settings=settings,
                            defer_first_page=defer_first_page))
    made: list[Any] = []

    def make(background: bool) -> Any:
        options = LaunchOptions(data_dir=str(context.paths.data_dir), background=background)
        shell = shell_module.Shell(QApplication.instance(), context, options)  # type: ignore[arg-type]
        qtbot.addWidget(shell.window)
        made.append(shell)
        shell.start(StartupClock(options))
        qtbot.waitUntil(lambda: getattr(shell, "reminders", None) is not None, timeout=3000)
        return shell

    yield make
    for shell in made:
        shell.reminders.stop()
        shell.window.keep_running_on_close = False
        if getattr(shell, "backups", None) is not None and hasattr(shell.backups, "stop"):
            shell.backups.stop()
        shell.setParent(None)
    QApplication.setQuitOnLastWindowClosed(True)


def test_background_start_shows_only_the_tray_until_a_check_in_is_due(
        tray_available: None, shell_factory: Any, context: AppContext,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.tray import Tray

    shown: list[str] = []
    monkeypatch.setattr(Tray, "showMessage", lambda self, title, text, *a: shown.append(text))
    clock = context.clock
    clock.now = MONDAY + timedelta(hours=1)  # type: ignore[attr-defined]
    shell = shell_factory(background=True)
    assert not shell.window.isVisible()
    assert shell.reminders.tray is not None and shell.reminders.tray.isVisible()
    assert shell.window.keep_running_on_close
    assert shown == []

    service = shell.reminders.service
    while clock.now < DUE_AGAIN:  # a week of minute ticks is slow: step 3 hours at a time
        clock.now += timedelta(hours=3)  # type: ignore[attr-defined]
        service.tick()
        assert len(shown) == (1 if clock.now >= datetime(2026, 3, 9, 8, 0, tzinfo=UTC) else 0)
    assert len(shown) == 1
    assert not shell.window.isVisible()

    shell.reminders.tray.messageClicked.emit()
    assert shell.window.isVisible()
    assert shell.window.current_page_id() == "checkin"


def test_a_second_launch_raises_the_window_hidden_in_the_tray(
        tray_available: None, shell_factory: Any) -> None:
    shell = shell_factory(background=True)
    assert not shell.window.isVisible()
    shell._on_server_message_received("show")  # what InstanceServer delivers
    assert shell.window.isVisible()
    shell.window.close()
    assert not shell.window.isVisible()
    shell._on_server_message_received("checkin")
    assert shell.window.isVisible()
    assert shell.window.current_page_id() == "checkin"


def test_the_window_settings_file_is_left_to_the_shell(tmp_path: Path) -> None:
    """The shell keeps window geometry in its own ini file, not in the journal."""
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    assert settings.fileName().endswith("window.ini")
