"""Errors the user sees: plain words in a message box, never a traceback."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtWidgets import QWidget

    from db.failures import Failure

log = logging.getLogger(__name__)


def user_message(exc: BaseException) -> str:
    """The sentence to show for ``exc`` (``db.failures.classify``: busy, disk full,
    read-only, permission, damaged or unexpected — what happened and what was kept).
    Anything but a plain ``UserError`` is logged, without journal text."""
    from db.failures import classify

    return _told(exc, classify(exc))


def _told(exc: BaseException, failure: Failure) -> str:
    """*failure*'s sentence, logged (without journal text) unless it is the user's."""
    from db.failures import Kind, log_failure

    if failure.kind is not Kind.USER:
        log_failure("an action in the window", exc, failure)
    return failure.message


SEARCH_FAILED = "Keel could not search for that. Try other words."


def search_failure(exc: BaseException) -> str:
    """What a failed search says: the error boundary's sentence when the journal is busy,
    full, read-only, unreadable or damaged (other words would not help), else
    :data:`SEARCH_FAILED` (a query the index could not take)."""
    from db.failures import Kind, classify

    failure = classify(exc)
    if failure.kind in (Kind.USER, Kind.USAGE):
        return SEARCH_FAILED
    message = _told(exc, failure)  # an unexpected failure is logged, too
    return SEARCH_FAILED if failure.kind is Kind.UNEXPECTED else message


def show_error(parent: QWidget | None, title: str, exc_or_text: BaseException | str) -> None:
    from PySide6.QtWidgets import QMessageBox  # its first use costs ~2 ms: not before the window

    text = exc_or_text if isinstance(exc_or_text, str) else user_message(exc_or_text)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if QApplication.platformName() == "offscreen" and "pytest" in sys.modules:
        # Tests never block on a modal box; they assert on the logged message instead.
        log.warning("error shown to user: %s — %s", title, text)
        return
    box.exec()


def install_excepthook() -> None:
    """Unexpected errors are logged and reported in one friendly sentence."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        from PySide6.QtCore import QThread

        app = QApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            # No window to speak in, or a worker thread (a widget made there aborts the
            # process, e.g. a task finishing while the app quits): the log only.
            from db.failures import log_failure

            log_failure("a background task" if app is not None else "the window", exc)
        else:
            show_error(QApplication.activeWindow(), "Keel", exc)

    sys.excepthook = hook
