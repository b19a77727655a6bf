"""``medoffice audit verify|list|export``: the audit trail from the command line."""

from __future__ import annotations

import argparse
import sys

from medoffice_tui.cli.common import cli_actor, date_arg, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="the audit trail: verify the chain, list, export CSV")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="recompute the hash chain; name the first altered, missing or moved event"
    )
    db_options(verify)
    listing = actions.add_parser("list", help="events newest first, filtered")
    export = actions.add_parser("export", help="events as CSV (newest first), filtered")
    for parser in (listing, export):
        db_options(parser)
        parser.add_argument("--user", metavar="USERNAME", help="only this staff account")
        parser.add_argument("--patient", metavar="ID_OR_MRN", help="only this patient")
        parser.add_argument("--from", dest="since", type=date_arg, metavar="YYYY-MM-DD",
                            help="from this day (practice time)")  # fmt: skip
        parser.add_argument("--to", dest="until", type=date_arg, metavar="YYYY-MM-DD",
                            help="up to and including this day")  # fmt: skip
        parser.add_argument("--action", metavar="ACTION",
                            help="view, create, update, sign_in, refused, ...")  # fmt: skip
    listing.add_argument("--limit", type=int, default=50, metavar="N",
                         help="how many events (default 50)")  # fmt: skip
    export.add_argument("--out", required=True, metavar="FILE",
                        help="new CSV file (owner-only; - for stdout)")  # fmt: skip
    audit.set_defaults(handler=cmd_audit)


def _filter(args: argparse.Namespace):  # noqa: ANN202 - an AuditFilter
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services import patients
    from medoffice_tui.services.audit import AuditFilter

    patient_id = None
    if args.patient:
        patient_id = patients.find_patient_id(args.patient)
        if patient_id is None:
            raise InvalidInput("no patient has that id or MRN")
    if args.since and args.until and args.since > args.until:
        raise InvalidInput("--from is after --to")
    return AuditFilter(
        username=args.user or "",
        patient_id=patient_id,
        since=args.since,
        until=args.until,
        action=args.action or "",
    )


def cmd_audit(args: argparse.Namespace) -> int:
    from medoffice_tui.services import audit_view

    open_db(args)
    actor = cli_actor()
    if args.audit_command == "verify":
        report = audit_view.verify(actor)
        print(report.describe())
        return 0 if report.ok else 1
    filt = _filter(args)
    if args.audit_command == "list":
        page = audit_view.list_events(actor, filt, limit=max(args.limit, 1))
        for row in page.rows:
            record = row.entity + (f"#{row.entity_id}" if row.entity_id is not None else "")
            patient = f" patient#{row.patient_id}" if row.patient_id is not None else ""
            extra = " ".join(p for p in (row.fields, row.detail) if p)
            print(f"{row.id:>7}  {row.at_local:%Y-%m-%d %H:%M:%S}  {row.username or '?':<12} "
                  f"{row.action:<15} {record}{patient}  {extra}".rstrip())  # fmt: skip
        if page.has_more:
            print(f"... more: use --limit or export (filter: {filt.describe()})")
        return 0
    return _export(actor, filt, args.out)


def _export(actor, filt, out: str) -> int:  # noqa: ANN001
    from pathlib import Path

    from medoffice_tui import files
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services import audit_view

    if out == "-":
        count = audit_view.export_csv(actor, sys.stdout, filt)
    else:
        path = Path(out)
        if path.exists():
            raise InvalidInput(f"{out} exists already; choose a new file name")
        files.secure_file(path)
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                count = audit_view.export_csv(actor, handle, filt)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    print(f"exported {count:,} events", file=sys.stderr)
    return 0
