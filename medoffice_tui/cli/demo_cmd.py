"""``medoffice demo``: build a deterministic demo practice (with a progress bar)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from medoffice_tui.cli.common import count_arg, db_options, db_url, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo",
        help="build a realistic demo practice",
        description="Build a deterministic demo practice: providers, schedule, patients, "
        "insurance, claims in every status and aging bucket, supplies with lots, staff "
        "accounts (one per role, password '<username>-demo') and two weeks of audit trail.",
    )
    db_options(demo)
    demo.add_argument(
        "--patients",
        type=count_arg,
        default=2000,
        metavar="N",
        help="number of patients (default 2000; 100000 builds in well under a minute)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=7,
        metavar="S",
        help="random seed (default 7): same seed, same practice",
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace the database if it already holds data (SQLite file is deleted first)",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=cmd_demo)


#: bytes a demo patient takes on disk with everything hung on it (1,000,000 patients
#: measured 2.19 GB), and the headroom kept free besides
BYTES_PER_PATIENT = 2_300
HEADROOM = 1.3


def _check_disk(folder: Path, patients: int) -> None:
    from medoffice_tui.errors import InvalidInput

    need = int(patients * BYTES_PER_PATIENT * HEADROOM) + 50_000_000
    free = shutil.disk_usage(folder).free
    if need > free:
        raise InvalidInput(
            f"a demo of {patients:,} patients needs about {need / 1e9:,.1f} GB and "
            f"{folder} has {free / 1e9:,.1f} GB free: choose fewer patients"
        )


def cmd_demo(args: argparse.Namespace) -> int:
    from medoffice_tui import clock, demo
    from medoffice_tui.db.connection import sqlite_path_from_url
    from medoffice_tui.db.opening import DatabaseRefused, Kind, check_sqlite
    from medoffice_tui.ui.progress import progress_callback

    url = db_url(args)
    if url.startswith("sqlite"):
        path = Path(sqlite_path_from_url(url))
        kind = check_sqlite(path, create=True)  # refuses a text file or another program's db
        _check_disk(path.parent, args.patients)
        if kind is Kind.MEDOFFICE and not args.force:
            raise DatabaseRefused(
                "that database already holds a practice; use --force to replace it"
            )
        if args.force:  # only ever a medoffice database (or an empty file) is deleted
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    database = open_db(args, create=True)
    if demo.has_data() and not args.force:
        print(
            "error: that database already holds a practice; use --force to replace it",
            file=sys.stderr,
        )
        return 2
    if args.force and not url.startswith("sqlite"):
        demo.clear_all()
    today = args.today or clock.today()
    with progress_callback("Building demo practice", quiet=args.quiet) as progress:
        summary = demo.build_demo(
            patients=args.patients, seed=args.seed, today=today, progress=progress
        )
    database.close()
    print(summary.describe())
    return 0
