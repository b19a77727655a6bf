"""Which database is this, and may we use it? Decided before anything is written to it.

Opening a SQLite file creates it when it is missing, and migrating adds the app's tables
to whatever file it is given. So every command looks first, reading the file's header
and its table list read-only:

- a missing file, or a missing folder, is an error that says what to do; only
  ``medoffice init`` and ``medoffice demo`` create a practice;
- a file that is not SQLite at all (a text file), and a SQLite file that belongs to
  another program (tables, but no medoffice schema history), are refused untouched;
- a medoffice database written by a newer version of the app is refused with the
  version it has.
"""

from __future__ import annotations

import sqlite3
from enum import Enum
from pathlib import Path

from medoffice_tui.errors import DomainError

SQLITE_HEADER = b"SQLite format 3\x00"
#: the table playhouse.migrations keeps the applied migrations in
HISTORY_TABLE = "schema_migration"
FIRST_MIGRATION = "0001_initial"


class DatabaseRefused(DomainError):
    """The database cannot be used for this command (nothing was changed)."""


class Kind(Enum):
    MISSING = "missing"  # no such file
    EMPTY = "empty"  # a 0-byte file (SQLite's own brand-new database)
    NOT_SQLITE = "not sqlite"
    FOREIGN = "foreign"  # SQLite, but not a medoffice database
    BLANK = "blank"  # SQLite with no tables at all
    MEDOFFICE = "medoffice"


def classify(path: str | Path) -> Kind:
    """What ``path`` is, found without writing to it."""
    target = Path(path)
    if not target.exists():
        return Kind.MISSING
    if target.is_dir():
        return Kind.NOT_SQLITE
    size = target.stat().st_size
    if size == 0:
        return Kind.EMPTY
    with open(target, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return Kind.NOT_SQLITE
    try:
        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    except sqlite3.Error:
        return Kind.NOT_SQLITE
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return Kind.BLANK
        if HISTORY_TABLE not in tables or "practice" not in tables:
            return Kind.FOREIGN
        names = {r[0] for r in con.execute(f'SELECT name FROM "{HISTORY_TABLE}"')}
        return Kind.MEDOFFICE if FIRST_MIGRATION in names else Kind.FOREIGN
    except sqlite3.Error:
        return Kind.NOT_SQLITE
    finally:
        con.close()


def check_sqlite(path: str | Path, *, create: bool = False) -> Kind:
    """Raise DatabaseRefused unless the command may use ``path`` (``create``: it may
    also be made new, as by ``init`` and ``demo``). Returns what the file is."""
    target = Path(path)
    if not target.parent.is_dir():
        raise DatabaseRefused(
            f"the folder {target.parent} does not exist: create it first "
            f"(mkdir -p {target.parent}), or give another --db"
        )
    kind = classify(target)
    if kind is Kind.NOT_SQLITE:
        raise DatabaseRefused(f"{target} is not a SQLite database; it was left as it was")
    if kind is Kind.FOREIGN:
        raise DatabaseRefused(
            f"{target} is another program's SQLite database (no medoffice schema); "
            "it was left as it was"
        )
    if kind in (Kind.MISSING, Kind.EMPTY, Kind.BLANK) and not create:
        raise DatabaseRefused(
            f"there is no practice at {target}: create one with "
            f"'medoffice init --db {target}' (or 'medoffice demo --db {target}' to try it out)"
        )
    return kind


def check_version(applied: list[str], known: list[str]) -> None:
    """Refuse a database that has migrations this program does not know (a newer app)."""
    unknown = [name for name in applied if name not in set(known)]
    if unknown:
        raise DatabaseRefused(
            f"this database was written by a newer medoffice (schema {sorted(unknown)[-1]}; "
            f"this program knows up to {known[-1]}): upgrade the app before using it"
        )
