"""``medoffice statements --out DIR``: a PDF statement for every patient who owes
something (or the patients named with ``--patient``), laid out for a #10 window
envelope. Each statement written is an audit event."""

from __future__ import annotations

import argparse
from pathlib import Path

from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    statements = sub.add_parser("statements", help="patient statements as PDF files")
    db_options(statements)
    statements.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="the folder to write them into (created owner-only)",
    )
    statements.add_argument(
        "--patient", action="append", metavar="ID_OR_MRN", help="only this patient (repeatable)"
    )
    statements.add_argument("--quiet", action="store_true", help="no progress bar")
    statements.set_defaults(handler=cmd_statements)


def cmd_statements(args: argparse.Namespace) -> int:
    from medoffice_tui import files
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services import patients
    from medoffice_tui.services.claims import statements
    from medoffice_tui.ui.progress import progress_callback

    open_db(args)
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise InvalidInput("--out must be a folder")
    if not out.parent.exists():
        raise InvalidInput("the folder above --out does not exist")
    files.secure_dir(out)
    ids = None
    if args.patient:
        ids = []
        for text in args.patient:
            found = patients.find_patient_id(text)
            if found is None:
                raise InvalidInput("no patient has that id or MRN")
            ids.append(found)
    with progress_callback("statements", quiet=args.quiet) as progress:
        written = statements.write_statements(cli_actor(), out, ids, progress)
    print(f"wrote {len(written)} statement(s) to {out}")
    return 0
