"""Sizes of files the way file managers show them: the one formatter Keel uses
(Settings ▸ Backups, ``keel backup --list``, the backup folder's summary)."""

from __future__ import annotations


def human_size(n: int) -> str:
    """'12.3 MB', '512 bytes' (binary multiples, as file managers count them)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover - the loop always returns
