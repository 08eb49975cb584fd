"""The operating system's scheduler entry that runs ``keel remind``: the text of each one.

Plain Python with no I/O (the writers are in :mod:`desktop.platform.scheduler`).

* Linux: a systemd user service (``Type=oneshot``) and a timer with ``Persistent=true``,
  so a run missed while the machine slept happens when it wakes.
* macOS: a LaunchAgent with ``StartCalendarInterval`` (launchd runs an interval missed
  during sleep once, on wake).
* Windows: a Task Scheduler task (XML) with a repeating trigger and
  ``StartWhenAvailable``, the same catch-up after sleep.

Every entry runs ``<keel> --data-dir <folder> remind``: the folder is written in, so the
entry reminds about the journal it was turned on for, whatever the session's environment.
Each carries a marker that says Keel wrote it; Keel removes only entries with the marker.
"""

from __future__ import annotations

import plistlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

from desktop.core.autostart import APP_ID, check_command, windows_join

UNIT_NAME = "keel-remind"
"""``keel-remind.service`` and ``keel-remind.timer``."""
MARKER_KEY = "X-Keel-Reminders"
"""In the units' ``[Unit]`` section: Keel wrote this file."""
LAUNCH_AGENT_LABEL = f"{APP_ID}.remind"
PLIST_MARKER_KEY = "KeelReminders"
TASK_NAME = r"\Keel\Reminders"
TASK_MARKER = "Keel reminders (written by Keel)"
"""The task's Description; Keel deletes only a task that has it."""

INTERVAL_MINUTES = 30
"""How often the scheduler runs ``keel remind`` (Keel's choice: a due check-in or the end
of quiet hours is noticed within half an hour; a run that finds nothing costs well under
a second of one core)."""


def remind_command(launch: Sequence[str], data_dir: str) -> list[str]:
    """The command the scheduler runs: Keel's launch command, the data folder, ``remind``."""
    return [*check_command(launch), "--data-dir", str(data_dir), "remind"]


# ------------------------------------------------------------------------------ systemd

_SYSTEMD_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                           "/._-+=:,@")


_SYSTEMD_UNSAFE_PROGRAM = frozenset("\"'\\")
"""Characters systemd refuses in the program's path ("contains special characters")."""


def systemd_quote(arg: str, executable: bool = False) -> str:
    """One ``ExecStart=`` argument: double-quoted (C escapes) unless plainly safe; ``%``
    doubled so systemd expands no specifier, and in arguments after the program ``$``
    doubled so it expands no variable (systemd substitutes none in the program's path)."""
    if arg and all(char in _SYSTEMD_PLAIN for char in arg):
        return arg
    out = []
    for char in arg:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "%":
            out.append("%%")
        elif char == "$" and not executable:
            out.append("$$")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def systemd_service(command: Sequence[str]) -> str:
    """``keel-remind.service``: run ``command`` once and exit.

    ``KillMode=process``: when the user clicks Check in now, ``keel remind`` starts Keel's
    window and exits; with the default mode systemd would stop the window with it.
    """
    args = check_command(command)
    if any(char in _SYSTEMD_UNSAFE_PROGRAM or ord(char) < 32 for char in args[0]):
        args = ["/usr/bin/env", *args]  # systemd refuses such a program path, not an argument
    return "\n".join([
        "[Unit]",
        "Description=Keel check-in reminder",
        f"{MARKER_KEY}=1",
        "",
        "[Service]",
        "Type=oneshot",
        f"ExecStart={' '.join(systemd_quote(a, i == 0) for i, a in enumerate(args))}",
        "KillMode=process",
        "Nice=10",
        "",
    ])


def systemd_timer() -> str:
    """``keel-remind.timer``: every :data:`INTERVAL_MINUTES`, catching up after sleep."""
    return "\n".join([
        "[Unit]",
        "Description=Keel check-in reminders",
        f"{MARKER_KEY}=1",
        "",
        "[Timer]",
        f"OnCalendar=*:0/{INTERVAL_MINUTES}",
        "Persistent=true",
        "AccuracySec=1min",
        f"Unit={UNIT_NAME}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])


def is_keel_unit(text: str) -> bool:
    """Whether a unit file's text carries Keel's marker."""
    return any(line.strip() == f"{MARKER_KEY}=1" for line in text.splitlines())


# ------------------------------------------------------------------------------- launchd


def launch_agent(command: Sequence[str]) -> dict[str, object]:
    """The LaunchAgent (a plist dict) that runs ``command`` at minutes 0 and 30."""
    return {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": check_command(command),
        "StartCalendarInterval": [{"Minute": minute}
                                  for minute in range(0, 60, INTERVAL_MINUTES)],
        "ProcessType": "Background",
        "LimitLoadToSessionType": "Aqua",
        PLIST_MARKER_KEY: True,
    }


def launch_agent_xml(command: Sequence[str]) -> bytes:
    """:func:`launch_agent` as plist XML."""
    return plistlib.dumps(launch_agent(command), fmt=plistlib.FMT_XML)


# ---------------------------------------------------------------------- Task Scheduler


def task_xml(command: Sequence[str], user_id: str = "", start: str = "2024-01-01T00:00:00") -> str:
    """The Task Scheduler task (XML, as ``schtasks /Create /XML`` reads it) that runs
    ``command`` every :data:`INTERVAL_MINUTES` while the user is logged on.

    The program goes in ``<Command>`` and the rest in ``<Arguments>``, each quoted the way
    the C runtime splits command lines, so paths with spaces stay whole.
    """
    args = check_command(command)
    program = windows_join(args[:1])
    arguments = windows_join(args[1:])
    user = f"\n      <UserId>{escape(user_id)}</UserId>" if user_id else ""
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{escape(TASK_MARKER)}</Description>
    <URI>{escape(TASK_NAME)}</URI>
  </RegistrationInfo>
  <Triggers>
    <TimeTrigger>
      <StartBoundary>{escape(start)}</StartBoundary>
      <Enabled>true</Enabled>
      <Repetition>
        <Interval>PT{INTERVAL_MINUTES}M</Interval>
        <StopAtDurationEnd>false</StopAtDurationEnd>
      </Repetition>
    </TimeTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">{user}
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Priority>7</Priority>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(program)}</Command>
      <Arguments>{escape(arguments)}</Arguments>
    </Exec>
  </Actions>
</Task>
"""


__all__ = [
    "INTERVAL_MINUTES",
    "LAUNCH_AGENT_LABEL",
    "MARKER_KEY",
    "TASK_NAME",
    "UNIT_NAME",
    "is_keel_unit",
    "launch_agent",
    "launch_agent_xml",
    "remind_command",
    "systemd_quote",
    "systemd_service",
    "systemd_timer",
    "task_xml",
]
