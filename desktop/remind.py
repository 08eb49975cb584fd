"""``keel remind``: run by the operating system's scheduler while Keel may be closed.

It works out whether a check-in is due, shows at most one native notification per due
batch (the rules of :func:`desktop.core.reminders.decide`, with the state shared with
the app in ``reminder-state.json``), waits a while for a click on it, and exits.

* It never asks for a passphrase: for an encrypted journal it reads only the schedule
  file the app writes (:mod:`desktop.platform.reminder_files`).
* A plain journal is read with the standard library's ``sqlite3``, read-only, and only
  the tables that decide what is due: no Qt widgets and no SQLAlchemy.
* While Keel's window runs for the same data folder, Keel reminds and this does nothing.
* Anything wrong (no notification service, a missing data folder, a damaged, locked or
  out-of-date journal) ends the run with one line on standard error — the scheduler's
  log (the systemd journal, for instance) — and in ``remind-last-run.json``, which
  ``keel reminders status`` reads. Never a traceback, never the journal's text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from desktop.core.records import Profile
from desktop.core.reminders import (
    ACTION_CHECKIN,
    ACTION_DEFAULT,
    ACTION_SNOOZE,
    Notification,
    ReminderState,
    batch_tokens,
    decide,
    most_important_theme,
    reminder_notification,
    snooze,
    snooze_until,
)
from desktop.paths import Paths

DEFAULT_WAIT_SECONDS = 600.0
"""How long ``keel remind`` waits for a click before it exits (the notification may stay
on screen or in the desktop's list; a later click then does nothing)."""


class Stop(Exception):
    """Ends the run: the one line to log, and whether it counts as working."""

    def __init__(self, outcome: str, ok: bool) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.ok = ok


@dataclass(frozen=True)
class DueNow:
    """What ``keel remind`` knows about the journal now."""

    count: int
    batch: frozenset[str]
    theme: str | None
    profile: Profile
    last_checkin_at: datetime | None


def read_due(paths: Paths, now: datetime, tz: tzinfo) -> DueNow:
    """What is due, from the journal (plain) or the schedule file (encrypted)."""
    from db.sqlfile import is_encrypted_journal

    if is_encrypted_journal(paths.data_dir):
        from desktop.platform.reminder_files import read_schedule

        schedule = read_schedule(paths.data_dir)
        if schedule is None:
            raise Stop("the journal is encrypted and Keel has not written its reminder "
                       "schedule yet; open Keel once", ok=False)
        count, batch = schedule.due_at(now)
        return DueNow(count, batch, None, schedule.profile, schedule.last_checkin_at)
    return _read_plain(paths, now, tz)


def _read_plain(paths: Paths, now: datetime, tz: tzinfo) -> DueNow:
    import sqlite3

    from db.schema import HEAD_REVISION, DatabaseDamaged, SchemaError, stored_revision

    try:
        revision = stored_revision(paths.database, check=False)
    except DatabaseDamaged as exc:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause):
            raise Stop("the journal cannot be read: another program holds it locked",
                       ok=False) from None
        raise Stop("the journal file looks damaged; open Keel to repair it", ok=False) from None
    except SchemaError as exc:
        raise Stop(f"the journal cannot be read now: {exc}", ok=False) from None
    except (sqlite3.Error, OSError) as exc:
        raise Stop(f"the journal cannot be read ({_why(exc)})", ok=False) from None
    if revision != HEAD_REVISION:
        raise Stop("the journal needs an update (or is from a newer Keel); open Keel once",
                   ok=False)
    from db.plain_journal import PlainJournal
    from desktop.due_now import due_from_snapshot, due_inputs

    try:
        journal = PlainJournal(paths.database, readonly=True)
        try:
            snapshot, prompts, _problems = due_inputs(journal)
        finally:
            journal.close()
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError) as exc:
        raise Stop(f"the journal cannot be read ({_why(exc)})", ok=False) from None
    plan = due_from_snapshot(snapshot, prompts, now, tz)
    done = [c.completed_at for c in snapshot.checkins if c.completed_at is not None]
    return DueNow(len(plan.due), batch_tokens(plan.due_ids), most_important_theme(plan.due),
                  snapshot.profile, max(done, default=None))


def _why(exc: BaseException) -> str:
    """A few words for an exception, never its arguments' data (no journal text)."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "it is locked by another program"
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc)
        return text if len(text) < 80 and "'" not in text else type(exc).__name__
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return type(exc).__name__


def open_checkin(paths: Paths) -> None:
    """Open Keel on the check-in (a running Keel is raised and switches to it)."""
    import subprocess

    from desktop.platform.autostart import launch_command

    command = [*launch_command(), "--data-dir", str(paths.data_dir), "--page", "checkin"]
    quiet = subprocess.DEVNULL
    if sys.platform == "win32":
        subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, close_fds=True,
                         creationflags=0x00000008 | 0x00000200)  # DETACHED, NEW_PROCESS_GROUP
    else:
        subprocess.Popen(command, stdin=quiet, stdout=quiet, stderr=quiet, close_fds=True,
                         start_new_session=True)


def deliver(note: Notification, wait_seconds: float,
            on_shown: Callable[[], None] = lambda: None) -> str | None:
    """Show ``note`` natively, call ``on_shown``, wait up to ``wait_seconds`` for a click;
    returns the clicked action's key, or None."""
    from desktop.platform.notifications import DBusNotifier, NotificationError, supported

    if not supported():
        from desktop.platform.tray_message import show_and_wait

        try:
            return show_and_wait(note, wait_seconds, on_shown)
        except NotificationError as exc:
            raise Stop(f"no reminder shown: {exc}", ok=False) from None
    try:
        notifier = DBusNotifier()
    except NotificationError as exc:
        raise Stop(f"no reminder shown: {exc}", ok=False) from None
    try:
        try:
            nid = notifier.notify(note)
        except NotificationError as exc:
            raise Stop(f"no reminder shown: {exc}", ok=False) from None
        on_shown()
        return notifier.wait(nid, wait_seconds) if wait_seconds > 0 else None
    finally:
        notifier.close()


def run(paths: Paths, wait_seconds: float = DEFAULT_WAIT_SECONDS, dry_run: bool = False,
        now: datetime | None = None) -> int:
    """One run; returns the exit code (0: problems are logged, not signalled, so the
    scheduler neither retries in a loop nor floods its log)."""
    now = now or datetime.now(UTC)
    try:
        outcome = _run(paths, now, wait_seconds, dry_run)
        ok = True
    except Stop as stop:
        outcome, ok = stop.outcome, stop.ok
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        outcome, ok = f"failed unexpectedly ({type(exc).__name__})", False
    if dry_run:
        print(outcome)
        return 0
    from desktop.platform.reminder_files import write_last_run

    write_last_run(paths.data_dir, now, outcome, ok)
    if not ok or outcome.startswith("reminded"):
        print(f"keel remind: {outcome}", file=sys.stderr, flush=True)
    return 0


def _run(paths: Paths, now: datetime, wait_seconds: float, dry_run: bool) -> str:
    from desktop.context import local_zone
    from desktop.platform.reminder_files import read_state, write_state
    from desktop.platform.running import keel_is_running

    if not paths.database.is_file():
        raise Stop(f"no journal in {paths.data_dir} (was the folder moved? turn reminders "
                   "on again from Keel in its new place)", ok=False)
    if keel_is_running(paths):
        return "Keel is running and reminds you itself"
    tz = local_zone()
    due = read_due(paths, now, tz)
    state = read_state(paths.data_dir) or ReminderState()
    decision = decide(due.batch, state, due.profile, now, tz, due.last_checkin_at)
    if not decision.notify:
        if decision.new_state != state and not dry_run:
            write_state(paths.data_dir, decision.new_state)
        return _why_not(due.count, decision.new_state, decision.next_check_at, now)
    note = reminder_notification(due.count, due.theme, due.profile.rhythm)
    if dry_run:
        return f"would remind: {note.summary}. {note.body}"
    action = deliver(note, wait_seconds,
                     on_shown=lambda: write_state(paths.data_dir, decision.new_state))
    said = f"reminded about {due.count} due question{'s' if due.count != 1 else ''}"
    if action in (ACTION_DEFAULT, ACTION_CHECKIN):
        open_checkin(paths)
        return f"{said}; opened the check-in"
    if action in ACTION_SNOOZE:
        later = datetime.now(UTC)
        until = snooze_until(ACTION_SNOOZE[action], later, tz, due.profile)
        current = read_state(paths.data_dir) or decision.new_state
        write_state(paths.data_dir, snooze(current, until, later))
        return f"{said}; snoozed until {until.astimezone(tz):%a %d %b %H:%M}"
    return said


def _why_not(count: int, state: ReminderState, next_check_at: datetime | None,
             now: datetime) -> str:
    """Why no reminder went out, in a few words."""
    if count == 0:
        return "nothing is due"
    if state.snoozed_until is not None and state.snoozed_until > now:
        return f"{count} due; reminders are snoozed"
    if next_check_at is not None:
        return f"{count} due; not yet (quiet hours, a day off, or reminded lately)"
    return f"{count} due; already reminded about these"
