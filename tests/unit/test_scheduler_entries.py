"""The scheduler entries that run `keel remind`: systemd units, LaunchAgent, Task Scheduler XML."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.core.autostart import windows_split
from desktop.core.scheduler_entries import (
    INTERVAL_MINUTES,
    LAUNCH_AGENT_LABEL,
    is_keel_unit,
    launch_agent_xml,
    remind_command,
    systemd_service,
    systemd_timer,
    task_xml,
)

ODD_FOLDERS = ["Keel data", "50% #1 ?x", "naïve $HOME", "quote \"it\"", "back\\slash", "it's"]


def _exec_args(service: str) -> str:
    return next(line for line in service.splitlines() if line.startswith("ExecStart="))


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (Debian package systemd; .ci/run installs it)")
    return subprocess.run([tool, "verify", "--user", str(folder / "keel-remind.timer"),
                           str(folder / "keel-remind.service")],
                          capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(folder),
                               "XDG_RUNTIME_DIR": str(folder)})


@pytest.mark.parametrize("odd", ODD_FOLDERS)
def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path, odd: str) -> None:
    program_dir = tmp_path / f"My Apps {odd}"
    program_dir.mkdir()
    program = program_dir / "keel"
    shutil.copy("/bin/true", program)
    data = tmp_path / f"journal {odd}"
    units = tmp_path / "units"
    units.mkdir()
    service = systemd_service(remind_command([str(program)], str(data)))
    (units / "keel-remind.service").write_text(service, encoding="utf-8")
    (units / "keel-remind.timer").write_text(systemd_timer(), encoding="utf-8")
    result = _verify(units)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Persistent=true" in systemd_timer()
    assert f"OnCalendar=*:0/{INTERVAL_MINUTES}" in systemd_timer()
    assert "KillMode=process" in service  # a window opened from the reminder survives its exit
    assert is_keel_unit(service) and is_keel_unit(systemd_timer())
    assert "%%" in _exec_args(service) or "%" not in odd + "My Apps"


def test_a_unit_systemd_would_refuse_is_caught_by_verify(tmp_path: Path) -> None:
    """The check can fail: a relative program path is an error to systemd."""
    units = tmp_path / "units"
    units.mkdir()
    service = systemd_service(["keel", "remind"])
    (units / "keel-remind.service").write_text(service, encoding="utf-8")
    (units / "keel-remind.timer").write_text(systemd_timer(), encoding="utf-8")
    result = _verify(units)
    assert result.returncode != 0


@pytest.mark.parametrize("odd", ODD_FOLDERS)
def test_launch_agent_parses_with_plistlib(odd: str) -> None:
    command = remind_command([f"/Applications/Keel {odd}.app/Contents/MacOS/Keel"], f"/Users/a/{odd}")
    data = plistlib.loads(launch_agent_xml(command))
    assert data["Label"] == LAUNCH_AGENT_LABEL
    assert data["ProgramArguments"] == command
    assert data["StartCalendarInterval"] == [{"Minute": 0}, {"Minute": 30}]
    assert data["KeelReminders"] is True


@pytest.mark.parametrize("odd", ODD_FOLDERS)
def test_task_xml_is_well_formed_and_keeps_paths_with_spaces_whole(odd: str) -> None:
    program = rf"C:\Program Files\Keel {odd}\keel-gui.exe"
    command = remind_command([program], rf"C:\Users\A B\{odd}")
    text = task_xml(command, user_id=r"PC\A & B")
    root = ET.fromstring(text.encode("utf-16"))  # as schtasks reads the file
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    exe = root.find("t:Actions/t:Exec", ns)
    assert exe is not None
    assert windows_split(exe.findtext("t:Command", namespaces=ns) or "") == [program]
    assert exe.findtext("t:Command", namespaces=ns, default="").startswith('"')
    args = windows_split(exe.findtext("t:Arguments", namespaces=ns) or "")
    assert args == command[1:]
    assert root.findtext("t:Settings/t:StartWhenAvailable", namespaces=ns) == "true"
    assert root.findtext("t:Triggers/t:TimeTrigger/t:Repetition/t:Interval",
                         namespaces=ns) == f"PT{INTERVAL_MINUTES}M"
    assert root.findtext("t:Principals/t:Principal/t:UserId", namespaces=ns) == r"PC\A & B"
