"""``keel backup``, ``keel restore FILE`` and ``keel check``.

    keel backup            write a verified backup now (exit 0), print its path
    keel backup --list     list the backups, newest first
    keel restore FILE      back up the current journal, then replace it with FILE
    keel check [--full]    quick_check (or integrity_check): exit 0 sound, 1 damaged

``restore`` refuses while a live Keel holds the journal's lock file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from desktop.cli import EXIT_ERROR, EXIT_OK, command
from desktop.core.errors import UserError
from desktop.core.sizes import human_size


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the backup subcommands' arguments."""
    backup = sub.add_parser("backup", help="write a verified backup of the journal now")
    backup.add_argument("--list", action="store_true", help="list the backups instead")
    restore = sub.add_parser("restore", help="replace the journal with a backup "
                             "(the current state is backed up first)")
    restore.add_argument("file", help="the backup file to restore")
    check = sub.add_parser("check", help="check the journal file (exit 0 sound, 1 damaged)")
    check.add_argument("--full", action="store_true",
                       help="run the full integrity_check rather than quick_check")


def _paths(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop.paths import prepare, resolve

    paths = resolve(args.data_dir)
    prepare(paths)
    return paths


def running_pid(lock_file: Path) -> int | None:
    """The pid of a live Keel holding ``lock_file`` (QLockFile's format), else None.

    QLockFile writes the pid on the first line; a lock whose process is gone is stale.
    """
    try:
        first = lock_file.read_text(errors="replace").splitlines()[0].strip()
        pid = int(first)
    except (OSError, IndexError, ValueError):
        return None
    if pid <= 0 or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    with contextlib.suppress(OSError):  # a zombie is not running
        status = Path(f"/proc/{pid}/status").read_text()
        if "\nState:\tZ" in status:
            return None
    return pid


@command("backup")
def backup(args: argparse.Namespace) -> int:
    from db.backup import list_backups, make_backup, remove_stale_parts

    paths = _paths(args)
    if args.list:
        stale = remove_stale_parts(paths.backups)  # left by an interrupted backup
        if stale:
            print(f"Removed {len(stale)} partial file(s) an interrupted backup left behind.")
        from db.backup import folder_use

        found = list_backups(paths.backups)
        if not found:
            print("No backups yet.")
        for info in found:
            print(f"{info.created_at.astimezone():%Y-%m-%d %H:%M}  {info.label:<17} "
                  f"{human_size(info.size):>10}  {info.path}")
        if found:
            print(f"Backups folder: {folder_use(paths.backups, paths.database).summary()}")
        return EXIT_OK
    from desktop.cli_commands import passphrase_for

    info = make_backup(paths.database, paths.backups, "manual", datetime.now(UTC),
                       passphrase_for(paths))
    print(f"Backup written and checked: {info.path}")
    return EXIT_OK


@command("restore")
def restore(args: argparse.Namespace) -> int:
    from db.backup import restore as restore_backup

    paths = _paths(args)
    pid = running_pid(paths.lock_file)
    if pid is not None:
        raise UserError(f"Keel is running (process {pid}); close it, then restore again. "
                        "Nothing was changed.")
    source = Path(args.file).expanduser().absolute()
    from desktop.cli_commands import passphrase_for

    passphrase = passphrase_for(paths)
    if passphrase is None:
        passphrase = _lost_journal_key(paths, source)
    saved = restore_backup(source, paths.database, paths.backups, paths.damaged,
                           datetime.now(UTC), passphrase)
    note = f" The previous state was backed up to {saved.path}." if saved else ""
    print(f"Restored {source.name}.{note}")
    return EXIT_OK


def _lost_journal_key(paths, source: Path) -> str | None:  # type: ignore[no-untyped-def]
    """Restoring an encrypted backup where the journal is missing or empty: its
    passphrase (``KEEL_PASSPHRASE``, else typed at a terminal); the journal is then
    encrypted with it again. None when that is not the case."""
    from db.backup import is_packed
    from db.crypto import file_is_encrypted
    from db.recovery import is_lost

    if not source.is_file() or is_packed(source) or not file_is_encrypted(source) \
            or not is_lost(paths.database):
        return None
    given = os.environ.get("KEEL_PASSPHRASE")
    if given:
        return given
    import sys

    if sys.stdin is None or sys.stdin.closed or not sys.stdin.isatty():
        raise UserError(f"{source.name} is encrypted: set KEEL_PASSPHRASE, or run keel in a "
                        "terminal to type its passphrase. Nothing was changed.")
    import getpass

    try:
        typed = getpass.getpass(f"Passphrase for the encrypted backup {source.name}: ")
    except EOFError:
        typed = ""
    if not typed:
        raise UserError("No passphrase was typed. Nothing was changed.")
    return typed


@command("check")
def check(args: argparse.Namespace) -> int:
    from db.backup import integrity_errors
    from desktop.paths import resolve

    paths = resolve(args.data_dir)
    import os

    from db.recovery import backup_key_wanted, lost_journal

    given = os.environ.get("KEEL_PASSPHRASE") or None
    wanted = backup_key_wanted(paths.data_dir, paths.backups)
    if wanted is not None and wanted.lost and not _opens(wanted.backup, given):
        state = "missing" if not paths.database.exists() else "empty"
        print(f"Lost: {paths.database} is {state}, but encrypted backups are beside it. The "
              f"newest is {wanted.backup}; restore it with its passphrase: "
              f"KEEL_PASSPHRASE=… keel restore \"{wanted.backup}\""
              f"{' (the KEEL_PASSPHRASE given does not open it)' if given else ''}.")
        return EXIT_ERROR
    lost = lost_journal(paths.database, paths.backups, given)
    if lost is not None and lost.backup is not None:
        state = "missing" if not paths.database.exists() else "empty"
        print(f"Lost: {paths.database} is {state}, but backups are beside it. The newest sound "
              f"backup is {lost.backup.path}; restore it with `keel restore \"{lost.backup.path}\"`.")
        return EXIT_ERROR
    if not paths.database.exists():
        print(f"No journal at {paths.database} yet; nothing to check.")
        return EXIT_OK
    from desktop.cli_commands import passphrase_for

    passphrase = passphrase_for(paths, note=False)  # finishes a conversion it can; says below
    wanted = backup_key_wanted(paths.data_dir, paths.backups)
    if wanted is not None and not wanted.lost:
        print(f"Unfinished: removing the encryption was interrupted; {paths.database} is "
              f"plain, but {wanted.count} backup(s) in {paths.backups} are still encrypted. "
              "Run `keel check` with KEEL_PASSPHRASE set to the old passphrase to finish "
              "(Keel's window asks for it at start).")
        return EXIT_ERROR
    if passphrase is None and running_pid(paths.lock_file) is None \
            and os.access(paths.data_dir, os.W_OK):
        from db.recovery import set_aside_foreign_wal

        moved = set_aside_foreign_wal(paths.database, paths.damaged)
        if moved is not None:
            print(f"Foreign -wal: the -wal beside {paths.database} belongs to another journal; "
                  f"it was moved, unchanged, to {moved}. The journal itself is sound.")
            return EXIT_ERROR
    if passphrase is None and not (os.access(paths.data_dir, os.W_OK)
                                   and os.access(paths.database, os.W_OK)):
        return _check_read_only(paths, args.full)
    problems = integrity_errors(paths.database, quick=not args.full, passphrase=passphrase)
    if not problems:
        from db.schema import SchemaState, state

        if state(paths.database, passphrase) is SchemaState.DAMAGED:
            problems = ["it is not a Keel journal (a stale -wal file may have been replayed)"]
    if problems:
        print(f"Damaged: {paths.database} — {problems[0]}"
              f"{f' (and {len(problems) - 1} more problems)' if len(problems) > 1 else ''}."
              " Restore a backup with `keel restore FILE` (see `keel backup --list`).")
        return EXIT_ERROR
    print(f"Sound: {paths.database} passed {'integrity_check' if args.full else 'quick_check'}.")
    return EXIT_OK


def _opens(path: Path, passphrase: str | None) -> bool:
    """Whether ``passphrase`` opens the encrypted file at ``path`` (False for None)."""
    if not passphrase:
        return False
    from db.crypto import WrongPassphrase, all_errors, unlock

    try:
        unlock(path, passphrase)
    except (WrongPassphrase, *all_errors()):
        return False
    return True


def _check_read_only(paths, full: bool) -> int:  # type: ignore[no-untyped-def]
    """A journal in a read-only folder (or a read-only file) is checked as an immutable
    file (SQLite needs to write a ``-shm`` otherwise): read-only is not damaged."""
    import sqlite3

    pragma = "integrity_check" if full else "quick_check"
    try:
        from db.opener import connect

        conn = connect(paths.database, immutable=True)
        try:
            rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        rows = [str(exc).split(":")[0]]
    if rows != ["ok"]:
        print(f"Damaged: {paths.database} — {rows[0].strip().splitlines()[-1]}. Restore a backup "
              "with `keel restore FILE` (see `keel backup --list`).")
        return EXIT_ERROR
    print(f"Sound, but read-only: {paths.database} passed {pragma}; Keel can show it but cannot "
          f"save to it until {paths.data_dir} and the file are writable.")
    return EXIT_OK
