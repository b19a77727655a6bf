"""The ``medoffice`` console script: decide what may be imported, then run the CLI.

Peewee imports a PostgreSQL driver at its own import whenever one is installed
(the ``postgres`` extra): about 70 ms of a half-second start, spent on every SQLite
run, where it is never used. Before anything imports Peewee, this looks at the
command line and ``MEDOFFICE_DB``; if nothing there names PostgreSQL, the drivers
are marked absent for this process (``sys.modules[name] = None``, which makes
``import psycopg`` raise ImportError as Peewee expects when a driver is missing).
A run that does name PostgreSQL imports them as usual.

When the command line opens the full-screen app (no command, or ``run``), the
cyclic garbage collector is paused until the first screen is drawn
(:func:`resume_gc`, called by the app). Importing Textual, Peewee and the app
builds a few hundred thousand objects and almost no garbage, yet the collector
walks all of them again and again while they are built: about a tenth of the
start (measured: 22 ms in the imports and one 27 ms full collection just before
the first frame). Once the screen is up they are moved out of the collector's way
(``gc.freeze``: later collections, while the desk types, skip them) and collection
resumes. Every other command runs with the collector as usual.

The app's connections also get a smaller SQLite page cache than the commands'
(``db.connection.APP_CACHE_KIB``): its reads are a page of indexed rows at a time.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping, Sequence

#: the driver modules Peewee tries at import
POSTGRES_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")

#: options before the command that take a value (``--db PATH``): the value is not the command
VALUE_OPTIONS = frozenset({"--db", "--db-url", "--today", "--theme"})

#: set while this module holds the collector paused for the app's start
_gc_paused = False


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


def opens_the_app(argv: Sequence[str]) -> bool:
    """Does this command line open the full-screen app (no command, or ``run``)?

    Only a sure yes counts: a first word that is not ``run`` is some other command
    (or a mistake argparse will report), and ``--help`` / ``--version`` draw nothing."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help", "--version"):
            return False
        if arg in VALUE_OPTIONS:
            next(args, None)
            continue
        if arg.startswith("-"):
            continue  # a flag, or --option=value
        return arg == "run"
    return True


_keeps_built = False


def pause_gc() -> None:
    """Pause the cyclic collector for the app's start (see the module docstring)."""
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> bool:
    """The first screen is drawn: keep what the start built out of later collections
    and let the collector run again. Returns whether it had been paused here."""
    global _gc_paused, _keeps_built
    if not _gc_paused:
        return False
    _gc_paused = False
    _keeps_built = True
    gc.freeze()
    gc.set_threshold(*APP_GC_THRESHOLDS)
    gc.enable()
    return True


#: the collector's thresholds in the app: young collections a seventh as often as
#: Python's default (700, 10, 10), each still a few milliseconds; a full collection
#: only after 20 of those (with ``collect_when_idle`` doing the usual ones)
APP_GC_THRESHOLDS = (5000, 10, 20)


def collects_when_idle() -> bool:
    """Does the app collect its garbage when idle (the app's run, after ``resume_gc``)?"""
    return _keeps_built


def collect_garbage() -> int:
    """A full collection, for a moment when nobody is waiting (the app has been idle).

    A closed form or screen leaves its widgets behind as cycles (parent and child
    point at each other) that only a full collection frees: 50-120 ms for a form's
    worth on this 2-core box. Left to the collector's counts it came every two or
    three forms, inside the key that opened the next one."""
    return gc.collect()


def keep_built() -> None:
    """What the app built to keep (a pane on its first show, the modules imported
    while the desk signed in) is moved out of the collector's way too, as at the start.

    Left in, every full collection walks it again: with the four panes up that is
    hundreds of thousands of objects, and opening a form (thousands of new objects)
    set one off every few opens, 60-100 ms on this 2-core box, in the key's frame.
    Only in the app (after ``resume_gc``): tests and commands collect as usual."""
    if _keeps_built:
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not names_postgres(args, os.environ):
        skip_postgres_drivers()
    if opens_the_app(args):
        pause_gc()
        from medoffice_tui.db import connection

        connection.set_page_cache(connection.APP_CACHE_KIB)
    try:
        from medoffice_tui.cli import main as cli_main

        return cli_main(args)
    finally:
        resume_gc()  # the app never drew (an error before its first screen): as usual
