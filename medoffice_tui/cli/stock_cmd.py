"""``medoffice stock``: prove the ledger, build and export the purchase list, settings.

- ``stock check``: recompute on hand, every lot and every order line from the
  movements; exit 1 when anything disagrees.
- ``stock reorder --out FILE``: put every item low practice-wide on its vendor's
  draft order (as the Stock pane's ``o`` does) and write the purchase list as CSV;
  ``--order`` then marks the drafts as ordered.
- ``stock low``: the low-stock list with days of supply.

Output to a pipe that closes early (``stock reorder --out - | head``) ends quietly:
what was asked is done, the rest of the output goes nowhere, exit 0.
- ``stock locations [add|rename|retire NAME ...]``, ``stock expiry-window [DAYS]``.
"""

from __future__ import annotations

import argparse
import os
import sys

from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("stock", help="supplies: check the ledger, reorder, locations")
    actions = parser.add_subparsers(dest="stock_command", metavar="ACTION", required=True)

    check = actions.add_parser("check", help="prove on hand = the sum of the movements")
    db_options(check)
    check.add_argument("--quiet", action="store_true", help="no progress bar")

    reorder = actions.add_parser("reorder", help="build the purchase list and write it as CSV")
    db_options(reorder)
    reorder.add_argument(
        "--out", required=True, metavar="FILE", help="a new .csv file ('-': stdout)"
    )
    reorder.add_argument(
        "--order", action="store_true", help="then mark every draft order as ordered"
    )

    low = actions.add_parser("low", help="the low-stock list, soonest to run out first")
    db_options(low)
    low.add_argument("--location", metavar="NAME", help="one location only")

    places = actions.add_parser("locations", help="list the locations; add, rename or retire one")
    db_options(places)
    places.add_argument(
        "change", nargs="?", choices=["add", "rename", "retire"], help="what to do (none: list)"
    )
    places.add_argument("name", nargs="?", help="the location's name")
    places.add_argument("new_name", nargs="?", help="rename: the new name")
    places.add_argument("--site", default=None, help="the site it is at (a second office)")

    window = actions.add_parser("expiry-window", help="show or set the expiring-lots window")
    db_options(window)
    window.add_argument("days", nargs="?", help="1-365 days")
    parser.set_defaults(handler=cmd_stock)


def cmd_stock(args: argparse.Namespace) -> int:
    open_db(args)
    handler = {
        "check": _check,
        "reorder": _reorder,
        "low": _low,
        "locations": _locations,
        "expiry-window": _window,
    }[args.stock_command]
    return handler(args)


def _location_id(name: str | None) -> int | None:
    from medoffice_tui.services import stock

    return stock.find_location(name).id if name else None


def _check(args: argparse.Namespace) -> int:
    from medoffice_tui.services import stock
    from medoffice_tui.ui.progress import progress_callback

    with progress_callback("Checking stock", quiet=args.quiet) as progress:
        report = stock.check(progress)
    print(f"items: {report.items:,}  lots: {report.lots:,}  movements: {report.movements:,}")
    problems = []
    for item_id, on_hand, lots, moved in report.item_mismatches[:20]:
        problems.append(
            f"item {item_id}: on hand {on_hand}, its lots {lots}, its movements {moved}"
        )
    for lot_id, quantity, moved in report.lot_mismatches[:20]:
        problems.append(f"lot {lot_id}: quantity {quantity}, its movements {moved}")
    problems += [f"lot {lot_id} is below zero" for lot_id in report.negative_lots[:20]]
    problems += [f"lot {lot_id} has no location" for lot_id in report.lots_without_location[:20]]
    for line_id, received, moved in report.order_mismatches[:20]:
        problems.append(f"order line {line_id}: received {received}, receipts {moved}")
    if report.ok:
        print("ok: on hand is the sum of the movements for every item, lot and order line")
        return 0
    for problem in problems:
        print(f"problem: {problem}")
    return 1


def _stdout_closed() -> None:
    """The reader of our output went away (``| head``): send the rest nowhere, so
    neither this write nor the flush at exit reports a broken pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file behind stdout (a test's capture)
        pass


def _print(text: str) -> bool:
    """Write to stdout; False once the reader has gone (see :func:`_stdout_closed`)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_closed()
        return False
    return True


def _reorder(args: argparse.Namespace) -> int:
    import io

    from medoffice_tui.services import stock

    actor = cli_actor()
    if args.out != "-":
        stock.check_new_file(args.out)  # before anything is written
    lines = stock.build_purchase_list(actor)
    if args.out == "-":
        text = io.StringIO()  # the export (and its audit event) completes first
        count = stock.export_csv(actor, text)
        _print(text.getvalue())
    else:
        target, count = stock.export_to_file(actor, args.out)
        vendors = len({line.vendor for line in lines})
        print(f"{count} lines for {vendors} vendors written to {target}")
    if args.order:
        for order in stock.list_orders(("draft",)):
            placed = stock.place_order(actor, order.id, order.version)
            print(
                f"{placed.label} to {placed.vendor}: ordered ({placed.lines} lines)",
                file=sys.stderr if args.out == "-" else sys.stdout,
            )
    return 0


def _low(args: argparse.Namespace) -> int:
    from medoffice_tui.services import stock
    from medoffice_tui.services.text import display

    where = _location_id(args.location)
    after = None
    if not _print(f"{'SKU':<10} {'have':>5} {'ROP':>5} {'order':>5} {'days':>5}  item / vendor\n"):
        return 0
    while True:
        page = stock.low_stock(after=after, limit=200, location_id=where)
        lines = []
        for row in page.rows:
            days = "-" if row.days_left is None else str(row.days_left)
            line = (
                f"{display(row.sku):<10} {row.on_hand:>5} {row.reorder_point:>5} "
                f"{row.suggested:>5} {days:>5}  {display(row.name)} / {display(row.vendor)}"
            )
            if row.transfer_from:
                line += f"  (transfer from {display(row.transfer_from)})"
            lines.append(line + "\n")
        if not _print("".join(lines)) or page.next_after is None:
            return 0
        after = page.next_after


def _locations(args: argparse.Namespace) -> int:
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services import stock
    from medoffice_tui.services.text import display

    if args.change:
        if not args.name:
            raise InvalidInput(f"name the location: stock locations {args.change} NAME")
        actor = cli_actor()
        if args.change == "add":
            row = stock.add_location(actor, args.name, args.site or "")
            print(f"added location {display(row.label)}")
            return 0
        row = stock.find_location(args.name)
        if args.change == "rename" and not args.new_name:
            raise InvalidInput("give the new name: stock locations rename NAME NEW_NAME")
        row = stock.update_location(
            actor,
            row.id,
            row.version,
            name=args.new_name if args.change == "rename" else row.name,
            site=row.site if args.site is None else args.site,
            active=args.change != "retire",
        )
        print(f"{'renamed to' if args.change == 'rename' else 'retired'} {display(row.label)}")
        return 0
    for row in stock.list_locations(include_inactive=True):
        state = "" if row.active else "  (not in use)"
        print(f"{display(row.label)}{state}")
    return 0


def _window(args: argparse.Namespace) -> int:
    from medoffice_tui.services import stock

    if args.days is not None:
        stock.set_expiry_window(cli_actor(), args.days)
    print(f"expiry-window  {stock.get_settings().expiry_window_days} days")
    return 0
