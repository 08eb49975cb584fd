"""Notice writes made by another process (``keel write``, ``keel import``, a sync tool).

Once a second the watcher looks at the journal file and its write-ahead log (two
``stat`` calls, a few microseconds; no connection is held, so closing, encrypting or
restoring the journal never waits for it). When either moved, it reads a fingerprint of
each kind of data (:func:`db.freshness.fingerprint`) through the task runner and emits
:attr:`changed` with the kinds that differ from the last read.

The app's own writes move the file too. The window tells the watcher about each change a
page published (:meth:`absorb`); the next fingerprint then takes those kinds in silently,
so a page that just saved is not reloaded a second time. While a write of the task runner
is under way (committed, not yet announced) the watcher does not look. (A write by another process of
the same kind within the same moment is taken in with it — the page that saved has just
read that kind again anyway.)
"""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.context import AppContext
from desktop.core.changes import Change
from desktop.ui.tasks import run_in_background, writes_running

log = logging.getLogger(__name__)

POLL_MS = 1000
"""How often the file is looked at."""


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class JournalWatcher(QObject):
    changed = Signal(object)
    """Another process changed these kinds of data (a :class:`Change`)."""

    def __init__(self, context: AppContext, interval_ms: int = POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self._files: tuple[Any, ...] | None = None
        self._db: object = None
        self._baseline: dict[Change, Any] | None = None
        self._own = Change.NONE
        self._reading = False
        self._again = False
        self.reads = 0
        """Fingerprints read so far (the stat in between is free)."""

    def start(self) -> None:
        self._files = self._look()
        self._read()  # the baseline
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def absorb(self, changed: Change) -> None:
        """The app itself just wrote *changed*: take it into the baseline without telling."""
        self._own |= changed
        self._read()

    def _look(self) -> tuple[Any, ...]:
        database = str(self.context.paths.database)
        return _stamp(database), _stamp(database + "-wal")

    @Slot()
    def poll(self) -> None:
        """Look at the file; read the fingerprint only when it moved."""
        if not self.context.is_open or writes_running():
            return  # a write of Keel's own is under way: look once it has been announced
        files = self._look()
        if files != self._files:
            self._files = files
            self._read()

    def _read(self) -> None:
        if not self.context.is_open:
            return
        if self._reading:
            self._again = True
            return
        from db.freshness import fingerprint

        db = self.context.db
        if db is not self._db:  # reopened (restore, encryption): start a new baseline
            self._db, self._baseline = db, None
        self._reading = True
        self.reads += 1
        absorb, self._own = self._own, Change.NONE
        run_in_background(fingerprint, db, on_done=lambda fp: self._on_read(db, absorb, fp),
                          on_error=lambda exc: self._on_failed(absorb, exc))

    def _on_read(self, db: object, absorb: Change, found: dict[Change, Any]) -> None:
        from db.freshness import changed_kinds

        self._reading = False
        if db is self._db:
            before, self._baseline = self._baseline, found
            if before is not None:
                # Also what the app announced while this read ran (read again next).
                external = changed_kinds(before, found) & ~(absorb | self._own)
                if external:
                    log.info("another process changed the journal (%s)", external)
                    self.changed.emit(external)
        if self._again:
            self._again = False
            self._read()

    def _on_failed(self, absorb: Change, exc: BaseException) -> None:
        # Busy or briefly unreadable (another process converting it): look again next time.
        self._reading = False
        self._own |= absorb
        self._files = None
        log.info("could not read the journal's fingerprint: %s", type(exc).__name__)
