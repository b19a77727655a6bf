"""The database itself refuses two live appointments of one provider at overlapping times.

Writes go straight through the models (no service checks), so only the guard
(SQLite triggers / PostgreSQL exclusion constraint) stands in the way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import Appointment, Patient, Provider

NINE = dt.datetime(2026, 11, 24, 9, 0)


def _minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@pytest.fixture
def people(database, fixture_writes) -> tuple[Patient, Provider, Provider]:
    with database.atomic():
        patient = Patient.create(
            mrn="M1",
            first_name="Ann",
            last_name="Lee",
            dob=dt.date(1970, 1, 1),
            last_norm="lee",
            first_norm="ann",
        )
        a = Provider.create(first_name="A", last_name="One", npi="1000000001")
        b = Provider.create(first_name="B", last_name="Two", npi="1000000002")
    return patient, a, b


def _book(database, patient, provider, start, minutes=30, status="booked") -> Appointment:
    with database.atomic():
        return Appointment.create(
            patient=patient,
            provider=provider,
            start=start,
            end=start + _minutes(minutes),
            status=status,
        )


def _refused(database, exc_info) -> None:
    assert engine_for(database).is_overlap_error(exc_info.value), str(exc_info.value)


@pytest.mark.parametrize(
    ("offset", "minutes"),
    [(0, 30), (15, 30), (-15, 30), (5, 10), (-30, 90)],
    ids=["same", "tail", "head", "inside", "around"],
)
def test_overlapping_insert_refused(database, people, offset, minutes, fixture_writes) -> None:
    patient, a, _ = people
    _book(database, patient, a, NINE)
    with pytest.raises(IntegrityError) as info:
        _book(database, patient, a, NINE + _minutes(offset), minutes)
    _refused(database, info)
    assert Appointment.select().count() == 1


def test_back_to_back_and_other_provider_allowed(database, people, fixture_writes) -> None:
    patient, a, b = people
    _book(database, patient, a, NINE)
    _book(database, patient, a, NINE + _minutes(30))  # starts when the first ends
    _book(database, patient, a, NINE - _minutes(30))  # ends when the first starts
    _book(database, patient, b, NINE)  # same time, other provider
    assert Appointment.select().count() == 4


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_freed_time_can_be_rebooked(database, people, status, fixture_writes) -> None:
    patient, a, _ = people
    _book(database, patient, a, NINE, status=status)
    _book(database, patient, a, NINE)  # the cancelled / no-show one holds no time
    _book(database, patient, a, NINE + _minutes(10), status=status)  # dead rows may overlap
    assert Appointment.select().count() == 3


def test_update_onto_another_time_refused(database, people, fixture_writes) -> None:
    patient, a, b = people
    first = _book(database, patient, a, NINE)
    second = _book(database, patient, a, NINE + _minutes(60))
    moved = Appointment.update(start=NINE + _minutes(15), end=NINE + _minutes(45))
    with pytest.raises(IntegrityError) as info, database.atomic():
        moved.where(Appointment.id == second.id).execute()
    _refused(database, info)
    # moving to another provider's column at that time is also checked
    other = _book(database, patient, b, NINE)
    with pytest.raises(IntegrityError) as info, database.atomic():
        Appointment.update(provider=a).where(Appointment.id == other.id).execute()
    _refused(database, info)
    # an appointment may be moved within its own time (no self-overlap)
    with database.atomic():
        Appointment.update(end=NINE + _minutes(20)).where(Appointment.id == first.id).execute()
    assert Appointment.get_by_id(second.id).start == NINE + _minutes(60)


def test_reviving_a_cancelled_appointment_onto_taken_time_refused(
    database, people, fixture_writes
) -> None:
    patient, a, _ = people
    dead = _book(database, patient, a, NINE, status="cancelled")
    _book(database, patient, a, NINE)
    with pytest.raises(IntegrityError) as info, database.atomic():
        Appointment.update(status="booked").where(Appointment.id == dead.id).execute()
    _refused(database, info)


def test_other_integrity_errors_are_not_overlaps(database, people, fixture_writes) -> None:
    patient, a, _ = people
    with pytest.raises(IntegrityError) as info:
        _book(database, patient, a, NINE, status="lost")  # fails the status CHECK
    assert not engine_for(database).is_overlap_error(info.value)
