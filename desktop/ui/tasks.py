"""The one way Keel runs work off the UI thread (in the spirit of Anki's ``QueryOp`` and
``CollectionOp``).

- :func:`run_in_background` — a heavy read (search, Today, trends, export): ``fn(*args)``
  runs in Qt's pool; ``on_done(result)`` is called on the UI thread.
- :func:`run_write` — a write (finish a check-in, import, delete, backup): the same, and
  once it succeeded the kinds of data it changed are announced through the owner's
  ``data_changed`` signal, so every other view refreshes (and the journal watcher knows
  the write was Keel's own). A failure is shown in plain words unless ``on_error`` is
  given; nothing is announced.

Worker functions get plain arguments and return plain values; they never touch a
widget. Each running task is referenced until it reports, and quitting waits for the
writes still running (:func:`wait_for_writes`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDeadlineTimer, QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from desktop.core.changes import Change

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its signals carry the worker's outcome back."""

    running = True
    """False once the worker returned (its outcome may still wait in the event queue)."""
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, relay: _Relay, with_progress: bool):
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._args, self._relay = fn, args, relay
        self._with_progress = with_progress
        self.cancelled = False

    def run(self) -> None:
        try:
            if self._with_progress:
                result = self._fn(*self._args, progress=self._report, cancelled=self._is_cancelled)
            else:
                result = self._fn(*self._args)
        except BaseException as exc:
            log.exception("background task %s failed", getattr(self._fn, "__name__", self._fn))
            self._send(self._relay.failed, exc)
        else:
            self._send(self._relay.finished, result)

    def _send(self, signal: Any, value: Any) -> None:
        """Report to the UI thread; after the app quit (its relay deleted) nobody listens,
        which is not an error (a start-up report quits with tasks still running)."""
        try:
            self._relay.running = False
            signal.emit(value)
        except RuntimeError as exc:
            if "deleted" not in str(exc):
                raise
            log.debug("a background result arrived after the app closed")

    def _report(self, done: int, total: int) -> None:
        self._relay.progress.emit(done, total)

    def _is_cancelled(self) -> bool:
        return self.cancelled


_running: set[_Relay] = set()


def _deliver(callback: Callable[[Any], None], value: Any) -> None:
    """Hand a result to the UI; a widget closed while the work ran is not an error."""
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        log.debug("a background result arrived after its widget was closed")


class TaskHandle:
    def __init__(self, task: _Task, relay: _Relay) -> None:
        self._task, self.relay = task, relay

    def cancel(self) -> None:
        self._task.cancelled = True


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> TaskHandle:
    """Run ``fn(*args)`` in Qt's global pool; call ``on_done(result)`` on the UI thread.

    With ``on_progress``, ``fn`` is also passed ``progress(done, total)`` and
    ``cancelled()`` keyword arguments.
    """
    relay = _Relay()
    _running.add(relay)

    def _finish(result: Any) -> None:
        _running.discard(relay)
        if on_done is not None:
            _deliver(on_done, result)

    def _fail(exc: BaseException) -> None:
        _running.discard(relay)
        if on_error is not None:
            _deliver(on_error, exc)

    relay.finished.connect(_finish)
    relay.failed.connect(_fail)
    if on_progress is not None:
        relay.progress.connect(on_progress)
    task = _Task(fn, args, relay, on_progress is not None)
    QThreadPool.globalInstance().start(task)
    return TaskHandle(task, relay)


_writes: set[_Relay] = set()


def writes_running() -> int:
    """How many writes have not reported yet."""
    return len(_writes)


def wait_for_writes(timeout_ms: int = 30_000) -> bool:
    """Block until every running write has finished (quitting, locking the journal).
    Their results are delivered by the event loop afterwards, if it still runs."""
    deadline = QDeadlineTimer(timeout_ms)
    while _writes and not deadline.hasExpired():
        if QThreadPool.globalInstance().waitForDone(50):
            break
    return not any(relay.running for relay in _writes)


def run_write(
    owner: QObject,
    title: str,
    fn: Callable[..., Any],
    *args: Any,
    changes: Change,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> TaskHandle:
    """Run the write ``fn(*args)`` in the pool; on the UI thread call ``on_done(result)``,
    then emit ``owner.data_changed(changes)`` (unless *changes* is ``Change.NONE``: a
    dialog whose caller announces what it did). On failure call ``on_error(exc)``, or show
    *title* and what happened in a message box."""

    def done(result: Any) -> None:
        _writes.discard(handle.relay)
        if on_done is not None:
            on_done(result)
        if changes:
            owner.data_changed.emit(changes)  # type: ignore[attr-defined]

    def failed(exc: BaseException) -> None:
        _writes.discard(handle.relay)
        if on_error is not None:
            on_error(exc)
            return
        from desktop.ui.errors import show_error

        show_error(owner if owner.isWidgetType() else None, title, exc)  # type: ignore[arg-type]

    handle = run_in_background(fn, *args, on_done=done, on_error=failed)
    _writes.add(handle.relay)
    return handle
