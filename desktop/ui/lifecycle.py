"""The window's side of reopening the journal (``desktop.lifecycle``): open it through
``AppContext.resume`` and tell the pages, or show in plain words why it did not open."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def reopen(window: Any, context: Any, passphrase: Any = ...) -> bool:
    """Reopen the journal after a pause, restore or conversion; True when it is open.

    On success every page is told (``window.journal_opened``); on failure the window
    shows why (``window.journal_failed``) and nothing else changes.
    """
    from desktop.ui.errors import user_message

    try:
        context.resume(passphrase)
    except Exception as exc:  # noqa: BLE001 - told in plain words
        log.warning("reopening the journal failed: %s", type(exc).__name__)
        if hasattr(window, "journal_failed"):
            window.journal_failed(user_message(exc))
        return False
    if hasattr(window, "journal_opened"):
        window.journal_opened()
    return True
