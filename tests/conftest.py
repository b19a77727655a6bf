"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL.

Every test that takes ``database`` runs twice: once on a new SQLite file and once
on PostgreSQL in a schema of its own, when ``MEDOFFICE_TEST_PG`` holds a URL.
Without it the PostgreSQL runs are skipped and the reason is printed (``-ra``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from medoffice_tui import clock
from medoffice_tui.db.connection import close_database, make_database, open_database
from medoffice_tui.db.migrate import upgrade
from tests.pg_template import PgTemplate

PG_URL = os.environ.get("MEDOFFICE_TEST_PG", "").strip()
PG_SKIP_REASON = "PostgreSQL run skipped: set MEDOFFICE_TEST_PG=postgresql://user@host:port/db"

#: the date every deterministic test and snapshot pretends is today
FROZEN_TODAY = dt.date(2026, 11, 23)
FROZEN_NOW = dt.datetime(2026, 11, 23, 10, 30)


def _pg_admin() -> Database:
    return make_database(PG_URL)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    return request.param


@pytest.fixture
def db_url(engine: str, tmp_path) -> Iterator[str]:
    """A URL to an empty database of the requested engine (not migrated)."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    yield from pg_schema_url()


def pg_schema_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    admin.connect()
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    admin.close()
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}schema={schema}"
    finally:
        close_database()
        admin.connect()
        admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL with a schema of its own (skipped without MEDOFFICE_TEST_PG)."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    yield from pg_schema_url()


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    clock.pin(now=FROZEN_NOW)
    yield
    clock.pin()


@pytest.fixture(scope="session")
def _sqlite_migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to the latest schema, copied for each test that wants a
    fresh practice (migrating costs about a second; copying the file, milliseconds)."""
    path = tmp_path_factory.mktemp("migrated") / "fresh.db"
    database = open_database(f"sqlite:///{path}")
    try:
        upgrade(database)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        close_database()
    return path


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[PgTemplate | None]:
    """This test process's migrated PostgreSQL schema (tests/pg_template.py)."""
    if not PG_URL:
        yield None
        return
    template = PgTemplate(PG_URL)
    yield template
    template.close()


def _fresh_sqlite(template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.db"
    shutil.copy(template, path)  # the mode too: the template is owner-only
    return f"sqlite:///{path}"


@pytest.fixture
def migrated_url(
    engine: str,
    tmp_path: Path,
    _sqlite_migrated: Path,
    _pg_template: PgTemplate | None,
) -> Iterator[str]:
    """A URL to a freshly migrated, empty database of the requested engine (not opened):
    the one ``database`` opens, for tests that also hand it to other processes."""
    if engine == "sqlite":
        yield _fresh_sqlite(_sqlite_migrated, tmp_path)
        return
    assert _pg_template is not None
    url = _pg_template.checkout()
    try:
        yield url
    finally:
        close_database()
        _pg_template.release()


@pytest.fixture
def database(migrated_url: str, frozen_clock: None) -> Iterator[Database]:
    """A freshly migrated, empty database bound to the proxy, on each engine."""
    database = open_database(migrated_url)
    upgrade(database)  # nothing to apply: checks the copy is at the latest schema
    yield database
    close_database()


@pytest.fixture
def sqlite_database(
    tmp_path: Path, frozen_clock: None, _sqlite_migrated: Path
) -> Iterator[Database]:
    """SQLite only, for tests of SQLite-specific behaviour."""
    database = open_database(_fresh_sqlite(_sqlite_migrated, tmp_path))
    upgrade(database)
    yield database
    close_database()


# ------------------------------------------------------------------- staff

_TEST_PASSWORD = "test-password"
_test_hash: str | None = None


def fixture_password_hash() -> str:
    """One argon2 hash for every fixture account (hashing costs ~30 ms a time)."""
    global _test_hash
    if _test_hash is None:
        from medoffice_tui.services.staff import hash_password

        _test_hash = hash_password(_TEST_PASSWORD)
    return _test_hash


def make_staff(database: Database) -> dict:
    """One account per role in the bound database: role name -> Actor."""
    from medoffice_tui.db.models import ROLE_NAMES, User
    from medoffice_tui.db.seed import ensure_roles
    from medoffice_tui.db.write_guard import writing_as
    from medoffice_tui.services.actor import Actor

    actors = {}
    with writing_as("test:fixture"):
        roles = ensure_roles(database)
        for role in ROLE_NAMES:
            username = f"t_{role}"
            user_id = User.insert(
                username=username,
                full_name=f"Test {role.replace('_', ' ').title()}",
                role=roles[role],
                password_hash=fixture_password_hash(),
            ).execute()
            actors[role] = Actor(user_id, username, f"Test {role}", role)
    return actors


@pytest.fixture
def staff(database: Database) -> dict:
    """role name -> Actor, for calling service writes as each role."""
    return make_staff(database)


@pytest.fixture
def desk(staff: dict):  # noqa: ANN201 - an Actor
    """A front-desk user (the role most writes are made as)."""
    return staff["front_desk"]


@pytest.fixture
def manager(staff: dict):  # noqa: ANN201 - an Actor
    return staff["manager"]


@pytest.fixture
def fixture_writes() -> Iterator[None]:
    """Let a test write rows straight through the models (fixture data, damage)."""
    from medoffice_tui.db.write_guard import writing_as

    with writing_as("test:fixture"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_error_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never write into the real user's error log."""
    from medoffice_tui.errorlog import ENV_LOG_DIR

    old = os.environ.get(ENV_LOG_DIR)
    os.environ[ENV_LOG_DIR] = str(tmp_path_factory.mktemp("error-log"))
    yield
    if old is None:
        os.environ.pop(ENV_LOG_DIR, None)
    else:
        os.environ[ENV_LOG_DIR] = old


def init_practice(path, monkeypatch, manager: str = "boss", password: str = "boss-pass-123"):  # noqa: ANN001, ANN201
    """A new practice made the way an office makes one: ``medoffice init``."""
    import io
    import sys

    from medoffice_tui import cli

    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    argv = ["init", "--db", str(path), "--practice-name", "Test Clinic", "--manager", manager,
            "--manager-name", "Bea Boss", "--password-stdin"]  # fmt: skip
    assert cli.main(argv) == 0
    close_database()
    return path
