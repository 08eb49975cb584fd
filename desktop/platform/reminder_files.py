"""The small files the app and ``keel remind`` share, so they never both remind.

In the data folder (0600, written atomically):

* ``reminder-state.json``: when the last reminder went out, about which batch (short
  hashes, :func:`desktop.core.reminders.batch_tokens`), and until when reminders are
  snoozed. Both the app and ``keel remind`` read and write it.
* ``reminder-schedule.json``: written by the app only, for ``keel remind`` to use when
  the journal is encrypted (it never asks for the passphrase): when prompts fall due and
  how many, the last check-in's time and the reminder settings. No text, no question, no
  theme (README, "Encryption").

Outside it, in the per-user state folder (``$XDG_STATE_HOME/Keel`` and the platform
equivalents), ``remind-last-run.json``: what the last ``keel remind`` did, so
``keel reminders status`` can say so even when the data folder has moved.

Reading never raises: a missing or damaged file reads as empty.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.core.reminders import (
    ReminderSchedule,
    ReminderState,
    schedule_from_json,
    schedule_to_json,
    state_from_json,
    state_to_json,
)
from desktop.platform.files import write_atomic

STATE_FILE = "reminder-state.json"
SCHEDULE_FILE = "reminder-schedule.json"
LAST_RUN_FILE = "remind-last-run.json"
PRIVATE = 0o600


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, value: Any) -> None:
    write_atomic(path, (json.dumps(value, indent=1, sort_keys=True) + "\n").encode(), PRIVATE)


def read_state(data_dir: Path) -> ReminderState | None:
    """The shared reminder state, or None when there is no readable file."""
    value = _read_json(data_dir / STATE_FILE)
    return state_from_json(value) if isinstance(value, dict) else None


def write_state(data_dir: Path, state: ReminderState) -> None:
    """Store the shared reminder state."""
    _write_json(data_dir / STATE_FILE, state_to_json(state))


def read_schedule(data_dir: Path) -> ReminderSchedule | None:
    """The schedule the app last wrote, or None."""
    return schedule_from_json(_read_json(data_dir / SCHEDULE_FILE))


def write_schedule(data_dir: Path, schedule: ReminderSchedule) -> None:
    """Store the schedule (the app does, after each look at what is due)."""
    value = schedule_to_json(schedule)
    old = _read_json(data_dir / SCHEDULE_FILE)
    if isinstance(old, dict) and {**old, "written_at": None} == {**value, "written_at": None}:
        return  # unchanged but for the time: no write every minute
    _write_json(data_dir / SCHEDULE_FILE, value)


def state_folder() -> Path:
    """Where ``remind-last-run.json`` lives (created on first write)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if os.name == "posix" and not _is_macos() and base and os.path.isabs(base):
        return Path(base) / "Keel"
    from platformdirs import user_state_path

    return user_state_path("Keel", appauthor=False)


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


def write_last_run(data_dir: Path, at: datetime, outcome: str, ok: bool) -> None:
    """Record what this ``keel remind`` run did (best effort: never raises)."""
    folder = state_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_json(folder / LAST_RUN_FILE, {"data_dir": str(data_dir), "at": at.isoformat(),
                                             "outcome": outcome, "ok": ok})
    except OSError:
        pass


def read_last_run() -> dict[str, Any] | None:
    """The last run's record: ``data_dir``, ``at`` (ISO), ``outcome``, ``ok``; or None."""
    value = _read_json(state_folder() / LAST_RUN_FILE)
    if not isinstance(value, dict) or not isinstance(value.get("outcome"), str):
        return None
    return value
