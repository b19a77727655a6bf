"""The database session a screen or the CLI works in, without either importing ``db/``.

Screens run service calls on worker threads; each call needs that thread's own
connection (Peewee keeps one per thread), which :func:`connection` provides.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from medoffice_tui.db import connection as _connection


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
    """This thread's own connection for the duration of one service call.

    With a ``handle``, another thread can stop the statement running on it
    (:meth:`QueryHandle.interrupt`): a search a newer keystroke replaced must not keep
    a core busy.
    """
    with _connection.db.connection_context():
        if handle is not None:
            handle.attach(_connection.db.connection())
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
