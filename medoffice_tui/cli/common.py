"""What every ``medoffice`` command shares: --db/--db-url/--today, opening the database,
the system actor the command line acts as, and reading a password safely."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from medoffice_tui.config import ENV_DB, resolve_db_url


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


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


def open_db(args: argparse.Namespace, *, migrate: bool = True):  # noqa: ANN201 - peewee Database
    """Open (and by default upgrade) the database the command names; pin --today."""
    from medoffice_tui import clock
    from medoffice_tui.db import open_database
    from medoffice_tui.db.migrate import upgrade
    from medoffice_tui.services.practice import load_practice_settings

    database = open_database(db_url(args))
    if migrate:
        upgrade(database)
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
