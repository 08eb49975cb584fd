"""The bodies of Keel's subcommands (the parser lives in ``desktop.cli``)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from desktop.cli import EXIT_DUE, EXIT_ERROR, EXIT_OK, command
from desktop.core.errors import UserError

EXTRA_PARSERS: dict = {}


def open_journal(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Resolve paths, create the folder 0700, migrate when behind, return the Database."""
    from db.journal_file import open_database
    from desktop.paths import prepare, resolve

    paths = resolve(args.data_dir)
    prepare(paths)
    return open_database(paths.database, paths.backups)


@command("demo")
def demo(args: argparse.Namespace) -> int:
    from desktop.demo import generate, is_empty

    if args.years <= 0 or args.years > 200:
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
    from db.journal import create_entry

    text = args.text
    if text is None:
        if sys.stdin is None or sys.stdin.isatty():
            print("Type the entry, then Ctrl+D:", file=sys.stderr)
        text = sys.stdin.read() if sys.stdin is not None else ""
    if not text.strip() and not args.title.strip():
        raise UserError("Nothing to write: the entry is empty.")
    db = open_journal(args)
    try:
        entry = create_entry(db, text, args.title, args.tag)
    finally:
        db.close()
    print(f"Saved entry {entry.id}.")
    return EXIT_OK


@command("due")
def due(args: argparse.Namespace) -> int:
    from desktop.due_now import compute_due

    db = open_journal(args)
    try:
        plan, problems = compute_due(db, datetime.now(UTC))
    finally:
        db.close()
    for problem in problems:
        print(f"keel: warning: {problem}", file=sys.stderr)
    if not plan.due:
        nxt = f" Next: {plan.next_due_at.astimezone():%a %d %b %H:%M}." if plan.next_due_at else ""
        print(f"Nothing is due.{nxt}")
        return EXIT_OK
    print(f"{len(plan.due)} prompt{'s' if len(plan.due) != 1 else ''} due:")
    for prompt in plan.due:
        print(f"  [{prompt.theme}] {prompt.question}")
    if plan.catch_up:
        print(f"(catch-up: {plan.held_back} older prompts held back)")
    return EXIT_DUE


@command("autostart")
def autostart(args: argparse.Namespace) -> int:
    from desktop.core.autostart import AutostartError, for_platform, launch_command

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
