"""Logging to a private file in the data folder. Log lines name actions and ids, never
the text of entries or answers.

The file is ``logs/keel.log`` (0600), kept under 1 MB: when a line would take it past
that, it becomes ``keel.log.1`` (older ones shift to ``.2`` and ``.3``; the oldest is
dropped). This is what ``logging.handlers.RotatingFileHandler`` does, written out here
because importing ``logging.handlers`` (socket, pickle, queue…) slows the first window.
"""

from __future__ import annotations

import logging
import os
import re

from desktop.paths import Paths

MAX_BYTES = 1_000_000
BACKUP_COUNT = 3


class PrivateRotatingFileHandler(logging.FileHandler):
    """A 0600 log file rotated by size, like ``RotatingFileHandler(maxBytes, backupCount)``."""

    def __init__(self, filename: str | os.PathLike[str], max_bytes: int = MAX_BYTES,
                 backup_count: int = BACKUP_COUNT) -> None:
        self.max_bytes = max_bytes
        self.backup_count = backup_count
        super().__init__(filename, mode="a", encoding="utf-8")

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def should_rollover(self, record: logging.LogRecord) -> bool:
        """True when writing ``record`` would take the file to ``max_bytes`` or more."""
        if self.max_bytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        if not os.path.isfile(self.baseFilename):
            return False  # a device or pipe: never rotated
        return self.stream.tell() + len(f"{self.format(record)}\n") >= self.max_bytes

    def do_rollover(self) -> None:
        """keel.log → keel.log.1 → … → keel.log.N (the oldest is removed)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        base = self.baseFilename
        if self.backup_count > 0:
            for i in range(self.backup_count - 1, 0, -1):
                source = f"{base}.{i}"
                if os.path.exists(source):
                    os.replace(source, f"{base}.{i + 1}")
            if os.path.exists(base):
                os.replace(base, f"{base}.1")
        self.stream = self._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.should_rollover(record):
                self.do_rollover()
            logging.FileHandler.emit(self, record)
        except Exception:
            self.handleError(record)


HIDDEN = "(message hidden)"
_PARAMETERS = re.compile(r"\[parameters: .*?(?=\n|$)", re.DOTALL)


def _safe_arg(value: object) -> object:
    """An exception given as a log argument, reduced to what cannot quote journal text."""
    from desktop.core.errors import UserError

    if isinstance(value, UserError):
        return value  # Keel's own sentences: they name files and keys, never text
    if isinstance(value, OSError):
        return f"{type(value).__name__}: {value.strerror or HIDDEN}"
    if isinstance(value, BaseException):
        return f"{type(value).__name__} {HIDDEN}"
    return value


def _scrub_chain(te: object) -> None:
    from desktop.core.errors import UserError

    seen: set[int] = set()
    stack = [te]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        kind = getattr(item, "exc_type", None)
        keep = isinstance(kind, type) and issubclass(kind, UserError)
        if not keep and hasattr(item, "_str"):
            item._str = HIDDEN  # type: ignore[attr-defined]
        stack.extend([getattr(item, "__cause__", None), getattr(item, "__context__", None),
                      *(getattr(item, "exceptions", None) or ())])


class PrivateFormatter(logging.Formatter):
    """Log lines without journal text, whatever the caller passed: an exception's message
    (it may quote a value it was handed) is replaced by its type, in tracebacks and in
    arguments alike; Keel's own ``UserError`` sentences and the stack are kept; SQL
    parameters are cut."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple):
            record.args = tuple(_safe_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _safe_arg(v) for k, v in record.args.items()}
        if isinstance(record.msg, BaseException):
            record.msg = _safe_arg(record.msg)
        return _PARAMETERS.sub("[parameters hidden]", super().format(record))

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        import traceback

        try:
            te = traceback.TracebackException(*ei, capture_locals=False)
            _scrub_chain(te)
            text = "".join(te.format())
        except Exception:  # noqa: BLE001 - never fail to log
            text = f"{getattr(ei[0], '__name__', 'Exception')} {HIDDEN}"
        return text.rstrip("\n")


def setup_logging(paths: Paths, level: int = logging.INFO) -> None:
    """Send the root logger to the private log file (once; a second call does nothing)."""
    root = logging.getLogger()
    if any(getattr(h, "_keel", False) for h in root.handlers):
        return
    try:
        log_file = paths.log_file
        if not log_file.exists():
            os.close(os.open(log_file, os.O_WRONLY | os.O_CREAT, 0o600))
        handler: logging.Handler = PrivateRotatingFileHandler(log_file)
    except OSError:
        handler = logging.StreamHandler()
    handler._keel = True  # type: ignore[attr-defined]
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
