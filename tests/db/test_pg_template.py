"""The per-process PostgreSQL template (tests/pg_template.py) hands each test a fresh practice."""

from __future__ import annotations

import peewee
import pytest

from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.write_guard import writing_as
from tests.conftest import PG_SKIP_REASON, PG_URL
from tests.pg_template import PgTemplate

pytestmark = pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)


def _state(url: str) -> tuple:
    database = open_database(url)
    try:
        roles = database.execute_sql("SELECT id, name FROM role ORDER BY id").fetchall()
        patients = database.execute_sql("SELECT count(*) FROM patient").fetchone()[0]
        migrations = database.execute_sql("SELECT count(*) FROM schema_migration").fetchone()[0]
        return roles, patients, migrations
    finally:
        close_database()


def test_rows_written_by_one_test_are_gone_for_the_next_and_ids_start_again() -> None:
    template = PgTemplate(PG_URL)
    try:
        url = template.checkout()
        fresh = _state(url)
        database = open_database(url)
        with writing_as("test:fixture"):
            database.execute_sql("INSERT INTO role (name, description) VALUES ('x', 'y')")
            first_id = database.execute_sql("SELECT max(id) FROM role").fetchone()[0]
            database.execute_sql("DELETE FROM schema_migration WHERE name LIKE '0013%%'")
        close_database()
        assert _state(url) != fresh

        noted = template.fresh
        again = template.checkout()
        assert template.fresh is noted  # emptied back, not migrated anew...
        assert again != url  # ...under a new name: the last test's stragglers lose it
        assert _state(again) == fresh
        database = open_database(url)
        with pytest.raises(peewee.ProgrammingError):
            database.execute_sql("SELECT count(*) FROM role")
        close_database()
        database = open_database(again)
        with writing_as("test:fixture"):
            database.execute_sql("INSERT INTO role (name, description) VALUES ('x', 'y')")
            assert database.execute_sql("SELECT max(id) FROM role").fetchone()[0] == first_id
        close_database()
    finally:
        template.close()


def test_a_test_that_changed_the_schema_leaves_it_to_be_migrated_anew() -> None:
    template = PgTemplate(PG_URL)
    try:
        url = template.checkout()
        fresh = _state(url)
        database = open_database(url)
        database.execute_sql("ALTER TABLE role ADD COLUMN extra integer")
        close_database()

        noted = template.fresh
        again = template.checkout()
        assert template.fresh is not noted  # migrated anew
        assert _state(again) == fresh
        database = open_database(again)
        columns = [c.name for c in database.get_columns("role")]
        close_database()
        assert "extra" not in columns
    finally:
        template.close()
