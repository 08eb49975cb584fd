"""The journal's lifecycle, written once: check (unlock, finish an interrupted
conversion, set a stray ``-wal`` aside, notice a lost journal, migrate or set aside a
damaged one) at start, open, pause (close for a conversion, a restore or the auto-lock), resume (reopen with
the passphrase now in force), restore a backup in its place.

:func:`check_at_start` is the window's start-up sequence before anything opens the
journal (``desktop.app`` supplies the passphrase dialogs); ``ensure_schema`` is its last
step and the shell's second look;
``AppContext.pause``/``resume`` (``desktop.context``) close and reopen;
:func:`restore_backup` closes the journal and puts a backup in its place. The window's
side — saving drafts before closing, telling the pages after opening, or showing why it
did not open — is ``desktop.ui.lifecycle`` (``close_journal``, ``open_journal``,
``restore``), which every caller uses: the shell's first open and its recovery banner,
the encryption and backup settings, the auto-lock and shutdown. Plain Python: no Qt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from db.recovery import BackupKeyWanted
    from desktop.context import AppContext
    from desktop.paths import Paths

log = logging.getLogger(__name__)


class PassphraseAsker(Protocol):
    """How start-up asks the user (the window's unlock dialogs; a test's answers)."""

    def journal(self) -> str | None:
        """The checked passphrase of the encrypted journal; None when cancelled."""
        ...

    def backups(self, wanted: BackupKeyWanted) -> str | None:
        """The passphrase of the encrypted backups ``wanted`` describes; None when cancelled."""
        ...


@dataclass
class StartCheck:
    """What :func:`check_at_start` found: the passphrase now in force, and why the
    journal cannot be used (None: it can), or that the user cancelled (nothing was read
    or written; Keel quits)."""

    passphrase: str | None = None
    problem: str | None = None
    cancelled: bool = False


def check_at_start(paths: Paths, options: Any, ask: PassphraseAsker,
                   mark: Callable[[str], None] = lambda _phase: None) -> StartCheck:
    """Everything start-up does to the journal before the window opens it, in order:
    the passphrase of an encrypted journal; the passphrase of encrypted backups when the
    journal needs one for them (an interrupted decrypt, or a lost journal whose only
    backups are encrypted); an interrupted conversion finished; a ``-wal`` that does not
    belong set aside; a lost journal noticed (its newest backup offered); the schema
    checked and migrated. ``mark`` names each finished phase (``--startup-report``)."""
    from db.sqlfile import is_encrypted_journal  # db.crypto loads only when it is

    found = StartCheck()
    if is_encrypted_journal(paths.data_dir):
        found.passphrase = ask.journal()
        if found.passphrase is None:
            return StartCheck(cancelled=True)
        mark("unlock")
    backup_key: str | None = None
    if found.passphrase is None:
        from db.recovery import backup_key_wanted

        wanted = backup_key_wanted(paths.data_dir, paths.backups)
        if wanted is not None:
            backup_key = ask.backups(wanted)
            if wanted.lost:
                if backup_key is None:
                    return StartCheck(cancelled=True)
                found.passphrase = backup_key  # the restored journal is encrypted with it
    from db.recovery import resume_conversion

    resume_conversion(paths.data_dir, paths.backups, found.passphrase or backup_key)
    _set_aside_stray_wal(paths)
    found.problem = lost_journal(paths, options, found.passphrase)
    if found.problem is None:
        found.problem = ensure_schema(paths, options, found.passphrase, check=False)
    mark("schema")
    return found


def _set_aside_stray_wal(paths: Paths) -> None:
    """A ``-wal`` left beside the journal (a crash, or a file copied in from elsewhere) is
    checked before anything opens it; one that does not belong is set aside, untouched."""
    wal = paths.database.with_name(paths.database.name + "-wal")
    if not wal.exists():
        return  # the usual case after a clean exit: nothing to read
    from db.recovery import set_aside_foreign_wal

    try:
        moved = set_aside_foreign_wal(paths.database, paths.damaged)
    except OSError as exc:
        log.warning("could not set a foreign -wal aside (%s)", type(exc).__name__)
        return
    if moved is not None:
        log.warning("a -wal that does not belong to the journal was moved to %s", moved)


def lost_journal(paths: Paths, options: Any, passphrase: str | None) -> str | None:
    """An empty or missing journal with sound backups beside it is not a new journal:
    offer the newest backup (``options.recovery``) instead of starting onboarding."""
    from db.recovery import lost_journal as find_lost

    found = find_lost(paths.database, paths.backups,
                      passphrase or os.environ.get("KEEL_PASSPHRASE") or None)
    if found is None:
        return None
    options.recovery = found
    return found.message


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
