"""``medoffice init``: a new practice database with its first manager account.

The only way (besides ``medoffice demo``) a new practice file comes to exist: every
other command refuses a missing database rather than starting an empty one by
accident. Asks for what it is not given; ``--password-stdin`` reads the manager's
password from standard input for scripts.
"""

from __future__ import annotations

import argparse
import sys

from medoffice_tui.cli.common import cli_actor, db_options, db_url, open_db, read_password


def add_parser(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser(
        "init",
        help="create a new practice database and its first manager account",
        description="Create a new, empty practice: the database (owner-only), its schema, "
        "the practice record and a first manager account. Refuses a database that "
        "already holds a practice, and any file that is not a medoffice database.",
    )
    db_options(init)
    init.add_argument("--practice-name", metavar="NAME", help="the practice's name")
    init.add_argument("--time-zone", default="America/Chicago", metavar="TZ",
                      help="IANA time zone of the practice (default America/Chicago)")  # fmt: skip
    init.add_argument("--manager", metavar="USERNAME", help="the first manager's username")
    init.add_argument("--manager-name", metavar="FULL_NAME", help="the first manager's name")
    init.add_argument(
        "--password-stdin", action="store_true", help="read the manager's password from stdin"
    )
    init.set_defaults(handler=cmd_init)


def _ask(value: str | None, prompt: str) -> str:
    if value:
        return value
    if not sys.stdin.isatty():
        from medoffice_tui.errors import InvalidInput

        raise InvalidInput(f"{prompt.rstrip(': ')} is needed (give it as an option)")
    return input(prompt)


def cmd_init(args: argparse.Namespace) -> int:
    from pathlib import Path

    from medoffice_tui import files
    from medoffice_tui.config import default_db_path, path_to_url
    from medoffice_tui.db.connection import sqlite_path_from_url
    from medoffice_tui.db.opening import check_sqlite
    from medoffice_tui.services import practice, staff

    url = db_url(args)
    if url == path_to_url(default_db_path()):
        files.secure_dir(default_db_path().parent)  # the platform's data folder, first time
    if url.startswith("sqlite"):
        check_sqlite(sqlite_path_from_url(url), create=True)  # before asking anything
    name = _ask(args.practice_name, "Practice name: ")
    username = _ask(args.manager, "Manager's username: ")
    full_name = _ask(args.manager_name, "Manager's full name: ")
    staff.check_username(username)
    password = read_password(from_stdin=args.password_stdin, prompt="Manager's password: ")
    staff.check_password(password, username)
    database = open_db(args, create=True)
    actor = cli_actor()
    info = practice.create_practice(actor, name, time_zone=args.time_zone)
    row = staff.add_user(actor, username, full_name, "manager", password)
    database.close()
    where = url.removeprefix("sqlite:///") if url.startswith("sqlite") else "the database"
    print(f"practice {info.name!r} set up in {Path(where) if url.startswith('sqlite') else where}")
    print(f"manager account: {row.username}; sign in with 'medoffice --db ...'")
    return 0
