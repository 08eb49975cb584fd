"""Helpers for tests of work handed to a forked child (``desktop.platform.second_core``)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def noted(seen: Path) -> set[int]:
    """The processes other than this one that noted their pid, one per line, in *seen*."""
    if not seen.exists():
        return set()
    return {int(line) for line in seen.read_text().split()} - {os.getpid()}


def all_reaped(pids: Iterable[int]) -> bool:
    """Every child in *pids* has been waited for (none left running or a zombie)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True
