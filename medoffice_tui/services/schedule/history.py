"""Each appointment's history: booked, every status change and its undo, moves, calls.

Rows are written by the schedule's own writes, in the same transaction as the change
they describe (so a change never lands without its history). ``version`` is the
appointment's version right after the event; the undo rule compares it with the
appointment's version now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import AppointmentEvent, Provider, User
from medoffice_tui.services.actor import Actor, inside_write
from medoffice_tui.services.schedule.rows import provider_name


@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: dt.datetime
    by: str  # the staff member's full name ("" when the account is gone)
    kind: str  # booked, status, undo, moved, reminder
    from_status: str
    to_status: str
    from_provider: str
    from_start: dt.datetime | None
    from_end: dt.datetime | None
    to_provider: str
    to_start: dt.datetime | None
    to_end: dt.datetime | None
    detail: str
    version: int


@inside_write
def record_event(
    actor: Actor,
    appointment_id: int,
    kind: str,
    version: int,
    *,
    at: dt.datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    from_provider: int | None = None,
    from_start: dt.datetime | None = None,
    from_end: dt.datetime | None = None,
    to_provider: int | None = None,
    to_start: dt.datetime | None = None,
    to_end: dt.datetime | None = None,
    detail: str = "",
    undoes: int | None = None,
) -> int:
    """Write one history row (inside the calling write's transaction)."""
    return AppointmentEvent.insert(
        appointment=appointment_id,
        at=at or clock.now(),
        user=actor.user_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        from_provider=from_provider,
        from_start=from_start,
        from_end=from_end,
        to_provider=to_provider,
        to_start=to_start,
        to_end=to_end,
        detail=detail[:200],
        version=version,
        undoes=undoes,
    ).execute()


def latest_event(appointment_id: int) -> tuple[int, str, str, str, int] | None:
    """(id, kind, from_status, to_status, version) of the newest history row, or None."""
    return (
        AppointmentEvent.select(
            AppointmentEvent.id,
            AppointmentEvent.kind,
            AppointmentEvent.from_status,
            AppointmentEvent.to_status,
            AppointmentEvent.version,
        )
        .where(AppointmentEvent.appointment == appointment_id)
        .order_by(AppointmentEvent.id.desc())
        .tuples()
        .first()
    )


def appointment_history(appointment_id: int) -> list[HistoryRow]:
    """Everything that happened to one appointment, oldest first."""
    from_p = Provider.alias()
    to_p = Provider.alias()
    query = (
        AppointmentEvent.select(
            AppointmentEvent.id,
            AppointmentEvent.at,
            User.full_name,
            AppointmentEvent.kind,
            AppointmentEvent.from_status,
            AppointmentEvent.to_status,
            from_p.first_name,
            from_p.last_name,
            from_p.credential,
            AppointmentEvent.from_start,
            AppointmentEvent.from_end,
            to_p.first_name,
            to_p.last_name,
            to_p.credential,
            AppointmentEvent.to_start,
            AppointmentEvent.to_end,
            AppointmentEvent.detail,
            AppointmentEvent.version,
        )
        .join(User, JOIN.LEFT_OUTER, on=(AppointmentEvent.user == User.id))
        .switch(AppointmentEvent)
        .join(from_p, JOIN.LEFT_OUTER, on=(AppointmentEvent.from_provider == from_p.id))
        .switch(AppointmentEvent)
        .join(to_p, JOIN.LEFT_OUTER, on=(AppointmentEvent.to_provider == to_p.id))
        .where(AppointmentEvent.appointment == appointment_id)
        .order_by(AppointmentEvent.id)
        .tuples()
    )
    rows = []
    for (eid, at, by, kind, from_status, to_status, ff, fl, fc, from_start, from_end,
         tf, tl, tc, to_start, to_end, detail, version) in query:  # fmt: skip
        rows.append(
            HistoryRow(
                id=eid,
                at=at,
                by=by or "",
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                from_provider=provider_name(ff, fl, fc or "") if fl else "",
                from_start=from_start,
                from_end=from_end,
                to_provider=provider_name(tf, tl, tc or "") if tl else "",
                to_start=to_start,
                to_end=to_end,
                detail=detail,
                version=version,
            )
        )
    return rows
