"""The database session a screen or the CLI works in, without either importing ``db/``.

Screens run service calls on worker threads; each call needs that thread's own
connection (Peewee keeps one per thread), which :func:`connection` provides.
"""

from __future__ import annotations

import contextlib
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
def connection() -> Iterator[None]:
    """This thread's own connection for the duration of one service call."""
    with _connection.db.connection_context():
        yield
