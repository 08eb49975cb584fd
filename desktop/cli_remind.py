"""``keel remind`` and ``keel reminders on|off|status``: reminders while Keel is closed."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli import EXIT_OK, command


def add_parsers(sub: Any) -> None:
    remind = sub.add_parser(
        "remind", help="show a reminder now if a check-in is due (run by the scheduler)")
    remind.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="how long to wait for a click on the reminder (default 600)")
    remind.add_argument("--dry-run", action="store_true",
                        help="say what would happen; show nothing and change nothing")
    reminders = sub.add_parser(
        "reminders", help="reminders while Keel is closed (the system scheduler): on, off, status")
    reminders.add_argument("action", choices=("on", "off", "status"))


@command("remind")
def remind(args: argparse.Namespace) -> int:
    from desktop.paths import resolve
    from desktop.remind import DEFAULT_WAIT_SECONDS, run

    wait = DEFAULT_WAIT_SECONDS if args.wait is None else max(args.wait, 0.0)
    return run(resolve(args.data_dir), wait_seconds=wait, dry_run=args.dry_run)


@command("reminders")
def reminders(args: argparse.Namespace) -> int:
    from desktop.closed_reminders import status_lines, turn_off, turn_on

    if args.action == "on":
        print(turn_on(args.data_dir))
    elif args.action == "off":
        print(turn_off())
    else:
        print("\n".join(status_lines(args.data_dir)))
    return EXIT_OK
