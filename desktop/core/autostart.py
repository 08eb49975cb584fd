"""Start Keel at login: one writer per platform, each removing exactly what it wrote.

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/io.github.keel_journal.Keel.desktop``
  (:class:`XdgAutostart`), an entry that passes ``desktop-file-validate``.
* macOS: ``~/Library/LaunchAgents/io.github.keel_journal.Keel.plist`` (:class:`LaunchAgent`).
* Windows: the value ``Keel`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``
  (:class:`WindowsRunKey`), through a small injectable registry adapter.

Every writer starts Keel with ``--background`` appended to the command it is given, so Keel
comes up in the tray only. Every writer marks what it writes as Keel's (``X-Keel-Autostart=1``
in the desktop entry, a ``KeelAutostart`` key in the plist, a record of the exact Run value
under ``HKCU\\Software\\keel-journal\\Keel``); ``disable()`` removes only marked entries, so a
file the user or another program put at the same path is never deleted or overwritten.

Files are written atomically (temporary file in the same folder, fsync, ``os.replace``) with
mode 0644: the session manager and launchd read them as the same user, they hold no private
data (only the path of the program), and 0644 is what desktop environments themselves write.

This module is plain Python: no Qt, no database. ``winreg`` is imported only when the real
Windows adapter is constructed.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

APP_ID = "io.github.keel_journal.Keel"
BACKGROUND_FLAG = "--background"
FILE_MODE = 0o644

DESKTOP_MARKER_KEY = "X-Keel-Autostart"
DESKTOP_CREATED_FOLDER_KEY = "X-Keel-Created-Folder"
PLIST_MARKER_KEY = "KeelAutostart"
PLIST_CREATED_FOLDER_KEY = "KeelCreatedFolder"

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE_NAME = "Keel"
MARKER_KEY = r"Software\keel-journal\Keel"
MARKER_VALUE_NAME = "AutostartRunValue"


class AutostartError(RuntimeError):
    """Start at login could not be changed; the message says why, in words for the user."""


class ForeignEntryError(AutostartError):
    """An entry Keel did not write sits where Keel's would go; Keel leaves it alone."""


@dataclass(frozen=True)
class AutostartStatus:
    """What is at the autostart location now.

    ``enabled`` is true when something there will start at login (a desktop entry the user
    switched off in their desktop's settings counts as not enabled). ``command`` is the
    command as given to ``enable()``, without the ``--background`` flag Keel adds, or None
    when nothing is there. ``written_by_keel`` is false for an entry Keel did not write.
    """

    enabled: bool
    location: str
    command: list[str] | None
    written_by_keel: bool = True


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


# --------------------------------------------------------------------------- helpers


def _check_command(command: Sequence[str]) -> list[str]:
    if isinstance(command, str) or not command:
        raise ValueError("command must be a non-empty list of arguments")
    return [str(arg) for arg in command]


def _strip_background(args: list[str]) -> list[str]:
    if args and args[-1] == BACKGROUND_FLAG:
        return args[:-1]
    return args


def _write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _remove_folder_if_empty(folder: Path) -> None:
    # Not empty (the user keeps other entries there) or already gone: leave it.
    with contextlib.suppress(OSError):
        folder.rmdir()


# ----------------------------------------------------- Desktop Entry quoting (Linux)

# Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Characters escaped with a backslash inside a double-quoted Exec argument.
_EXEC_QUOTED_ESCAPES = frozenset('"`$\\')
_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def escape_desktop_string(value: str) -> str:
    """Escape a value of type string for a desktop entry (backslash, newline, tab, return)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def unescape_desktop_string(value: str) -> str:
    """Undo :func:`escape_desktop_string` (also ``\\s``); unknown escapes are kept as written."""
    out: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append(_STRING_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def quote_exec_arg(arg: str) -> str:
    """Quote one argument for an Exec line (before the string-level escaping)."""
    if arg == "" or any(char in _EXEC_RESERVED for char in arg):
        inner = "".join("\\" + c if c in _EXEC_QUOTED_ESCAPES else c for c in arg)
        arg = f'"{inner}"'
    return arg.replace("%", "%%")


def exec_value(command: Sequence[str]) -> str:
    """The full, escaped value of an Exec key that runs ``command`` as given."""
    return escape_desktop_string(" ".join(quote_exec_arg(arg) for arg in command))


def split_exec_value(value: str) -> list[str]:
    """Parse an Exec value as written in the file back into arguments.

    Field codes other than ``%%`` are kept as written; Keel never writes any.
    Raises ValueError on an unterminated quote.
    """
    text = unescape_desktop_string(value)
    args: list[str] = []
    current: list[str] = []
    in_arg = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            in_arg = True
            i += 1
            while i < len(text) and text[i] != '"':
                if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _EXEC_QUOTED_ESCAPES:
                    current.append(text[i + 1])
                    i += 2
                elif text.startswith("%%", i):
                    current.append("%")
                    i += 2
                else:
                    current.append(text[i])
                    i += 1
            if i >= len(text):
                raise ValueError("unterminated quote in Exec value")
            i += 1
        elif char in " \t\n":
            if in_arg:
                args.append("".join(current))
                current = []
                in_arg = False
            i += 1
        elif text.startswith("%%", i):
            current.append("%")
            in_arg = True
            i += 2
        else:
            current.append(char)
            in_arg = True
            i += 1
    if in_arg:
        args.append("".join(current))
    return args


def read_desktop_entry(text: str) -> dict[str, str]:
    """The raw key/value pairs of the ``[Desktop Entry]`` group (first value wins)."""
    entries: dict[str, str] = {}
    group = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, _, val = line.partition("=")
            entries.setdefault(key.strip(), val.strip())
    return entries


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
        args = [*_check_command(command), BACKGROUND_FLAG]
        lines = [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=Keel",
            "GenericName=Reflection journal",
            "Comment=Start Keel in the tray so check-in reminders can reach you",
            f"Exec={exec_value(args)}",
            f"TryExec={escape_desktop_string(args[0])}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;",
            "StartupNotify=false",
            "X-GNOME-Autostart-enabled=true",
            f"{DESKTOP_MARKER_KEY}=1",
        ]
        if not self.folder.exists():
            lines.append(f"{DESKTOP_CREATED_FOLDER_KEY}=true")
        return "\n".join(lines) + "\n"

    def _read(self) -> dict[str, str] | None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return None
        return read_desktop_entry(text)

    def _is_keel_entry(self, entry: Mapping[str, str]) -> bool:
        return entry.get(DESKTOP_MARKER_KEY) == "1"

    def enable(self, command: Sequence[str]) -> AutostartStatus:
        """Write (or rewrite) Keel's entry; refuse to replace an entry Keel did not write."""
        existing = self._read()
        if existing is not None and not self._is_keel_entry(existing):
            raise ForeignEntryError(
                f"{self.path} already exists and was not written by Keel; "
                "Keel leaves it alone. Remove or rename it to let Keel start at login."
            )
        text = self.describe(command)
        if existing is not None and existing.get(DESKTOP_CREATED_FOLDER_KEY) == "true":
            text += f"{DESKTOP_CREATED_FOLDER_KEY}=true\n"  # keep the record across rewrites
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.path, text.encode("utf-8"))
        return self.status()

    def disable(self) -> bool:
        """Delete Keel's entry (and the autostart folder if Keel created it and it is empty)."""
        entry = self._read()
        if entry is None or not self._is_keel_entry(entry):
            return False
        self.path.unlink()
        if entry.get(DESKTOP_CREATED_FOLDER_KEY) == "true":
            _remove_folder_if_empty(self.folder)
        return True

    def status(self) -> AutostartStatus:
        """What the session manager will find at login."""
        entry = self._read()
        if entry is None:
            return AutostartStatus(False, self.location, None)
        try:
            command: list[str] | None = _strip_background(split_exec_value(entry.get("Exec", "")))
        except ValueError:
            command = None
        switched_off = (
            entry.get("Hidden", "false") == "true"
            or entry.get("X-GNOME-Autostart-enabled", "true") == "false"
        )
        return AutostartStatus(
            enabled=bool(command) and not switched_off,
            location=self.location,
            command=command or None,
            written_by_keel=self._is_keel_entry(entry),
        )


# ------------------------------------------------------------------ macOS LaunchAgent


class LaunchAgent:
    """A per-user LaunchAgent plist, loaded by launchd at the next login."""

    def __init__(self, home: Path) -> None:
        self.folder = Path(home) / "Library" / "LaunchAgents"
        self.path = self.folder / f"{APP_ID}.plist"

    @property
    def location(self) -> str:
        """The plist's path."""
        return str(self.path)

    def _plist(self, command: Sequence[str]) -> dict[str, object]:
        data: dict[str, object] = {
            "Label": APP_ID,
            "ProgramArguments": [*_check_command(command), BACKGROUND_FLAG],
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
            PLIST_MARKER_KEY: True,
        }
        if not self.folder.exists():
            data[PLIST_CREATED_FOLDER_KEY] = True
        return data

    def describe(self, command: Sequence[str]) -> str:
        """The plist XML ``enable(command)`` would write now."""
        return plistlib.dumps(self._plist(command), fmt=plistlib.FMT_XML).decode("utf-8")

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
        data = self._plist(command)
        if existing is not None and existing.get(PLIST_CREATED_FOLDER_KEY) is True:
            data[PLIST_CREATED_FOLDER_KEY] = True
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.path, plistlib.dumps(data, fmt=plistlib.FMT_XML))
        return self.status()

    def disable(self) -> bool:
        """Delete Keel's plist (and the LaunchAgents folder if Keel created it and it is empty)."""
        existing = self._read()
        if existing is None or existing.get(PLIST_MARKER_KEY) is not True:
            return False
        self.path.unlink()
        if existing.get(PLIST_CREATED_FOLDER_KEY) is True:
            _remove_folder_if_empty(self.folder)
        return True

    def status(self) -> AutostartStatus:
        """What launchd will find at login."""
        data = self._read()
        if data is None:
            return AutostartStatus(False, self.location, None)
        args = data.get("ProgramArguments")
        command = (
            _strip_background([str(a) for a in args]) if isinstance(args, list) and args else None
        )
        return AutostartStatus(
            enabled=bool(command) and data.get("Disabled") is not True,
            location=self.location,
            command=command or None,
            written_by_keel=data.get(PLIST_MARKER_KEY) is True,
        )


# ------------------------------------------------------------------- Windows Run key


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


def windows_quote(arg: str) -> str:
    """Quote one argument the way the Microsoft C runtime splits command lines."""
    if arg and not any(char in ' \t\n\v"' for char in arg):
        return arg
    out = ['"']
    backslashes = 0
    for char in arg:
        if char == "\\":
            backslashes += 1
        elif char == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
            backslashes = 0
        else:
            out.append("\\" * backslashes + char)
            backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def windows_join(command: Sequence[str]) -> str:
    """A command line that the C runtime splits back into ``command``."""
    return " ".join(windows_quote(arg) for arg in command)


def windows_split(line: str) -> list[str]:
    """Split a command line by the C runtime's rules (the inverse of :func:`windows_join`)."""
    args: list[str] = []
    current: list[str] = []
    in_arg = False
    quoted = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\":
            j = i
            while j < len(line) and line[j] == "\\":
                j += 1
            count = j - i
            in_arg = True
            if j < len(line) and line[j] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    i = j + 1
                else:
                    i = j
            else:
                current.append("\\" * count)
                i = j
        elif char == '"':
            in_arg = True
            if quoted and line.startswith('""', i):
                current.append('"')
                i += 2
            else:
                quoted = not quoted
                i += 1
        elif char in " \t" and not quoted:
            if in_arg:
                args.append("".join(current))
                current = []
                in_arg = False
            i += 1
        else:
            current.append(char)
            in_arg = True
            i += 1
    if in_arg:
        args.append("".join(current))
    return args


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
        return windows_join([*_check_command(command), BACKGROUND_FLAG])

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
        command = _strip_background(windows_split(value)) or None
        return AutostartStatus(
            enabled=command is not None,
            location=self.location,
            command=command,
            written_by_keel=self._is_keel_value(value),
        )


# ---------------------------------------------------------------------- choosing


def for_platform(
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
    registry: RegistryAdapter | None = None,
) -> AutostartTarget:
    """The autostart writer for ``platform`` (``sys.platform`` values).

    ``home`` defaults to ``Path.home()``. On XDG systems a relative ``XDG_CONFIG_HOME`` is
    ignored, as the Base Directory spec requires. ``registry`` replaces the real Windows
    registry (tests); it is only used for ``win32``.
    """
    home = Path.home() if home is None else Path(home)
    if platform == "win32":
        return WindowsRunKey(registry if registry is not None else WinregRegistry())
    if platform == "darwin":
        return LaunchAgent(home)
    config_home = env.get("XDG_CONFIG_HOME", "")
    base = Path(config_home) if config_home and os.path.isabs(config_home) else home / ".config"
    return XdgAutostart(base)


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
    "APP_ID",
    "BACKGROUND_FLAG",
    "AutostartError",
    "AutostartStatus",
    "AutostartTarget",
    "ForeignEntryError",
    "LaunchAgent",
    "RegistryAdapter",
    "WindowsRunKey",
    "WinregRegistry",
    "XdgAutostart",
    "for_platform",
    "launch_command",
]
