"""Open a database from a URL and bind it to the one ``DatabaseProxy``.

SQLite (default): WAL, foreign keys on, 10 s busy timeout, synchronous=NORMAL,
and write transactions that take the write lock up front (``BEGIN IMMEDIATE``)
so two desks never deadlock on a read-then-write. Reads run in autocommit.

PostgreSQL: ``postgresql://user@host:port/dbname`` through psycopg 3; the
SQLite-only options never reach it. ``?schema=name`` sets the search path
(used by the tests to give each run its own schema).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from peewee import (
    Database,
    DatabaseProxy,
    PostgresqlDatabase,
    SqliteDatabase,
)

from medoffice_tui import files
from medoffice_tui.db.write_guard import check_statement

db = DatabaseProxy()

SQLITE_PRAGMAS = [
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
    ("cache_size", -16000),  # 16 MB page cache per connection (commands, imports)
    ("temp_store", "memory"),
]
#: the page cache of each connection of the full-screen app, in KiB. Its reads are a
#: page of indexed rows at a time, and the operating system keeps the file in memory
#: anyway, so a page SQLite does not hold costs one read from that copy. Measured
#: (2026-12-03, 360 searches of prefixes and misspelt names, one connection): at
#: 100,000 and 1,000,000 patients 2 MB and 256 KiB searched in the same time (median
#: 1.2-2.3 ms either way, the spread between runs larger than between sizes), and in
#: a pty after signing in, every pane and 100 searches the app's peak RSS fell from
#: 60.6 to 57.5 MB (16 MB, the commands' cache, added 12 MB more).
APP_CACHE_KIB = 256
SQLITE_BUSY_TIMEOUT_S = 10


class DatabaseURLError(ValueError):
    """The database URL cannot be understood."""


class GuardedWrites:
    """Every statement is checked first: no row is written without a writer
    (see ``db/write_guard.py``)."""

    def execute_sql(self, sql, params=None):  # noqa: ANN001, ANN201 - peewee's signature
        check_statement(sql)
        return super().execute_sql(sql, params)  # type: ignore[misc]


class OfficeSqliteDatabase(GuardedWrites, SqliteDatabase):
    """SQLite that survives several desks opening a brand-new file at the same moment.

    Switching a new file to WAL needs an exclusive lock, and SQLite refuses a
    competing switch with "database is locked" at once, without waiting out the
    busy timeout (measured: 7 of 320 simultaneous opens of fresh files failed).
    The pragmas are idempotent, so they are simply tried again until the busy
    timeout is used up. Once a file is in WAL mode (a persistent setting) the
    first try succeeds.
    """

    def _set_pragmas(self, conn: sqlite3.Connection) -> None:
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
        delay = 0.005
        while True:
            try:
                super()._set_pragmas(conn)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.1)


def sqlite_path_from_url(url: str) -> str:
    if url in ("sqlite://", "sqlite:///:memory:"):
        return ":memory:"
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise DatabaseURLError(f"not a SQLite URL (expected {prefix}PATH)")
    return unquote(url[len(prefix) :].split("?", 1)[0]) or ":memory:"


def make_database(url: str) -> Database:
    """Build (but do not bind) a Peewee database for ``url``."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "sqlite":
        path = sqlite_path_from_url(url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if not Path(path).exists():
                # created owner-only before SQLite sees it: its -wal and -shm copy this mode
                files.secure_file(path)
        return OfficeSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            timeout=SQLITE_BUSY_TIMEOUT_S,
            lock_type="IMMEDIATE",
            # each thread still uses only its own connection (Peewee keeps one per
            # thread); the check is off so that closing the database can close the
            # connections worker threads kept (``close_kept_connections``)
            check_same_thread=False,
        )
    if scheme in ("postgres", "postgresql"):
        return _make_postgres(url)
    raise DatabaseURLError(
        "unsupported database URL: use sqlite:///PATH or postgresql://user@host:port/dbname"
    )


def _make_postgres(url: str) -> Database:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise DatabaseURLError(
            "PostgreSQL needs the driver: pip install 'medoffice-tui[postgres]'"
        ) from exc
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    kwargs: dict[str, object] = {}
    if parsed.username:
        kwargs["user"] = unquote(parsed.username)
    if parsed.password:
        kwargs["password"] = unquote(parsed.password)
    if parsed.hostname:
        kwargs["host"] = parsed.hostname
    if parsed.port:
        kwargs["port"] = parsed.port
    schema = query.pop("schema", [None])[0]
    if schema:
        kwargs["options"] = f"-c search_path={schema}"
    for key, values in query.items():
        kwargs[key] = values[-1]
    name = parsed.path.lstrip("/")
    if not name:
        raise DatabaseURLError(
            "PostgreSQL URL needs a database name: postgresql://user@host/dbname"
        )
    return OfficePostgresqlDatabase(name, prefer_psycopg3=True, **kwargs)


class OfficePostgresqlDatabase(GuardedWrites, PostgresqlDatabase):
    """PostgreSQL through psycopg 3, with the same write guard as SQLite."""


def open_database(url: str) -> Database:
    """Bind the proxy to ``url`` and connect. Returns the real database object."""
    database = make_database(url)
    close_database()
    db.initialize(database)
    database.connect(reuse_if_open=True)
    return database


def set_page_cache(kib: int) -> None:
    """Every SQLite connection opened from now on gets a ``kib`` KiB page cache
    (``launch`` sets :data:`APP_CACHE_KIB` for the full-screen app before it opens
    the database; PostgreSQL caches on the server: nothing to do)."""
    for i, (name, _value) in enumerate(SQLITE_PRAGMAS):
        if name == "cache_size":
            SQLITE_PRAGMAS[i] = ("cache_size", -int(kib))


def close_database() -> None:
    """Close every connection: the ones worker threads kept, then this thread's."""
    close_kept_connections()
    if db.obj is not None and not db.is_closed():
        db.close()


# -- connections kept by worker threads ---------------------------------------------
#
# A screen's service calls run on the threads of the event loop's executor (a handful,
# reused). Opening a connection per call cost a pane's worker 5-10 ms at 100,000
# patients: SQLite parses the schema again and starts with an empty page cache. So a
# worker thread keeps its connection from one call to the next, and ``close_database``
# (the app's end, a hang-up, a switch to another database) closes them all. A thread
# that has ended leaves its connection here; the next thread to keep one closes it.

_kept: list[tuple[threading.Thread, Database, object]] = []
_kept_lock = threading.Lock()
_kept_generation = 0
_thread = threading.local()


@contextlib.contextmanager
def thread_connection() -> Iterator[object]:
    """This thread's connection to the bound database for one service call, opened on
    the thread's first call and kept open for its next; yields the driver connection.

    After the call no transaction is left open on it (one a call left behind is rolled
    back; a statement stopped by :meth:`QueryHandle.interrupt` leaves it usable), and a
    PostgreSQL connection the driver reports broken (a restarted server) is closed and
    opened anew on the next call.
    """
    database = db.obj
    if database is None:
        raise RuntimeError("no database is open")
    _ensure_open(database)
    raw = database.connection()
    try:
        yield raw
    finally:
        if getattr(raw, "broken", False) or getattr(raw, "closed", False) is True:
            _drop(database, raw)  # psycopg: the server went away or ended the session
        else:
            _end_transaction(database, raw)


def _ensure_open(database: Database) -> None:
    kept = getattr(_thread, "kept", None)
    if not database.is_closed():
        if kept is None or kept[0] is not database.connection() or kept[1] == _kept_generation:
            return  # this thread's own connection, or one it keeps that is still open
        database._state.reset()  # closed under it by close_kept_connections
    database.connect()
    raw = database.connection()
    with _kept_lock:
        _close_ended_threads()
        _kept.append((threading.current_thread(), database, raw))
        _thread.kept = (raw, _kept_generation)


def _end_transaction(database: Database, raw: object) -> None:
    if database.in_transaction():
        return  # an atomic block around the call (a test's, a CLI command's) goes on
    if isinstance(raw, sqlite3.Connection):
        open_txn = raw.in_transaction
    else:
        status = getattr(getattr(raw, "info", None), "transaction_status", 0)
        open_txn = int(status) != 0  # psycopg: 0 is IDLE
    if open_txn:
        with contextlib.suppress(Exception):
            raw.rollback()  # type: ignore[attr-defined]


def _drop(database: Database, raw: object) -> None:
    with _kept_lock:
        _kept[:] = [entry for entry in _kept if entry[2] is not raw]
    with contextlib.suppress(Exception):
        raw.close()  # type: ignore[attr-defined]
    if database.connection() is raw:
        database._state.reset()
    _thread.kept = None


def _close_ended_threads() -> None:
    alive = []
    for entry in _kept:
        if entry[0].is_alive():
            alive.append(entry)
        else:
            with contextlib.suppress(Exception):
                entry[2].close()  # type: ignore[attr-defined]
    _kept[:] = alive


def close_kept_connections() -> None:
    """Close the connections every worker thread kept (from any thread: a statement
    still running on one is interrupted first)."""
    global _kept_generation
    with _kept_lock:
        entries = list(_kept)
        _kept.clear()
        _kept_generation += 1
    for _thread_of, _database, raw in entries:
        with contextlib.suppress(Exception):
            if isinstance(raw, sqlite3.Connection):
                raw.interrupt()  # a no-op when nothing runs on it
            elif int(raw.info.transaction_status) == 1:  # type: ignore[attr-defined]
                raw.cancel_safe()  # type: ignore[attr-defined] - psycopg: a query is running
        with contextlib.suppress(Exception):
            raw.close()  # type: ignore[attr-defined]


def engine_name(database: Database | None = None) -> str:
    """'sqlite' or 'postgres' for the bound (or given) database."""
    target = database if database is not None else db.obj
    if isinstance(target, SqliteDatabase):
        return "sqlite"
    if isinstance(target, PostgresqlDatabase):
        return "postgres"
    raise RuntimeError("no database is open")
