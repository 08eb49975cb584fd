"""Run slow work off the UI thread and post the result back with a signal.

Worker functions get plain arguments and return plain values; they never touch a
widget. ``run_in_background`` keeps a reference to each running task until it reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its signals carry the worker's outcome back."""

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
            self._relay.failed.emit(exc)
        else:
            self._relay.finished.emit(result)

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
