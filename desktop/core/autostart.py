"""Start Keel at login: the text of each platform's entry, and reading it back.

Plain Python with no I/O: this module only builds and parses text. The writers that put
an entry on disk (or in the Windows registry) live in :mod:`desktop.platform.autostart`.

* Linux and other XDG desktops: an autostart desktop entry (:func:`desktop_entry_text`)
  that passes ``desktop-file-validate``.
* macOS: a LaunchAgent plist (:func:`launch_agent_plist`).
* Windows: the Run value ``Keel`` (:func:`run_value`).

Every entry starts Keel with ``--background`` appended to the command it is given, and
marks itself as Keel's (``X-Keel-Autostart=1``, a ``KeelAutostart`` plist key, a record of
the exact Run value), so Keel never removes or overwrites an entry it did not write.
"""

from __future__ import annotations

import plistlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

APP_ID = "io.github.keel_journal.Keel"
BACKGROUND_FLAG = "--background"

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


def check_command(command: Sequence[str]) -> list[str]:
    """``command`` as a list of strings; ValueError for a bare string or an empty list."""
    if isinstance(command, str) or not command:
        raise ValueError("command must be a non-empty list of arguments")
    return [str(arg) for arg in command]


def strip_background(args: list[str]) -> list[str]:
    """``args`` without a trailing ``--background``."""
    if args and args[-1] == BACKGROUND_FLAG:
        return args[:-1]
    return args


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


def desktop_entry_text(command: Sequence[str], created_folder: bool = False) -> str:
    """The autostart desktop entry that runs ``command --background`` at login.

    ``created_folder``: Keel is creating the autostart folder, so removing the entry may
    remove the (then empty) folder too.
    """
    args = [*check_command(command), BACKGROUND_FLAG]
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
    if created_folder:
        lines.append(f"{DESKTOP_CREATED_FOLDER_KEY}=true")
    return "\n".join(lines) + "\n"


def desktop_entry_status(text: str | None, location: str) -> AutostartStatus:
    """What an autostart desktop entry with this text (None: no file) will do at login."""
    if text is None:
        return AutostartStatus(False, location, None)
    entry = read_desktop_entry(text)
    try:
        command: list[str] | None = strip_background(split_exec_value(entry.get("Exec", "")))
    except ValueError:
        command = None
    switched_off = (
        entry.get("Hidden", "false") == "true"
        or entry.get("X-GNOME-Autostart-enabled", "true") == "false"
    )
    return AutostartStatus(
        enabled=bool(command) and not switched_off,
        location=location,
        command=command or None,
        written_by_keel=entry.get(DESKTOP_MARKER_KEY) == "1",
    )


# ------------------------------------------------------------------ macOS LaunchAgent


def launch_agent_plist(command: Sequence[str], created_folder: bool = False) -> dict[str, object]:
    """The LaunchAgent that runs ``command --background`` at login (as a plist dict)."""
    data: dict[str, object] = {
        "Label": APP_ID,
        "ProgramArguments": [*check_command(command), BACKGROUND_FLAG],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
        PLIST_MARKER_KEY: True,
    }
    if created_folder:
        data[PLIST_CREATED_FOLDER_KEY] = True
    return data


def plist_text(data: Mapping[str, object]) -> str:
    """``data`` as plist XML."""
    return plistlib.dumps(dict(data), fmt=plistlib.FMT_XML).decode("utf-8")


def launch_agent_status(data: Mapping[str, object] | None, location: str) -> AutostartStatus:
    """What a LaunchAgent plist with this content (None: no file) will do at login."""
    if data is None:
        return AutostartStatus(False, location, None)
    args = data.get("ProgramArguments")
    command = (
        strip_background([str(a) for a in args]) if isinstance(args, list) and args else None
    )
    return AutostartStatus(
        enabled=bool(command) and data.get("Disabled") is not True,
        location=location,
        command=command or None,
        written_by_keel=data.get(PLIST_MARKER_KEY) is True,
    )


# ------------------------------------------------------------------- Windows Run key


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


def run_value(command: Sequence[str]) -> str:
    """The Run value data that starts ``command --background`` at login."""
    return windows_join([*check_command(command), BACKGROUND_FLAG])


__all__ = [
    "APP_ID",
    "BACKGROUND_FLAG",
    "AutostartError",
    "AutostartStatus",
    "ForeignEntryError",
    "desktop_entry_status",
    "desktop_entry_text",
    "exec_value",
    "launch_agent_plist",
    "launch_agent_status",
    "read_desktop_entry",
    "run_value",
    "split_exec_value",
    "windows_join",
    "windows_quote",
    "windows_split",
]
