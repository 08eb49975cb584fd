"""`keel remind` on a private session bus with a notification server: what it shows, how
often, what a click does, and how it fails (quietly, in one line)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db.journal_file import open_database
from db.settings import get_profile, save_profile
from desktop.core.records import Profile
from desktop.core.reminders import ReminderSchedule, batch_tokens
from desktop.paths import Paths, prepare
from desktop.platform.reminder_files import (
    read_last_run,
    read_state,
    write_schedule,
)
from tests.session_bus import NotificationServer, notification_server, private_bus

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = ["default", "Check in now", "checkin", "Check in now", "snooze-hour", "Snooze 1 hour",
           "snooze-tomorrow", "Tomorrow"]


@pytest.fixture(autouse=True)
def _keep_umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def make_journal(folder: Path, **profile: object) -> Paths:
    """A new, onboarded journal: every prompt is due; quiet hours off unless given."""
    paths = Paths(folder)
    prepare(paths)
    db = open_database(paths.database, paths.backups)
    try:
        fields = {"onboarded": True, "quiet_start": 0, "quiet_end": 0, **profile}
        save_profile(db, replace(get_profile(db), **fields))
    finally:
        db.close()
    return paths


def remind(data_dir: Path, bus: str | None, *extra: str, wait: float = 0,
           env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)
    if bus is not None:
        environment["DBUS_SESSION_BUS_ADDRESS"] = bus
    return subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(data_dir),
                             "remind", "--wait", str(wait), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment, cwd=ROOT)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    return proc.returncode, out, err


@pytest.fixture
def bus() -> Iterator[str]:
    with private_bus() as address:
        yield address


@pytest.fixture
def server(bus: str) -> Iterator[NotificationServer]:
    with notification_server(bus) as srv:
        yield srv


def test_a_due_check_in_gives_exactly_one_notification_with_icon_text_and_actions(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0
    call = server.next_call()
    assert call["call"] == "Notify"
    assert call["app_name"] == "Keel"
    assert call["summary"] == "Your weekly check-in is ready"
    assert call["body"].startswith("12 questions waiting, starting with ")
    assert Path(call["app_icon"]).is_file() and call["app_icon"].endswith(".png")
    assert call["actions"] == ACTIONS
    assert call["hints"]["desktop-entry"] == ["s", "io.github.keel_journal.Keel"]
    assert err.count("\n") == 1 and "reminded about 12 due questions" in err
    state = read_state(paths.data_dir)
    assert state is not None and state.last_notified_at is not None
    assert oct(paths.data_dir.joinpath("reminder-state.json").stat().st_mode & 0o777) == "0o600"

    # The scheduler runs it again half an hour later: the same batch, no second notification.
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0 and err == ""
    assert server.calls_so_far() == []
    last = read_last_run()
    assert last is not None and last["ok"] and "already reminded" in last["outcome"]


def test_snooze_1_hour_holds_until_the_hour_is_over(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    proc = remind(paths.data_dir, bus, wait=30)
    call = server.next_call()
    server.invoke(call["id"], "snooze-hour")
    code, _out, err = finish(proc)
    assert code == 0 and "snoozed until" in err
    state = read_state(paths.data_dir)
    assert state is not None and state.snoozed_until is not None
    assert timedelta(minutes=59) < state.snoozed_until - datetime.now(UTC) <= timedelta(hours=1)
    finish(remind(paths.data_dir, bus))
    assert server.calls_so_far() == []  # snoozed: nothing shown


def test_tomorrow_snoozes_until_quiet_hours_end_tomorrow(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal", quiet_start=23, quiet_end=7)
    now = datetime.now(UTC)
    if now.astimezone().hour in (23, 0, 1, 2, 3, 4, 5, 6):
        pytest.skip("the machine's local time is inside the test's quiet hours")
    proc = remind(paths.data_dir, bus, wait=30)
    server.invoke(server.next_call()["id"], "snooze-tomorrow")
    finish(proc)
    state = read_state(paths.data_dir)
    assert state is not None and state.snoozed_until is not None
    local = state.snoozed_until.astimezone()
    assert local.hour == 7 and local.date() == (now.astimezone() + timedelta(days=1)).date()


def test_no_notification_service_on_the_bus_is_one_line_and_retried_next_run(
        tmp_path: Path, bus: str) -> None:
    paths = make_journal(tmp_path / "journal")
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0
    assert err.count("\n") == 1
    assert "no notification service" in err
    last = read_last_run()
    assert last is not None and last["ok"] is False
    assert read_state(paths.data_dir) is None  # not marked as reminded: the next run tries again


def test_no_session_bus_at_all_is_one_line(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "journal")
    code, _out, err = finish(remind(paths.data_dir, None))
    assert code == 0 and err.count("\n") == 1 and "no reminder shown" in err


def test_a_moved_data_folder_is_one_line_and_status_says_so(
        tmp_path: Path, bus: str, server: NotificationServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    paths = make_journal(tmp_path / "journal")
    paths.data_dir.rename(tmp_path / "moved")
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0 and err.count("\n") == 1 and "was the folder moved" in err
    assert server.calls_so_far() == []
    from desktop.cli import main

    assert main(["--data-dir", str(paths.data_dir), "reminders", "status"]) == 0
    out = capsys.readouterr().out
    assert "Reminders while Keel is closed: off" in out
    assert "was the folder moved" in out and "(did not work)" in out


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-tables"])
def test_a_damaged_journal_is_one_line(tmp_path: Path, bus: str, server: NotificationServer,
                                       damage: str) -> None:
    paths = make_journal(tmp_path / "journal")
    data = paths.database.read_bytes()
    if damage == "garbage":
        paths.database.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    elif damage == "truncated":
        paths.database.write_bytes(data[: len(data) // 3])
    else:
        with sqlite3.connect(paths.database) as conn:
            conn.execute("DROP TABLE prompt_states")
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0 and err.count("\n") == 1, err
    assert "journal" in err
    assert server.calls_so_far() == []


def test_a_journal_locked_by_another_program_is_one_line(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    holder = sqlite3.connect(paths.database)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = finish(remind(paths.data_dir, bus))
    finally:
        holder.rollback()
        holder.close()
    assert code == 0 and err.count("\n") == 1, err
    assert "cannot be read" in err
    assert server.calls_so_far() == []


def _encrypt_in_place(paths: Paths) -> None:
    """What an encrypted journal looks like from outside: the marker and no SQLite header."""
    from db.sqlfile import MARKER_NAME as ENCRYPTION_MARKER

    paths.database.write_bytes(os.urandom(4096))
    (paths.data_dir / ENCRYPTION_MARKER).write_text("encrypted", encoding="utf-8")


def test_an_encrypted_journal_uses_the_schedule_file_and_names_no_theme(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    _encrypt_in_place(paths)
    code, _out, err = finish(remind(paths.data_dir, bus))
    assert code == 0 and "open Keel once" in err and err.count("\n") == 1
    assert server.calls_so_far() == []

    now = datetime.now(UTC)
    write_schedule(paths.data_dir, ReminderSchedule(
        written_at=now - timedelta(days=8), due_count=0, due_batch=frozenset(),
        next_due_at=now - timedelta(days=1), next_count=5,
        next_batch=batch_tokens(["a", "b", "c", "d", "e"]),
        last_checkin_at=now - timedelta(days=8),
        profile=Profile(rhythm="fortnightly", quiet_start=0, quiet_end=0)))
    text = paths.data_dir.joinpath("reminder-schedule.json").read_text(encoding="utf-8")
    assert '"a"' not in text  # tokens, not prompt ids
    finish(remind(paths.data_dir, bus))
    call = server.next_call()
    assert call["summary"] == "Your fortnightly check-in is ready"
    assert call["body"] == "5 questions waiting."


def test_nothing_is_shown_while_keel_runs_for_the_same_folder(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    where = os.path.join(os.environ.get("TMPDIR") or "/tmp", paths.instance_key)
    if os.path.exists(where):
        os.unlink(where)
    listening.bind(where)  # as Keel's QLocalServer does
    listening.listen(1)
    try:
        code, _out, err = finish(remind(paths.data_dir, bus))
    finally:
        listening.close()
        os.unlink(where)
    assert code == 0 and err == ""
    assert server.calls_so_far() == []
    last = read_last_run()
    assert last is not None and "Keel is running" in last["outcome"]


def test_quiet_hours_hold_the_reminder(tmp_path: Path, bus: str,
                                       server: NotificationServer) -> None:
    hour = datetime.now().astimezone().hour
    paths = make_journal(tmp_path / "journal", quiet_start=hour, quiet_end=(hour + 2) % 24)
    _code, out, _err = finish(remind(paths.data_dir, bus, "--dry-run"))
    assert "not yet" in out
    finish(remind(paths.data_dir, bus))
    assert server.calls_so_far() == []


def test_dry_run_changes_nothing(tmp_path: Path, bus: str, server: NotificationServer) -> None:
    paths = make_journal(tmp_path / "journal")
    code, out, _err = finish(remind(paths.data_dir, bus, "--dry-run"))
    assert code == 0 and out.startswith("would remind: Your weekly check-in is ready.")
    assert server.calls_so_far() == [] and read_state(paths.data_dir) is None
    assert read_last_run() is None


def test_keel_remind_imports_neither_qt_nor_sqlalchemy(tmp_path: Path) -> None:
    paths = make_journal(tmp_path / "journal")
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"main(['--data-dir', {str(paths.data_dir)!r}, 'remind', '--wait', '0'])\n"
        "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                         text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    loaded = json.loads(out.splitlines()[-1])
    assert not [m for m in loaded if m.startswith(("PySide6", "sqlalchemy", "alembic"))]


def test_killed_while_waiting_for_a_click_it_does_not_remind_twice(
        tmp_path: Path, bus: str, server: NotificationServer) -> None:
    """kill -9 after the notification is on screen: the state was stored before the wait
    (atomically), so the next run stays silent and the file is whole."""
    import signal

    paths = make_journal(tmp_path / "journal")
    proc = remind(paths.data_dir, bus, wait=60)
    server.next_call()
    from tests.session_bus import wait_for

    assert wait_for(lambda: read_state(paths.data_dir) is not None)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    json.loads(paths.data_dir.joinpath("reminder-state.json").read_text(encoding="utf-8"))
    assert not list(paths.data_dir.glob(".reminder-state.json.*"))  # no temporary left
    finish(remind(paths.data_dir, bus))
    assert server.calls_so_far() == []


def test_started_at_login_without_a_tray_keel_neither_opens_nor_asks_for_a_passphrase(
        tmp_path: Path) -> None:
    """`keel --background` (what start at login runs) where no tray exists — offscreen Qt has
    none, like stock GNOME: it exits at once, even for an encrypted journal (no prompt)."""
    paths = make_journal(tmp_path / "journal")
    _encrypt_in_place(paths)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KEEL_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(paths.data_dir),
                           "--background"], capture_output=True, text=True, timeout=60,
                          env=env, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    log = (paths.logs / "keel.log").read_text(encoding="utf-8")
    assert "started in the background without a tray" in log


def test_keel_remind_after_the_clock_is_set_back(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`keel remind` with an injected clock (``run(now=…)``, no sleeping): a check-in and a
    snooze made while the clock ran months or days ahead do not silence it once the clock
    is set back (before: "nothing is due" until the clock reached that check-in again)."""
    from db.checkins import AnswerInput, complete_checkin
    from desktop.context import local_zone
    from desktop.core.reminders import ReminderState, snooze
    from desktop.due_now import compute_due
    from desktop.platform.reminder_files import write_state
    from desktop.remind import run

    now = datetime.now(UTC).replace(microsecond=0)
    ahead = now + timedelta(days=75)
    paths = make_journal(tmp_path / "journal #?%", quiet_start=0, quiet_end=0)
    db = open_database(paths.database, paths.backups)
    try:
        for _round in range(10):
            plan, _problems = compute_due(db, ahead, local_zone())
            if not plan.due:
                break
            complete_checkin(db, "", [AnswerInput(p.id, p.answer, number=1,
                                                        text=p.labels[0] if p.labels else "x")
                                            for p in plan.due], when=ahead)
    finally:
        db.close()
    assert run(paths, 0, dry_run=True, now=ahead) == 0
    assert capsys.readouterr().out.strip() == "nothing is due"  # under the clock ahead
    assert run(paths, 0, dry_run=True, now=now) == 0
    assert capsys.readouterr().out.startswith("would remind: ")  # set back: asked again

    write_state(paths.data_dir, snooze(ReminderState(), now + timedelta(days=3, hours=1),
                                       now + timedelta(days=3)))
    assert run(paths, 0, now=now) == 0  # stores the snooze moved back to an hour from now
    state = read_state(paths.data_dir)
    assert state is not None and state.snoozed_until == now + timedelta(hours=1)
    assert run(paths, 0, dry_run=True, now=now + timedelta(minutes=30)) == 0
    assert "snoozed" in capsys.readouterr().out
    assert run(paths, 0, dry_run=True, now=now + timedelta(hours=1, minutes=1)) == 0
    assert capsys.readouterr().out.startswith("would remind: ")
