"""Eight desks booking the same times at the same moment, on SQLite and on PostgreSQL.

Eight fresh processes (each its own connection) meet at a barrier, then each tries
the same two sets of bookings through ``schedule.book_appointment``:

- *same provider*: every desk books its own patient with one provider at the same
  twelve quarter hours: exactly one desk wins each time, the others are told the time
  was just taken;
- *same patient*: every desk books one shared patient with its own provider at the same
  twelve afternoon times: exactly one desk wins each time (the per-patient lock), the
  others are told the patient already has an appointment then.

No lock error may escape, every attempt ends booked or refused, and afterwards no two
live appointments overlap, per provider or per patient.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter

import pytest
from peewee import fn

from medoffice_tui.db.models import LIVE_STATUSES, Appointment, Patient, Provider, ProviderHours
from tests.db.schedule_workers import race_worker

PROCESSES = 8
DAY = dt.date(2026, 11, 24)  # a Tuesday
MORNING = [dt.datetime.combine(DAY, dt.time(9)) + dt.timedelta(minutes=15 * i) for i in range(12)]
AFTERNOON = [
    dt.datetime.combine(DAY, dt.time(13)) + dt.timedelta(minutes=15 * i) for i in range(12)
]


def _overlaps(column) -> int:  # noqa: ANN001 - Appointment.provider or Appointment.patient
    other = Appointment.alias()
    return (
        Appointment.select(fn.COUNT(Appointment.id))
        .join(
            other,
            on=(
                (getattr(other, column.name) == column)
                & (other.id > Appointment.id)
                & (other.start < Appointment.end)
                & (other.end > Appointment.start)
            ),
        )  # fmt: skip
        .where(Appointment.status.in_(LIVE_STATUSES) & other.status.in_(LIVE_STATUSES))
        .scalar()
    )


@pytest.mark.slow
def test_eight_desks_one_winner_per_slot_and_per_patient_time(
    database, migrated_url, engine, capsys, fixture_writes
) -> None:
    with database.atomic():
        patients = [
            Patient.create(mrn=f"R{i}", first_name=f"P{i}", last_name="Race",
                           dob=dt.date(1970, 1, 1), last_norm="race", first_norm=f"p{i}").id
            for i in range(PROCESSES + 1)
        ]  # fmt: skip
        providers = [
            Provider.create(first_name="D", last_name=f"Doc{i}", npi=f"40000000{i:02d}").id
            for i in range(PROCESSES + 1)
        ]
        for pid in providers:
            ProviderHours.create(provider=pid, weekday=DAY.weekday(), start_time=dt.time(8),
                                 end_time=dt.time(17))  # fmt: skip
    shared_provider, shared_patient = providers[-1], patients[-1]
    plans = []
    for desk in range(PROCESSES):
        plan = []
        for morning, afternoon in zip(MORNING, AFTERNOON, strict=True):
            plan.append({"key": f"provider@{morning:%H:%M}", "patient": patients[desk],
                         "provider": shared_provider, "start": morning.isoformat(),
                         "minutes": 15})  # fmt: skip
            plan.append({"key": f"patient@{afternoon:%H:%M}", "patient": shared_patient,
                         "provider": providers[desk], "start": afternoon.isoformat(),
                         "minutes": 15})  # fmt: skip
        plans.append(plan)

    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)
        results = pool.starmap(race_worker, [(migrated_url, barrier, plan) for plan in plans])

    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors  # no "database is locked", no deadlock, nothing unexpected
    outcomes = [o for r in results for o in r["outcomes"]]
    attempted = sum(len(p) for p in plans)
    assert len(outcomes) == attempted
    by_key: dict[str, Counter] = {}
    for key, outcome, message in outcomes:
        kind = outcome if outcome == "booked" else f"{outcome}: {message.split(' (')[0]}"
        by_key.setdefault(key, Counter())[kind] += 1
    taken = {
        "provider": "SlotTaken: that time was just taken",
        "patient": "SlotTaken: the patient already has an appointment at an overlapping time",
    }
    assert len(by_key) == len(MORNING) + len(AFTERNOON)
    for key, counts in by_key.items():
        assert counts["booked"] == 1, (key, counts)  # exactly one winner per time
        assert set(counts) - {"booked"} == {taken[key.split("@")[0]]}, (key, counts)
        assert sum(counts.values()) == PROCESSES
    booked = sum(c["booked"] for c in by_key.values())
    refused = sum(sum(v for k, v in c.items() if k != "booked") for c in by_key.values())
    assert booked + refused == attempted
    live = Appointment.select().where(Appointment.status.in_(LIVE_STATUSES)).count()
    assert live == booked
    assert _overlaps(Appointment.provider) == 0 and _overlaps(Appointment.patient) == 0

    busiest = max(r["seconds"] for r in results)
    with capsys.disabled():
        print(f"\n[{engine}] {PROCESSES} desks, {attempted} attempts: {booked} booked, "
              f"{refused} refused, 0 errors, {busiest:.2f} s of booking")  # fmt: skip
