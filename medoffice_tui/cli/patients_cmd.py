"""``medoffice patients import|export``: bring a practice's patient list in, or take it out.

``import FILE.csv [--map mapping.toml|synthea] [--dry-run]`` checks every row first and
prints the report (rows ok; each rejected row with its line and reason; likely
duplicates); without ``--dry-run`` and with no rejected row it then imports them all in
one transaction (all or nothing), with a progress bar. ``export FILE.csv`` writes every
patient in the columns import reads, to a new owner-only file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medoffice_tui.cli.common import cli_actor, db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    patients = sub.add_parser("patients", help="patient list: import from CSV, export to CSV")
    actions = patients.add_subparsers(dest="patients_command", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import", help="check, then import a CSV of patients (all or nothing)"
    )
    db_options(importer)
    importer.add_argument("file", metavar="FILE.csv", help="the patient list (UTF-8 CSV)")
    importer.add_argument(
        "--map",
        metavar="MAPPING",
        help="a TOML column mapping, or 'synthea' for Synthea's patients.csv "
        "(default: the columns 'patients export' writes)",
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="only check and report; change nothing"
    )
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    exporter = actions.add_parser("export", help="every patient to a new CSV file")
    db_options(exporter)
    exporter.add_argument("file", metavar="FILE.csv", help="a new file (owner-only; - for stdout)")
    exporter.add_argument("--quiet", action="store_true", help="no progress bar")
    patients.set_defaults(handler=cmd_patients)


def _mapping(name: str | None):  # noqa: ANN202 - a ColumnMapping
    from medoffice_tui.services.patients.mapping import load_mapping, synthea_mapping_path

    if name == "synthea":
        return load_mapping(synthea_mapping_path())
    return load_mapping(name)


def cmd_patients(args: argparse.Namespace) -> int:
    open_db(args)
    if args.patients_command == "import":
        return _import(args)
    return _export(args)


def _import(args: argparse.Namespace) -> int:
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.patients import importing
    from medoffice_tui.ui.progress import progress_callback

    actor = cli_actor()
    mapping = _mapping(args.map)
    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"{args.file}: there is no such file")
    with progress_callback("patients", quiet=args.quiet) as progress:
        report = importing.check_import(actor, path, mapping, progress)
    for line in report.lines():
        print(line)
    if args.dry_run:
        print("dry run: nothing was imported")
        return 0 if not report.rejected_count else 1
    if report.rejected_count:
        print("nothing was imported: correct the rejected rows (or leave them out) and run again")
        return 1
    if not report.ok:
        print("nothing to import")
        return 0
    with progress_callback("patients", quiet=args.quiet) as progress:
        done = importing.import_patients(actor, path, mapping, progress, expected_rows=report.rows)
    print(f"imported {done.created:,} patients in {done.seconds:.1f} s")
    return 0


def _export(args: argparse.Namespace) -> int:
    from medoffice_tui import files
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.patients.exporting import export_patients
    from medoffice_tui.ui.progress import progress_callback

    actor = cli_actor()
    if args.file == "-":
        count = export_patients(actor, sys.stdout)
    else:
        path = Path(args.file)
        if path.exists():
            raise InvalidInput(f"{args.file} exists already; choose a new file name")
        if not path.parent.is_dir():
            raise InvalidInput(f"{path.parent}: no such folder")
        files.secure_file(path)
        try:
            with (
                open(path, "w", encoding="utf-8", newline="") as handle,
                progress_callback("patients", quiet=args.quiet) as progress,
            ):
                count = export_patients(actor, handle, progress)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    print(f"exported {count:,} patients", file=sys.stderr)
    return 0
