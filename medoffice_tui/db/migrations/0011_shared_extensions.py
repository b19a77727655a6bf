"""Schema version 11: PostgreSQL extensions live in ``public``, not in a practice's schema.

An earlier upgrade run with a practice's schema first on the search path installed
btree_gist (the overlap guard's operator class) into that schema; dropping that
practice then silently dropped every other practice's guard. This moves btree_gist
and pg_trgm to ``public`` (``ALTER EXTENSION ... SET SCHEMA``: the objects keep their
identity, so the constraints and indexes that use them stay as they are).

SQLite: nothing to do.
"""


def up(migrator, db):
    from medoffice_tui.db.engines import engine_for

    engine = engine_for(db)
    if engine.name == "postgres":
        engine.shared_extensions()
