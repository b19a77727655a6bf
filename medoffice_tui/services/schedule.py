"""The day's schedule: providers, hours, blocks and appointments; booking and status changes.

Double-booking is prevented by the database itself (a trigger on SQLite, an
exclusion constraint on PostgreSQL, see ``db/engines``): ``book_appointment``
just inserts and turns the guard's IntegrityError into ``SlotTaken``. A
check-then-insert in Python would race with the other desks.

Status changes follow ``TRANSITIONS`` and name the version the desk read:
``UPDATE ... WHERE id = ? AND version = ?`` changes nothing when another desk got
there first, and the caller gets ``StaleEdit`` instead of a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.rrule import rrulebase, rrulestr
from peewee import JOIN, IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import (
    APPOINTMENT_STATUSES,
    Appointment,
    AppointmentType,
    Patient,
    Provider,
    ProviderBlock,
    ProviderHours,
)
from medoffice_tui.errors import InvalidInput, NotFound, SlotTaken, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.practice import get_practice
from medoffice_tui.services.staff import staff_name

#: status -> the statuses the desk may move it to (no_show -> booked is the undo)
TRANSITIONS: dict[str, frozenset[str]] = {
    "booked": frozenset({"confirmed", "arrived", "cancelled", "no_show"}),
    "confirmed": frozenset({"arrived", "cancelled", "no_show"}),
    "arrived": frozenset({"roomed", "completed", "cancelled"}),
    "roomed": frozenset({"completed"}),
    "no_show": frozenset({"booked"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
def next_statuses(current: str) -> frozenset[str]:
    """The statuses an appointment that is ``current`` may move to (for keys and checks)."""
    return TRANSITIONS.get(current, frozenset())


#: the timestamp column each status stamps with clock.now()
STAMPS = {
    "confirmed": "confirmed_at",
    "arrived": "arrived_at",
    "roomed": "roomed_at",
    "completed": "completed_at",
    "cancelled": "cancelled_at",
    "no_show": "no_show_at",
}
#: longest appointment the desk can book in one go
MAX_MINUTES = 12 * 60


@dataclass(frozen=True)
class ProviderColumn:
    id: int
    name: str  # "J. Rivera, MD"


@dataclass(frozen=True)
class AppointmentRow:
    id: int
    provider_id: int
    provider_name: str
    start: dt.datetime
    end: dt.datetime
    patient_id: int
    patient_name: str  # "Last, First"
    mrn: str
    type_name: str
    reason: str
    status: str
    version: int


@dataclass(frozen=True)
class BlockRow:
    provider_id: int
    start: dt.datetime
    end: dt.datetime
    kind: str
    note: str


@dataclass(frozen=True)
class DayView:
    day: dt.date
    providers: list[ProviderColumn]
    appointments: list[AppointmentRow]  # sorted by (start, provider sort order)
    blocks: list[BlockRow]  # recurring blocks expanded for that day
    hours: dict[int, list[tuple[dt.time, dt.time]]]  # provider_id -> working spans


def provider_name(first: str, last: str, credential: str) -> str:
    cred = f", {credential}" if credential else ""
    initial = f"{first[:1]}. " if first else ""
    return f"{initial}{last}{cred}"


def list_providers(active_only: bool = True) -> list[ProviderColumn]:
    query = Provider.select(
        Provider.id, Provider.first_name, Provider.last_name, Provider.credential
    ).order_by(Provider.sort_order, Provider.last_name, Provider.id)
    if active_only:
        query = query.where(Provider.active == True)  # noqa: E712
    return [ProviderColumn(pid, provider_name(f, last, c)) for pid, f, last, c in query.tuples()]


def _providers_for(provider_ids: Sequence[int] | None) -> list[ProviderColumn]:
    if provider_ids is None:
        return list_providers(active_only=True)
    wanted = set(provider_ids)
    return [p for p in list_providers(active_only=False) if p.id in wanted]


# ------------------------------------------------------------------ day view

_APPT_COLUMNS = (
    Appointment.id,
    Appointment.provider,
    Provider.first_name,
    Provider.last_name,
    Provider.credential,
    Appointment.start,
    Appointment.end,
    Appointment.patient,
    Patient.last_name,
    Patient.first_name,
    Patient.mrn,
    AppointmentType.name,
    Appointment.reason,
    Appointment.status,
    Appointment.version,
)


def _appointment_query():  # noqa: ANN202 - a peewee query
    """Appointments with provider, patient and type in one statement (no per-row lookups)."""
    return (
        Appointment.select(*_APPT_COLUMNS)
        .join(Provider, JOIN.INNER, on=(Appointment.provider == Provider.id))
        .switch(Appointment)
        .join(Patient, JOIN.INNER, on=(Appointment.patient == Patient.id))
        .switch(Appointment)
        .join(AppointmentType, JOIN.LEFT_OUTER, on=(Appointment.appt_type == AppointmentType.id))
    )


def _to_appointment(row: tuple) -> AppointmentRow:
    (aid, pid, pfirst, plast, cred, start, end, patient_id, last, first, mrn, type_name,
     reason, status, version) = row  # fmt: skip
    return AppointmentRow(
        id=aid,
        provider_id=pid,
        provider_name=provider_name(pfirst, plast, cred),
        start=start,
        end=end,
        patient_id=patient_id,
        patient_name=f"{last}, {first}",
        mrn=mrn,
        type_name=type_name or "",
        reason=reason,
        status=status,
        version=version,
    )


def day_view(
    day: dt.date, provider_ids: Sequence[int] | None = None, include_cancelled: bool = False
) -> DayView:
    """One day for the given providers (default: every active one), in four reads."""
    providers = _providers_for(provider_ids)
    ids = [p.id for p in providers]
    order = {pid: n for n, pid in enumerate(ids)}
    day_start = dt.datetime.combine(day, dt.time())
    day_end = day_start + dt.timedelta(days=1)
    if not ids:
        return DayView(day, [], [], [], {})
    query = _appointment_query().where(
        (Appointment.start >= day_start)
        & (Appointment.start < day_end)
        & Appointment.provider.in_(ids)
    )
    if not include_cancelled:
        query = query.where(Appointment.status != "cancelled")
    appointments = [_to_appointment(row) for row in query.tuples()]
    appointments.sort(key=lambda a: (a.start, order[a.provider_id], a.id))
    return DayView(
        day=day,
        providers=providers,
        appointments=appointments,
        blocks=_blocks_for(ids, day_start, day_end, order),
        hours=_hours_for(ids, day.weekday()),
    )


def _hours_for(ids: list[int], weekday: int) -> dict[int, list[tuple[dt.time, dt.time]]]:
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {pid: [] for pid in ids}
    query = (
        ProviderHours.select(
            ProviderHours.provider, ProviderHours.start_time, ProviderHours.end_time
        )
        .where(ProviderHours.provider.in_(ids) & (ProviderHours.weekday == weekday))
        .order_by(ProviderHours.provider, ProviderHours.start_time)
        .tuples()
    )
    for pid, start, end in query:
        hours[pid].append((start, end))
    return hours


def _blocks_for(
    ids: list[int], day_start: dt.datetime, day_end: dt.datetime, order: dict[int, int]
) -> list[BlockRow]:
    """One-off blocks touching the day, plus every recurring block's occurrences that day."""
    one_off = (
        ProviderBlock.rrule.is_null()
        & (ProviderBlock.start < day_end)
        & (ProviderBlock.end > day_start)
    )
    recurring = (
        ProviderBlock.rrule.is_null(False)
        & (ProviderBlock.start < day_end)
        & (ProviderBlock.until.is_null() | (ProviderBlock.until >= day_start.date()))
    )
    query = (
        ProviderBlock.select(
            ProviderBlock.provider,
            ProviderBlock.start,
            ProviderBlock.end,
            ProviderBlock.kind,
            ProviderBlock.note,
            ProviderBlock.rrule,
            ProviderBlock.until,
        )  # fmt: skip
        .where(ProviderBlock.provider.in_(ids) & (one_off | recurring))
        .tuples()
    )
    blocks = []
    for pid, start, end, kind, note, rule, until in query:
        for occ_start, occ_end in _occurrences(start, end, rule, until, day_start, day_end):
            blocks.append(BlockRow(pid, occ_start, occ_end, kind, note))
    blocks.sort(key=lambda b: (b.start, order[b.provider_id], b.end))
    return blocks


@functools.lru_cache(maxsize=512)
def _recurrence(rule: str, start: dt.datetime) -> rrulebase | None:
    """The parsed rule, kept between day views with dateutil's occurrence cache on:
    a weekday lunch block started years ago is otherwise re-walked from its first
    day on every page of the schedule (15 ms for 20 providers; cached: about 1 ms)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    try:
        return rrulestr(text, dtstart=start, cache=True)
    except (ValueError, TypeError):
        return None


def _occurrences(
    start: dt.datetime,
    end: dt.datetime,
    rule: str | None,
    until: dt.date | None,
    day_start: dt.datetime,
    day_end: dt.datetime,
) -> list[tuple[dt.datetime, dt.datetime]]:
    if not rule:
        return [(start, end)]
    length = end - start
    recurrence = _recurrence(rule, start)
    if recurrence is None:
        return []  # an unreadable rule blocks nothing rather than breaking the day
    found = []
    # an occurrence that began before midnight may still run into this day
    for occ in recurrence.between(day_start - length, day_end, inc=True):
        if until is not None and occ.date() > until:
            break
        occ_end = occ + length
        if occ < day_end and occ_end > day_start:
            found.append((occ, occ_end))
    return found


# ------------------------------------------------------------------- booking


def _wall_time(value: dt.datetime) -> dt.datetime:
    """Naive local wall time to the minute (what the schedule stores)."""
    if value.tzinfo is not None:
        value = value.astimezone(clock.time_zone()).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def get_appointment(appointment_id: int) -> AppointmentRow:
    row = _appointment_query().where(Appointment.id == appointment_id).tuples().first()
    if row is None:
        raise NotFound(f"appointment {appointment_id} not found")
    return _to_appointment(row)


@writes("appointment.book")
def book_appointment(
    actor: Actor,
    patient_id: int,
    provider_id: int,
    start: dt.datetime,
    minutes: int | None = None,
    appt_type_id: int | None = None,
    reason: str = "",
) -> AppointmentRow:
    """Book a visit. Raises SlotTaken when the provider already has a live visit then.

    ``minutes`` defaults to the type's length, else the practice's slot length.
    Outside the provider's hours is allowed (the desk sees the hours on screen).
    """
    if not isinstance(start, dt.datetime):
        raise InvalidInput("a start date and time is required")
    start = _wall_time(start)
    reason = " ".join((reason or "").split())
    if len(reason) > 200:
        raise InvalidInput("reason is longer than 200 characters")
    try:
        with db.atomic():
            if minutes is None:
                minutes = _default_minutes(appt_type_id)
            elif appt_type_id is not None:
                _default_minutes(appt_type_id)  # still check the type exists
            if minutes <= 0:
                raise InvalidInput("the appointment must end after it starts")
            if minutes > MAX_MINUTES:
                raise InvalidInput(f"an appointment can last at most {MAX_MINUTES} minutes")
            _require_active(Patient, patient_id, "patient")
            _require_active(Provider, provider_id, "provider")
            now = clock.now()
            appointment_id = Appointment.insert(
                patient=patient_id,
                provider=provider_id,
                appt_type=appt_type_id,
                start=start,
                end=start + dt.timedelta(minutes=minutes),
                reason=reason,
                status="booked",
                booked_at=now,
                updated_at=now,
                created_by=actor.user_id,
                updated_by=actor.user_id,
                version=1,
            ).execute()
    except IntegrityError as exc:
        if engine_for().is_overlap_error(exc):
            raise SlotTaken() from None
        raise
    audit.record(
        actor,
        "create",
        "appointment",
        appointment_id,
        patient_id=patient_id,
        fields=("patient", "provider", "start", "end", "appt_type", "reason", "status"),
    )
    return get_appointment(appointment_id)


def _default_minutes(appt_type_id: int | None) -> int:
    if appt_type_id is None:
        return get_practice().slot_minutes
    row = (
        AppointmentType.select(AppointmentType.default_minutes)
        .where(AppointmentType.id == appt_type_id)
        .tuples()
        .first()
    )
    if row is None:
        raise InvalidInput(f"appointment type {appt_type_id} does not exist")
    return row[0]


def _require_active(model: type, record_id: int, label: str) -> None:
    row = model.select(model.active).where(model.id == record_id).tuples().first()
    if row is None:
        raise InvalidInput(f"{label} {record_id} does not exist")
    if not row[0]:
        raise InvalidInput(f"{label} {record_id} is inactive")


@writes("appointment.status")
def set_status(
    actor: Actor, appointment_id: int, status: str, expected_version: int, reason: str = ""
) -> AppointmentRow:
    """Move an appointment along ``TRANSITIONS``, stamping the time; StaleEdit if it changed."""
    if status not in APPOINTMENT_STATUSES:
        raise InvalidInput(f"unknown appointment status {status!r}")
    reason = " ".join((reason or "").split())
    if status == "cancelled" and not reason:
        raise InvalidInput("a cancellation needs a reason")
    if len(reason) > 200:
        raise InvalidInput("reason is longer than 200 characters")
    try:
        with db.atomic():
            row = (
                Appointment.select(
                    Appointment.status,
                    Appointment.version,
                    Appointment.patient,
                    Appointment.updated_by,
                )
                .where(Appointment.id == appointment_id)
                .tuples()
                .first()
            )
            if row is None:
                raise NotFound(f"appointment {appointment_id} not found")
            current, version, patient_id, changed_by = row
            if version != expected_version:
                raise StaleEdit(changed_by=staff_name(changed_by), changed_fields=("status",))
            if status not in TRANSITIONS.get(current, frozenset()):
                raise InvalidInput(f"an appointment that is {current} cannot become {status}")
            now = clock.now()
            changes: dict[str, object] = {
                "status": status,
                "updated_at": now,
                "updated_by": actor.user_id,
                "version": Appointment.version + 1,
            }
            if status in STAMPS:
                changes[STAMPS[status]] = now
            if status == "cancelled":
                changes["cancel_reason"] = reason
            if current == "no_show" and status == "booked":
                changes["no_show_at"] = None
            updated = (
                Appointment.update(**changes)
                .where((Appointment.id == appointment_id) & (Appointment.version == version))
                .execute()
            )
            if updated == 0:
                raise StaleEdit()
    except IntegrityError as exc:
        if engine_for().is_overlap_error(exc):
            # undoing a no-show when the freed time was booked meanwhile
            raise SlotTaken() from None
        raise
    fields = [name for name in changes if name not in ("updated_at", "updated_by", "version")]
    audit.record(actor, "update", "appointment", appointment_id, patient_id=patient_id,
                 fields=fields, detail=f"{current} -> {status}")  # fmt: skip
    return get_appointment(appointment_id)
