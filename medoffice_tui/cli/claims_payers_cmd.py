"""``medoffice claims payers list|set``: each payer's timely-filing limit and whether it
requires a prior authorization number (the scrubber and the queue's "To file" read
them). ``set PAYER --filing-days N --prior-auth yes|no`` changes either or both;
PAYER is the X12 payer id, the name or the start of one name. Changes are audited."""

from __future__ import annotations

import argparse

from medoffice_tui.cli.common import cli_actor, db_options, open_db

_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def _yes_no(text: str) -> bool:
    try:
        return _YES[text.strip().lower()]
    except KeyError:
        raise argparse.ArgumentTypeError("yes or no") from None


def add_actions(actions: argparse._SubParsersAction) -> None:
    """Add ``payers`` (with ``list`` and ``set``) to ``medoffice claims``."""
    payers = actions.add_parser(
        "payers", help="payer settings: timely-filing limit, prior authorization"
    )
    payer_actions = payers.add_subparsers(dest="payers_command", metavar="ACTION", required=True)
    listing = payer_actions.add_parser("list", help="every payer's filing limit and rules")
    db_options(listing)
    change = payer_actions.add_parser(
        "set", help="change a payer's filing limit and/or prior-authorization rule"
    )
    db_options(change)
    change.add_argument("payer", help="the X12 payer id, or the payer's name (or its start)")
    change.add_argument(
        "--filing-days", type=int, metavar="N", help="days from the date of service to file"
    )
    change.add_argument(
        "--prior-auth",
        type=_yes_no,
        metavar="yes|no",
        help="whether its claims need a prior authorization number",
    )
    payers.set_defaults(handler=cmd_payers)


def _line(s) -> str:  # noqa: ANN001 - a PayerSettings
    auth = "prior auth required" if s.prior_auth_required else "no prior auth"
    inactive = "  (inactive)" if not s.active else ""
    return f"{s.payer_code:<12} {s.timely_filing_days:>4} days  {auth:<19}  {s.name}{inactive}"


def cmd_payers(args: argparse.Namespace) -> int:
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.claims import payer_settings

    open_db(args)
    if args.payers_command == "list":
        print(f"{'PAYER ID':<12} {'FILING':>9}  {'PRIOR AUTH':<19}  NAME")
        for settings in payer_settings.list_payer_settings():
            print(_line(settings))
        return 0
    if args.filing_days is None and args.prior_auth is None:
        raise InvalidInput("give --filing-days N and/or --prior-auth yes|no")
    payer = payer_settings.find_payer(args.payer)
    settings = payer_settings.set_payer_settings(
        cli_actor(), payer, filing_days=args.filing_days, prior_auth=args.prior_auth
    )
    print(_line(settings))
    return 0
