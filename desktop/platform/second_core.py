"""May this process fork a helper for its second core? Asked by the exports.

The Markdown and the PDF export of a long journal each hand half of their work to a
forked child (``desktop.export_writer``, ``desktop.ui.pdf_export``). A fork copies only
the calling thread: a lock another thread held — Python's, SQLite's or Qt's own — would
stay locked in the child for ever. So only a process with a single thread of any kind
forks: the command line does; the app, whose exports run beside Qt's threads, never does.
"""

from __future__ import annotations

import os


def may_fork() -> bool:
    """Linux (where the kernel lists a process's threads), one thread in this process,
    and two or more cores it may run on."""
    try:
        if not hasattr(os, "fork") or len(os.listdir("/proc/self/task")) != 1:
            return False
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return False
