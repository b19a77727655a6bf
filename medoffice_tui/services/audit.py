"""The audit trail (HIPAA 164.312(b)): who did what, when, to which record and patient.

Service writes call :func:`record` while they work; the ``@writes`` decorator
(``services/actor.py``) then calls :func:`flush` at the end of the same transaction,
which takes the chain lock, numbers the events after the last one, hashes each over
the one before (``db/audit_chain.py``) and moves the chain's head. Events hold field
*names*, never values, and a detail that never carries patient data.

Reading it back: :func:`list_events` pages the trail newest first with filters (the
manager's audit view and ``medoffice audit list|export``); :func:`verify_chain`
recomputes every hash and names the first event that does not fit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.audit_chain import (
    GENESIS,
    ChainedEvent,
    as_event,
    event_hash,
    read_events,
)
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import AuditEvent, AuditHead, User
from medoffice_tui.errors import ActorRequired, InvalidInput
from medoffice_tui.services.paging import Page

if TYPE_CHECKING:
    from medoffice_tui.services.actor import Actor

#: what ``action`` may be, with the words the audit view shows
ACTIONS = {
    "view": "viewed",
    "create": "created",
    "update": "changed",
    "delete": "deleted",
    "sign_in": "signed in",
    "sign_in_failed": "sign-in failed",
    "sign_out": "signed out",
    "lockout": "locked out",
    "lock": "screen locked",
    "unlock": "screen unlocked",
    "refused": "refused",
    "export": "exported",
    "merge": "merged",
}
DETAIL_MAX = 200
FIELDS_MAX = 400


@dataclass
class PendingEvent:
    user_id: int
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None
    fields: str
    success: bool
    detail: str


_pending: ContextVar[list[PendingEvent] | None] = ContextVar("medoffice_audit", default=None)


@contextlib.contextmanager
def collecting(actor: Actor) -> Iterator[list[PendingEvent]]:
    """Collect the events a service call records (used by ``services/actor.py``)."""
    events: list[PendingEvent] = []
    token = _pending.set(events)
    try:
        yield events
    finally:
        _pending.reset(token)


def in_progress() -> bool:
    """Is a service call collecting events right now (a write inside a write)?"""
    return _pending.get() is not None


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None = None,
    *,
    patient_id: int | None = None,
    fields: Iterable[str] = (),
    success: bool = True,
    detail: str = "",
) -> None:
    """Note one event of the running service call; it is written when the call commits."""
    events = _pending.get()
    if events is None:
        raise ActorRequired("audit.record() runs only inside a @writes/@reads service call")
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor.via != "app":
        detail = f"[{actor.via}] {detail}".strip()
    events.append(
        PendingEvent(
            user_id=actor.user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            patient_id=patient_id,
            fields=",".join(sorted(set(fields)))[:FIELDS_MAX],
            success=success,
            detail=detail[:DETAIL_MAX],
        )
    )


def flush(events: list[PendingEvent]) -> None:
    """Chain and insert ``events`` inside the caller's transaction, then forget them."""
    if not events:
        return
    engine_for().lock_audit_chain()
    head = AuditHead.select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)
    last_id, last_hash = head.tuples().first() or (0, GENESIS)
    at_utc = clock.utcnow()
    rows = []
    for pending in events:
        last_id += 1
        event = ChainedEvent(
            id=last_id,
            at_utc=at_utc,
            user_id=pending.user_id,
            action=pending.action,
            object_type=pending.entity,
            object_id=pending.entity_id,
            patient_id=pending.patient_id,
            fields=pending.fields,
            success=pending.success,
            detail=pending.detail,
            prev_hash=last_hash,
        )
        last_hash = event_hash(event)
        rows.append({**event.__dict__, "user": event.user_id, "hash": last_hash})
        del rows[-1]["user_id"]
    AuditEvent.insert_many(rows).execute()
    updated = (
        AuditHead.update(last_id=last_id, last_hash=last_hash).where(AuditHead.id == 1).execute()
    )
    if not updated:
        AuditHead.insert(id=1, last_id=last_id, last_hash=last_hash).execute()
    events.clear()


# ------------------------------------------------------------------- reading


@dataclass(frozen=True)
class AuditRow:
    id: int
    at_utc: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None
    fields: str
    success: bool
    detail: str

    @property
    def at_local(self) -> dt.datetime:
        """The event's time on the practice's wall clock."""
        aware = self.at_utc.replace(tzinfo=dt.UTC)
        return aware.astimezone(clock.time_zone()).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to list; every part optional."""

    username: str = ""
    patient_id: int | None = None
    since: dt.date | None = None  # local dates, inclusive
    until: dt.date | None = None
    action: str = ""

    def describe(self) -> str:
        parts = []
        if self.username:
            parts.append(f"user {self.username}")
        if self.patient_id is not None:
            parts.append(f"patient #{self.patient_id}")
        if self.since:
            parts.append(f"from {self.since:%m/%d/%Y}")
        if self.until:
            parts.append(f"to {self.until:%m/%d/%Y}")
        if self.action:
            parts.append(f"action {self.action}")
        return ", ".join(parts) or "everything"


def _utc_start(day: dt.date) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time()).replace(tzinfo=clock.time_zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def query_events(
    filt: AuditFilter,
    after: int | None = None,
    limit: int = 100,
    *,
    before: int | None = None,
    from_end: bool = False,
) -> Page[AuditRow]:
    """Events newest first, ``limit`` at a time.

    ``after``: the page below (older than) the last id of the previous page.
    ``from_end``: the oldest page (the list's last rows), for End; ``before``: the page
    above (newer than) a page read that way. Each is an indexed (column, id) range read
    in one direction, so page 1 and page 1,000 (and the last page) cost the same.
    Used by the service reads below, never directly by a screen.
    """
    if limit <= 0:
        return Page([], None)
    if filt.action and filt.action not in ACTIONS:
        raise InvalidInput("unknown action: use one of " + ", ".join(ACTIONS), field="action")
    upward = from_end or before is not None
    query = (
        AuditEvent.select(
            AuditEvent.id,
            AuditEvent.at_utc,
            User.username,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.patient_id,
            AuditEvent.fields,
            AuditEvent.success,
            AuditEvent.detail,
        )  # fmt: skip
        .join(User, JOIN.LEFT_OUTER, on=(AuditEvent.user == User.id))
        .order_by(AuditEvent.id.asc() if upward else AuditEvent.id.desc())
        .limit(limit + 1)
    )
    parts: list[Any] = []
    if after is not None:
        parts.append(AuditEvent.id < int(after))
    if before is not None:
        parts.append(AuditEvent.id > int(before))
    if filt.username:
        user_id = User.select(User.id).where(User.username == filt.username.strip().lower())
        found = user_id.scalar()
        if found is None:
            raise InvalidInput("no staff account has that username", field="username")
        parts.append(AuditEvent.user == found)
    if filt.patient_id is not None:
        parts.append(AuditEvent.patient_id == filt.patient_id)
    if filt.action:
        parts.append(AuditEvent.action == filt.action)
    if filt.since is not None:
        parts.append(AuditEvent.at_utc >= _utc_start(filt.since))
    if filt.until is not None:
        parts.append(AuditEvent.at_utc < _utc_start(filt.until + dt.timedelta(days=1)))
    for part in parts:
        query = query.where(part)
    rows = [AuditRow(*row) for row in query.tuples()]
    more = len(rows) > limit
    rows = rows[:limit]
    if upward:  # read oldest first; shown newest first like every page
        rows.reverse()
        return Page(rows, None, rows[0].id if more and rows else None)
    return Page(rows, rows[-1].id if more else None)


# ------------------------------------------------------------------ verifying


@dataclass
class ChainReport:
    """What ``audit verify`` found."""

    checked: int = 0
    last_id: int = 0
    first_bad_id: int | None = None
    problem: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problems

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked:,} events, last #{self.last_id}"
        where = f"event #{self.first_bad_id}" if self.first_bad_id else "the chain's end"
        return f"audit chain BROKEN at {where}: {self.problem} ({self.checked:,} events checked)"


def verify_chain() -> ChainReport:
    """Recompute every hash in id order; name the first event that does not fit.

    Finds a changed row (its hash no longer matches), a deleted or inserted one (a gap
    or a repeated id, or a previous-hash link that points elsewhere), rows swapped
    with each other, and events cut off the end (the head no longer matches).
    """
    report = ChainReport()
    expected_id = 1
    prev = GENESIS
    for row in read_events(db.obj):
        event = as_event(row)
        stored_hash = row[-1]
        report.checked += 1
        if report.first_bad_id is None:
            problem = ""
            if event.id != expected_id:
                problem = (
                    f"expected event #{expected_id} next, found #{event.id} "
                    "(an event was deleted or inserted)"
                )
            elif event.prev_hash != prev:
                problem = "its link to the event before is wrong (inserted, deleted or reordered)"
            elif event_hash(event) != stored_hash:
                problem = "its contents were altered after it was written"
            if problem:
                report.first_bad_id = event.id
                report.problem = problem
        expected_id = event.id + 1
        prev = stored_hash
        report.last_id = event.id
    head = AuditHead.select(AuditHead.last_id, AuditHead.last_hash).tuples().first()
    head_id, head_hash = head or (0, GENESIS)
    if report.first_bad_id is None and (head_id != report.last_id or head_hash != prev):
        report.problem = (
            f"the chain ends at #{report.last_id} but its head says #{head_id} "
            "(events were cut off the end, or the head was changed)"
        )
        report.problems.append(report.problem)
    return report
