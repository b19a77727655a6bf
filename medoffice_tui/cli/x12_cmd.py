"""``medoffice claims export-837|import-835|...`` and ``medoffice eligibility ...``: the
claims queue's files.

- ``claims export-837 --out FILE|DIR [--status ready] [--claim ID ...] [--resend]
  [--no-validate]``: the ready claims as one 837P, checked by pyx12, then marked sent;
- ``claims import-835 FILE ...``, ``import-999``, ``import-277ca``, or ``import``
  (any of them, recognised by the file): read and post, with the report printed;
- ``claims print-1500 --out FILE.pdf [--claim ID ...] [--data-only] [--mark-sent]``;
- ``claims clearinghouse [--submitter-id ...]``: the clearinghouse's ids (shown without
  options); ``claims files``: the files written and read;
- ``eligibility export-270 --out FILE|DIR [--day YYYY-MM-DD]`` (default: tomorrow),
  ``eligibility import-271 FILE ...``.

The claims actions are added to ``medoffice claims`` by ``cli/claims_cmd.py`` through
``add_file_actions``; ``medoffice claims-files ...`` (with ``setup`` and ``list``, the
first spelling) is an alias of the same parser. Long work shows a progress bar; a refused
file prints every fault with its segment and line and the command exits 1; nothing in a
refused file is applied.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medoffice_tui.cli.common import cli_actor, date_arg, db_options, open_db


def _files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="one or more files (or folders: every file in them)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


#: the claims-files actions of ``medoffice claims`` (``setup`` and ``list`` are aliases)
FILE_ACTIONS = (
    "export-837",
    "import-835",
    "import-999",
    "import-277ca",
    "import",
    "print-1500",
    "clearinghouse",
    "files",
)


def add_file_actions(actions: argparse._SubParsersAction) -> None:
    """Add the claims-files actions to ``medoffice claims`` (its subparsers), each run by
    ``cmd_claims_files``."""
    export = actions.add_parser("export-837", help="write the ready claims as one 837P")
    db_options(export)
    export.add_argument(
        "--out", required=True, type=Path, help="a new file, or a folder (named 837P-<ISA13>.x12)"
    )
    export.add_argument("--status", default="ready", help="the claims in this status (ready)")
    export.add_argument(
        "--claim",
        type=int,
        action="append",
        dest="claims",
        metavar="ID",
        help="this claim (repeat for more) instead of a status",
    )
    export.add_argument(
        "--resend",
        action="store_true",
        help="send claims that went out already again (new control numbers)",
    )
    export.add_argument(
        "--no-validate",
        action="store_true",
        help="skip pyx12 (large batches; the writer is the same)",
    )
    export.add_argument("--quiet", action="store_true", help="no progress bar")
    export.set_defaults(files_command="export-837")
    for name, what in (
        ("import-835", "post 835 remittances"),
        ("import-999", "read 999 acknowledgements"),
        ("import-277ca", "read 277CA claim acknowledgements"),
        ("import", "read any 835, 999, 277CA or 271 (recognised by the file)"),
    ):
        reader = actions.add_parser(name, help=what)
        db_options(reader)
        _files(reader)
        reader.set_defaults(files_command=name)
    paper = actions.add_parser("print-1500", help="print claims on the CMS-1500 (02/12) as PDF")
    db_options(paper)
    paper.add_argument("--out", required=True, type=Path, help="a new .pdf file")
    paper.add_argument("--status", default="ready", help="the claims in this status (ready)")
    paper.add_argument(
        "--claim",
        type=int,
        action="append",
        dest="claims",
        metavar="ID",
        help="this claim (repeat for more)",
    )
    paper.add_argument(
        "--data-only", action="store_true", help="only the data, for the red pre-printed forms"
    )
    paper.add_argument("--mark-sent", action="store_true", help="mark the printed claims sent")
    paper.set_defaults(files_command="print-1500")
    setup = actions.add_parser(
        "clearinghouse",
        aliases=["setup"],
        help="the clearinghouse's ids (shown without options)",
    )
    db_options(setup)
    for option, what in (
        ("--submitter-id", "the practice's id at the clearinghouse (ISA06, GS02, 1000A)"),
        ("--submitter-qualifier", "its ISA05 qualifier (ZZ)"),
        ("--receiver-id", "the clearinghouse's id (ISA08, GS03, 1000B)"),
        ("--receiver-qualifier", "its ISA07 qualifier (ZZ)"),
        ("--receiver-name", "the clearinghouse's name"),
        ("--usage", "T (test) or P (production)"),
        ("--contact-name", "who the clearinghouse calls about a file"),
        ("--contact-phone", "their phone (10 digits)"),
    ):
        setup.add_argument(option, metavar="VALUE", help=what)
    setup.add_argument(
        "--next-interchange", type=int, metavar="N", help="the next ISA13 (forward only)"
    )
    setup.set_defaults(files_command="clearinghouse")
    listing = actions.add_parser(
        "files", aliases=["list"], help="the claims files written and read, newest first"
    )
    db_options(listing)
    listing.add_argument("--limit", type=int, default=30, help="how many (30)")
    listing.set_defaults(files_command="files")
    for parser in actions.choices.values():
        if parser.get_default("files_command") in FILE_ACTIONS:
            parser.set_defaults(handler=cmd_claims_files)


def add_parser(sub: argparse._SubParsersAction) -> None:
    """``medoffice eligibility``; the claims files are actions of ``medoffice claims``."""
    elig = sub.add_parser(
        "eligibility",
        help="eligibility files: 270 out for a day's patients, 271 answers in",
        description="Eligibility questions (270) and answers (271) as files.",
    )
    elig_actions = elig.add_subparsers(dest="eligibility_command", metavar="ACTION", required=True)
    ask = elig_actions.add_parser("export-270", help="ask about a day's patients (tomorrow)")
    db_options(ask)
    ask.add_argument(
        "--out", required=True, type=Path, help="a new file, or a folder (named 270-<ISA13>.x12)"
    )
    ask.add_argument("--day", type=date_arg, metavar="YYYY-MM-DD", help="the day (tomorrow)")
    answer = elig_actions.add_parser("import-271", help="read 271 answers")
    db_options(answer)
    _files(answer)
    elig.set_defaults(handler=cmd_eligibility)


def _print_report(report) -> None:  # noqa: ANN001 - a FileReport
    for line in report.lines():
        print(line)


def _read_all(args: argparse.Namespace, reader) -> int:  # noqa: ANN001
    from medoffice_tui.services.x12 import inbox
    from medoffice_tui.services.x12.reports import FileRefused
    from medoffice_tui.ui.progress import progress_callback

    actor = cli_actor()
    paths = [p for source in args.files for p in inbox.files_in(source)]
    status = 0
    for number, path in enumerate(paths, 1):
        title = f"{path.name} ({number}/{len(paths)})"
        try:
            with progress_callback(title, quiet=args.quiet or len(paths) > 20) as progress:
                report = reader(actor, path, progress)
        except FileRefused as refused:
            _print_report(refused.report)
            status = 1
            continue
        _print_report(report)
        print()
    return status


def cmd_claims_files(args: argparse.Namespace) -> int:
    open_db(args)
    command = args.files_command
    if command == "export-837":
        from medoffice_tui.services.x12 import export
        from medoffice_tui.ui.progress import progress_callback

        with progress_callback("837P", quiet=args.quiet) as progress:
            result = export.export_837p(
                cli_actor(),
                args.out,
                status=args.status,
                claim_ids=args.claims,
                resend=args.resend,
                validate=not args.no_validate,
                progress=progress,
            )
        print(result.summary())
        for skipped in result.skipped:
            print(f"  left out {skipped.claim_number}: {skipped.reason}")
        return 0
    if command.startswith("import"):
        from medoffice_tui.services.x12 import acks, inbox, remit

        readers = {
            "import-835": lambda a, p, g: remit.import_835(a, p, progress=g),
            "import-999": lambda a, p, g: acks.import_999(a, p, progress=g),
            "import-277ca": lambda a, p, g: acks.import_277ca(a, p, progress=g),
            "import": inbox.read_file,
        }
        return _read_all(args, readers[command])
    if command == "print-1500":
        from medoffice_tui.services import cms1500

        result = cms1500.print_1500(
            cli_actor(),
            args.out,
            claim_ids=args.claims,
            status=args.status,
            data_only=args.data_only,
            mark_sent=args.mark_sent,
        )
        print(result.summary())
        for number, why in result.skipped:
            print(f"  left out {number}: {why}")
        return 0
    if command == "clearinghouse":
        from medoffice_tui.services.x12 import envelope

        changes = {
            "sender_id": args.submitter_id,
            "sender_qualifier": args.submitter_qualifier,
            "receiver_id": args.receiver_id,
            "receiver_qualifier": args.receiver_qualifier,
            "receiver_name": args.receiver_name,
            "usage": args.usage,
            "contact_name": args.contact_name,
            "contact_phone": args.contact_phone,
            "next_interchange": args.next_interchange,
        }
        given = {k: v for k, v in changes.items() if v is not None}
        partner = envelope.update_partner(cli_actor(), **given) if given else envelope.partner()
        print(f"submitter     {partner.sender_qualifier} {partner.sender_id}")
        print(
            f"clearinghouse {partner.receiver_qualifier} {partner.receiver_id} "
            f"({partner.receiver_name})"
        )
        print(f"usage         {partner.usage} ({'production' if partner.usage == 'P' else 'test'})")
        print(f"contact       {partner.contact_name or '-'} {partner.contact_phone or ''}".rstrip())
        print(f"last ISA13    {partner.last_interchange:09d}, last GS06 {partner.last_group}")
        return 0
    from medoffice_tui.services.x12 import files_view

    page = files_view.recent_files(cli_actor(), limit=max(1, args.limit))
    for row in page.rows:
        arrow = "sent" if row.direction == "out" else "read"
        extra = " (resend)" if row.resend else ""
        print(
            f"{row.at:%m/%d/%Y %H:%M}  {arrow} {row.kind:<5} {row.name}  {row.claims} "
            f"items{extra}  ISA13 {row.interchange or '-'}"
        )
    if not page.rows:
        print("no claims files yet")
    return 0


def cmd_eligibility(args: argparse.Namespace) -> int:
    open_db(args)
    from medoffice_tui.services.x12 import eligibility

    if args.eligibility_command == "export-270":
        result = eligibility.export_270(cli_actor(), args.out, day=args.day)
        print(result.summary())
        return 0
    return _read_all(args, lambda a, p, g: eligibility.import_271(a, p, progress=g))


__all__ = ["FILE_ACTIONS", "add_file_actions", "add_parser", "cmd_claims_files", "cmd_eligibility"]
