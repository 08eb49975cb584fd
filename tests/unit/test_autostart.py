"""Start at login: the XDG, LaunchAgent and Run-key writers, what they write and remove."""

from __future__ import annotations

import plistlib
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from desktop.core import autostart
from desktop.core.autostart import APP_ID, AutostartStatus, ForeignEntryError
from desktop.platform.autostart import (
    AutostartTarget,
    LaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    for_platform,
    launch_command,
)

# An awkward but real-looking command: spaces, quotes, a dollar sign, a percent, a backslash.
AWKWARD = ["/opt/My Apps/keel's $HOME/bin/keel", "--data-dir", '/tmp/50% "done"\\x']
SIMPLE = ["/usr/bin/keel"]


class FakeRegistry:
    """A dict standing in for HKEY_CURRENT_USER."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get(self, key: str, name: str) -> str | None:
        return self.values.get((key, name))

    def set(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)


def _validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate not on PATH (Debian package desktop-file-utils)")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# ------------------------------------------------------------------------ Linux


@pytest.mark.parametrize("command", [SIMPLE, AWKWARD], ids=["simple", "awkward"])
def test_xdg_entry_is_valid_round_trips_and_is_removed(tmp_path: Path, command: list[str]) -> None:
    config_home = tmp_path / "config"
    config_home.mkdir()
    target = XdgAutostart(config_home)

    status = target.enable(command)

    path = config_home / "autostart" / f"{APP_ID}.desktop"
    assert path.is_file()
    assert status == AutostartStatus(True, str(path), command, written_by_keel=True)
    entry = autostart.read_desktop_entry(path.read_text(encoding="utf-8"))
    assert entry["Type"] == "Application"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert autostart.split_exec_value(entry["Exec"]) == [*command, "--background"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    _validate(path)

    assert target.disable() is True
    assert not path.exists()
    # Keel created the autostart folder, so it takes it away again: the config folder is as before.
    assert list(config_home.iterdir()) == []
    assert target.status() == AutostartStatus(False, str(path), None)


def test_xdg_describe_is_exactly_what_is_written(tmp_path: Path) -> None:
    target = XdgAutostart(tmp_path)
    expected = target.describe(SIMPLE)
    target.enable(SIMPLE)
    assert target.path.read_text(encoding="utf-8") == expected
    assert "Exec=/usr/bin/keel --background\n" in expected
    assert "X-Keel-Autostart=1\n" in expected


def test_xdg_disable_keeps_other_entries_and_an_existing_folder(tmp_path: Path) -> None:
    folder = tmp_path / "autostart"
    folder.mkdir()
    other = folder / "org.example.Other.desktop"
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    target = XdgAutostart(tmp_path)

    target.enable(SIMPLE)
    target.enable(["/usr/local/bin/keel"])  # rewriting Keel's own entry is allowed
    assert target.status().command == ["/usr/local/bin/keel"]
    assert target.disable() is True

    assert sorted(p.name for p in folder.iterdir()) == [other.name]
    assert target.disable() is False  # nothing of Keel's left


def test_xdg_foreign_file_is_never_removed_or_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "autostart"
    folder.mkdir()
    foreign = folder / f"{APP_ID}.desktop"
    text = "[Desktop Entry]\nType=Application\nName=Keel (mine)\nExec=/home/me/keel-wrapper\n"
    foreign.write_text(text)
    target = XdgAutostart(tmp_path)

    assert target.status() == AutostartStatus(
        True, str(foreign), ["/home/me/keel-wrapper"], written_by_keel=False
    )
    assert target.disable() is False
    with pytest.raises(ForeignEntryError, match="not written by Keel"):
        target.enable(SIMPLE)
    assert foreign.read_text() == text


def test_xdg_entry_switched_off_in_desktop_settings_reads_as_disabled(tmp_path: Path) -> None:
    target = XdgAutostart(tmp_path)
    target.enable(SIMPLE)
    text = target.path.read_text().replace(
        "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"
    )
    target.path.write_text(text)
    status = target.status()
    assert status.enabled is False
    assert status.written_by_keel is True


def test_exec_quoting_follows_the_desktop_entry_spec() -> None:
    assert autostart.exec_value(["keel", "--background"]) == "keel --background"
    assert autostart.exec_value(["/a b/keel"]) == '"/a b/keel"'
    assert autostart.exec_value(["$x"]) == '"\\\\$x"'  # \$ inside quotes, then \\ as a string
    assert autostart.exec_value(["50%"]) == "50%%"
    assert autostart.exec_value(["a\\b"]) == '"a\\\\\\\\b"'  # four backslashes for one


# ------------------------------------------------------------------------ macOS


def test_launch_agent_plist_parses_back_and_is_removed(tmp_path: Path) -> None:
    target = LaunchAgent(tmp_path)
    expected = target.describe(AWKWARD)

    status = target.enable(AWKWARD)

    path = tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    assert path.read_text(encoding="utf-8") == expected
    data = plistlib.loads(path.read_bytes())
    assert data["Label"] == APP_ID
    assert data["ProgramArguments"] == [*AWKWARD, "--background"]
    assert data["RunAtLoad"] is True
    assert data["ProcessType"] == "Interactive"
    assert status == AutostartStatus(True, str(path), AWKWARD)

    assert target.disable() is True
    assert not path.exists()
    assert not (tmp_path / "Library" / "LaunchAgents").exists()
    assert (tmp_path / "Library").is_dir()  # only the folder Keel itself created is gone


def test_launch_agent_leaves_a_foreign_plist_alone(tmp_path: Path) -> None:
    folder = tmp_path / "Library" / "LaunchAgents"
    folder.mkdir(parents=True)
    foreign = folder / f"{APP_ID}.plist"
    foreign.write_bytes(plistlib.dumps({"Label": APP_ID, "ProgramArguments": ["/bin/true"]}))

    target = LaunchAgent(tmp_path)
    assert target.status().written_by_keel is False
    assert target.disable() is False
    with pytest.raises(ForeignEntryError):
        target.enable(SIMPLE)
    assert plistlib.loads(foreign.read_bytes())["ProgramArguments"] == ["/bin/true"]


# ---------------------------------------------------------------------- Windows

RUN = (autostart.RUN_KEY, "Keel")


def test_run_key_writes_a_quoted_command_line_and_removes_exactly_it() -> None:
    registry = FakeRegistry()
    registry.set(autostart.RUN_KEY, "OneDrive", "C:\\OneDrive.exe /background")
    target = WindowsRunKey(registry)
    command = ["C:\\Program Files\\Keel\\keel-gui.exe", "--data-dir", 'D:\\my "journal"\\']

    status = target.enable(command)

    value = registry.values[RUN]
    assert value == target.describe(command)
    assert value.startswith('"C:\\Program Files\\Keel\\keel-gui.exe" --data-dir ')
    assert value.endswith(" --background")
    assert autostart.windows_split(value) == [*command, "--background"]
    assert status == AutostartStatus(True, target.location, command)

    assert target.disable() is True
    assert registry.values == {(autostart.RUN_KEY, "OneDrive"): "C:\\OneDrive.exe /background"}
    assert target.status() == AutostartStatus(False, target.location, None)


def test_run_key_value_changed_by_someone_else_is_left_alone() -> None:
    registry = FakeRegistry()
    target = WindowsRunKey(registry)
    target.enable(["C:\\Keel\\keel.exe"])
    registry.set(autostart.RUN_KEY, "Keel", "C:\\Other\\thing.exe")

    assert target.status().written_by_keel is False
    assert target.disable() is False
    assert registry.get(*RUN) == "C:\\Other\\thing.exe"
    with pytest.raises(ForeignEntryError):
        target.enable(["C:\\Keel\\keel.exe"])


# ----------------------------------------------------------- choosing and command


def test_for_platform_picks_the_writer_and_location(tmp_path: Path) -> None:
    linux = for_platform("linux", {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}, tmp_path)
    assert isinstance(linux, XdgAutostart)
    assert linux.location == str(tmp_path / "cfg" / "autostart" / f"{APP_ID}.desktop")

    relative = for_platform("linux", {"XDG_CONFIG_HOME": "cfg"}, tmp_path)
    assert relative.location == str(tmp_path / ".config" / "autostart" / f"{APP_ID}.desktop")

    mac = for_platform("darwin", {}, tmp_path)
    assert isinstance(mac, LaunchAgent)
    assert mac.location.endswith(f"Library/LaunchAgents/{APP_ID}.plist")

    windows = for_platform("win32", {}, tmp_path, registry=FakeRegistry())
    assert isinstance(windows, WindowsRunKey)
    for target in (linux, mac, windows):
        assert isinstance(target, AutostartTarget)


def test_launch_command_prefers_frozen_then_script_then_module(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    python.touch()
    assert launch_command(str(python), frozen=True) == [str(python)]
    assert launch_command(str(python), frozen=False) == [str(python), "-m", "desktop"]
    (tmp_path / "bin" / "keel").touch()
    assert launch_command(str(python), frozen=False, platform="linux") == [
        str(tmp_path / "bin" / "keel")
    ]
    (tmp_path / "bin" / "keel-gui.exe").touch()
    assert launch_command(str(python), frozen=False, platform="win32") == [
        str(tmp_path / "bin" / "keel-gui.exe")
    ]


def test_core_module_builds_text_and_does_no_io() -> None:
    import sys

    source = Path(autostart.__file__).read_text()
    assert "PySide6" not in source and "sqlalchemy" not in source
    for io in ("open(", "write_bytes", "write_text", "read_text", "read_bytes", "mkdir",
               "unlink", "import os", "winreg"):
        assert io not in source, io
    assert "winreg" not in sys.modules or sys.platform == "win32"
