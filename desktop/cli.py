"""Keel's command line. With no subcommand it opens the app.

    keel [--data-dir DIR] [--demo] [--background] [--startup-report]
    keel --version
    keel demo --years N [--force]
    keel write [TEXT] [--tag T ...]
    keel due
    keel autostart on|off|status
    keel reminders on|off|status | keel remind [--wait S] [--dry-run]
    keel backup | keel restore FILE | keel check

Every subcommand exits 0 on success and non-zero with a one-line message on failure
(``report_failure``: the exit codes are listed in README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import desktop

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_DUE = 3

COMMAND_MODULES = ("desktop.cli_commands", "desktop.cli_backup", "desktop.cli_export",
                   "desktop.cli_remind")
"""Modules holding subcommands: each registers bodies with ``@command`` and may define
``add_parsers(subparsers)`` for its own arguments."""

Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


class KeelParser(argparse.ArgumentParser):
    """argparse with Keel's usage errors: one line on stderr, exit ``EXIT_USAGE``.

    argparse prints the whole usage block and then the error; Keel prints only the error
    and where to read more (``--help`` still prints the full usage). Subparsers inherit
    this class, so ``keel demo --years x`` says ``keel demo: ...`` in one line too.
    """

    def error(self, message: str) -> NoReturn:
        line = " ".join(message.split())  # argparse may wrap long choices over lines
        self.exit(EXIT_USAGE, f"{self.prog}: {line} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = KeelParser(
        prog="keel",
        description="Keel — a private reflection journal for people weighing or holding "
        "jobs that may advance AI capabilities.",
    )
    parser.add_argument("--version", action="version", version=f"Keel {desktop.__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="journal folder (default: KEEL_DATA_DIR or your user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open a throwaway journal filled with demo data")
    parser.add_argument("--background", action="store_true",
                        help="start hidden in the tray (used by start at login)")
    parser.add_argument("--startup-report", action="store_true",
                        help="print how long each start-up phase took, then exit")
    parser.add_argument("--page", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="fill the journal with a generated demo journal")
    demo.add_argument("--years", type=float, default=2.0, help="years of history (default 2)")
    demo.add_argument("--force", action="store_true", help="add to a journal that is not empty")

    write = sub.add_parser("write", help="add an entry (reads standard input without TEXT)")
    write.add_argument("text", nargs="?", help="the entry text (Markdown)")
    write.add_argument("--title", default="", help="a title for the entry")
    write.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")

    sub.add_parser("due", help="list the prompts due now (exit 3 when some are due)")

    autostart = sub.add_parser("autostart", help="start Keel at login: on, off or status")
    autostart.add_argument("action", choices=("on", "off", "status"))

    from importlib import import_module

    for name in COMMAND_MODULES:
        module = import_module(name)  # registers its commands with @command
        add = getattr(module, "add_parsers", None)
        if add is not None:
            add(sub)
    return parser


_GUI_FLAGS = {"--demo": "demo", "--background": "background", "--startup-report": "startup_report"}
_GUI_VALUES = {"--data-dir": "data_dir", "--page": "page"}


def _gui_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain ``keel [options]`` launch, read without building the parser.

    Building the full parser imports every subcommand module, which the window does not
    need. Anything else (a subcommand, ``--help``, an abbreviation, a missing value) returns
    None and goes through the real parser, so its messages and errors are unchanged.
    """
    found: dict[str, object] = {"command": None, "data_dir": None, "demo": False,
                                "background": False, "startup_report": False, "page": None}
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name, eq, value = token.partition("=")
        if not eq and token in _GUI_FLAGS:
            found[_GUI_FLAGS[token]] = True
        elif name in _GUI_VALUES:
            if not eq:
                i += 1
                if i >= len(tokens) or tokens[i].startswith("-"):
                    return None
                value = tokens[i]
            found[_GUI_VALUES[name]] = value
        else:
            return None
        i += 1
    return argparse.Namespace(**found)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # every file Keel writes is private to the user
    args = _gui_arguments(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    if args.command is None:
        from desktop.app import LaunchOptions, run

        return run(LaunchOptions(
            data_dir=args.data_dir,
            background=args.background,
            startup_report=args.startup_report,
            demo_years=2.0 if args.demo else None,
            page=args.page,
        ))
    problem = _not_text(args)
    if problem is not None:
        print(f"keel {args.command}: {problem} holds bytes that are not UTF-8 text; "
              "nothing was changed.", file=sys.stderr)
        return EXIT_USAGE
    from db.exclusive import on_wait

    on_wait(lambda message: print(f"keel: {message}", file=sys.stderr, flush=True))
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("keel: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one error boundary of the command line
        return report_failure(args, exc)


_PATH_ARGUMENTS = frozenset({"data_dir", "output", "file"})
"""Arguments naming files: on Linux a file name may be any bytes (Python keeps them as
surrogate escapes, which round-trip to the file system), so they are not checked."""


def _not_text(args: argparse.Namespace) -> str | None:
    """The first text argument holding bytes that are not UTF-8 (the operating system hands
    them over as lone surrogates, which SQLite, the exports and the terminal refuse), as
    the argument's name; None when every text argument is text."""
    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and any("\ud800" <= ch <= "\udfff" for ch in item):
                return "the " + name.replace("_", " ") if name in ("text", "query") \
                    else "--" + name.replace("_", "-")
    return None


def report_failure(args: argparse.Namespace, exc: BaseException) -> int:
    """Print one line for ``exc`` on stderr, log the details, return its exit code.

    Exit codes (README, "Exit codes"): 1 the command could not do what was asked (the
    line says why), 2 usage, 4 the journal is busy or being converted, 5 the disk is
    full, 6 read-only, 7 permission denied, 8 damaged, 70 unexpected.
    """
    from db.failures import Kind, classify, log_failure

    failure = classify(exc)
    print(f"keel: {failure.message}", file=sys.stderr)
    if failure.kind not in (Kind.USER, Kind.USAGE):
        import contextlib
        import logging

        logging.raiseExceptions = False  # a log that cannot be written says nothing more

        with contextlib.suppress(Exception):
            from desktop.logging_setup import setup_logging
            from desktop.paths import resolve

            paths = resolve(args.data_dir)
            if paths.logs.is_dir():
                setup_logging(paths)
        with contextlib.suppress(Exception):
            log_failure(f"keel {args.command}", exc, failure)
    return failure.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
