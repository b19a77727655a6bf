"""Opening databases from URLs: SQLite gets pragmas and IMMEDIATE writes, PostgreSQL none."""

from __future__ import annotations

import sqlite3

import pytest

from medoffice_tui.db.connection import (
    DatabaseURLError,
    close_database,
    engine_name,
    make_database,
    open_database,
)
from tests.conftest import PG_SKIP_REASON, PG_URL, pg_schema_url


def test_sqlite_pragmas_in_force(tmp_path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'office.db'}")
    try:

        def pragma(name: str) -> object:
            return database.execute_sql(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10000
        assert pragma("synchronous") == 1  # NORMAL
        assert engine_name() == "sqlite"
    finally:
        close_database()


def test_sqlite_atomic_takes_the_write_lock_up_front(tmp_path) -> None:
    """Even a read-only atomic() holds the write lock: BEGIN IMMEDIATE, not DEFERRED."""
    path = tmp_path / "office.db"
    database = open_database(f"sqlite:///{path}")
    try:
        database.execute_sql("CREATE TABLE t (x INTEGER)")
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with database.atomic():
            database.execute_sql("SELECT count(*) FROM t").fetchone()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
        other.execute("ROLLBACK")
        other.close()
    finally:
        close_database()


def test_sqlite_memory_url() -> None:
    database = make_database("sqlite://")
    assert database.database == ":memory:"


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_postgres_gets_no_sqlite_options() -> None:
    for url in pg_schema_url():
        database = make_database(url)
        for sqlite_only in ("pragmas", "timeout", "lock_type", "check_same_thread"):
            assert sqlite_only not in database.connect_params
        database.connect()
        try:
            assert engine_name(database) == "postgres"
            schema = url.rsplit("schema=", 1)[1]
            assert database.execute_sql("SELECT current_schema()").fetchone()[0] == schema
        finally:
            database.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "unsupported database URL"),
        ("office.db", "unsupported database URL"),
        ("", "unsupported database URL"),
        ("postgresql://postgres@127.0.0.1:5432/", "needs a database name"),
        ("postgres://postgres@127.0.0.1", "needs a database name"),
    ],
)
def test_bad_urls_are_clear_errors(url: str, message: str) -> None:
    with pytest.raises(DatabaseURLError, match=message) as info:
        make_database(url)
    assert isinstance(info.value, ValueError)  # the CLI shows ValueErrors as "error: ..."


def test_sqlite_pragmas_are_retried_while_another_desk_converts_the_file(tmp_path, monkeypatch):
    """A fresh file being switched to WAL by another process answers 'locked' at once."""
    import sqlite3

    from peewee import SqliteDatabase

    from medoffice_tui.db.connection import OfficeSqliteDatabase

    calls = []
    real = SqliteDatabase._set_pragmas

    def flaky(self, conn):
        calls.append(1)
        if len(calls) <= 2:
            raise sqlite3.OperationalError("database is locked")
        return real(self, conn)

    monkeypatch.setattr(SqliteDatabase, "_set_pragmas", flaky)
    database = make_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert isinstance(database, OfficeSqliteDatabase)
    database.connect()
    try:
        assert len(calls) == 3
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        database.close()


def test_sqlite_pragma_errors_other_than_locking_are_not_retried(tmp_path, monkeypatch):
    import sqlite3

    from peewee import OperationalError, SqliteDatabase

    calls = []

    def broken(self, conn):
        calls.append(1)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SqliteDatabase, "_set_pragmas", broken)
    database = make_database(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(OperationalError, match="disk I/O"):
        database.connect()
    assert len(calls) == 1


def test_many_desks_opening_a_new_file_at_once_all_get_in(tmp_path):
    """Separate connections racing to create and WAL-convert fresh files (threads, 20 rounds)."""
    import threading

    failures: list[str] = []
    for round_no in range(20):
        url = f"sqlite:///{tmp_path / f'new{round_no}.db'}"
        barrier = threading.Barrier(6)

        def desk(url: str = url, barrier: threading.Barrier = barrier) -> None:
            database = make_database(url)
            barrier.wait()
            try:
                database.connect()
                database.execute_sql("SELECT 1")
            except Exception as exc:  # collected, asserted below
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                database.close()

        threads = [threading.Thread(target=desk) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
