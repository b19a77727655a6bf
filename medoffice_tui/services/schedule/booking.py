"""Booking an appointment: every rule in one write transaction that takes the lock first.

The rules are ``rules.py``'s, in its order. The insert itself is the last word: a
provider's live appointments never overlap because the database refuses it (a
trigger on SQLite, an exclusion constraint on PostgreSQL), so a desk that loses a
race to another is told "that time was just taken" (and by whom), never a lock error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from peewee import IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import Appointment, AppointmentType, Patient
from medoffice_tui.errors import InvalidInput, SlotTaken
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.practice import get_practice
from medoffice_tui.services.schedule import rules
from medoffice_tui.services.schedule.errors import PatientInactive
from medoffice_tui.services.schedule.history import record_event
from medoffice_tui.services.schedule.rows import AppointmentRow, get_appointment

BOOKED_FIELDS = ("patient", "provider", "start", "end", "appt_type", "reason", "status")


def default_minutes(appt_type_id: int | None) -> int:
    """The type's length, else the practice's slot length; refuses an unknown type."""
    if appt_type_id is None:
        return get_practice().slot_minutes
    row = (
        AppointmentType.select(AppointmentType.default_minutes)
        .where(AppointmentType.id == appt_type_id)
        .tuples()
        .first()
    )
    if row is None:
        raise InvalidInput(f"appointment type {appt_type_id} does not exist", field="appt_type")
    return row[0]


def insert_or_taken(
    provider_id: int,
    start: dt.datetime,
    end: dt.datetime,
    write: Callable[[], int],
    exclude_id: int | None = None,
) -> int:
    """Run ``write`` in a savepoint; the overlap guard's refusal becomes ``SlotTaken``
    naming who booked the time (visible now: the other desk has committed)."""
    try:
        with db.atomic():
            return write()
    except IntegrityError as exc:
        if not engine_for().is_overlap_error(exc):
            raise
    raise rules.provider_clash(provider_id, start, end, exclude_id) or SlotTaken(rules.TAKEN)


def reactivate_patient(actor: Actor, patient_id: int) -> None:
    """Put an inactive record back in use, through the patients service (its rules and
    its audit event), inside the booking's transaction."""
    from medoffice_tui.services import patients

    version = Patient.select(Patient.version).where(Patient.id == patient_id).scalar()
    patients.update_patient(actor, patient_id, version, active=True)


@writes("appointment.book")
def book_appointment(
    actor: Actor,
    patient_id: int,
    provider_id: int,
    start: dt.datetime,
    minutes: int | None = None,
    appt_type_id: int | None = None,
    reason: str = "",
    *,
    overbook: bool = False,
    overbook_reason: str = "",
    reactivate: bool = False,
) -> AppointmentRow:
    """Book a visit; see ``rules.py`` for what is refused and why.

    ``minutes`` defaults to the type's length, else the practice's slot length.
    ``overbook`` books outside the provider's hours or into a block (with a reason, by
    a role that may). ``reactivate`` puts an inactive patient's record back in use first.
    Raises SlotTaken when the provider or the patient is already booked then.
    """
    start = rules.wall_time(start)
    reason = rules.clean_reason(reason)
    rules.lock_patient(patient_id)
    length = default_minutes(appt_type_id) if minutes is None else int(minutes)
    if minutes is not None and appt_type_id is not None:
        default_minutes(appt_type_id)  # still check the type exists
    rules.check_length(length)
    end = start + dt.timedelta(minutes=length)
    rules.check_not_past(start)
    try:
        rules.require_patient(patient_id)
    except PatientInactive:
        if not reactivate:
            raise
        reactivate_patient(actor, patient_id)
    who = rules.require_provider(provider_id)
    rules.check_patient_free(patient_id, start, end)
    rules.check_provider_free(provider_id, start, end)
    overbooked, kept_reason = rules.check_bookable(
        actor, provider_id, who, start, end, overbook=overbook, overbook_reason=overbook_reason
    )
    now = clock.now()
    appointment_id = insert_or_taken(
        provider_id,
        start,
        end,
        lambda: Appointment.insert(
            patient=patient_id,
            provider=provider_id,
            appt_type=appt_type_id,
            start=start,
            end=end,
            reason=reason,
            status="booked",
            booked_at=now,
            updated_at=now,
            created_by=actor.user_id,
            updated_by=actor.user_id,
            version=1,
            overbooked=overbooked,
            overbook_reason=kept_reason,
        ).execute(),
    )
    record_event(
        actor,
        appointment_id,
        "booked",
        1,
        at=now,
        to_status="booked",
        to_provider=provider_id,
        to_start=start,
        to_end=end,
        detail=f"overbook: {kept_reason}" if overbooked else "",
    )
    fields = [*BOOKED_FIELDS, *(("overbooked", "overbook_reason") if overbooked else ())]
    audit.record(
        actor,
        "create",
        "appointment",
        appointment_id,
        patient_id=patient_id,
        fields=fields,
        detail="overbook" if overbooked else "",
    )
    return get_appointment(appointment_id)
