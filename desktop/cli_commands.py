"""The bodies of Keel's subcommands (the parser lives in ``desktop.cli``)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from desktop.cli import EXIT_DUE, EXIT_ERROR, EXIT_OK, command
from desktop.core.errors import UserError


def passphrase_for(paths, note: bool = True) -> str | None:  # type: ignore[no-untyped-def]
    """An encrypted journal's passphrase: ``KEEL_PASSPHRASE``, else typed at a terminal.

    None for a journal that is not encrypted (with *note*, a line on stderr says when an
    interrupted decrypt still waits for the old passphrase). Without a terminal (stdin closed or piped)
    and without the variable, a one-line ``UserError`` says what to do.
    """
    import os

    from db.crypto import is_encrypted
    from db.recovery import resume_conversion

    given = os.environ.get("KEEL_PASSPHRASE")
    if not is_encrypted(paths.data_dir):
        # A decrypt interrupted while converting the backups uses the passphrase to
        # convert the rest (db.crypto.finish_conversion); nothing else does.
        resume_conversion(paths.data_dir, paths.backups, given or None)
        if note:
            _say_if_backups_wait(paths)
        return None
    if given:
        resume_conversion(paths.data_dir, paths.backups, given)
        return given
    if sys.stdin is None or sys.stdin.closed or not sys.stdin.isatty():
        raise UserError("This journal is encrypted: set KEEL_PASSPHRASE, or run keel in a "
                        "terminal to type its passphrase. Nothing was changed.")
    import getpass

    try:
        typed = getpass.getpass("Passphrase for the encrypted journal: ")
    except EOFError:
        typed = ""
    if not typed:
        raise UserError("No passphrase was typed. Nothing was changed.")
    resume_conversion(paths.data_dir, paths.backups, typed)
    return typed


def _say_if_backups_wait(paths) -> None:  # type: ignore[no-untyped-def]
    """A note on stderr (the command still runs) when an interrupted decrypt left backups
    encrypted: only the old passphrase can finish it, and every command says so until it
    is given, not only ``keel check``."""
    from db.recovery import backup_key_wanted
    from db.sqlfile import CONVERSION_NAME

    if not (paths.data_dir / CONVERSION_NAME).exists():
        return  # the usual case: one stat
    wanted = backup_key_wanted(paths.data_dir, paths.backups)
    if wanted is not None and not wanted.lost:
        print(f"keel: note: removing the encryption was interrupted; {wanted.count} backup(s) "
              "are still encrypted. Run `keel check` with KEEL_PASSPHRASE set to the old "
              "passphrase to finish.", file=sys.stderr)


def open_journal(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Resolve paths, create the folder 0700, migrate when behind, return the Database.

    An encrypted journal is opened with ``passphrase_for(paths)``.
    """
    from db.journal_file import open_database
    from desktop.paths import prepare, resolve

    paths = resolve(args.data_dir)
    prepare(paths)
    return open_database(paths.database, paths.backups, passphrase=passphrase_for(paths))


def open_journal_soon(args: argparse.Namespace, plain_ok: bool = False):  # type: ignore[no-untyped-def]
    """Start opening the journal and return a function that finishes it.

    *plain_ok*: the caller only reads and writes through the shared SQL readers and
    writers (:mod:`db.access`), so a plain journal whose schema is current comes back as a
    :class:`db.plain_journal.PlainJournal` and SQLAlchemy is never imported; any other
    journal opens the full way.

    The quick check (``PRAGMA quick_check``, about 0.1 s on a 100-year journal) runs on
    a thread — SQLite lets go of the interpreter while it reads — so a command can
    import SQLAlchemy and its own modules meanwhile. The passphrase, if any, is asked
    for before the thread starts. Calling the returned function waits for the check and
    then opens (or migrates) exactly as :func:`open_journal` does.
    """
    import threading

    from db.schema import SchemaState, state  # the standard library's sqlite3 only
    from desktop.paths import prepare, resolve

    paths = resolve(args.data_dir)
    prepare(paths)
    passphrase = passphrase_for(paths)
    outcome: dict[str, object] = {}

    def check() -> None:
        try:
            outcome["state"] = state(paths.database, passphrase)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=check, name="keel-quick-check", daemon=True)
    worker.start()

    def finish():  # type: ignore[no-untyped-def]
        if not plain_ok:
            from db.journal_file import open_database  # SQLAlchemy: imported while it checks
        worker.join()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        current = outcome["state"] is SchemaState.CURRENT
        if plain_ok and current and passphrase is None:
            from db.plain_journal import PlainJournal

            return PlainJournal(paths.database)
        from db.journal_file import open_database

        return open_database(paths.database, paths.backups, verified=current,
                             passphrase=passphrase)

    return finish


def open_journal_fast(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """For short commands: the journal through plain ``sqlite3`` when it is plain and
    current (no SQLAlchemy import), otherwise the full ``open_journal``."""
    from db.plain_journal import open_if_plain_and_current
    from desktop.paths import prepare, resolve

    paths = resolve(args.data_dir)
    prepare(paths)
    return open_if_plain_and_current(paths.data_dir, paths.database) or open_journal(args)


@command("demo")
def demo(args: argparse.Namespace) -> int:
    from desktop.demo import generate, is_empty

    if not 0 < args.years <= 200:  # written so that NaN is refused too
        raise UserError("--years must be between 0 and 200.")
    db = open_journal(args)
    try:
        if not is_empty(db) and not args.force:
            print("keel: this journal is not empty; use --force to add demo data to it.",
                  file=sys.stderr)
            return EXIT_ERROR
        summary = generate(db, args.years, datetime.now(UTC))
    finally:
        db.close()
    print(f"Demo journal written to {db.path.parent}: {summary}")
    return EXIT_OK


@command("write")
def write(args: argparse.Namespace) -> int:
    text = args.text
    if text is None:
        if sys.stdin is None or sys.stdin.isatty():
            print("Type the entry, then Ctrl+D:", file=sys.stderr)
        text = sys.stdin.read() if sys.stdin is not None else ""
    if not text.strip() and not args.title.strip():
        raise UserError("Nothing to write: the entry is empty.")
    db = open_journal_fast(args)
    try:
        from db.journal import create_entry

        entry_id = create_entry(db, text, args.title, args.tag).id
    finally:
        db.close()
    print(f"Saved entry {entry_id}.")
    return EXIT_OK


@command("due")
def due(args: argparse.Namespace) -> int:
    from desktop.context import local_zone
    from desktop.due_now import due_from_snapshot, due_inputs

    db = open_journal(args)
    try:
        snapshot, prompts, problems = due_inputs(db)  # one read: the plan and "first" agree
    finally:
        db.close()
    plan = due_from_snapshot(snapshot, prompts, datetime.now(UTC), local_zone())
    first = plan.catch_up and not snapshot.checkins  # no completed check-in yet
    for problem in problems:
        print(f"keel: warning: {problem}", file=sys.stderr)
    if not plan.due:
        nxt = f" Next: {plan.next_due_at.astimezone():%a %d %b %H:%M}." if plan.next_due_at else ""
        print(f"Nothing is due.{nxt}")
        return EXIT_OK
    print(f"{len(plan.due)} prompt{'s' if len(plan.due) != 1 else ''} due:")
    for prompt in plan.due:
        print(f"  [{prompt.theme}] {prompt.question}")
    if first:  # a new journal holds nothing "older": the rest simply come later
        print("(your first check-in starts with the most important prompts; "
              "the others follow over the coming weeks)")
    elif plan.catch_up:
        print(f"(catch-up: {plan.held_back} older prompts held back)")
    return EXIT_DUE


@command("autostart")
def autostart(args: argparse.Namespace) -> int:
    from desktop.core.autostart import AutostartError
    from desktop.platform.autostart import for_platform, launch_command

    target = for_platform()
    if args.action == "on":
        try:
            status = target.enable(launch_command())
        except AutostartError as exc:
            raise UserError(str(exc)) from exc
        print(f"Keel will start at login ({status.location}).")
    elif args.action == "off":
        removed = target.disable()
        print("Keel will no longer start at login." if removed
              else "Keel was not set to start at login.")
    else:
        status = target.status()
        print(f"Start at login: {'on' if status.enabled else 'off'} ({status.location})")
    return EXIT_OK
