"""Reminders while Keel is closed: turn the scheduler entry on or off, and say what is there.

One implementation for ``keel reminders on|off|status`` and the switch in Settings ▸
Reminders. The entry runs ``keel --data-dir <folder> remind`` (:mod:`desktop.remind`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def turn_on(data_dir: str | None) -> str:
    """Install the scheduler entry for the journal in ``data_dir``; the sentence to show.
    Raises :class:`~desktop.platform.scheduler.SchedulerError` (one line, for the user)
    when the scheduler refuses."""
    from desktop.core.scheduler_entries import remind_command
    from desktop.paths import prepare, resolve
    from desktop.platform.autostart import launch_command
    from desktop.platform.scheduler import for_platform

    paths = resolve(data_dir)
    prepare(paths)
    status = for_platform().install(remind_command(launch_command(), str(paths.data_dir)))
    return f"Reminders will reach you while Keel is closed. {status.detail} ({status.location})"


def turn_off() -> str:
    """Remove the scheduler entry; the sentence to show."""
    from desktop.platform.scheduler import for_platform

    removed = for_platform().remove()
    return ("Reminders while Keel is closed are off; the scheduler entry was removed."
            if removed else "Reminders while Keel is closed were not on.")


def status_lines(data_dir: str | None) -> list[str]:
    """What is installed, whether the last run worked, and when prompts fall due next."""
    from desktop.paths import resolve
    from desktop.platform.autostart import for_platform as autostart_for_platform
    from desktop.platform.reminder_files import read_last_run, read_schedule
    from desktop.platform.scheduler import for_platform

    paths = resolve(data_dir)
    entry = for_platform().status()
    lines = [f"Reminders while Keel is closed: {'on' if entry.installed else 'off'}",
             f"  Scheduler: {entry.detail} ({entry.location})"]
    last = read_last_run()
    if last is None:
        lines.append("  Last run: none recorded")
    else:
        when = _local(last.get("at"))
        verdict = "worked" if last.get("ok") else "did not work"
        folder = last.get("data_dir")
        other = f" [data folder {folder}]" if folder and folder != str(paths.data_dir) else ""
        lines.append(f"  Last run: {when} — {last['outcome']} ({verdict}){other}")
    schedule = read_schedule(paths.data_dir)
    if schedule is not None:
        if schedule.due_count:
            lines.append(f"  Due when Keel last looked: {schedule.due_count} question(s)")
        if schedule.next_due_at is not None:
            lines.append(f"  Next due: {_local(schedule.next_due_at.isoformat())}")
    try:
        auto = autostart_for_platform().status()
        lines.append(f"Start at login: {'on' if auto.enabled else 'off'} ({auto.location})")
    except Exception as exc:  # noqa: BLE001 - e.g. no registry access
        lines.append(f"Start at login: unknown ({type(exc).__name__})")
    return lines


def _local(iso: Any) -> str:
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%a %d %b %Y %H:%M")
    except ValueError:
        return "unknown time"
