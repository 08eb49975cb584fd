"""The journal-wide lock: exclusive operations versus writers, across processes.

Encrypting, changing the passphrase, decrypting, restoring, importing and migrating
rewrite or replace the journal file. Each holds this folder's lock *exclusively*
(:func:`exclusive`, or the :func:`exclusive_operation` decorator); every write
transaction holds it *shared* (:class:`WriteGate`), from before its ``BEGIN IMMEDIATE``
to after its ``COMMIT``. So a write is never acknowledged into a file that is about to
be replaced: a writer that meets a conversion waits a few seconds (saying so once), then
fails with :class:`JournalBusy` and nothing saved. A writer whose connection was opened
on a file that has since been replaced (its inode changed) fails the same way instead
of committing into the unlinked old file.

The lock is ``flock`` on ``keel-exclusive.lock`` in the data folder (POSIX); on Windows,
``msvcrt`` byte locks, where shared holders exclude each other too (writes are serialised
by SQLite anyway). The thread that holds the exclusive lock may write (an import writes
through the ordinary services) without waiting for itself.

Standard library only.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from desktop.core.errors import UserError

LOCK_NAME = "keel-exclusive.lock"
WRITER_WAIT = float(os.environ.get("KEEL_WRITER_WAIT", "5"))
"""Seconds a writer waits for an exclusive operation to finish (Keel's choice)."""
EXCLUSIVE_WAIT = 30.0
"""Seconds an exclusive operation waits for running writes to finish."""
BUSY_TEXT = "Keel is converting your journal; nothing was saved — try again in a minute."
WAITING_TEXT = "Keel is converting your journal; waiting a few seconds…"

P = ParamSpec("P")
R = TypeVar("R")


class JournalBusy(UserError):
    """An exclusive operation holds the journal; nothing was saved."""


class JournalReplaced(JournalBusy):
    """The file this connection opened was replaced (encrypted, restored) meanwhile."""


_held = threading.local()
"""Per thread: the data folders whose exclusive lock this thread holds."""
_waiting_hook: list[Callable[[str], None]] = []


def on_wait(hook: Callable[[str], None]) -> None:
    """Call ``hook(message)`` once when a writer starts waiting (the CLI prints it)."""
    _waiting_hook[:] = [hook]


def _key(data_dir: Path) -> str:
    return os.path.normcase(os.path.realpath(data_dir))


def _holding(data_dir: Path) -> bool:
    return _key(data_dir) in getattr(_held, "folders", set())


def _open_lock(data_dir: Path) -> int | None:
    """The lock file's descriptor, or None when the folder cannot hold one (read-only:
    then nothing can replace the journal there either)."""
    try:
        return os.open(Path(data_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None


def _try_lock(fd: int, shared: bool) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, 0)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _intent_held(data_dir: Path) -> bool:
    """Is an exclusive operation waiting or running? (It holds the folder's own flock.)"""
    if os.name == "nt":  # pragma: no cover - Windows: no intent, byte locks only
        return False
    import fcntl

    try:
        fd = os.open(data_dir, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's own shared lock


def _announce(data_dir: Path, deadline: float) -> int | None:
    """Take the folder's intent lock (exclusive): new writers wait from now on, so a
    stream of short writes cannot starve the exclusive operation."""
    if os.name == "nt":  # pragma: no cover - Windows
        return None
    import fcntl

    try:
        fd = os.open(data_dir, os.O_RDONLY)
    except OSError:
        return None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise JournalBusy("Another conversion of your journal is running; nothing "
                                  "was changed — try again in a minute.") from None
            time.sleep(0.05)


def _acquire(data_dir: Path, shared: bool, wait: float,
             on_first_wait: Callable[[], None] | None = None) -> int | None:
    fd = _open_lock(data_dir)
    if fd is None:
        return None
    deadline = time.monotonic() + wait
    intent = None if shared else _announce(data_dir, deadline)
    told = False
    try:
        while (shared and _intent_held(data_dir)) or not _try_lock(fd, shared):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise JournalBusy(BUSY_TEXT if shared else
                                  "Keel is writing to your journal right now; nothing was "
                                  "changed — try again in a minute.")
            if not told and on_first_wait is not None:
                on_first_wait()
                told = True
            time.sleep(0.05)
    finally:
        if intent is not None:
            os.close(intent)
    return fd


@contextlib.contextmanager
def exclusive(data_dir: Path, wait: float = EXCLUSIVE_WAIT) -> Iterator[None]:
    """Hold the journal of ``data_dir`` exclusively: no write starts or runs meanwhile.

    Re-entrant within a thread (a restore that migrates, an import that writes).
    """
    if _holding(data_dir):
        yield
        return
    fd = _acquire(data_dir, shared=False, wait=wait)
    folders: set[str] = getattr(_held, "folders", set())
    _held.folders = folders
    key = _key(data_dir)
    folders.add(key)
    try:
        yield
    finally:
        folders.discard(key)
        if fd is not None:
            _unlock(fd)


def exclusive_operation(folder_of: Callable[..., Path]) -> Callable[[Callable[P, R]],
                                                                    Callable[P, R]]:
    """Run the decorated function under :func:`exclusive` for the folder that
    ``folder_of(*args, **kwargs)`` names."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with exclusive(folder_of(*args, **kwargs)):
                return fn(*args, **kwargs)

        return run

    return wrap


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``: changes when the file is replaced."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


class WriteGate:
    """The writers' side of the lock for one open journal file.

    Create it *before* the connection is opened (:meth:`opening`) so the file identity
    it records is the one the connection sees; wrap every write transaction in
    :meth:`writing`.
    """

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.data_dir = self.database.parent
        self.identity: tuple[int, int] | None = None

    @contextlib.contextmanager
    def opening(self) -> Iterator[None]:
        """Around opening the connection: no conversion swaps the file meanwhile."""
        fd = None if _holding(self.data_dir) else _acquire(
            self.data_dir, shared=True, wait=WRITER_WAIT, on_first_wait=_tell_waiting)
        try:
            yield
            self.identity = file_identity(self.database)
        finally:
            if fd is not None:
                _unlock(fd)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Around one write transaction (raises JournalBusy / JournalReplaced)."""
        if _holding(self.data_dir):
            yield
            return
        fd = _acquire(self.data_dir, shared=True, wait=WRITER_WAIT,
                      on_first_wait=_tell_waiting)
        try:
            now = file_identity(self.database)
            if self.identity is not None and now != self.identity:
                raise JournalReplaced(
                    "Your journal was converted or restored while this was open; nothing "
                    "was saved — open Keel again and retry.")
            yield
        finally:
            if fd is not None:
                _unlock(fd)


def _tell_waiting() -> None:
    import logging

    logging.getLogger(__name__).info("a writer waits for an exclusive operation")
    for hook in _waiting_hook:
        hook(WAITING_TEXT)


def folder_of_path(path: Path, *_args: Any, **_kwargs: Any) -> Path:
    """For ``fn(path, ...)``: the data folder of the journal file ``path``."""
    return Path(path).parent


def folder_of_db(db: Any, *_args: Any, **_kwargs: Any) -> Path:
    """For ``fn(db, ...)``: the data folder of the open journal ``db``."""
    return Path(db.path).parent
