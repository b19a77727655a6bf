"""The ``medoffice`` console script: decide what may be imported, then run the CLI.

Peewee imports a PostgreSQL driver at its own import whenever one is installed
(the ``postgres`` extra): about 70 ms of a half-second start, spent on every SQLite
run, where it is never used. Before anything imports Peewee, this looks at the
command line and ``MEDOFFICE_DB``; if nothing there names PostgreSQL, the drivers
are marked absent for this process (``sys.modules[name] = None``, which makes
``import psycopg`` raise ImportError as Peewee expects when a driver is missing).
A run that does name PostgreSQL imports them as usual.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

#: the driver modules Peewee tries at import
POSTGRES_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


def names_postgres(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Could this run use PostgreSQL? (Any argument or MEDOFFICE_DB mentioning it.)"""
    from_env = environ.get("MEDOFFICE_DB", "")
    return any("postgres" in arg.lower() for arg in (*argv, from_env))


def skip_postgres_drivers() -> bool:
    """Mark the drivers absent unless Peewee (or a driver) is imported already."""
    if "peewee" in sys.modules or any(name in sys.modules for name in POSTGRES_DRIVERS):
        return False
    for name in POSTGRES_DRIVERS:
        sys.modules[name] = None  # type: ignore[assignment]
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not names_postgres(args, os.environ):
        skip_postgres_drivers()
    from medoffice_tui.cli import main as cli_main

    return cli_main(args)
