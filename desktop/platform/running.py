"""Is Keel's window running for this data folder? Asked by ``keel remind`` without Qt.

The app listens on a local socket named :attr:`desktop.paths.Paths.instance_key` (a
``QLocalServer``: a Unix socket in ``$TMPDIR`` or ``/tmp``, a named pipe on Windows). A
socket that accepts a connection means a live Keel; a file left by a killed one refuses.
As a second sign on Unix, the process named in the lock file ``keel.lock`` is alive.
"""

from __future__ import annotations

import os
import socket
import sys

from desktop.paths import Paths


def _socket_answers(paths: Paths) -> bool:
    if sys.platform == "win32":
        return os.path.exists(rf"\\.\pipe\{paths.instance_key}")
    path = os.path.join(os.environ.get("TMPDIR") or "/tmp", paths.instance_key)
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        return probe.connect_ex(path) == 0
    except OSError:
        return False
    finally:
        probe.close()


def _lock_holder_alive(paths: Paths) -> bool:
    if os.name != "posix":
        return False
    try:
        lines = paths.lock_file.read_text(encoding="utf-8", errors="replace").splitlines()
        pid = int(lines[0])
    except (OSError, ValueError, IndexError):
        return False
    if len(lines) > 2 and lines[2] and lines[2] != socket.gethostname():
        return False  # a lock written on another machine (a shared folder)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    if sys.platform.startswith("linux"):
        try:  # a reused pid: the process must be Python or a frozen Keel
            exe = os.path.basename(os.readlink(f"/proc/{pid}/exe")).lower()
        except OSError:
            return True
        return "python" in exe or "keel" in exe
    return True


def keel_is_running(paths: Paths) -> bool:
    """True when a Keel window process holds this data folder."""
    return _socket_answers(paths) or _lock_holder_alive(paths)
