"""``medoffice schedule reminders``: the day's confirmation list as CSV, from the command line.

The same list as ``R`` on the schedule (every appointment not yet confirmed, with the
patient's preferred contact and phone), written to a new owner-only file (or ``-``
for standard output); the export is audited as the system account.
"""

from __future__ import annotations

import argparse
import sys

from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    sched = sub.add_parser("schedule", help="the schedule: the confirmation call list")
    actions = sched.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    reminders = actions.add_parser(
        "reminders",
        help="appointments of a day not yet confirmed, with contact and phone, as CSV",
    )
    db_options(reminders)
    reminders.add_argument(
        "--day",
        metavar="DAY",
        help="the day: 2026-12-01, 12/1, tomorrow, tue, next tue, +2d "
        "(default: the next working day)",
    )
    reminders.add_argument(
        "--out", required=True, metavar="FILE", help="new CSV file (owner-only; - for stdout)"
    )
    sched.set_defaults(handler=cmd_schedule)


def cmd_schedule(args: argparse.Namespace) -> int:
    from medoffice_tui.services import dates, schedule

    open_db(args)
    actor = cli_actor()
    day = dates.parse_day(args.day, field="day") if args.day else schedule.next_working_day()
    out = sys.stdout if args.out == "-" else args.out
    count = schedule.export_confirmation_list(actor, day, out)
    print(f"{count:,} appointments to confirm on {day:%a %Y-%m-%d}", file=sys.stderr)
    return 0
