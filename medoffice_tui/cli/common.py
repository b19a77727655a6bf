"""What every ``medoffice`` command shares: --db/--db-url/--today, opening the database,
the system actor the command line acts as, and reading a password safely."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from medoffice_tui.config import ENV_DB, resolve_db_url

#: the years the app's dates are meant for (a typo like 9999 would overflow date maths)
FIRST_YEAR, LAST_YEAR = 1900, 2199


def date_arg(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"the year must be between {FIRST_YEAR} and {LAST_YEAR}, got {value.year}"
        )
    return value


def count_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def db_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
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
        type=date_arg,
        metavar="YYYY-MM-DD",
        default=default,
        help="pretend today is this date (demos, training, tests)",
    )


def db_url(args: argparse.Namespace) -> str:
    return resolve_db_url(getattr(args, "db", None), getattr(args, "db_url", None))


def open_db(args: argparse.Namespace, *, migrate: bool = True, create: bool = False):  # noqa: ANN201 - peewee Database
    """Open the database the command names, after checking it may be used
    (``db/opening.py``): an existing medoffice database, not from a newer app; only
    ``create`` (``init``, ``demo``) may start a new one. Upgrades it unless
    ``migrate=False``; pins ``--today``."""
    from medoffice_tui import clock
    from medoffice_tui.db import migrate as migrations
    from medoffice_tui.db import open_database
    from medoffice_tui.db.connection import sqlite_path_from_url
    from medoffice_tui.db.opening import DatabaseRefused, check_sqlite, check_version
    from medoffice_tui.services.practice import load_practice_settings

    url = db_url(args)
    if url.startswith("sqlite"):
        path = sqlite_path_from_url(url)
        if path != ":memory:":
            check_sqlite(path, create=create)
    database = open_database(url)
    applied = migrations.applied(database)
    if not applied and not create:
        database.close()
        raise DatabaseRefused(
            "there is no practice in that database: create one with 'medoffice init' "
            "(or 'medoffice demo' to try it out)"
        )
    check_version(applied, migrations.all_migrations())
    if migrate:
        migrations.upgrade(database)
        load_practice_settings()
    if getattr(args, "today", None):
        clock.pin(today=args.today)
    return database


def os_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def cli_actor():  # noqa: ANN201 - an Actor
    """The command line acts as the built-in system account, noting the OS login."""
    from medoffice_tui.services.staff import system_actor

    return system_actor(via=f"cli:{os_login()}")


def read_password(*, from_stdin: bool, prompt: str = "Password: ", confirm: bool = True) -> str:
    """A password without echo (asked twice), or one line of standard input for scripts."""
    from medoffice_tui.errors import InvalidInput

    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise InvalidInput("the two passwords differ")
    return first
