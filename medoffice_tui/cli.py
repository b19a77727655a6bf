"""The ``medoffice`` command: open the app (default) or run an admin command.

Every command accepts ``--db PATH`` / ``--db-url URL`` (or ``MEDOFFICE_DB``).
Heavy imports (Textual, Rich) happen only in the command that needs them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from peewee import DatabaseError, OperationalError

from medoffice_tui import __version__, clock
from medoffice_tui.config import ENV_DB, resolve_db_url


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _db_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--db / --db-url / --today, accepted before or after the command name."""
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("database")
    group.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help=f"SQLite database file (default: ${ENV_DB}, else the user data dir)",
    )
    group.add_argument(
        "--db-url",
        metavar="URL",
        default=default,
        help="database URL: sqlite:///PATH or postgresql://user@host:port/dbname",
    )
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        default=default,
        help="pretend today is this date (demos, training, tests)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medoffice",
        description=(
            "Keyboard-driven front-desk workstation: schedule, patients, claims, stock. "
            "With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"medoffice {__version__}")
    _db_options(parser, top=True)
    parser.add_argument(
        "--user", default="frontdesk", help="signed-in user name shown in the header"
    )
    mouse = parser.add_mutually_exclusive_group()
    mouse.add_argument(
        "--mouse",
        dest="mouse",
        action="store_true",
        default=None,
        help="turn mouse reporting on (default: on, except over SSH)",
    )
    mouse.add_argument(
        "--no-mouse", dest="mouse", action="store_false", help="turn mouse reporting off"
    )
    parser.add_argument(
        "--theme",
        default="medoffice",
        help="colour theme: medoffice (16-colour safe, default), textual-dark, ansi-dark, ...",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="open the app (the default)")
    _db_options(run, top=False)

    demo = sub.add_parser(
        "demo",
        help="build a realistic demo practice",
        description="Build a deterministic demo practice: providers, schedule, patients, "
        "insurance, claims in every status and aging bucket, supplies with lots.",
    )
    _db_options(demo, top=False)
    demo.add_argument(
        "--patients",
        type=_positive_int,
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

    dbcmd = sub.add_parser("db", help="database administration: upgrade, status, copy")
    dbsub = dbcmd.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser("upgrade", help="apply pending schema migrations")
    _db_options(up, top=False)
    st = dbsub.add_parser("status", help="list applied and pending migrations")
    _db_options(st, top=False)
    cp = dbsub.add_parser(
        "copy",
        help="copy a whole practice between databases (SQLite <-> PostgreSQL)",
        description="Copy every table from one database to another, in one transaction on "
        "the target, then verify row counts and checksums. The target must be empty.",
    )
    cp.add_argument("--from", dest="source", required=True, metavar="URL", help="source URL")
    cp.add_argument("--to", dest="target", required=True, metavar="URL", help="target URL")
    cp.add_argument("--quiet", action="store_true", help="no progress bar")

    backup = sub.add_parser(
        "backup",
        help="write a consistent backup while others keep working",
        description="SQLite: VACUUM INTO a new file. PostgreSQL: pg_dump --format=custom.",
    )
    _db_options(backup, top=False)
    backup.add_argument("dest", metavar="FILE", help="backup file to write")
    return parser


def _url(args: argparse.Namespace) -> str:
    return resolve_db_url(getattr(args, "db", None), getattr(args, "db_url", None))


def _open(args: argparse.Namespace, *, migrate: bool = True):  # noqa: ANN202 - peewee Database
    from medoffice_tui.db import open_database
    from medoffice_tui.db.migrate import upgrade

    database = open_database(_url(args))
    if migrate:
        upgrade(database)
    return database


def cmd_run(args: argparse.Namespace) -> int:
    from medoffice_tui.config import AppConfig, mouse_enabled
    from medoffice_tui.services.practice import load_practice_settings

    _open(args)
    load_practice_settings()
    if args.today:
        clock.pin(today=args.today)
    config = AppConfig(
        db_url=_url(args),
        user=args.user,
        mouse=mouse_enabled() if args.mouse is None else args.mouse,
        theme=args.theme,
    )
    from medoffice_tui.ui.app import MedofficeApp

    MedofficeApp(config).run(mouse=config.mouse)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from medoffice_tui import demo
    from medoffice_tui.db.connection import sqlite_path_from_url
    from medoffice_tui.ui.progress import progress_callback

    url = _url(args)
    if url.startswith("sqlite") and args.force:
        path = Path(sqlite_path_from_url(url))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    database = _open(args)
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


def cmd_db(args: argparse.Namespace) -> int:
    from medoffice_tui.db import migrate

    if args.db_command == "copy":
        from medoffice_tui.db.copy import copy_database
        from medoffice_tui.ui.progress import progress_callback

        with progress_callback("Copying", quiet=args.quiet) as progress:
            report = copy_database(args.source, args.target, progress=progress)
        print(report.describe())
        return 0
    database = _open(args, migrate=False)
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

    database = _open(args)
    dest = Path(args.dest)
    engine_for(database).backup(database, dest)
    print(f"backup written: {dest} ({dest.stat().st_size:,} bytes)")
    return 0


COMMANDS = {"run": cmd_run, "demo": cmd_demo, "db": cmd_db, "backup": cmd_backup}


def database_error_message(exc: Exception) -> str:
    """A one-line message for a database failure that never repeats row data.

    Connection problems (server down, wrong host, unreadable file) say what the
    driver said on its first line; anything else names only the kind of error,
    because constraint messages can quote the values of a row.
    """
    if isinstance(exc, OperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot use the database: {first}"
    return f"the database refused the operation ({type(exc).__name__}); nothing was changed"


def main(argv: Sequence[str] | None = None) -> int:
    from medoffice_tui.services.errors import DomainError

    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    try:
        return COMMANDS[command](args)
    except (DomainError, ValueError) as exc:
        # messages from our own code are written to be shown; never a traceback with data
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or type(exc).__name__}: {exc.filename or ''}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"error: {database_error_message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
