"""Small file operations the storage code shares (no SQLite, no Qt)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_json_atomic(path: Path, data: Any, part_suffix: str = ".part") -> None:
    """Write ``data`` as JSON to ``path`` (0600) through a flushed ``path + part_suffix``
    renamed over it, so a crash leaves the old file or the new one, never half of one."""
    part = path.with_name(path.name + part_suffix)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)
    fsync_dir(path.parent)


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it exists."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, flush it to disk, then delete it (for partial copies
    that may hold journal text). A filesystem may still keep old blocks (copy-on-write,
    SSD wear levelling): full-disk encryption guards those."""
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            block = b"\0" * 65536
            left = size
            while left > 0:
                handle.write(block[: min(left, len(block))])
                left -= len(block)
            handle.flush()
            os.fsync(handle.fileno())
    remove_quietly(path)
