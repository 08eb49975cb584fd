"""``keel export``, ``keel search`` and ``keel import``.

    keel export --format md|html|pdf|json --output FILE [--from DATE] [--to DATE]
                [--sections ID ...] [--redact-orgs] [--redact-org-names NAMES]
                [--redact-people NAMES] [--redact-money] [--questions TEXT]
    keel search QUERY [--tag T ...] [--from DATE] [--to DATE] [--limit N]
    keel import FILE [--format keel|jrnl|dayone] [--merge]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from typing import Any

from desktop.cli import EXIT_ERROR, EXIT_OK, command
from desktop.core.errors import UserError

SECTION_HELP = "briefing, options, decisions, checkins, flags, trends, baseline, entries"


def _day(text: str) -> date:
    from db.intake import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{text} is outside the dates Keel keeps ({FIRST_DAY} to {LAST_DAY})")
    return day


MAX_LIMIT = 10_000
"""The most search results ``--limit`` may ask for (Keel's choice)."""


def _limit(text: str) -> int:
    try:
        value = int(text) if len(text) <= 12 else None
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_LIMIT:,}")
    return value


def add_parsers(sub: Any) -> None:
    """Register the export, search and import subcommands."""
    export = sub.add_parser("export", help="export for an advising call (md, html, pdf) "
                                           "or the whole journal (json)")
    export.add_argument("--format", dest="fmt", choices=("md", "html", "pdf", "json"),
                        default="pdf", help="file format (default pdf)")
    export.add_argument("--output", "-o", required=True, metavar="FILE", help="file to write")
    export.add_argument("--from", dest="start", type=_day, metavar="DATE",
                        help="first day (default: the start of the journal)")
    export.add_argument("--to", dest="end", type=_day, metavar="DATE",
                        help="last day (default: today)")
    export.add_argument("--sections", nargs="+", metavar="ID",
                        help=f"sections to include (default all): {SECTION_HELP}")
    export.add_argument("--redact-orgs", action="store_true",
                        help="replace organisation names with Org A, Org B…")
    export.add_argument("--redact-people", metavar="NAMES", default="",
                        help="comma-separated names to replace with Person 1, Person 2…")
    export.add_argument("--redact-org-names", metavar="NAMES", default="",
                        help="comma-separated organisation names to replace with Org A…")
    export.add_argument("--redact-money", action="store_true",
                        help="replace amounts of money with [amount]")
    export.add_argument("--questions", metavar="TEXT",
                        help="questions you want to discuss (default: the ones saved in the app)")

    search = sub.add_parser("search", help="search entries, answers, reflections and options")
    search.add_argument("query", help='words, "a phrase", prefix*, OR, NOT')
    search.add_argument("--tag", action="append", default=[], help="only entries with this tag")
    search.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day")
    search.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day")
    search.add_argument("--limit", type=_limit, default=20, help="most results to show (default 20)")

    imp = sub.add_parser("import", help="import a Keel, jrnl or Day One JSON export")
    imp.add_argument("file", help="the JSON file")
    imp.add_argument("--format", dest="fmt", choices=("keel", "jrnl", "dayone"),
                     help="file format (default: detected)")
    imp.add_argument("--merge", action="store_true",
                     help="add to a journal that already has entries")


def _open(args: argparse.Namespace) -> Any:
    from desktop.cli_commands import open_journal

    return open_journal(args)


@command("export")
def export(args: argparse.Namespace) -> int:
    from desktop.cli_commands import open_journal_soon

    # The quick check runs while the rest is imported; JSON goes through the ORM.
    opening = open_journal_soon(args, plain_ok=args.fmt != "json")
    from pathlib import Path

    from db.export_data import first_day, saved_questions
    from desktop.context import local_zone
    from desktop.core.export_compose import SECTION_IDS, ExportOptions, Period
    from desktop.export_writer import run_export

    sections = set(args.sections or SECTION_IDS)
    unknown = sections - set(SECTION_IDS)
    if unknown:
        raise UserError(f"Unknown section(s): {', '.join(sorted(unknown))}. "
                        f"Choose from: {SECTION_HELP}.")
    people = tuple(n.strip() for n in args.redact_people.split(",") if n.strip())
    orgs = tuple(n.strip() for n in args.redact_org_names.split(",") if n.strip())
    options = ExportOptions(sections=frozenset(sections | {"briefing"}),
                            redact_orgs=args.redact_orgs, redact_people=people,
                            redact_money=args.redact_money, redact_org_names=orgs)
    now = datetime.now(UTC)
    tz = local_zone()
    db = opening()
    try:
        end = args.end or now.astimezone(tz).date()
        start = args.start or first_day(db, tz) or end
        if end < start:
            raise UserError(f"--to ({end}) is before --from ({start}).")
        questions = args.questions if args.questions is not None else saved_questions(db)
        path = run_export(db, args.fmt, Path(args.output), Period(start, end), options, now,
                          tz, questions)
    finally:
        db.close()
    what = "whole journal" if args.fmt == "json" else f"{start} to {end}"
    print(f"Exported {what} to {path}")
    return EXIT_OK


def _bold(text: str, tty: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if tty else text


@command("search")
def search(args: argparse.Namespace) -> int:
    from db.search import search as run_search
    from desktop.context import local_zone

    tz = local_zone()
    from desktop.cli_commands import open_journal_fast

    db = open_journal_fast(args)
    try:
        hits = run_search(db, args.query, tags=args.tag, start=args.start, end=args.end,
                          limit=max(1, args.limit), tz=tz)
    finally:
        db.close()
    if not hits:
        print("No matches.")
        return EXIT_ERROR
    tty = sys.stdout.isatty()
    labels = {"entry": "entry", "answer": "answer", "reflection": "reflection",
              "option": "option", "decision": "decision"}
    for hit in hits:
        day = hit.date.astimezone(tz).date().isoformat() if hit.date else "          "
        tags = f"  #{' #'.join(hit.tags)}" if hit.tags else ""
        print(f"{day}  {labels[hit.kind]:<10} {_bold(hit.title, tty)}{tags}")
        snippet = " ".join(hit.snippet_text(
            "\x1b[1;33m" if tty else "[", "\x1b[0m" if tty else "]").split())
        print(f"            {snippet}")
    return EXIT_OK


@command("import")
def import_(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.portable import import_file
    from desktop.context import local_zone

    path = Path(args.file).expanduser()
    db = _open(args)
    try:
        report = import_file(db, path, args.fmt, merge=args.merge, tz=local_zone())
    finally:
        db.close()
    print(report)
    return EXIT_OK
