"""A forked helper for the second core: may this process fork, and the child's work.

The Markdown and the PDF export of a long journal each hand half of their work to a
forked child (``desktop.export_writer``, ``desktop.ui.pdf_export``). A fork copies only
the calling thread: a lock another thread held — Python's, SQLite's or Qt's own — would
stay locked in the child for ever. So only a process with a single thread of any kind
forks: the command line does; the app, whose exports run beside Qt's threads, never does.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from typing import NamedTuple


def may_fork() -> bool:
    """Linux (where the kernel lists a process's threads), one thread in this process,
    and two or more cores it may run on."""
    try:
        if not hasattr(os, "fork") or len(os.listdir("/proc/self/task")) != 1:
            return False
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return False


class Helper(NamedTuple):
    """A forked child at work: its pid and the pipe its bytes come through."""

    pid: int
    reader: int


NO_CHILD = Helper(0, -1)
"""What :func:`start` returns when no child could be started: it sends nothing."""


def start(work: Callable[[], bytes | None]) -> Helper:
    """Fork a child that runs *work* and sends back the bytes it returns (None: nothing
    to send, a failure). The child uses only memory it inherited and the pipe, and leaves
    through ``os._exit``, so none of this process's exit handlers, files or Qt objects are
    touched on its way out; an exception in it is only a failed child. When the system
    refuses the pipe or the fork (too many processes, no memory), :data:`NO_CHILD`
    comes back, which :func:`receive` treats as a failed child: the caller does the work."""
    try:
        reader, sender = os.pipe()
    except OSError:
        return NO_CHILD
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(sender)
        return NO_CHILD
    if pid == 0:
        status = 1
        try:
            os.close(reader)
            data = work()
            if data is not None:
                with os.fdopen(sender, "wb") as out:
                    out.write(len(data).to_bytes(8, "big"))
                    out.write(data)
                status = 0
        finally:
            os._exit(status)
    os.close(sender)
    return Helper(pid, reader)


def receive(helper: tuple[int, int]) -> bytes | None:
    """What the child sent, once it has ended; None if it failed, was killed or sent
    less than it said. Closes the pipe and reaps the child."""
    pid, reader = helper
    if pid <= 0:
        return None
    try:
        with os.fdopen(reader, "rb") as pipe:
            sent = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    size = int.from_bytes(sent[:8], "big") if len(sent) >= 8 else -1
    return sent[8:] if status == 0 and size == len(sent) - 8 else None


def abandon(helper: tuple[int, int]) -> None:
    """Stop a child whose work is no longer wanted (the export was cancelled or failed):
    close its pipe, kill it and reap it."""
    pid, reader = helper
    if pid <= 0:
        return
    with contextlib.suppress(OSError):
        os.close(reader)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
