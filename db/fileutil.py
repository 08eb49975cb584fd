"""Small file operations the storage code shares (no SQLite, no Qt)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


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
