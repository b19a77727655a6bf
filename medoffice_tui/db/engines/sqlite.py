"""SQLite-only SQL: the overlap guard as triggers, migration lock, backups."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from peewee import Database, IntegrityError

OVERLAP_MESSAGE = "appointment_overlap"

# A live appointment is any not cancelled and not a no-show.
_LIVE = "status NOT IN ('cancelled', 'no_show')"

OVERLAP_TRIGGERS = {
    "appointment_no_overlap_insert": f"""
CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_insert
BEFORE INSERT ON appointment
WHEN NEW.{_LIVE} AND EXISTS (
    SELECT 1 FROM appointment a
    WHERE a.provider_id = NEW.provider_id AND a.{_LIVE}
      AND a."start" < NEW."end" AND a."end" > NEW."start")
BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END
""",
    "appointment_no_overlap_update": f"""
CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_update
BEFORE UPDATE OF "start", "end", provider_id, status ON appointment
WHEN NEW.{_LIVE} AND EXISTS (
    SELECT 1 FROM appointment a
    WHERE a.id <> NEW.id AND a.provider_id = NEW.provider_id AND a.{_LIVE}
      AND a."start" < NEW."end" AND a."end" > NEW."start")
BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END
""",
}


def install_guards(database: Database) -> None:
    for ddl in OVERLAP_TRIGGERS.values():
        database.execute_sql(ddl)


def restore_after_migration(database: Database) -> list[str]:
    """Re-create guard triggers a table rebuild dropped. Returns the names restored."""
    existing = {
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    }
    if "appointment" not in database.get_tables():
        return []
    restored = []
    for name, ddl in OVERLAP_TRIGGERS.items():
        if name not in existing:
            database.execute_sql(ddl)
            restored.append(name)
    return restored


def guard_names(database: Database) -> set[str]:
    rows = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r[0] for r in rows.fetchall()} & set(OVERLAP_TRIGGERS)


def is_overlap_error(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityError) and OVERLAP_MESSAGE in str(exc)


@contextlib.contextmanager
def lock_for_migrations(database: Database) -> Iterator[None]:
    """An exclusive file lock beside the database file (no-op for :memory:)."""
    path = database.database
    if not path or path == ":memory:":
        yield
        return
    lock_path = Path(str(path) + ".migrate-lock")
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def backup(database: Database, dest: Path) -> None:
    """Consistent online copy with VACUUM INTO (to a temp name, then renamed)."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    database.execute_sql("VACUUM INTO ?", (str(tmp),))
    tmp.replace(dest)


def reset_sequences(database: Database, tables: list[str]) -> None:
    """SQLite's INTEGER PRIMARY KEY continues from max(id) by itself."""
