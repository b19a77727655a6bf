"""Rescheduling: an appointment moves to another time, day or provider under the booking rules.

The move is one write: the lock, the rules of ``rules.py`` (the appointment's own time
does not count against itself), the update naming the version the desk read, a
history row keeping where it was and who moved it, and the audit event. A visit that
moves to another day is no longer confirmed for it: it goes back to booked and its
confirmation call is forgotten.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.db.models import Appointment
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.schedule import rules
from medoffice_tui.services.schedule.booking import insert_or_taken
from medoffice_tui.services.schedule.history import record_event
from medoffice_tui.services.schedule.rows import AppointmentRow, get_appointment
from medoffice_tui.services.staff import staff_name

#: what can still be moved (a visit under way or over stays where it happened)
MOVABLE = frozenset({"booked", "confirmed"})


@writes("appointment.move")
def move_appointment(
    actor: Actor,
    appointment_id: int,
    expected_version: int,
    start: dt.datetime,
    provider_id: int | None = None,
    minutes: int | None = None,
    *,
    overbook: bool = False,
    overbook_reason: str = "",
) -> AppointmentRow:
    """Move to ``start`` (and ``provider_id``, and ``minutes`` long: default as it was)."""
    start = rules.wall_time(start)
    row = (
        Appointment.select(
            Appointment.patient,
            Appointment.provider,
            Appointment.start,
            Appointment.end,
            Appointment.status,
            Appointment.version,
            Appointment.updated_by,
        )
        .where(Appointment.id == appointment_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"appointment {appointment_id} not found")
    patient_id, old_provider, old_start, old_end, status, version, changed_by = row
    rules.lock_patient(patient_id)
    if version != expected_version:
        raise StaleEdit(changed_by=staff_name(changed_by), changed_fields=("start", "status"))
    if status not in MOVABLE:
        raise InvalidInput(
            f"an appointment that is {status.replace('_', '-')} cannot be moved", field="start"
        )
    provider_id = old_provider if provider_id is None else provider_id
    length = int((old_end - old_start).total_seconds() // 60) if minutes is None else int(minutes)
    rules.check_length(length)
    end = start + dt.timedelta(minutes=length)
    if (provider_id, start, end) == (old_provider, old_start, old_end):
        raise InvalidInput("that is where the appointment already is", field="start")
    rules.check_not_past(start)
    rules.require_patient(patient_id)
    who = rules.require_provider(provider_id)
    rules.check_patient_free(patient_id, start, end, exclude_id=appointment_id)
    rules.check_provider_free(provider_id, start, end, exclude_id=appointment_id)
    overbooked, kept_reason = rules.check_bookable(
        actor, provider_id, who, start, end, overbook=overbook, overbook_reason=overbook_reason
    )
    now = clock.now()
    changes: dict[str, object] = {
        "provider": provider_id,
        "start": start,
        "end": end,
        "overbooked": overbooked,
        "overbook_reason": kept_reason,
        "updated_at": now,
        "updated_by": actor.user_id,
        "version": Appointment.version + 1,
    }
    new_status = status
    if start.date() != old_start.date():
        new_status = "booked"
        changes.update(
            status="booked", confirmed_at=None, reminder_outcome="", reminder_at=None,
            reminder_by=None,
        )  # fmt: skip

    def write() -> int:
        updated = (
            Appointment.update(**changes)
            .where((Appointment.id == appointment_id) & (Appointment.version == version))
            .execute()
        )
        if updated == 0:
            raise StaleEdit()
        return updated

    insert_or_taken(provider_id, start, end, write, exclude_id=appointment_id)
    record_event(
        actor,
        appointment_id,
        "moved",
        version + 1,
        at=now,
        from_status=status,
        to_status=new_status,
        from_provider=old_provider,
        from_start=old_start,
        from_end=old_end,
        to_provider=provider_id,
        to_start=start,
        to_end=end,
        detail=f"overbook: {kept_reason}" if overbooked else "",
    )
    fields = [n for n in changes if n not in ("updated_at", "updated_by", "version")]
    audit.record(actor, "update", "appointment", appointment_id, patient_id=patient_id,
                 fields=fields, detail="moved" + (" (overbook)" if overbooked else ""))  # fmt: skip
    return get_appointment(appointment_id)
