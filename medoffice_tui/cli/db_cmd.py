"""``medoffice db upgrade|status|copy`` and ``medoffice backup``."""

from __future__ import annotations

import argparse

from medoffice_tui.cli.common import db_options, open_db


def add_parser(sub: argparse._SubParsersAction) -> None:
    dbcmd = sub.add_parser("db", help="database administration: upgrade, status, copy")
    dbsub = dbcmd.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser("upgrade", help="apply pending schema migrations")
    db_options(up)
    st = dbsub.add_parser("status", help="list applied and pending migrations")
    db_options(st)
    cp = dbsub.add_parser(
        "copy",
        help="copy a whole practice between databases (SQLite <-> PostgreSQL)",
        description="Copy every table from one database to another, in one transaction on "
        "the target, then verify row counts and checksums. The target must be empty.",
    )
    cp.add_argument("--from", dest="source", required=True, metavar="URL", help="source URL")
    cp.add_argument("--to", dest="target", required=True, metavar="URL", help="target URL")
    cp.add_argument("--quiet", action="store_true", help="no progress bar")
    dbcmd.set_defaults(handler=cmd_db)

    backup = sub.add_parser(
        "backup",
        help="write a consistent backup while others keep working",
        description="SQLite: VACUUM INTO a new file. PostgreSQL: pg_dump --format=custom. "
        "The backup is readable by its owner only.",
    )
    db_options(backup)
    backup.add_argument("dest", metavar="FILE", help="backup file to write")
    backup.set_defaults(handler=cmd_backup)


def cmd_db(args: argparse.Namespace) -> int:
    from medoffice_tui.db import migrate

    if args.db_command == "copy":
        from medoffice_tui.db.connection import sqlite_path_from_url
        from medoffice_tui.db.copy import CopyError, copy_database
        from medoffice_tui.db.opening import check_sqlite
        from medoffice_tui.ui.progress import progress_callback

        if args.source.strip() == args.target.strip():
            raise CopyError("source and target are the same database")
        if args.source.startswith("sqlite"):
            check_sqlite(sqlite_path_from_url(args.source))  # must exist: never made empty
        if args.target.startswith("sqlite"):
            check_sqlite(sqlite_path_from_url(args.target), create=True)

        with progress_callback("Copying", quiet=args.quiet) as progress:
            report = copy_database(args.source, args.target, progress=progress)
        print(report.describe())
        return 0
    database = open_db(args, migrate=False)
    if args.db_command == "upgrade":
        done = migrate.upgrade(database)
        print("applied: " + ", ".join(done) if done else "schema is up to date")
        return 0
    applied = set(migrate.applied(database))
    for name in migrate.all_migrations():
        print(f"{'applied' if name in applied else 'pending'}  {name}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from medoffice_tui.db.engines import engine_for
    from medoffice_tui.errors import InvalidInput

    dest = Path(args.dest)
    if not dest.parent.is_dir():
        raise InvalidInput(f"the folder {dest.parent} does not exist: create it first")
    if dest.exists():
        raise InvalidInput(f"{dest} exists already: choose a new name (nothing is overwritten)")
    database = open_db(args)
    engine_for(database).backup(dest)
    print(f"backup written: {dest} ({dest.stat().st_size:,} bytes)")
    return 0
