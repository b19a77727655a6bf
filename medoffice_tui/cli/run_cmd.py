"""``medoffice`` / ``medoffice run``: open the app."""

from __future__ import annotations

import argparse
import os
import sys

from medoffice_tui.cli.common import db_options, db_url, open_db, os_login


def add_parser(sub: argparse._SubParsersAction, parser: argparse.ArgumentParser) -> None:
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
    run = sub.add_parser("run", help="open the app (the default)")
    db_options(run)
    run.set_defaults(handler=cmd_run)


#: how long a lone Esc byte waits for the rest of a key's sequence before it is the Esc
#: key (Textual's default is 100 ms; Neovim's is 50): a key's sequence comes in one
#: write from the terminal, and over SSH in one packet. ``ESCDELAY`` sets it.
ESCAPE_DELAY_MS = "50"


def cmd_run(args: argparse.Namespace) -> int:
    # before Textual is imported (it reads both when it is)
    os.environ.setdefault("ESCDELAY", ESCAPE_DELAY_MS)
    if os.environ.get("SSH_CONNECTION"):
        # nothing moves over SSH: every animation frame is bytes on a thin link
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from medoffice_tui.config import AppConfig, mouse_enabled
    from medoffice_tui.services import staff

    open_db(args)
    if not staff.anyone_can_sign_in():
        print(
            "error: no staff account can sign in to this practice: add one with "
            "'medoffice users add USERNAME --name \"Full Name\" --role manager' "
            "(or rebuild the demo with 'make demo')",
            file=sys.stderr,
        )
        return 2
    actor = None
    if os.environ.get("SSH_CONNECTION"):
        actor = staff.sign_in_from_os(os_login())  # only when the practice turned it on
    config = AppConfig(
        db_url=db_url(args),
        mouse=mouse_enabled() if args.mouse is None else args.mouse,
        theme=args.theme,
        actor=actor,
    )
    from medoffice_tui.db.connection import close_database
    from medoffice_tui.ui.app import MedofficeApp

    try:
        MedofficeApp(config).run(mouse=config.mouse)
    finally:
        close_database()
    return 0
