"""Worker threads keep their connection between service calls, and closing the database
closes every one of them (``db/connection.thread_connection``), on both engines."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from peewee import Database

from medoffice_tui.db import connection
from medoffice_tui.db import models as m
from medoffice_tui.services import session


def _raw_in_call() -> object:
    with session.connection():
        assert m.Role.select().count() > 0  # the connection answers
        return connection.db.connection()


def test_a_worker_thread_keeps_its_connection_for_its_next_call(database: Database) -> None:
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(_raw_in_call).result()
        second = pool.submit(_raw_in_call).result()
    assert first is second
    assert first is not database.connection()  # not the opening thread's connection


def test_closing_the_database_closes_what_worker_threads_kept(database: Database) -> None:
    with ThreadPoolExecutor(1) as pool:
        kept = pool.submit(_raw_in_call).result()
        connection.close_database()
        assert _is_closed(kept)
        connection.db.connect()  # the same database, opened again (as a test or the bench does)
        fresh = pool.submit(_raw_in_call).result()  # the thread notices and opens anew
    assert fresh is not kept and not _is_closed(fresh)


def test_a_call_never_leaves_a_transaction_open_on_the_kept_connection(
    database: Database,
) -> None:
    def leave_a_transaction_open() -> None:
        with session.connection():
            connection.db.connection().execute("BEGIN")  # the driver's own, no atomic()

    def still_open() -> bool:
        with session.connection():
            return _in_transaction(connection.db.connection())

    with ThreadPoolExecutor(1) as pool:
        pool.submit(leave_a_transaction_open).result()
        assert pool.submit(still_open).result() is False


def test_an_ended_threads_connection_is_closed_by_the_next_thread_that_keeps_one(
    database: Database,
) -> None:
    got: list[object] = []
    thread = threading.Thread(target=lambda: got.append(_raw_in_call()))
    thread.start()
    thread.join()
    assert not _is_closed(got[0])  # nobody closed it yet: its thread ended quietly
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_raw_in_call).result()
    assert _is_closed(got[0])


def test_an_interrupted_statement_leaves_the_kept_connection_usable(database: Database) -> None:
    handle = session.QueryHandle()
    handle.interrupt()  # a newer key came before this call started: its statement stops

    def interrupted_call() -> object:
        with session.connection(handle):
            try:
                m.Role.select().count()
            except Exception:  # noqa: BLE001 - "interrupted" / "canceling statement"
                pass
            return connection.db.connection()

    with ThreadPoolExecutor(1) as pool:
        stopped = pool.submit(interrupted_call).result()
        after = pool.submit(_raw_in_call).result()  # the next call answers
    assert after is stopped or _is_closed(stopped)


def _is_closed(raw: object) -> bool:
    closed = getattr(raw, "closed", None)
    if isinstance(closed, bool):
        return closed  # psycopg
    try:
        raw.execute("SELECT 1")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - sqlite3.ProgrammingError: a closed database
        return True
    return False


def _in_transaction(raw: object) -> bool:
    if hasattr(raw, "in_transaction"):
        return bool(raw.in_transaction)  # type: ignore[attr-defined]
    return int(raw.info.transaction_status) != 0  # type: ignore[attr-defined]
