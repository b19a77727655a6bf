"""Several practices in one PostgreSQL database, a schema each: dropping one never weakens
another (the extensions the guards use live in ``public``)."""

from __future__ import annotations

import uuid

import pytest

from medoffice_tui.db.connection import close_database, make_database, open_database
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.write_guard import writing_as
from tests.conftest import PG_SKIP_REASON, PG_URL


@pytest.mark.serial  # moves the shared btree_gist for a moment: no other test may migrate
@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_dropping_one_practice_schema_keeps_the_others_guard() -> None:
    admin = make_database(PG_URL)
    admin.connect()
    site_a, site_b = (f"site_{uuid.uuid4().hex[:8]}" for _ in range(2))
    sep = "&" if "?" in PG_URL else "?"
    try:
        for schema in (site_a, site_b):
            admin.execute_sql(f'CREATE SCHEMA "{schema}"')
            database = open_database(f"{PG_URL}{sep}schema={schema}")
            upgrade(database)
            assert engine_for(database).engine_objects() == set(engine_for(database).ENGINE_OBJECTS)
            close_database()
        # as an older version left it: btree_gist inside the first practice's schema
        admin.execute_sql(f'ALTER EXTENSION btree_gist SET SCHEMA "{site_a}"')
        with writing_as("test:fixture"):
            admin.execute_sql(
                f'DELETE FROM "{site_a}".schema_migration WHERE name = %s',
                ("0011_shared_extensions",),
            )
        database = open_database(f"{PG_URL}{sep}schema={site_a}")
        assert upgrade(database) == ["0011_shared_extensions"]  # moves it back to public
        close_database()
        where = dict(
            admin.execute_sql(
                "SELECT extname, extnamespace::regnamespace::text FROM pg_extension "
                "WHERE extname IN ('btree_gist', 'pg_trgm')"
            ).fetchall()
        )
        # pg_trgm is no longer created (typo search is plain tables); where an older
        # version made it, it was moved to public too
        assert where.pop("btree_gist") == "public"
        assert where in ({}, {"pg_trgm": "public"})
        admin.execute_sql(f'DROP SCHEMA "{site_a}" CASCADE')
        database = open_database(f"{PG_URL}{sep}schema={site_b}")
        engine = engine_for(database)
        assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)  # guard and index intact
        close_database()
    finally:
        close_database()
        for schema in (site_a, site_b):
            admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()
