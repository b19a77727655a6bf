"""The booking rules, checked inside the write transaction that books or moves.

In order, after taking the lock:

1. the lock: on SQLite every write transaction already holds the one write lock
   (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-level advisory lock per patient
   (``Engine.lock_patient_bookings``), so two desks booking one patient at once with
   different providers are serialised and the second sees the first;
2. the patient and the provider exist and are active (an inactive patient's record
   must be reactivated first; ``PatientInactive`` lets a screen offer that; a record
   merged into another is refused outright: it is never reactivated by a booking);
3. the patient is not booked at an overlapping time with any provider;
4. the provider has no live appointment overlapping it (checked here to name who
   booked it; the database guard, a trigger on SQLite and an exclusion constraint on
   PostgreSQL, still refuses the race this check cannot see);
5. the time is inside the provider's hours and outside every block, unless it is an
   explicit overbook: a reason and a role that may overbook (``appointment.overbook``).
   A provider whose weekly hours were never entered has no hours to be outside of
   (a practice setting up is not stopped from booking); blocks still count.

Touching appointments (one ends at 9:30, the next starts at 9:30) do not overlap.
Messages name times and providers, never a patient.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import LIVE_STATUSES, Appointment, Patient, Provider
from medoffice_tui.errors import InvalidInput, SlotTaken
from medoffice_tui.services import permissions
from medoffice_tui.services.actor import Actor, refuse_unless
from medoffice_tui.services.schedule.calendar import (
    blocks_between,
    spans_on,
    weekly_hours,
    within_hours,
)
from medoffice_tui.services.schedule.errors import NeedsOverbook, PatientInactive
from medoffice_tui.services.schedule.rows import provider_name
from medoffice_tui.services.staff import staff_name

#: longest appointment the desk can book in one go
MAX_MINUTES = 12 * 60
#: what an overbook reason and a visit reason may hold
REASON_MAX = 200
#: the race loser's words (the issue's): the grid refreshes behind them
TAKEN = "that time was just taken"
PATIENT_BUSY = "the patient already has an appointment at an overlapping time"
#: how a block's kind reads in a sentence
BLOCK_WORDS = {"out": "time off", "block": "blocked time"}


def clean_reason(text: str | None, field: str = "reason") -> str:
    reason = " ".join((text or "").split())
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"{field.replace('_', ' ')} is longer than {REASON_MAX} characters",
                           field=field)  # fmt: skip
    return reason


def wall_time(value: object, field: str = "start") -> dt.datetime:
    """Naive local wall time to the minute (what the schedule stores)."""
    if not isinstance(value, dt.datetime):
        raise InvalidInput("a start date and time is required", field=field)
    if value.tzinfo is not None:
        value = value.astimezone(clock.time_zone()).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def check_length(minutes: int) -> None:
    if minutes <= 0:
        raise InvalidInput("the appointment must end after it starts", field="minutes")
    if minutes > MAX_MINUTES:
        raise InvalidInput(
            f"an appointment can last at most {MAX_MINUTES} minutes", field="minutes"
        )


def check_not_past(start: dt.datetime) -> None:
    if start.date() < clock.today():
        raise InvalidInput("that day has passed: book today or a later day", field="start")


def lock_patient(patient_id: int) -> None:
    """Take the per-patient booking lock (see the module docstring); first thing."""
    engine_for().lock_patient_bookings(patient_id)


def require_patient(patient_id: int) -> None:
    row = (
        Patient.select(Patient.active, Patient.merged_into)
        .where(Patient.id == patient_id)
        .tuples()
        .first()
    )
    if row is None:
        raise InvalidInput(f"patient {patient_id} does not exist", field="patient")
    if row[1] is not None:
        # never reactivated by a booking: the visit belongs on the surviving record
        raise InvalidInput("this record was merged into another: book the surviving record",
                           field="patient")  # fmt: skip
    if not row[0]:
        raise PatientInactive()


def require_provider(provider_id: int) -> tuple[str, str, str]:
    """The provider's (first, last, credential); refuses a missing or inactive one."""
    row = (
        Provider.select(
            Provider.active, Provider.first_name, Provider.last_name, Provider.credential
        )
        .where(Provider.id == provider_id)
        .tuples()
        .first()
    )
    if row is None:
        raise InvalidInput(f"provider {provider_id} does not exist", field="provider")
    if not row[0]:
        raise InvalidInput(f"provider {provider_id} is inactive", field="provider")
    return row[1], row[2], row[3]


def _overlapping(start: dt.datetime, end: dt.datetime, exclude_id: int | None):  # noqa: ANN202
    query = Appointment.select(Appointment.id, Appointment.created_by).where(
        Appointment.status.in_(LIVE_STATUSES)
        & (Appointment.start < end)
        & (Appointment.end > start)
    )
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return query


def check_patient_free(
    patient_id: int, start: dt.datetime, end: dt.datetime, exclude_id: int | None = None
) -> None:
    clash = (
        _overlapping(start, end, exclude_id)
        .where(Appointment.patient == patient_id)
        .tuples()
        .first()
    )
    if clash is not None:
        raise SlotTaken(PATIENT_BUSY, field="start", taken_by=staff_name(clash[1]))


def provider_clash(
    provider_id: int, start: dt.datetime, end: dt.datetime, exclude_id: int | None = None
) -> SlotTaken | None:
    """The refusal for a live appointment of the provider in that time, or None."""
    clash = (
        _overlapping(start, end, exclude_id)
        .where(Appointment.provider == provider_id)
        .tuples()
        .first()
    )
    if clash is None:
        return None
    return SlotTaken(TAKEN, field="start", taken_by=staff_name(clash[1]))


def check_provider_free(
    provider_id: int, start: dt.datetime, end: dt.datetime, exclude_id: int | None = None
) -> None:
    clash = provider_clash(provider_id, start, end, exclude_id)
    if clash is not None:
        raise clash


def _hhmm(value: dt.datetime | dt.time) -> str:
    return value.strftime("%H:%M")


def bookable_problem(
    provider_id: int, who: tuple[str, str, str], start: dt.datetime, end: dt.datetime
) -> str | None:
    """Why [start, end) is not in the provider's bookable time, or None when it is."""
    day = start.date()
    name = provider_name(*who).split(",", 1)[0]
    when = f"{_hhmm(start)}-{_hhmm(end)}"
    week = weekly_hours([provider_id])[provider_id]
    spans = spans_on(week, day)
    if end.date() != day and end != dt.datetime.combine(day + dt.timedelta(days=1), dt.time()):
        return f"{when} runs past midnight"
    # a provider whose weekly hours were never entered has none to be outside of
    if any(week.values()) and not within_hours(start, end, spans):
        if not spans:
            return f"{name} does not work on {day.strftime('%a %d %b')}"
        shown = ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in spans)
        return f"{when} is outside {name}'s hours ({shown})"
    day_start = dt.datetime.combine(day, dt.time())
    for block in blocks_between([provider_id], day_start, day_start + dt.timedelta(days=1)):
        if block.start < end and block.end > start:
            return (
                f"{when} falls in {name}'s {BLOCK_WORDS.get(block.kind, block.kind)} "
                f"({_hhmm(block.start)}-{_hhmm(block.end)})"
            )
    return None


def check_bookable(
    actor: Actor,
    provider_id: int,
    who: tuple[str, str, str],
    start: dt.datetime,
    end: dt.datetime,
    *,
    overbook: bool,
    overbook_reason: str,
) -> tuple[bool, str]:
    """(overbooked, reason kept): refuses time outside hours or in a block unless this is
    an explicit overbook by a role that may. Inside bookable time it is a plain booking."""
    problem = bookable_problem(provider_id, who, start, end)
    if problem is None:
        return False, ""
    if not overbook:
        may = permissions.allowed(actor, "appointment.overbook")
        roles = " or ".join(permissions.needed_roles("appointment.overbook"))
        raise NeedsOverbook(problem, may_overbook=may, roles=roles)
    refuse_unless(actor, "appointment.overbook")  # audited as a refusal when it fails
    reason = clean_reason(overbook_reason, "overbook_reason")
    if not reason:
        raise InvalidInput("an overbook needs a reason", field="overbook_reason")
    return True, reason
