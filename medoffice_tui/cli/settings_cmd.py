"""``medoffice settings show|set``: the practice's desk settings."""

from __future__ import annotations

import argparse

from medoffice_tui.cli.common import cli_actor, db_options, open_db

KEYS = {
    "idle-lock-minutes": "idle_lock_minutes",
    "ssh-login-map": "ssh_login_map",
    "file-group": "file_group",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    settings = sub.add_parser("settings", help="practice settings: idle lock, SSH sign-in, ...")
    actions = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="every setting and its value")
    db_options(show)
    put = actions.add_parser("set", help="change one setting")
    db_options(put)
    put.add_argument("key", choices=sorted(KEYS), help="the setting")
    put.add_argument("value", help="minutes; on/off; an OS group name ('' for none)")
    settings.set_defaults(handler=cmd_settings)


def cmd_settings(args: argparse.Namespace) -> int:
    from medoffice_tui.services import practice

    open_db(args)
    if args.settings_command == "set":
        practice.update_settings(cli_actor(), **{KEYS[args.key]: args.value})
    info = practice.get_practice()
    print(f"idle-lock-minutes  {info.idle_lock_minutes}")
    print(f"ssh-login-map      {'on' if info.ssh_login_map else 'off'}")
    print(f"file-group         {info.file_group or '(none: files are owner-only)'}")
    return 0
