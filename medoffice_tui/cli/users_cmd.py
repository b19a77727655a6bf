"""``medoffice users add|passwd|disable|enable|unlock|list``: staff accounts.

The command line acts as the built-in system account (recorded in the audit trail
with the OS login that ran it). A password is read without echo, asked twice, or
taken from one line of standard input with ``--password-stdin`` (for scripts); it is
never a command-line argument, where ``ps`` and shell history would show it.
"""

from __future__ import annotations

import argparse

from medoffice_tui.cli.common import cli_actor, db_options, open_db, read_password
from medoffice_tui.db.models import ROLE_NAMES


def add_parser(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser(
        "users", help="staff accounts: add, passwd, disable, enable, unlock, list"
    )
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="every staff account with its role and state")
    db_options(listing)

    add = actions.add_parser("add", help="create a staff account")
    db_options(add)
    add.add_argument("username", help="sign-in name: letters, digits, . _ - (kept lower-case)")
    add.add_argument("--name", required=True, metavar="FULL_NAME", help="the person's full name")
    add.add_argument("--role", required=True, choices=ROLE_NAMES, help="what they may do")
    add.add_argument("--os-login", metavar="LOGIN", help="OS login mapped for SSH sign-in")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    passwd = actions.add_parser("passwd", help="set a new password (clears a lockout)")
    db_options(passwd)
    passwd.add_argument("username", help="the account")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    for name, text in (
        ("disable", "stop an account signing in (its history stays)"),
        ("enable", "let a disabled account sign in again"),
        ("unlock", "lift a lockout after too many failed sign-ins"),
    ):
        action = actions.add_parser(name, help=text)
        db_options(action)
        action.add_argument("username", help="the account")
    users.set_defaults(handler=cmd_users)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)  # fmt: skip


def cmd_users(args: argparse.Namespace) -> int:
    from medoffice_tui import clock
    from medoffice_tui.services import staff

    open_db(args)
    actor = cli_actor()
    command = args.users_command
    if command == "list":
        now = clock.now()
        rows = [["USERNAME", "NAME", "ROLE", "STATE", "LAST SIGN-IN", "OS LOGIN"]]
        for row in staff.list_staff(actor):
            last = row.last_login_at.strftime("%Y-%m-%d %H:%M") if row.last_login_at else "never"
            rows.append(
                [row.username, row.full_name, row.role_label, row.state(now), last, row.os_login]
            )
        print(_table(rows))
        return 0
    if command == "add":
        password = read_password(from_stdin=args.password_stdin)
        row = staff.add_user(
            actor, args.username, args.name, args.role, password, os_login=args.os_login
        )
        print(f"added {row.username} ({row.role_label})")
        return 0
    if command == "passwd":
        password = read_password(from_stdin=args.password_stdin, prompt="New password: ")
        staff.set_password(actor, args.username, password)
        print(f"password changed for {staff.normalize_username(args.username)}")
        return 0
    if command in ("disable", "enable"):
        row = staff.set_active(actor, args.username, command == "enable")
        print(f"{row.username} is {row.state(clock.now())}")
        return 0
    row = staff.unlock_account(actor, args.username)
    print(f"{row.username} is {row.state(clock.now())}")
    return 0
