"""Start Keel at login: one writer per platform, each removing exactly what it wrote.

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/io.github.keel_journal.Keel.desktop``
  (:class:`XdgAutostart`).
* macOS: ``~/Library/LaunchAgents/io.github.keel_journal.Keel.plist`` (:class:`LaunchAgent`).
* Windows: the value ``Keel`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``
  (:class:`WindowsRunKey`), through a small injectable registry adapter.

The text of each entry comes from :mod:`desktop.core.autostart`; this module writes it.
Files are written atomically with mode 0644: the session manager and launchd read them as
the same user, they hold no private data (only the path of the program), and 0644 is what
desktop environments themselves write. ``winreg`` is imported only when the real Windows
adapter is constructed.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from desktop.core.autostart import (
    APP_ID,
    DESKTOP_CREATED_FOLDER_KEY,
    DESKTOP_MARKER_KEY,
    MARKER_KEY,
    MARKER_VALUE_NAME,
    PLIST_CREATED_FOLDER_KEY,
    PLIST_MARKER_KEY,
    RUN_KEY,
    RUN_VALUE_NAME,
    AutostartStatus,
    ForeignEntryError,
    desktop_entry_status,
    desktop_entry_text,
    launch_agent_plist,
    launch_agent_status,
    plist_text,
    read_desktop_entry,
    run_value,
    strip_background,
    windows_split,
)
from desktop.platform.files import remove_folder_if_empty, write_atomic

FILE_MODE = 0o644


@runtime_checkable
class AutostartTarget(Protocol):
    """One platform's way of starting Keel at login."""

    @property
    def location(self) -> str:
        """Where the entry lives (a file path or a registry path), for messages."""
        ...

    def enable(self, command: Sequence[str]) -> AutostartStatus:
        """Write the entry so ``command --background`` runs at login; replaces Keel's own entry."""
        ...

    def disable(self) -> bool:
        """Remove Keel's entry; True if something was removed, False if there was none of Keel's."""
        ...

    def status(self) -> AutostartStatus:
        """Read back what is at the location now."""
        ...

    def describe(self, command: Sequence[str]) -> str:
        """Exactly what ``enable(command)`` would write (file text or registry value data)."""
        ...


class XdgAutostart:
    """An XDG autostart desktop entry under ``<config_home>/autostart``."""

    def __init__(self, config_home: Path) -> None:
        self.folder = Path(config_home) / "autostart"
        self.path = self.folder / f"{APP_ID}.desktop"

    @property
    def location(self) -> str:
        """The desktop entry's path."""
        return str(self.path)

    def describe(self, command: Sequence[str]) -> str:
        """The desktop entry text ``enable(command)`` would write now."""
        return desktop_entry_text(command, created_folder=not self.folder.exists())

    def _text(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None

    def _read(self) -> dict[str, str] | None:
        text = self._text()
        return None if text is None else read_desktop_entry(text)

    def enable(self, command: Sequence[str]) -> AutostartStatus:
        """Write (or rewrite) Keel's entry; refuse to replace an entry Keel did not write."""
        existing = self._read()
        if existing is not None and existing.get(DESKTOP_MARKER_KEY) != "1":
            raise ForeignEntryError(
                f"{self.path} already exists and was not written by Keel; "
                "Keel leaves it alone. Remove or rename it to let Keel start at login."
            )
        created = (not self.folder.exists()
                   or (existing is not None and existing.get(DESKTOP_CREATED_FOLDER_KEY) == "true"))
        text = desktop_entry_text(command, created_folder=created)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, text.encode("utf-8"), FILE_MODE)
        return self.status()

    def disable(self) -> bool:
        """Delete Keel's entry (and the autostart folder if Keel created it and it is empty)."""
        entry = self._read()
        if entry is None or entry.get(DESKTOP_MARKER_KEY) != "1":
            return False
        self.path.unlink()
        if entry.get(DESKTOP_CREATED_FOLDER_KEY) == "true":
            remove_folder_if_empty(self.folder)
        return True

    def status(self) -> AutostartStatus:
        """What the session manager will find at login."""
        return desktop_entry_status(self._text(), self.location)


class LaunchAgent:
    """A per-user LaunchAgent plist, loaded by launchd at the next login."""

    def __init__(self, home: Path) -> None:
        self.folder = Path(home) / "Library" / "LaunchAgents"
        self.path = self.folder / f"{APP_ID}.plist"

    @property
    def location(self) -> str:
        """The plist's path."""
        return str(self.path)

    def describe(self, command: Sequence[str]) -> str:
        """The plist XML ``enable(command)`` would write now."""
        return plist_text(launch_agent_plist(command, created_folder=not self.folder.exists()))

    def _read(self) -> dict[str, object] | None:
        try:
            data = plistlib.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (plistlib.InvalidFileException, ValueError, OSError):
            return {}  # present but unreadable: not Keel's
        return data if isinstance(data, dict) else {}

    def enable(self, command: Sequence[str]) -> AutostartStatus:
        """Write (or rewrite) Keel's plist; refuse to replace one Keel did not write."""
        existing = self._read()
        if existing is not None and existing.get(PLIST_MARKER_KEY) is not True:
            raise ForeignEntryError(
                f"{self.path} already exists and was not written by Keel; "
                "Keel leaves it alone. Remove or rename it to let Keel start at login."
            )
        created = (not self.folder.exists()
                   or (existing is not None and existing.get(PLIST_CREATED_FOLDER_KEY) is True))
        data = launch_agent_plist(command, created_folder=created)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, plist_text(data).encode("utf-8"), FILE_MODE)
        return self.status()

    def disable(self) -> bool:
        """Delete Keel's plist (and the LaunchAgents folder if Keel created it and it is empty)."""
        existing = self._read()
        if existing is None or existing.get(PLIST_MARKER_KEY) is not True:
            return False
        self.path.unlink()
        if existing.get(PLIST_CREATED_FOLDER_KEY) is True:
            remove_folder_if_empty(self.folder)
        return True

    def status(self) -> AutostartStatus:
        """What launchd will find at login."""
        return launch_agent_status(self._read(), self.location)


class RegistryAdapter(Protocol):
    """The few HKEY_CURRENT_USER string-value operations the Run-key writer needs."""

    def get(self, key: str, name: str) -> str | None:
        """The string value ``name`` under ``HKCU\\key``, or None if absent."""
        ...

    def set(self, key: str, name: str, value: str) -> None:
        """Create ``HKCU\\key`` if needed and set ``name`` to a REG_SZ ``value``."""
        ...

    def delete(self, key: str, name: str) -> None:
        """Remove the value ``name`` under ``HKCU\\key``; absent is fine."""
        ...


class WinregRegistry:
    """The real :class:`RegistryAdapter` over ``winreg`` (Windows only)."""

    def __init__(self) -> None:
        import winreg  # only importable on Windows

        self._winreg: Any = winreg  # typed loosely: stubs gate winreg to Windows

    def get(self, key: str, name: str) -> str | None:
        """Read a value from HKCU."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = reg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, key: str, name: str, value: str) -> None:
        """Write a REG_SZ value to HKCU."""
        reg = self._winreg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_SET_VALUE) as handle:
            reg.SetValueEx(handle, name, 0, reg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        """Delete a value from HKCU if it is there."""
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_SET_VALUE) as handle:
                reg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass


class WindowsRunKey:
    """The per-user Run value ``Keel``, plus a record of exactly what Keel wrote there."""

    def __init__(self, registry: RegistryAdapter) -> None:
        self.registry = registry

    @property
    def location(self) -> str:
        """The registry path of the Run value."""
        return f"HKCU\\{RUN_KEY}\\{RUN_VALUE_NAME}"

    def describe(self, command: Sequence[str]) -> str:
        """The Run value data ``enable(command)`` would write."""
        return run_value(command)

    def _is_keel_value(self, value: str) -> bool:
        return self.registry.get(MARKER_KEY, MARKER_VALUE_NAME) == value

    def enable(self, command: Sequence[str]) -> AutostartStatus:
        """Set the Run value; refuse to replace a ``Keel`` value Keel did not write."""
        existing = self.registry.get(RUN_KEY, RUN_VALUE_NAME)
        if existing is not None and not self._is_keel_value(existing):
            raise ForeignEntryError(
                f"{self.location} already exists and was not written by Keel; Keel leaves it alone."
            )
        value = self.describe(command)
        # The record first: a crash between the two writes leaves nothing that runs.
        self.registry.set(MARKER_KEY, MARKER_VALUE_NAME, value)
        self.registry.set(RUN_KEY, RUN_VALUE_NAME, value)
        return self.status()

    def disable(self) -> bool:
        """Delete the Run value if it is still the one Keel wrote, and Keel's record of it."""
        existing = self.registry.get(RUN_KEY, RUN_VALUE_NAME)
        if existing is None or not self._is_keel_value(existing):
            return False
        self.registry.delete(RUN_KEY, RUN_VALUE_NAME)
        self.registry.delete(MARKER_KEY, MARKER_VALUE_NAME)
        return True

    def status(self) -> AutostartStatus:
        """What Windows will run at login under the name ``Keel``."""
        value = self.registry.get(RUN_KEY, RUN_VALUE_NAME)
        if value is None:
            return AutostartStatus(False, self.location, None)
        command = strip_background(windows_split(value)) or None
        return AutostartStatus(
            enabled=command is not None,
            location=self.location,
            command=command,
            written_by_keel=self._is_keel_value(value),
        )


def config_home(env: Mapping[str, str] = os.environ, home: Path | None = None) -> Path:
    """``$XDG_CONFIG_HOME``, or ``~/.config`` when it is unset or relative (as the Base
    Directory spec requires)."""
    home = Path.home() if home is None else Path(home)
    value = env.get("XDG_CONFIG_HOME", "")
    return Path(value) if value and os.path.isabs(value) else home / ".config"


def for_platform(
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
    registry: RegistryAdapter | None = None,
) -> AutostartTarget:
    """The autostart writer for ``platform`` (``sys.platform`` values).

    ``home`` defaults to ``Path.home()``. ``registry`` replaces the real Windows registry
    (tests); it is only used for ``win32``.
    """
    home = Path.home() if home is None else Path(home)
    if platform == "win32":
        return WindowsRunKey(registry if registry is not None else WinregRegistry())
    if platform == "darwin":
        return LaunchAgent(home)
    return XdgAutostart(config_home(env, home))


def launch_command(
    executable: str | None = None,
    frozen: bool | None = None,
    platform: str = sys.platform,
) -> list[str]:
    """The command that starts Keel as installed now (without ``--background``).

    A frozen (PyInstaller) build starts itself. Otherwise the ``keel`` script installed beside
    the interpreter is used (on Windows ``keel-gui.exe`` first, so no console window opens),
    and failing that ``python -m desktop``. Arguments default to ``sys.executable`` and
    ``sys.frozen``.
    """
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = str(Path(executable).absolute())
    if frozen:
        return [exe]
    names = ["keel-gui.exe", "keel.exe"] if platform == "win32" else ["keel"]
    for name in names:
        script = Path(exe).parent / name
        if script.is_file():
            return [str(script)]
    return [exe, "-m", "desktop"]


__all__ = [
    "AutostartTarget",
    "LaunchAgent",
    "RegistryAdapter",
    "WindowsRunKey",
    "WinregRegistry",
    "XdgAutostart",
    "config_home",
    "for_platform",
    "launch_command",
]
