"""The scheduler entry that runs ``keel remind`` while Keel is closed: install, remove, report.

* Linux: ``keel-remind.service`` and ``keel-remind.timer`` in ``$XDG_CONFIG_HOME/systemd/user``,
  enabled with ``systemctl --user enable --now`` (:class:`SystemdTimer`).
* macOS: ``~/Library/LaunchAgents/io.github.keel_journal.Keel.remind.plist``, loaded with
  ``launchctl bootstrap`` (:class:`LaunchdAgent`).
* Windows: the task ``\\Keel\\Reminders``, created with ``schtasks /Create /XML``
  (:class:`WindowsTask`).

The text of each entry comes from :mod:`desktop.core.scheduler_entries`. When the
scheduler refuses the entry, nothing is left half-installed: the files Keel wrote are
removed again and :class:`SchedulerError` says what the scheduler said, in one line.
Keel touches only entries carrying its marker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.core.errors import UserError
from desktop.core.scheduler_entries import (
    LAUNCH_AGENT_LABEL,
    PLIST_MARKER_KEY,
    TASK_MARKER,
    TASK_NAME,
    UNIT_NAME,
    is_keel_unit,
    launch_agent_xml,
    systemd_service,
    systemd_timer,
    task_xml,
)
from desktop.platform.autostart import config_home
from desktop.platform.files import write_atomic

TOOL_TIMEOUT = 30.0


class SchedulerError(UserError):
    """The scheduler entry could not be changed; the message says why, for the user."""


@dataclass(frozen=True)
class SchedulerStatus:
    """What is installed now."""

    installed: bool
    """Keel's entry is there (files written by Keel, or the task with Keel's marker)."""
    active: bool | None
    """The scheduler has it enabled (None: the scheduler could not be asked)."""
    location: str
    detail: str
    """One sentence: what is there and what the scheduler says about it."""
    foreign: bool = False
    """Something Keel did not write sits where its entry would go."""


class SchedulerEntry(Protocol):
    """One platform's scheduler entry for ``keel remind``."""

    @property
    def location(self) -> str: ...

    def install(self, command: Sequence[str]) -> SchedulerStatus: ...

    def remove(self) -> bool: ...

    def status(self, ask: bool = True) -> SchedulerStatus: ...


def _tool(args: Sequence[str], input_text: str | None = None) -> tuple[bool, str]:
    """Run a system tool; (succeeded, its last line of output or error)."""
    program = shutil.which(args[0])
    if program is None:
        return False, f"{args[0]} was not found"
    try:
        done = subprocess.run([program, *args[1:]], capture_output=True, text=True,
                              timeout=TOOL_TIMEOUT, input=input_text, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{args[0]} could not run ({type(exc).__name__})"
    text = (done.stderr.strip() or done.stdout.strip()).splitlines()
    return done.returncode == 0, text[-1] if text else f"exit status {done.returncode}"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ""


class SystemdTimer:
    """A systemd user timer and service (Linux)."""

    def __init__(self, config: Path | None = None) -> None:
        self.folder = (config or config_home()) / "systemd" / "user"
        self.service = self.folder / f"{UNIT_NAME}.service"
        self.timer = self.folder / f"{UNIT_NAME}.timer"

    @property
    def location(self) -> str:
        return str(self.timer)

    def _foreign(self) -> Path | None:
        for path in (self.service, self.timer):
            text = _read(path)
            if text is not None and not is_keel_unit(text):
                return path
        return None

    def install(self, command: Sequence[str]) -> SchedulerStatus:
        foreign = self._foreign()
        if foreign is not None:
            raise SchedulerError(f"{foreign} already exists and was not written by Keel; "
                                 "Keel leaves it alone.")
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.service, systemd_service(command).encode(), 0o644)
        write_atomic(self.timer, systemd_timer().encode(), 0o644)
        ok, said = _tool(["systemctl", "--user", "daemon-reload"])
        if ok:
            ok, said = _tool(["systemctl", "--user", "enable", "--now", f"{UNIT_NAME}.timer"])
        if not ok:
            self._delete()
            _tool(["systemctl", "--user", "daemon-reload"])
            raise SchedulerError(f"systemd did not take the reminder timer: {said}. "
                                 "Nothing was left installed.")
        return self.status()

    def _delete(self) -> bool:
        removed = False
        for path in (self.timer, self.service):
            text = _read(path)
            if text is not None and is_keel_unit(text):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed = True
        return removed

    def remove(self) -> bool:
        if self._foreign() is None and _read(self.timer) is not None:
            _tool(["systemctl", "--user", "disable", "--now", f"{UNIT_NAME}.timer"])
        removed = self._delete()
        if removed:
            _tool(["systemctl", "--user", "daemon-reload"])
        return removed

    def status(self, ask: bool = True) -> SchedulerStatus:
        """What is installed; with ``ask`` False only the files are looked at (no
        ``systemctl`` run: cheap enough for the UI thread)."""
        foreign = self._foreign()
        if foreign is not None:
            return SchedulerStatus(False, None, self.location,
                                   f"{foreign} was not written by Keel; Keel leaves it alone.",
                                   foreign=True)
        present = [p for p in (self.service, self.timer) if p.exists()]
        if not present:
            return SchedulerStatus(False, False, self.location, "No reminder timer is installed.")
        if len(present) == 1:
            return SchedulerStatus(True, False, self.location,
                                   f"Only {present[0].name} is there; turn reminders off and on "
                                   "again to repair it.")
        if not ask:
            return SchedulerStatus(True, None, self.location,
                                   f"The systemd user timer {UNIT_NAME}.timer is installed.")
        ok, said = _tool(["systemctl", "--user", "is-enabled", f"{UNIT_NAME}.timer"])
        if ok:
            return SchedulerStatus(True, True, self.location,
                                   f"The systemd user timer {UNIT_NAME}.timer is installed and "
                                   f"{said}.")
        if "not found" in said or "could not run" in said or "Failed to connect" in said:
            return SchedulerStatus(True, None, self.location,
                                   f"The timer's files are installed; systemd could not be asked "
                                   f"({said}).")
        return SchedulerStatus(True, False, self.location,
                               f"The timer's files are installed but systemd says: {said}.")


class LaunchdAgent:
    """A per-user LaunchAgent with ``StartCalendarInterval`` (macOS)."""

    def __init__(self, home: Path | None = None) -> None:
        self.folder = (home or Path.home()) / "Library" / "LaunchAgents"
        self.path = self.folder / f"{LAUNCH_AGENT_LABEL}.plist"

    @property
    def location(self) -> str:
        return str(self.path)

    def _domain(self) -> str:
        return f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui/0"

    def _is_keel(self) -> bool | None:
        import plistlib

        try:
            data = plistlib.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, plistlib.InvalidFileException):
            return False
        return isinstance(data, dict) and data.get(PLIST_MARKER_KEY) is True

    def install(self, command: Sequence[str]) -> SchedulerStatus:
        if self._is_keel() is False:
            raise SchedulerError(f"{self.path} already exists and was not written by Keel; "
                                 "Keel leaves it alone.")
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, launch_agent_xml(command), 0o644)
        _tool(["launchctl", "bootout", f"{self._domain()}/{LAUNCH_AGENT_LABEL}"])
        ok, said = _tool(["launchctl", "bootstrap", self._domain(), str(self.path)])
        if not ok:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            raise SchedulerError(f"launchd did not take the reminder agent: {said}. "
                                 "Nothing was left installed.")
        return self.status()

    def remove(self) -> bool:
        if not self._is_keel():
            return False
        _tool(["launchctl", "bootout", f"{self._domain()}/{LAUNCH_AGENT_LABEL}"])
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        return True

    def status(self, ask: bool = True) -> SchedulerStatus:
        mine = self._is_keel()
        if mine is None:
            return SchedulerStatus(False, False, self.location, "No reminder agent is installed.")
        if not mine:
            return SchedulerStatus(False, None, self.location,
                                   f"{self.path} was not written by Keel; Keel leaves it alone.",
                                   foreign=True)
        if not ask:
            return SchedulerStatus(True, None, self.location, "The LaunchAgent is installed.")
        ok, said = _tool(["launchctl", "print", f"{self._domain()}/{LAUNCH_AGENT_LABEL}"])
        if ok:
            return SchedulerStatus(True, True, self.location,
                                   "The LaunchAgent is installed and loaded.")
        return SchedulerStatus(True, False, self.location,
                               f"The LaunchAgent is installed but launchd says: {said}.")


class WindowsTask:
    """A Task Scheduler task (Windows)."""

    @property
    def location(self) -> str:
        return f"Task Scheduler {TASK_NAME}"

    def install(self, command: Sequence[str]) -> SchedulerStatus:
        existing = self._query()
        if existing is not None and TASK_MARKER not in existing:
            raise SchedulerError(f"A task {TASK_NAME} already exists and was not made by Keel; "
                                 "Keel leaves it alone.")
        user = os.environ.get("USERDOMAIN", "") + "\\" + os.environ.get("USERNAME", "")
        xml = task_xml(command, user_id=user.strip("\\"))
        fd, name = tempfile.mkstemp(suffix=".xml")
        os.close(fd)
        try:
            Path(name).write_text(xml, encoding="utf-16")
            ok, said = _tool(["schtasks", "/Create", "/TN", TASK_NAME, "/XML", name, "/F"])
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)
        if not ok:
            raise SchedulerError(f"Task Scheduler did not take the reminder task: {said}.")
        return self.status()

    def _marked(self) -> bool:
        done = self._query()
        return done is not None and TASK_MARKER in done

    def _query(self) -> str | None:
        program = shutil.which("schtasks")
        if program is None:
            return None
        try:
            done = subprocess.run([program, "/Query", "/TN", TASK_NAME, "/XML"],
                                  capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    def remove(self) -> bool:
        if not self._marked():
            return False
        ok, _said = _tool(["schtasks", "/Delete", "/TN", TASK_NAME, "/F"])
        return ok

    def status(self, ask: bool = True) -> SchedulerStatus:
        text = self._query()  # the task lives only in Task Scheduler: always asked
        if text is None:
            return SchedulerStatus(False, False, self.location, "No reminder task is installed.")
        if TASK_MARKER not in text:
            return SchedulerStatus(False, None, self.location,
                                   f"A task {TASK_NAME} exists that Keel did not make.",
                                   foreign=True)
        enabled = "<Enabled>false</Enabled>" not in text.split("<Settings>")[-1]
        return SchedulerStatus(True, enabled, self.location,
                               "The reminder task is installed and "
                               f"{'enabled' if enabled else 'disabled'}.")


def for_platform(platform: str = sys.platform) -> SchedulerEntry:
    """The scheduler entry writer for ``platform`` (``sys.platform`` values)."""
    if platform == "win32":
        return WindowsTask()
    if platform == "darwin":
        return LaunchdAgent()
    return SystemdTimer()


__all__ = ["LaunchdAgent", "SchedulerError", "SchedulerStatus", "SystemdTimer",
           "WindowsTask", "for_platform"]
