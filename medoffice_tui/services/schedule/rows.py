"""What the schedule reads back: providers, appointment types and appointment rows.

Every row is a frozen dataclass built from one joined statement (no per-row lookups);
the screens and the CLI get these, never models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from medoffice_tui.db.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    Patient,
    Provider,
)
from medoffice_tui.errors import NotFound


@dataclass(frozen=True)
class ProviderColumn:
    id: int
    name: str  # "J. Rivera, MD"

    @property
    def short_name(self) -> str:
        """``J. Rivera``: the credential does not help find a column."""
        return self.name.split(",", 1)[0]


@dataclass(frozen=True)
class AppointmentTypeRow:
    id: int
    name: str
    minutes: int


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
    appt_type_id: int | None = None
    overbooked: bool = False
    overbook_reason: str = ""
    reminder_outcome: str = ""
    cancel_reason: str = ""
    #: the status an undo would take it back to ("" when there is nothing to undo)
    undo_to: str = ""
    #: False when the patient's record has been made inactive since it was booked
    patient_active: bool = True

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_live(self) -> bool:
        """Does it hold the provider's time (not cancelled, not a no-show)?"""
        return self.status not in ("cancelled", "no_show")


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


def providers_for(provider_ids: Sequence[int] | None) -> list[ProviderColumn]:
    """The given providers in schedule order (default: every active one)."""
    if provider_ids is None:
        return list_providers(active_only=True)
    wanted = set(provider_ids)
    return [p for p in list_providers(active_only=False) if p.id in wanted]


def list_appointment_types() -> list[AppointmentTypeRow]:
    """The active appointment types, by name (the booking form's choices)."""
    query = (
        AppointmentType.select(
            AppointmentType.id, AppointmentType.name, AppointmentType.default_minutes
        )
        .where(AppointmentType.active == True)  # noqa: E712
        .order_by(AppointmentType.name)
        .tuples()
    )
    return [AppointmentTypeRow(tid, name, minutes) for tid, name, minutes in query]


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
    Appointment.appt_type,
    Appointment.overbooked,
    Appointment.overbook_reason,
    Appointment.reminder_outcome,
    Appointment.cancel_reason,
    Patient.active,
)


def appointment_query():  # noqa: ANN201 - a peewee query
    """Appointments with provider, patient and type in one statement (no per-row lookups)."""
    return (
        Appointment.select(*_APPT_COLUMNS)
        .join(Provider, JOIN.INNER, on=(Appointment.provider == Provider.id))
        .switch(Appointment)
        .join(Patient, JOIN.INNER, on=(Appointment.patient == Patient.id))
        .switch(Appointment)
        .join(AppointmentType, JOIN.LEFT_OUTER, on=(Appointment.appt_type == AppointmentType.id))
    )


def to_appointment(row: tuple) -> AppointmentRow:
    (aid, pid, pfirst, plast, cred, start, end, patient_id, last, first, mrn, type_name,
     reason, status, version, type_id, overbooked, overbook_reason, reminder,
     cancel_reason, patient_active) = row  # fmt: skip
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
        appt_type_id=type_id,
        overbooked=bool(overbooked),
        overbook_reason=overbook_reason or "",
        reminder_outcome=reminder_outcome_or_blank(reminder),
        cancel_reason=cancel_reason or "",
        patient_active=bool(patient_active),
    )


def reminder_outcome_or_blank(value: object) -> str:
    return value if isinstance(value, str) else ""


def appointment_rows(query: Any) -> list[AppointmentRow]:
    """The rows of an ``appointment_query`` read straight from the driver's cursor.

    A 20-provider day is ~650 appointments: Peewee's row conversion (a field adapter
    per value, and its date-time format guessing for ``start`` and ``end``) was most of
    reading one. SQLite hands back ISO text, read with ``datetime.fromisoformat``;
    PostgreSQL's driver hands back datetimes already; the flags go through ``bool``."""
    sql, params = query.sql()
    return _rows_of(Appointment._meta.database.execute_sql(sql, params))


def day_appointment_rows(
    day_start: dt.datetime,
    day_end: dt.datetime,
    provider_ids: Sequence[int],
    include_cancelled: bool = False,
) -> list[AppointmentRow]:
    """The appointments starting in [day_start, day_end) of the given providers.

    The statement is built by Peewee once per number of providers (compiling the
    joined query was a third of reading a 20-provider day) and bound here."""
    database = Appointment._meta.database
    engine = type(getattr(database, "obj", database)).__name__
    sql, template = _day_sql(len(provider_ids), include_cancelled, engine)
    bound = {_DAY_START: day_start, _DAY_END: day_end}
    ids = {-(n + 1): pid for n, pid in enumerate(provider_ids)}
    params = [
        ids.get(value, value) if isinstance(value, int) else bound.get(value, value)
        for value in template
    ]
    return _rows_of(database.execute_sql(sql, params))


#: stand-ins bound per call in ``_day_sql``'s statement (no appointment is that old,
#: no provider id is negative)
_DAY_START = dt.datetime(1001, 1, 1)
_DAY_END = dt.datetime(1001, 1, 2)


@functools.lru_cache(maxsize=64)
def _day_sql(count: int, include_cancelled: bool, engine: str) -> tuple[str, tuple]:
    query = appointment_query().where(
        (Appointment.start >= _DAY_START)
        & (Appointment.start < _DAY_END)
        & Appointment.provider.in_([-(n + 1) for n in range(count)])
    )
    if not include_cancelled:
        query = query.where(Appointment.status != "cancelled")
    sql, params = query.sql()
    return sql, tuple(params)


def _rows_of(cursor: Any) -> list[AppointmentRow]:
    parse = dt.datetime.fromisoformat
    out = []
    for row in cursor.fetchall():
        start, end = row[5], row[6]
        if isinstance(start, str):
            row = (*row[:5], parse(start), parse(end), *row[7:])
        out.append(to_appointment(row))
    return out


def get_appointment(appointment_id: int) -> AppointmentRow:
    rows = appointment_rows(appointment_query().where(Appointment.id == appointment_id))
    if not rows:
        raise NotFound(f"appointment {appointment_id} not found")
    return with_undo(rows)[0]


def undo_targets(
    versions: dict[int, int], day: tuple[dt.datetime, dt.datetime] | None = None
) -> dict[int, str]:
    """appointment id -> the status an undo would go back to, for many appointments
    ({id: version shown}) in one read: where the newest history row is a status change
    that left the appointment at the version shown (nothing newer happened to it)."""
    if not versions:
        return {}
    latest_ids = AppointmentEvent.select(fn.MAX(AppointmentEvent.id))
    if day is not None:  # a whole day: by its time range, not a list of hundreds of ids
        latest_ids = latest_ids.join(
            Appointment, on=(AppointmentEvent.appointment == Appointment.id)
        ).where((Appointment.start >= day[0]) & (Appointment.start < day[1]))
    else:
        latest_ids = latest_ids.where(AppointmentEvent.appointment.in_(list(versions)))
    latest_ids = latest_ids.group_by(AppointmentEvent.appointment)
    query = (
        AppointmentEvent.select(
            AppointmentEvent.appointment,
            AppointmentEvent.kind,
            AppointmentEvent.from_status,
            AppointmentEvent.version,
        )
        .where(AppointmentEvent.id.in_(latest_ids))
        .tuples()
    )
    return {
        aid: from_status
        for aid, kind, from_status, version in query
        if kind == "status" and versions.get(aid) == version
    }


def with_undo(
    appointments: list[AppointmentRow], day: tuple[dt.datetime, dt.datetime] | None = None
) -> list[AppointmentRow]:
    """The rows with ``undo_to`` filled in (one read for all of them; ``day``: they are
    that day's, read by its time range)."""
    targets = undo_targets({a.id: a.version for a in appointments}, day)
    if not targets:
        return appointments
    return [
        dataclasses.replace(a, undo_to=targets[a.id]) if a.id in targets else a
        for a in appointments
    ]


def visit_has_claim(appointment_id: int) -> bool:
    """Has a claim been made for this visit yet? (Checking out opens the charge form only
    for a visit not yet billed.)"""
    from medoffice_tui.db.models import Claim

    return Claim.select(Claim.id).where(Claim.appointment == appointment_id).exists()
