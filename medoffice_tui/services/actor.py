"""Who is acting, and the one way a service write runs.

Every service function that changes data takes the signed-in user as its first
argument, ``actor``, and is declared with ``@writes("permission.name")``. The
decorator, in this order:

1. refuses a call without an :class:`Actor` (:class:`~medoffice_tui.errors.ActorRequired`:
   a programming error, never shown to a desk);
2. checks the role against ``services/permissions.py``; a refusal is written to the
   audit trail in its own transaction and raised as ``PermissionDenied``;
3. runs the function inside one transaction (on SQLite it takes the write lock up
   front), with the database write guard set to this actor;
4. writes the audit events the function recorded (``audit.record``) at the end of that
   same transaction, so a change never lands without its event and the chain lock
   is the last lock taken (no deadlock between desks).

A write called from inside another write joins the outer transaction and its
events. ``@reads("permission.name")`` is the same for reads that are checked or
audited (opening a record, the audit view): no write lock is held while reading;
the events it records are written in a short transaction afterwards.

``WRITES`` lists every decorated write, so a test can prove none of them runs
without an actor.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from medoffice_tui.db.connection import db
from medoffice_tui.db.write_guard import current_writer, writing_as
from medoffice_tui.errors import ActorRequired, PermissionDenied
from medoffice_tui.services import audit, permissions

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Actor:
    """The signed-in user a service call acts for (or the system account, for the CLI)."""

    user_id: int
    username: str
    full_name: str
    role: str
    #: how this session signed in: "app", "ssh", "cli"
    via: str = "app"

    @property
    def role_label(self) -> str:
        return permissions.ROLE_LABELS.get(self.role, self.role)

    def may(self, action: str) -> bool:
        return permissions.allowed(self, action)


#: qualified name -> (permission, the decorated function), for tests and docs
WRITES: dict[str, tuple[str, Callable[..., Any]]] = {}
READS: dict[str, tuple[str, Callable[..., Any]]] = {}


def _check_actor(actor: object, name: str) -> Actor:
    if not isinstance(actor, Actor):
        raise ActorRequired(f"{name} needs the signed-in user as its first argument")
    return actor


@contextlib.contextmanager
def acting(actor: Actor) -> Iterator[None]:
    """One audited write transaction as ``actor``; inside a write already, joins it.

    What the block records with ``audit.record`` is written at its end, in the same
    transaction; if the block raises, nothing of it (changes or events) is kept.
    """
    if audit.in_progress():
        yield
        return
    with writing_as(actor.username), audit.collecting(actor) as events:
        with db.atomic():
            yield
            audit.flush(events)


def _refuse(actor: Actor, action: str) -> None:
    """Write the refusal to the audit trail (the refused work itself rolled back)."""
    with acting(actor):
        audit.record(actor, "refused", action.split(".", 1)[0], detail=action, success=False)


def writes(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a service write: actor required, role checked, one transaction, audited."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = _check_actor(args[0] if args else kwargs.get("actor"), name)
            try:
                permissions.require(actor, action)
                with acting(actor):
                    return fn(*args, **kwargs)
            except PermissionDenied as refused:
                if not audit.in_progress():  # the outermost write audits the refusal
                    _refuse(actor, refused.action)
                raise

        WRITES[name] = (action, wrapper)
        return wrapper

    return decorate


def reads(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a checked (and possibly audited) read: actor required, role checked."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = _check_actor(args[0] if args else kwargs.get("actor"), name)
            try:
                permissions.require(actor, action)
            except PermissionDenied as refused:
                if not audit.in_progress():
                    _refuse(actor, refused.action)
                raise
            if audit.in_progress():
                return fn(*args, **kwargs)
            with audit.collecting(actor) as events:
                result = fn(*args, **kwargs)
                if events:
                    with writing_as(actor.username), db.atomic():
                        audit.flush(events)
            return result

        READS[name] = (action, wrapper)
        return wrapper

    return decorate


#: qualified name -> function, for the building blocks declared ``@inside_write``
INSIDE_WRITES: dict[str, Callable[..., Any]] = {}


def inside_write(fn: Callable[P, R]) -> Callable[P, R]:
    """Declare a building block of writes (a ledger posting, a claim's history row):
    it takes no actor of its own and runs only inside a declared write, a migration or
    the demo builder, whose actor and transaction it joins; called outside one it is
    refused before it touches anything."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if current_writer() is None:
            raise ActorRequired(f"{name} runs only inside a declared write")
        return fn(*args, **kwargs)

    INSIDE_WRITES[name] = wrapper
    return wrapper


def refuse_unless(actor: Actor, action: str) -> None:
    """Inside a write: a further permission this particular call needs (e.g. overbooking).

    The refusal propagates out of the write, which rolls back and audits it.
    """
    permissions.require(actor, action)
