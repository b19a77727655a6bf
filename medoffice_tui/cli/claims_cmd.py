"""``medoffice claims recount|fees|export-837|import-835|...``: checks, the fee schedule and
the claims files.

- ``recount`` counts every claim and compares the queue's kept summary with the count
  (exit 1 on a difference; ``--fix`` rebuilds it), and checks every posted line's
  charge = paid + contractual + patient + other.
- ``fees list`` / ``fees import FILE.csv`` (``code,kind,description,fee,effective_from``):
  the practice's own fee schedule (CPT text is licensed: the practice writes its own).
- ``export-837``, ``import-835``, ``import-999``, ``import-277ca``, ``import``,
  ``print-1500``, ``clearinghouse``, ``files``: the files to and from the clearinghouse,
  added (with their handler) by ``cli/x12_cmd.py``. ``medoffice claims-files ...`` is
  the same group under its first name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medoffice_tui.cli import claims_payers_cmd, x12_cmd
from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    claims = sub.add_parser(
        "claims",
        aliases=["claims-files"],
        help="claims: files to and from the clearinghouse (837P, 835, 999, 277CA), "
        "the CMS-1500, the fee schedule, recount",
        description="Claims: send, read and print claims files; the fee schedule; checks.",
    )
    actions = claims.add_subparsers(dest="claims_command", metavar="ACTION", required=True)
    recount = actions.add_parser("recount", help="check the kept summary and line money")
    db_options(recount)
    recount.add_argument("--fix", action="store_true", help="rebuild the summary if it is off")
    fees = actions.add_parser("fees", help="the fee schedule: list, import")
    fee_actions = fees.add_subparsers(dest="fees_command", metavar="ACTION", required=True)
    listing = fee_actions.add_parser("list", help="the fees in force today")
    db_options(listing)
    load = fee_actions.add_parser("import", help="add or replace fees from a CSV")
    db_options(load)
    load.add_argument("file", type=Path, help="code,kind,description,fee,effective_from")
    claims.set_defaults(handler=cmd_claims)
    x12_cmd.add_file_actions(actions)  # each sets its own handler, run instead of cmd_claims
    claims_payers_cmd.add_actions(actions)  # payers list|set: its own handler


def cmd_claims(args: argparse.Namespace) -> int:
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.claims import fees, payments, summaries
    from medoffice_tui.services.money import format_money

    open_db(args)
    if args.claims_command == "recount":
        off = summaries.differences()
        broken = payments.line_invariant_breaks()
        print(f"summary: {len(off)} of {summaries.summary_rows()} rows differ from a full count")
        print(f"posted lines that do not balance: {len(broken)}")
        if off and args.fix:
            from medoffice_tui.db.connection import db
            from medoffice_tui.db.write_guard import writing_as

            with writing_as("system:recount"), db.atomic():
                rows = summaries.rebuild()
            print(f"summary rebuilt: {rows} rows")
            off = []
        return 1 if off or broken else 0
    if args.fees_command == "list":
        for fee in fees.list_fees():
            print(
                f"{fee.code:<6} {fee.kind:<6} {format_money(fee.fee_cents):>10}  {fee.description}"
            )
        return 0
    path: Path = args.file
    if not path.is_file():
        raise InvalidInput(f"no such file: {path.name}")
    rows = fees.parse_fee_csv(path.read_text(encoding="utf-8-sig"))
    count = fees.import_fees(cli_actor(), rows)
    print(f"stored {count} fees")
    return 0
