"""The journal's lifecycle, written once: check (and migrate or set aside) at start,
open, pause (close for a conversion, a restore or the auto-lock), resume (reopen with
the passphrase now in force), restore a backup in its place.

``ensure_schema`` is what start-up (``desktop.app``) and the shell's second look run;
``AppContext.pause``/``resume`` (``desktop.context``) close and reopen;
:func:`restore_backup` closes the journal and puts a backup in its place. The window's
side — saving drafts before closing, telling the pages after opening, or showing why it
did not open — is ``desktop.ui.lifecycle`` (``close_journal``, ``open_journal``,
``restore``), which every caller uses: the shell's first open and its recovery banner,
the encryption and backup settings, the auto-lock and shutdown. Plain Python: no Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.paths import Paths


def ensure_schema(paths: Paths, options: Any = None, passphrase: str | None = None,
                  check: bool = True) -> str | None:
    """Migrate when behind; return a message for the user when the journal can't be used.

    A damaged journal (``quick_check`` fails) is moved aside untouched into ``damaged/``
    and the newest sound backup is offered (``options.recovery``). With ``check=False``
    only the header and revision are read (the quick check follows off the UI thread).
    """
    from db.schema import SchemaError, SchemaState, migrate, state

    try:
        current = state(paths.database, passphrase, check=check)
    except SchemaError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - busy, unreadable, disk: one sentence
        from db.failures import classify, log_failure

        log_failure("checking the journal at start-up", exc)
        return classify(exc).message
    if current is SchemaState.CURRENT:
        return None
    if current is SchemaState.DAMAGED:
        from db.recovery import recover

        try:
            found = recover(paths.database, paths.damaged, paths.backups,
                            passphrase=passphrase)
        except OSError as exc:
            return (f"Your journal file is damaged and Keel could not move it aside "
                    f"({exc.strerror or exc}). Nothing was changed.")
        if options is not None:
            options.recovery = found
        return found.message
    try:
        migrate(paths.database, paths.backups, passphrase)
    except SchemaError as exc:
        return str(exc)
    except OSError as exc:
        return f"Keel could not update its journal file: {exc.strerror or exc}. Nothing was changed."
    return None


RESTORING = "Keel is restoring a backup; the journal opens again in a moment."


def restore_backup(context: AppContext, backup: Path) -> Any:
    """Close the journal and put ``backup`` in its place (``db.backup.restore``: the
    journal as it is now is backed up first, the backup checked before it replaces it).

    Leaves the journal closed (paused): the caller opens it again, whatever happened,
    through ``desktop.ui.lifecycle``. Returns what ``restore`` returns; raises what it
    raises (nothing was replaced then).
    """
    from db.backup import restore

    paths = context.paths
    context.pause(RESTORING)
    return restore(backup, paths.database, paths.backups, paths.damaged,
                   passphrase=context.passphrase)
