"""The database session a screen or the CLI works in, without either importing ``db/``.

Screens run service calls on worker threads; each call needs that thread's own
connection (Peewee keeps one per thread), which :func:`connection` provides: opened on
the thread's first call and kept for its next ones, all closed by :func:`close`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from peewee import OperationalError, SqliteDatabase

from medoffice_tui.db import connection as _connection

T = TypeVar("T")


def is_open() -> bool:
    """Is a database bound (the CLI opens it before the app starts)?"""
    return _connection.db.obj is not None


def open_url(url: str) -> None:
    """Bind and connect the database at ``url`` (for embedders and tests)."""
    _connection.open_database(url)


def close() -> None:
    _connection.close_database()


@contextlib.contextmanager
def connection(handle: QueryHandle | None = None) -> Iterator[None]:
    """This thread's own connection for one service call (kept open for its next).

    With a ``handle``, another thread can stop the statement running on it
    (:meth:`QueryHandle.interrupt`): a search a newer keystroke replaced must not keep
    a core busy.
    """
    with _connection.thread_connection() as raw:
        if handle is not None:
            handle.attach(raw)
        try:
            yield
        finally:
            if handle is not None:
                handle.detach()


class QueryHandle:
    """A way to interrupt, from another thread, what one service call's connection runs.

    SQLite: ``sqlite3.Connection.interrupt()`` (thread-safe; the running statement fails
    with "interrupted"). PostgreSQL: psycopg's ``cancel_safe()`` (the server stops it).
    """

    def __init__(self) -> None:
        self._raw: object | None = None
        self._lock = threading.Lock()
        self.interrupted = False

    def attach(self, raw: object) -> None:
        with self._lock:
            self._raw = raw
            if self.interrupted:
                self._stop(raw)

    def detach(self) -> None:
        with self._lock:
            self._raw = None

    def interrupt(self) -> None:
        with self._lock:
            self.interrupted = True
            if self._raw is not None:
                self._stop(self._raw)

    @staticmethod
    def _stop(raw: object) -> None:
        stop = getattr(raw, "interrupt", None) or getattr(raw, "cancel_safe", None)
        if stop is not None:
            with contextlib.suppress(Exception):
                stop()


class TooSlow(Exception):
    """An inline read passed its budget and was stopped: run it on a worker instead."""


def can_run_inline() -> bool:
    """Inline reads need SQLite (a local file, stoppable mid-statement by a progress
    handler); a PostgreSQL round trip is never run on the UI thread."""
    return isinstance(_connection.db.obj, SqliteDatabase)


def run_inline(call: Callable[[], T], budget_s: float) -> T:
    """Run a read on *this* thread's connection, stopped if SQLite works on it for more
    than ``budget_s``; raises :class:`TooSlow` then (nothing was changed: reads only).

    For a screen's first page of a list that the index answers in well under a
    millisecond: shown in the frame of the key that asked, instead of a "loading"
    frame and a worker round trip. The budget bounds what the desk could ever wait.
    """
    if not can_run_inline():
        raise TooSlow
    database = _connection.db.obj
    database.connect(reuse_if_open=True)
    raw = database.connection()
    deadline = time.perf_counter() + budget_s
    stopped = [False]

    def past_budget() -> int:
        if time.perf_counter() > deadline:
            stopped[0] = True
            return 1
        return 0

    raw.set_progress_handler(past_budget, PROGRESS_STEPS)
    try:
        return call()
    except (OperationalError, sqlite3.OperationalError):
        # "interrupted": from the statement, or from a later step of its cursor
        if stopped[0]:
            raise TooSlow from None
        raise
    finally:
        raw.set_progress_handler(None, 0)


#: SQLite virtual-machine steps between budget checks (a few microseconds of work)
PROGRESS_STEPS = 500
