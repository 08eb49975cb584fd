"""The journal's lifecycle, written once: check (and migrate or set aside) at start,
open, pause (close for a conversion, a restore or the auto-lock), resume (reopen with
the passphrase now in force).

``ensure_schema`` is what start-up (``desktop.app``) and the shell's second look run;
``AppContext.pause``/``resume`` (``desktop.context``) close and reopen; the window's side
of a reopen — telling the pages, or showing why it failed — is
``desktop.ui.lifecycle.reopen``. Plain Python: no Qt.
"""

from __future__ import annotations


def ensure_schema(paths, options=None, passphrase=None, check=True) -> str | None:  # type: ignore[no-untyped-def]
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
