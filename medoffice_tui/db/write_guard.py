"""No row is written without someone to answer for it.

Every INSERT, UPDATE and DELETE the app sends goes through the database classes in
``db/connection.py``, which ask :func:`check_statement` first. A statement that
changes rows is refused with :class:`~medoffice_tui.errors.ActorRequired` unless
the code running it has said who is writing, with :func:`writing_as`:

- ``services/`` writes set it from the signed-in user (the ``@writes`` decorator in
  ``services/actor.py``), so a screen, the CLI and a test all go the same way;
- the few system writers (schema migrations, the demo builder, ``db copy``) set a
  ``"system:..."`` label of their own.

The label lives in a :class:`contextvars.ContextVar`, so it is per thread (each UI
worker thread starts with none) and per asyncio task.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from medoffice_tui.errors import ActorRequired

_writer: ContextVar[str | None] = ContextVar("medoffice_writer", default=None)

#: first keywords of statements that change rows (DDL is the migrations' own business)
_WRITE_KEYWORDS = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})


def current_writer() -> str | None:
    """Who the running code writes as (a username or ``system:...``), if anyone."""
    return _writer.get()


@contextlib.contextmanager
def writing_as(label: str) -> Iterator[None]:
    """Let the code inside write rows, answering as ``label``."""
    if not label:
        raise ActorRequired("a writer needs a name")
    token = _writer.set(label)
    try:
        yield
    finally:
        _writer.reset(token)


def is_row_write(sql: str) -> bool:
    """Does this statement change rows? (INSERT/UPDATE/DELETE/REPLACE, also after WITH.)"""
    head = sql.lstrip()[:8].upper()
    keyword = head.split(None, 1)[0] if head else ""
    if keyword in _WRITE_KEYWORDS:
        return True
    if keyword == "WITH":
        upper = sql.upper()
        return any(f" {word} " in upper or f"){word} " in upper for word in _WRITE_KEYWORDS)
    return False


def check_statement(sql: str) -> None:
    """Refuse a row-changing statement sent with no writer set."""
    if _writer.get() is None and is_row_write(sql):
        raise ActorRequired(
            "a database write was attempted without a signed-in user or system writer"
        )
