"""Many desks booking the same providers at the same moment: never a double booking.

Eight fresh processes (each with its own connection) wait at a barrier, then
all book overlapping times for two providers through the real service,
``services.schedule.book_appointment``. Every attempt must end either booked
or refused with SlotTaken: no "database is locked", no other error, nothing
lost, and no two live appointments of one provider overlap afterwards.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import time

import pytest
from peewee import fn

from medoffice_tui.db.models import LIVE_STATUSES, Appointment, Patient, Provider
from tests.db.workers import booking_worker

PROCESSES = 8
ATTEMPTS_PER_PROCESS = 60
DAY = dt.datetime(2026, 11, 24, 8, 0)
SLOTS = 40  # quarter-hour starts 08:00-17:45 for 2 providers: heavy contention on purpose


def _plan(seed: int) -> tuple[list[str], list[int]]:
    rnd = random.Random(seed)
    starts = [
        (DAY + dt.timedelta(minutes=15 * rnd.randrange(SLOTS))).isoformat()
        for _ in range(ATTEMPTS_PER_PROCESS)
    ]
    minutes = [rnd.choice([15, 30, 45]) for _ in range(ATTEMPTS_PER_PROCESS)]
    return starts, minutes


def _overlapping_live_pairs() -> int:
    other = Appointment.alias()
    return (
        Appointment.select(fn.COUNT(Appointment.id))
        .join(
            other,
            on=(
                (other.provider == Appointment.provider)
                & (other.id > Appointment.id)
                & (other.start < Appointment.end)
                & (other.end > Appointment.start)
            ),
        )
        .where(Appointment.status.in_(LIVE_STATUSES) & other.status.in_(LIVE_STATUSES))
        .scalar()
    )


@pytest.mark.slow
def test_simultaneous_bookings_never_overlap(
    database, migrated_url, engine, capsys, fixture_writes
) -> None:
    with database.atomic():
        patient = Patient.create(
            mrn="C1",
            first_name="Pat",
            last_name="Ient",
            dob=dt.date(1975, 5, 5),
            last_norm="ient",
            first_norm="pat",
        )
        providers = [
            Provider.create(first_name="A", last_name=f"Doc{i}", npi=f"300000000{i}").id
            for i in range(2)
        ]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)
        jobs = []
        for worker in range(PROCESSES):
            starts, minutes = _plan(seed=worker)
            # half the workers list the providers the other way round
            order = providers if worker % 2 else providers[::-1]
            jobs.append((migrated_url, barrier, patient.id, order, starts, minutes))
        began = time.perf_counter()
        results = pool.starmap(booking_worker, jobs)
        wall = time.perf_counter() - began

    attempted = PROCESSES * ATTEMPTS_PER_PROCESS
    outcomes: dict[str, int] = {}
    for result in results:
        for key, count in result["outcomes"].items():
            outcomes[key] = outcomes.get(key, 0) + count
    errors = [e for result in results for e in result["errors"]]
    booked_ids = [i for result in results for i in result["booked"]]
    busiest = max(result["seconds"] for result in results)

    assert errors == [], errors  # no "database is locked", nothing unexpected
    assert set(outcomes) <= {"booked", "SlotTaken"}, outcomes
    booked, refused = outcomes.get("booked", 0), outcomes.get("SlotTaken", 0)
    assert booked + refused == attempted
    assert booked > 0 and refused > 0  # there really was contention
    assert len(set(booked_ids)) == booked
    live = Appointment.select().where(Appointment.status.in_(LIVE_STATUSES))
    assert sorted(a.id for a in live) == sorted(booked_ids)
    assert _overlapping_live_pairs() == 0

    with capsys.disabled():
        print(
            f"\n[{engine}] {PROCESSES} processes, {attempted} attempts: {booked} booked, "
            f"{refused} refused (SlotTaken) in {busiest:.2f} s of booking "
            f"({attempted / busiest:.0f} attempts/s), {wall:.2f} s with process start"
        )
