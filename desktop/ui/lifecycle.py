"""The window's side of the journal's lifecycle (``desktop.lifecycle``), the one way every
caller closes, opens and restores it: the shell's first open and its recovery banner,
the encryption and backup settings, the auto-lock, and shutdown.

- :func:`close_journal`: drafts saved, the journal closed and refused (with a reason)
  until it is opened again;
- :func:`open_journal`: opened (or reopened after a pause, a restore or a conversion,
  with a new passphrase when given) and the pages told; or why it did not open shown
  in plain words (``db.failures`` boundary, details in the log);
- :func:`restore`: a backup put in the journal's place between the two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def close_journal(window: Any, context: Any, reason: str | None) -> None:
    """Save every page's draft, then close the journal; until :func:`open_journal`,
    anything that tries to open it is refused with ``reason`` (with None — at shutdown —
    it is only closed)."""
    flush = getattr(window, "flush_pages", None)
    if flush is not None:
        flush()  # drafts are saved before the file is closed
    if reason is None:
        context.close()
    else:
        context.pause(reason)


def open_journal(window: Any, context: Any, passphrase: Any = ...,
                 before_telling: Callable[[], None] | None = None) -> bool:
    """Open the journal (first open, or again after a pause, restore or conversion, with
    ``passphrase`` now in force when given); True when it is open.

    On success ``before_telling`` runs, then every page is told
    (``window.journal_opened``); on failure the window shows why
    (``window.journal_failed``) and nothing else changes.
    """
    from desktop.ui.errors import user_message

    try:
        if passphrase is ... and context.is_open:
            context.open()  # nothing closed it: keep the engine the pages read through
        else:
            context.resume(passphrase)
    except Exception as exc:  # noqa: BLE001 - told in plain words, logged by user_message
        message = user_message(exc)
        log.warning("opening the journal failed: %s", type(exc).__name__)
        if hasattr(window, "journal_failed"):
            window.journal_failed(message)
        return False
    if before_telling is not None:
        before_telling()
    if hasattr(window, "journal_opened"):
        window.journal_opened()
    return True


def restore(window: Any, context: Any, backup: Any,
            before_telling: Callable[[], None] | None = None) -> BaseException | None:
    """Put ``backup`` in the journal's place (``desktop.lifecycle.restore_backup``) and
    open it; returns the error that stopped the restore, or None.

    When the restore fails nothing was replaced: a journal that was open is opened again
    as it was; one that was not (set aside as damaged) stays closed, so an empty journal
    is never created in its place.
    """
    from desktop.lifecycle import RESTORING, restore_backup

    was_open, was_paused = context.is_open, context.paused
    close_journal(window, context, RESTORING)
    try:
        restore_backup(context, backup)
    except Exception as exc:  # noqa: BLE001 - the caller shows it in plain words
        log.warning("restoring a backup failed: %s", type(exc).__name__)
        if was_open:
            open_journal(window, context)
        else:
            context.paused = was_paused  # closed as it was before
        return exc
    open_journal(window, context, before_telling=before_telling)
    return None
