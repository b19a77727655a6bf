"""The demo's schedule keeps the rules the booking service enforces, and exercises what the
schedule has: an overbook, moved visits, confirmation calls, histories that undo works on."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from peewee import fn

from medoffice_tui import demo
from medoffice_tui.db import models as m
from medoffice_tui.services import schedule

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 30)


@pytest.fixture
def built(sqlite_database):  # noqa: ANN201 - the demo on PostgreSQL: tests/demo
    demo.build_demo(patients=300, seed=7, today=TODAY)
    return sqlite_database


def test_no_visit_to_come_is_for_an_inactive_record_or_a_patient_booked_then(built) -> None:
    to_come = m.Appointment.status.in_(("booked", "confirmed")) & (m.Appointment.start > NOW)
    inactive_to_come = (
        m.Appointment.select()
        .join(m.Patient, on=(m.Appointment.patient == m.Patient.id))
        .where(to_come & ~m.Patient.active)
        .count()
    )
    assert inactive_to_come == 0
    cancelled = list(m.Appointment.select().where(m.Appointment.cancel_reason.contains("inactive")))
    assert cancelled and all(a.start > NOW for a in cancelled)
    a, b = m.Appointment.alias(), m.Appointment.alias()
    live = m.LIVE_STATUSES
    clashes = (
        a.select()
        .join(
            b,
            on=((a.patient == b.patient) & (a.id != b.id) & (a.start < b.end) & (a.end > b.start)),
        )  # fmt: skip
        .where(a.status.in_(("booked", "confirmed")) & (a.start > NOW) & b.status.in_(live))
        .count()
    )
    assert clashes == 0


def test_one_overbook_today_by_the_manager_with_its_reason(built) -> None:
    (over,) = m.Appointment.select().where(m.Appointment.overbooked)
    assert over.start.date() == TODAY and over.overbook_reason
    assert m.User.get_by_id(over.created_by_id).username == "manager"
    grid = schedule.build_grid(schedule.day_view(TODAY), 15)
    assert grid.summaries[over.provider_id].overbooked == 1


def test_every_appointment_has_a_history_its_version_matches(built) -> None:
    counts = dict(
        m.AppointmentEvent.select(m.AppointmentEvent.appointment, fn.COUNT(m.AppointmentEvent.id))
        .group_by(m.AppointmentEvent.appointment)
        .tuples()
    )
    appointments = list(m.Appointment.select(m.Appointment.id, m.Appointment.version))
    assert all(counts.get(a.id) == a.version for a in appointments)
    kinds = Counter(e.kind for e in m.AppointmentEvent.select(m.AppointmentEvent.kind))
    assert kinds["booked"] == len(appointments) and kinds["moved"] > 0 and kinds["status"] > 0
    moved = m.AppointmentEvent.select().where(m.AppointmentEvent.kind == "moved").first()
    assert moved.from_start != moved.to_start
    # today's check-ins can be undone from the demo's own history
    arrived = (
        m.Appointment.select()
        .where(
            (m.Appointment.status == "arrived") & (m.Appointment.start >= dt.datetime(2026, 11, 23))
        )
        .first()
    )
    assert schedule.get_appointment(arrived.id).undo_to in ("booked", "confirmed")


def test_the_next_working_days_calls_have_started(built) -> None:
    clock_day = schedule.next_working_day(TODAY)
    desk = schedule.confirmation_list  # a checked read: through a manager
    from medoffice_tui.services.staff import system_actor

    rows = desk(system_actor(via="test"), clock_day)
    outcomes = Counter(r.outcome for r in rows)
    assert outcomes[""] > 0 and outcomes["left_message"] > 0
    assert set(outcomes) <= {"", "left_message", "no_answer", "wrong_number"}
    confirmed = m.Appointment.select().where(
        (m.Appointment.reminder_outcome == "confirmed") & (m.Appointment.status == "confirmed")
    )
    assert confirmed.count() > 0
