"""Engine-specific pieces, one module per engine behind one interface.

This package is the only place with SQL that differs between SQLite and
PostgreSQL. Everything else goes through Peewee's portable query builder.

Each engine module provides:

- ``install_guards(database)``: database-enforced rules (the appointment
  overlap guard) created by a migration;
- ``restore_after_migration(database)``: re-create anything a table rebuild
  may have dropped (SQLite < 3.53 drops triggers on rebuild);
- ``is_overlap_error(exc)``: does this IntegrityError come from the guard?
- ``lock_for_migrations(database)``: a context manager serialising upgrades
  across processes;
- ``reset_sequences(database, tables)``: after bulk inserts with explicit ids;
- ``backup(database, dest)``: a consistent copy while others keep working.
"""

from __future__ import annotations

from types import ModuleType

from peewee import Database

from medoffice_tui.db.connection import engine_name


def engine_for(database: Database | None = None) -> ModuleType:
    name = engine_name(database)
    if name == "sqlite":
        from medoffice_tui.db.engines import sqlite

        return sqlite
    from medoffice_tui.db.engines import postgres

    return postgres
