"""The ``medoffice`` command: open the app (default) or run an admin command.

Every command accepts ``--db PATH`` / ``--db-url URL`` (or ``MEDOFFICE_DB``) and
``--today``. Each command lives in its own module here; heavy imports (Textual,
Rich) happen only in the command that needs them. Every error a user can cause is
one line on stderr and exit status 2, never a traceback (which could show data).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from peewee import DatabaseError, OperationalError

from medoffice_tui import __version__, errorlog, files
from medoffice_tui.cli import (
    audit_cmd,
    check_cmd,
    claims_cmd,
    codes_cmd,
    common,
    db_cmd,
    demo_cmd,
    init_cmd,
    patients_cmd,
    run_cmd,
    schedule_cmd,
    settings_cmd,
    statements_cmd,
    stock_cmd,
    users_cmd,
    x12_cmd,
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
    common.db_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_cmd.add_parser(sub, parser)
    init_cmd.add_parser(sub)
    demo_cmd.add_parser(sub)
    db_cmd.add_parser(sub)
    users_cmd.add_parser(sub)
    audit_cmd.add_parser(sub)
    check_cmd.add_parser(sub)
    settings_cmd.add_parser(sub)
    schedule_cmd.add_parser(sub)
    claims_cmd.add_parser(sub)
    codes_cmd.add_parser(sub)
    statements_cmd.add_parser(sub)
    x12_cmd.add_parser(sub)
    patients_cmd.add_parser(sub)
    stock_cmd.add_parser(sub)
    parser.set_defaults(handler=run_cmd.cmd_run)
    return parser


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
    from medoffice_tui.errors import DomainError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with files.private_umask():
            return int(args.handler(args))
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
    except Exception as exc:  # noqa: BLE001 - the last net: an id, the details in the log
        error_id = errorlog.report(exc, f"medoffice {args.command or 'run'}")
        print(
            f"error: unexpected failure (error {error_id}); details in {errorlog.log_path()}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
