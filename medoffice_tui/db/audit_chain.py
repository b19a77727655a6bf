"""The audit trail's hash chain: one canonical form, one hash, the same everywhere.

An event's hash is SHA-256 over its canonical form: a compact JSON array of its id,
UTC time (microseconds), user id, action, entity, entity id, patient id, changed
field names, success flag, detail, and the previous event's hash. Because each hash
covers the one before, changing, inserting, deleting or swapping any row breaks
every hash after it; ids are consecutive, so a gap shows a deleted row even when the
hashes were recomputed from there on.

``services/audit.py`` writes events with it; the demo builder chains its trail with
it; ``audit verify`` recomputes it; migration 0005 chained any earlier rows with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import Database

#: the previous hash of the first event
GENESIS = ""

#: audit_event columns in canonical order (id first, prev_hash last)
COLUMNS = (
    "id",
    "at_utc",
    "user_id",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "fields",
    "success",
    "detail",
    "prev_hash",
)


@dataclass(frozen=True)
class ChainedEvent:
    """One audit event as the chain sees it."""

    id: int
    at_utc: dt.datetime
    user_id: int | None
    action: str
    object_type: str
    object_id: int | None
    patient_id: int | None
    fields: str
    success: bool
    detail: str
    prev_hash: str


def _time_text(value: dt.datetime | str) -> str:
    if isinstance(value, str):  # SQLite hands back text when a row was damaged
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def canonical(event: ChainedEvent) -> bytes:
    """The exact bytes the hash covers."""
    values = [
        int(event.id),
        _time_text(event.at_utc),
        None if event.user_id is None else int(event.user_id),
        event.action,
        event.object_type,
        None if event.object_id is None else int(event.object_id),
        None if event.patient_id is None else int(event.patient_id),
        event.fields,
        bool(event.success),
        event.detail,
        event.prev_hash,
    ]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def event_hash(event: ChainedEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def read_events(database: Database, after_id: int = 0, batch: int = 5000) -> Iterator[tuple]:
    """Every audit row in id order as (id, ..., prev_hash, hash), ``batch`` rows a query."""
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    last = after_id
    while True:
        rows = database.execute_sql(
            f'SELECT {columns}, "hash" FROM "audit_event" WHERE "id" > {database.param} '
            f'ORDER BY "id" LIMIT {int(batch)}',
            (last,),
        ).fetchall()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


def as_event(row: tuple) -> ChainedEvent:
    """A ``read_events`` row (without its stored hash) as a ChainedEvent."""
    (eid, at_utc, user_id, action, object_type, object_id, patient_id, fields, success,
     detail, prev_hash) = row[: len(COLUMNS)]  # fmt: skip
    if isinstance(at_utc, str):
        at_utc = dt.datetime.fromisoformat(at_utc)
    return ChainedEvent(
        eid, at_utc, user_id, action, object_type, object_id, patient_id, fields or "",
        bool(success), detail or "", prev_hash or "",
    )  # fmt: skip


def rechain_all(database: Database) -> tuple[int, str]:
    """Renumber nothing, re-hash everything in id order (for rows written before the chain).

    Returns (last id, last hash). Only migration 0005 calls this, once.
    """
    prev = GENESIS
    last_id = 0
    for row in list(read_events(database)):
        event = as_event(row)
        event = ChainedEvent(**{**event.__dict__, "prev_hash": prev})
        digest = event_hash(event)
        database.execute_sql(
            f'UPDATE "audit_event" SET "prev_hash" = {database.param}, "hash" = {database.param} '
            f'WHERE "id" = {database.param}',
            (prev, digest, event.id),
        )
        prev, last_id = digest, event.id
    return last_id, prev
