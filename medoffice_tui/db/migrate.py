"""Numbered schema migrations (``playhouse.migrations``), safe with many processes.

``upgrade()`` takes a cross-process lock (a file lock on SQLite, an advisory
lock on PostgreSQL), applies whatever is pending in order, each in its own
transaction, then restores anything an SQLite table rebuild dropped.
"""

from __future__ import annotations

from pathlib import Path

from peewee import Database
from playhouse.migrations import Migration, Runner

from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.write_guard import writing_as

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def runner(database: Database) -> Runner:
    return Runner(database, str(MIGRATIONS_DIR))


def all_migrations() -> list[str]:
    return [m.name for m in Migration.load_directory(str(MIGRATIONS_DIR))]


def pending(database: Database) -> list[str]:
    return [m.name for m in runner(database).status() if m.applied is None and m.path]


def applied(database: Database) -> list[str]:
    return [m.name for m in runner(database).status() if m.applied is not None]


def upgrade(database: Database, target: str | None = None) -> list[str]:
    """Apply pending migrations (up to ``target``). Returns the names applied."""
    engine = engine_for(database)
    with writing_as("system:migration"), engine.lock_for_migrations():
        done = runner(database).up(target)
        engine.restore_after_migration()
    return done
