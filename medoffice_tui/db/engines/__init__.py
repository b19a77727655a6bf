"""Engine-specific pieces, one module per engine behind one interface (``base.Engine``).

This package is the only place with SQL that differs between SQLite and PostgreSQL.
Everything else goes through Peewee's portable query builder, or asks
``engine_for(database)`` for the engine bound to that database.
"""

from __future__ import annotations

from peewee import Database

from medoffice_tui.db.connection import engine_name
from medoffice_tui.db.engines.base import Engine

__all__ = ["Engine", "engine_for"]

_ATTR = "_medoffice_engine"


def engine_for(database: Database | None = None) -> Engine:
    """The engine bound to ``database`` (default: the one the proxy is bound to)."""
    from medoffice_tui.db.connection import db

    target = database if database is not None else db.obj
    engine = getattr(target, _ATTR, None)
    if engine is None:
        if engine_name(target) == "sqlite":
            from medoffice_tui.db.engines.sqlite import SqliteEngine

            engine = SqliteEngine(target)
        else:
            from medoffice_tui.db.engines.postgres import PostgresEngine

            engine = PostgresEngine(target)
        setattr(target, _ATTR, engine)
    return engine
