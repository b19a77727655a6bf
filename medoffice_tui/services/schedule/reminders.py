"""The confirmation list: who to call for a day, what came of each call, and its CSV.

For a chosen day (by default the next working day: the next day any active provider
has hours), every appointment not yet confirmed, with the patient's preferred contact
and the phone to call. One call's outcome at a time: ``confirmed`` (the appointment
becomes confirmed), ``left_message``, ``no_answer``, ``wrong_number``; the outcome,
its time and who called are kept on the appointment and in its history.

The list holds phone numbers: it is a checked read, its export is audited and the
file is created owner-only.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from peewee import JOIN

from medoffice_tui import clock, files
from medoffice_tui.db.models import (
    REMINDER_OUTCOMES,
    Appointment,
    AppointmentType,
    Patient,
    Provider,
)
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.schedule.calendar import weekly_hours
from medoffice_tui.services.schedule.history import record_event
from medoffice_tui.services.schedule.rows import (
    AppointmentRow,
    get_appointment,
    list_providers,
    provider_name,
)
from medoffice_tui.services.schedule.status import change_status
from medoffice_tui.services.staff import staff_name

#: outcome -> the words the list and the CSV show
OUTCOME_WORDS = {
    "": "not called",
    "confirmed": "confirmed",
    "left_message": "left message",
    "no_answer": "no answer",
    "wrong_number": "wrong number",
}
#: the statuses still waiting for a confirmation
WAITING = ("booked",)
CSV_HEADER = (
    "time",
    "provider",
    "patient",
    "mrn",
    "preferred contact",
    "phone",
    "email",
    "type",
    "outcome",
    "called at",
)


@dataclass(frozen=True)
class ReminderRow:
    appointment_id: int
    version: int
    start: dt.datetime
    provider_name: str
    patient_id: int
    patient_name: str
    mrn: str
    contact: str  # mobile, home, work, email, mail
    phone: str  # the number to call: the preferred one if on file, else any
    email: str
    type_name: str
    outcome: str  # "" or one of REMINDER_OUTCOMES
    outcome_at: dt.datetime | None

    @property
    def outcome_words(self) -> str:
        return OUTCOME_WORDS.get(self.outcome, self.outcome)


def next_working_day(after: dt.date | None = None) -> dt.date:
    """The next day after ``after`` (default today) on which any active provider works."""
    after = after or clock.today()
    providers = [p.id for p in list_providers()]
    hours = weekly_hours(providers)
    weekdays = {wd for week in hours.values() for wd, spans in week.items() if spans}
    for offset in range(1, 15):
        day = after + dt.timedelta(days=offset)
        if not weekdays or day.weekday() in weekdays:
            return day
    return after + dt.timedelta(days=1)


def _phone_for(contact: str, mobile: str, home: str, work: str) -> str:
    preferred = {"mobile": mobile, "home": home, "work": work}.get(contact, "")
    return preferred or mobile or home or work


def _rows(day: dt.date) -> Iterator[ReminderRow]:
    start = dt.datetime.combine(day, dt.time())
    query = (
        Appointment.select(
            Appointment.id,
            Appointment.version,
            Appointment.start,
            Provider.first_name,
            Provider.last_name,
            Provider.credential,
            Patient.id,
            Patient.last_name,
            Patient.first_name,
            Patient.mrn,
            Patient.preferred_contact,
            Patient.phone_mobile,
            Patient.phone_home,
            Patient.phone_work,
            Patient.email,
            AppointmentType.name,
            Appointment.reminder_outcome,
            Appointment.reminder_at,
        )
        .join(Provider, on=(Appointment.provider == Provider.id))
        .switch(Appointment)
        .join(Patient, on=(Appointment.patient == Patient.id))
        .switch(Appointment)
        .join(AppointmentType, JOIN.LEFT_OUTER, on=(Appointment.appt_type == AppointmentType.id))
        .where(
            (Appointment.start >= start)
            & (Appointment.start < start + dt.timedelta(days=1))
            & Appointment.status.in_(WAITING)
        )
        .order_by(Appointment.start, Provider.sort_order, Appointment.id)
        .tuples()
    )
    for (aid, version, at, pf, pl, pc, pid, last, first, mrn, contact, mobile, home, work,
         email, type_name, outcome, outcome_at) in query:  # fmt: skip
        yield ReminderRow(
            appointment_id=aid,
            version=version,
            start=at,
            provider_name=provider_name(pf, pl, pc),
            patient_id=pid,
            patient_name=f"{last}, {first}",
            mrn=mrn,
            contact=contact or "",
            phone=_phone_for(contact or "", mobile or "", home or "", work or ""),
            email=email or "",
            type_name=type_name or "",
            outcome=outcome or "",
            outcome_at=outcome_at,
        )


@reads("appointment.status")
def confirmation_list(actor: Actor, day: dt.date) -> list[ReminderRow]:
    """Every appointment on ``day`` not yet confirmed, by time then provider."""
    return list(_rows(day))


@writes("appointment.status")
def record_call(
    actor: Actor, appointment_id: int, expected_version: int, outcome: str
) -> AppointmentRow:
    """Keep what a confirmation call came to; ``confirmed`` also confirms the visit."""
    if outcome not in REMINDER_OUTCOMES:
        raise InvalidInput(f"unknown call outcome {outcome!r}", field="outcome")
    row = (
        Appointment.select(
            Appointment.status, Appointment.version, Appointment.patient, Appointment.updated_by
        )
        .where(Appointment.id == appointment_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"appointment {appointment_id} not found")
    status, version, patient_id, changed_by = row
    if version != expected_version:
        raise StaleEdit(changed_by=staff_name(changed_by), changed_fields=("status",))
    now = clock.now()
    call = {"reminder_outcome": outcome, "reminder_at": now, "reminder_by": actor.user_id}
    if outcome == "confirmed":
        return change_status(
            actor, appointment_id, "confirmed", version, extra=call, detail="by phone"
        )
    if status not in WAITING:
        raise InvalidInput(
            f"an appointment that is {status.replace('_', '-')} is not waiting for a call",
            field="outcome",
        )
    updated = (
        Appointment.update(
            **call, updated_at=now, updated_by=actor.user_id, version=Appointment.version + 1
        )
        .where((Appointment.id == appointment_id) & (Appointment.version == version))
        .execute()
    )
    if updated == 0:
        raise StaleEdit()
    record_event(actor, appointment_id, "reminder", version + 1, at=now, detail=outcome)
    audit.record(actor, "update", "appointment", appointment_id, patient_id=patient_id,
                 fields=tuple(call), detail=f"call: {outcome}")  # fmt: skip
    return get_appointment(appointment_id)


def write_csv(rows: list[ReminderRow], handle: TextIO) -> int:
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            (
                r.start.strftime("%Y-%m-%d %H:%M"),
                r.provider_name,
                r.patient_name,
                r.mrn,
                r.contact,
                r.phone,
                r.email,
                r.type_name,
                r.outcome_words,
                r.outcome_at.strftime("%Y-%m-%d %H:%M") if r.outcome_at else "",
            )
        )
    return len(rows)


@reads("appointment.status")
def export_confirmation_list(actor: Actor, day: dt.date, out: str | Path | TextIO) -> int:
    """Write the day's list as CSV to a new owner-only file (or an open handle); audited.

    Returns how many appointments it holds. An existing file is never overwritten.
    """
    rows = list(_rows(day))
    if isinstance(out, str | Path):
        path = Path(out)
        if path.exists():
            raise InvalidInput("that file exists already; choose a new file name", field="out")
        files.secure_file(path)
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                count = write_csv(rows, handle)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    else:
        count = write_csv(rows, out)
    audit.record(actor, "export", "appointment", fields=CSV_HEADER,
                 detail=f"confirmation list {day.isoformat()}: {count} rows")  # fmt: skip
    return count
