"""Running the day: one status change at a time, each stamped, each undoable once.

Status changes follow ``TRANSITIONS`` and name the version the desk read:
``UPDATE ... WHERE id = ? AND version = ?`` changes nothing when another desk got
there first, and the caller gets ``StaleEdit`` instead of a silent overwrite.

- Arrived, roomed and completed apply only to today's appointments (a visit tomorrow
  cannot be checked in or completed today); a no-show only to today's or an earlier
  day's; confirming only to today's or a later one.
- Each change stamps its time on the appointment (``STAMPS``), and who and when in
  the appointment's history.
- :func:`undo_status` takes back the last status change of one appointment (a no-show
  and a cancellation included), and only that one, and only while nothing newer
  happened to it: the change must still be the newest history row and the
  appointment still at the version it left. Reviving a cancelled or no-show visit
  checks its time again (a walk-in may have been booked into it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from medoffice_tui import clock
from medoffice_tui.db.models import APPOINTMENT_STATUSES, Appointment
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.schedule import rules
from medoffice_tui.services.schedule.booking import insert_or_taken
from medoffice_tui.services.schedule.history import latest_event, record_event
from medoffice_tui.services.schedule.rows import AppointmentRow, get_appointment
from medoffice_tui.services.staff import staff_name

#: status -> the statuses the desk may move it to (a no-show or a cancellation is
#: taken back with undo, never by a forward step)
TRANSITIONS: dict[str, frozenset[str]] = {
    "booked": frozenset({"confirmed", "arrived", "cancelled", "no_show"}),
    "confirmed": frozenset({"arrived", "cancelled", "no_show"}),
    "arrived": frozenset({"roomed", "completed", "cancelled"}),
    "roomed": frozenset({"completed"}),
    "no_show": frozenset(),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
#: only on the appointment's own day
TODAY_ONLY = frozenset({"arrived", "roomed", "completed"})
#: statuses that no longer hold the provider's time
DEAD = frozenset({"cancelled", "no_show"})

#: the timestamp column each status stamps with clock.now()
STAMPS = {
    "confirmed": "confirmed_at",
    "arrived": "arrived_at",
    "roomed": "roomed_at",
    "completed": "completed_at",
    "cancelled": "cancelled_at",
    "no_show": "no_show_at",
}
#: the short list a cancellation's reason is picked from (or free text)
CANCEL_REASONS = (
    "Patient called to cancel",
    "Patient is ill",
    "Feeling better",
    "Scheduling conflict",
    "Transportation problem",
    "Weather",
    "Provider unavailable",
    "Booked in error",
)


def next_statuses(current: str) -> frozenset[str]:
    """The statuses an appointment that is ``current`` may move to (whatever its day)."""
    return TRANSITIONS.get(current, frozenset())


def day_refusal(status: str, day: dt.date, today: dt.date | None = None) -> str | None:
    """Why an appointment on ``day`` cannot take ``status`` today, or None."""
    today = today or clock.today()
    shown = day.strftime("%a %d %b")
    if status in TODAY_ONLY and day != today:
        verb = {"arrived": "checked in", "roomed": "roomed", "completed": "completed"}[status]
        return f"only today's appointments can be {verb} (this one is on {shown})"
    if status == "no_show" and day > today:
        return f"an appointment on {shown} cannot be a no-show yet"
    if status == "confirmed" and day < today:
        return f"an appointment on {shown} has passed and cannot be confirmed"
    return None


def allowed_statuses(appt: AppointmentRow, today: dt.date | None = None) -> frozenset[str]:
    """What this appointment can become now: the transitions its day allows."""
    day = appt.start.date()
    return frozenset(s for s in next_statuses(appt.status) if day_refusal(s, day, today) is None)


def _read(appointment_id: int) -> tuple:
    row = (
        Appointment.select(
            Appointment.status,
            Appointment.version,
            Appointment.patient,
            Appointment.updated_by,
            Appointment.provider,
            Appointment.start,
            Appointment.end,
        )
        .where(Appointment.id == appointment_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"appointment {appointment_id} not found")
    return row


def _stale(changed_by: int | None, what: Iterable[str] = ("status",)) -> StaleEdit:
    return StaleEdit(changed_by=staff_name(changed_by), changed_fields=tuple(what))


def _update(appointment_id: int, version: int, changes: dict[str, object]) -> None:
    updated = (
        Appointment.update(**changes)
        .where((Appointment.id == appointment_id) & (Appointment.version == version))
        .execute()
    )
    if updated == 0:
        raise StaleEdit()


@writes("appointment.status")
def set_status(
    actor: Actor, appointment_id: int, status: str, expected_version: int, reason: str = ""
) -> AppointmentRow:
    """Move an appointment along ``TRANSITIONS``, stamping the time; StaleEdit if it changed."""
    return change_status(actor, appointment_id, status, expected_version, reason)


def change_status(
    actor: Actor,
    appointment_id: int,
    status: str,
    expected_version: int,
    reason: str = "",
    extra: dict[str, object] | None = None,
    detail: str = "",
) -> AppointmentRow:
    """``set_status``'s work, for writes that change a status on the way (a confirmation
    call); runs inside the caller's write."""
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"unknown appointment status {status!r}", field="status")
    reason = rules.clean_reason(reason)
    if status == "cancelled" and not reason:
        raise InvalidInput("a cancellation needs a reason", field="reason")
    current, version, patient_id, changed_by, _provider, start, _end = _read(appointment_id)
    if version != expected_version:
        raise _stale(changed_by)
    if status not in next_statuses(current):
        raise InvalidInput(
            f"an appointment that is {current.replace('_', '-')} cannot become "
            f"{status.replace('_', '-')}",
            field="status",
        )
    refusal = day_refusal(status, start.date())
    if refusal:
        raise InvalidInput(refusal, field="status")
    now = clock.now()
    changes: dict[str, object] = {
        "status": status,
        "updated_at": now,
        "updated_by": actor.user_id,
        "version": Appointment.version + 1,
        STAMPS[status]: now,
        **(extra or {}),
    }
    if status == "cancelled":
        changes["cancel_reason"] = reason
    _update(appointment_id, version, changes)
    record_event(
        actor,
        appointment_id,
        "status",
        version + 1,
        at=now,
        from_status=current,
        to_status=status,
        detail=detail or (reason if status == "cancelled" else ""),
    )
    fields = [name for name in changes if name not in ("updated_at", "updated_by", "version")]
    audit.record(actor, "update", "appointment", appointment_id, patient_id=patient_id,
                 fields=fields, detail=f"{current} -> {status}")  # fmt: skip
    return get_appointment(appointment_id)


def undo_target(appointment_id: int, version: int) -> str | None:
    """The status an undo would go back to, or None when there is nothing to undo."""
    latest = latest_event(appointment_id)
    if latest is None:
        return None
    _eid, kind, from_status, _to_status, event_version = latest
    if kind != "status" or event_version != version:
        return None
    return from_status


@writes("appointment.status")
def undo_status(actor: Actor, appointment_id: int, expected_version: int) -> AppointmentRow:
    """Take back the last status change (see the module docstring)."""
    current, version, patient_id, changed_by, provider_id, start, end = _read(appointment_id)
    rules.lock_patient(patient_id)
    if version != expected_version:
        raise _stale(changed_by)
    latest = latest_event(appointment_id)
    if latest is None or latest[1] != "status" or latest[4] != version or latest[3] != current:
        raise InvalidInput(
            "nothing to undo: only the last status change can be undone, and only while "
            "nothing newer happened to the appointment",
            field="status",
        )
    event_id, _kind, target, _to, _v = latest
    now = clock.now()
    changes: dict[str, object] = {
        "status": target,
        "updated_at": now,
        "updated_by": actor.user_id,
        "version": Appointment.version + 1,
        STAMPS[current]: None,
    }
    if current == "cancelled":
        changes["cancel_reason"] = ""
    if current in DEAD and target not in DEAD:
        # the time comes back to life: it must still be free for the provider and patient
        rules.check_patient_free(patient_id, start, end, exclude_id=appointment_id)
        rules.check_provider_free(provider_id, start, end, exclude_id=appointment_id)
    insert_or_taken(
        provider_id,
        start,
        end,
        lambda: _update(appointment_id, version, changes) or 0,
        exclude_id=appointment_id,
    )
    record_event(
        actor,
        appointment_id,
        "undo",
        version + 1,
        at=now,
        from_status=current,
        to_status=target,
        undoes=event_id,
    )
    fields = [name for name in changes if name not in ("updated_at", "updated_by", "version")]
    audit.record(actor, "update", "appointment", appointment_id, patient_id=patient_id,
                 fields=fields, detail=f"undo {current} -> {target}")  # fmt: skip
    return get_appointment(appointment_id)
