"""Booking against the database overlap guard, status transitions, and the day view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medoffice_tui.db.models import (
    Appointment,
    AppointmentType,
    Patient,
    Practice,
    Provider,
    ProviderBlock,
    ProviderHours,
)
from medoffice_tui.errors import InvalidInput, NotFound, SlotTaken, StaleEdit
from medoffice_tui.services import schedule

MONDAY = dt.date(2026, 11, 23)  # the frozen today


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def office(database, fixture_writes, desk) -> dict[str, Any]:
    Practice.create(name="Test Clinic", npi="1234567893", tax_id="123456789", slot_minutes=20)
    rivera = Provider.create(
        first_name="Jo", last_name="Rivera", credential="MD", npi="1000000001", sort_order=1
    )
    chen = Provider.create(first_name="Al", last_name="Chen", npi="1000000002", sort_order=2)
    gone = Provider.create(first_name="Old", last_name="Doc", npi="1000000003", active=False)
    ann = Patient.create(
        mrn="M1", first_name="Ann", last_name="Lee", dob=dt.date(1970, 1, 1),
        last_norm="lee", first_norm="ann",
    )  # fmt: skip
    bob = Patient.create(
        mrn="M2", first_name="Bob", last_name="Ng", dob=dt.date(1980, 1, 1),
        last_norm="ng", first_norm="bob",
    )  # fmt: skip
    follow_up = AppointmentType.create(name="Follow-up", default_minutes=30)
    return {
        "rivera": rivera.id, "chen": chen.id, "gone": gone.id,
        "ann": ann.id, "bob": bob.id, "follow_up": follow_up.id, "desk": desk,
    }  # fmt: skip


def book(office, who="ann", provider="rivera", start=None, minutes=15, **kw):
    return schedule.book_appointment(
        office["desk"], office[who], office[provider], start or at(9), minutes=minutes, **kw
    )


def test_booking_returns_the_joined_row(office):
    row = book(
        office, start=at(9, 0, MONDAY).replace(second=42, microsecond=7), reason=" flu  shot "
    )
    assert row.start == at(9) and row.end == at(9, 15)
    assert (row.patient_name, row.mrn, row.provider_name) == ("Lee, Ann", "M1", "J. Rivera, MD")
    assert (row.status, row.version, row.reason, row.type_name) == ("booked", 1, "flu shot", "")
    stored = Appointment.get_by_id(row.id)
    assert stored.booked_at == dt.datetime(2026, 11, 23, 10, 30)


def test_length_defaults_to_type_then_practice_slot(office):
    typed = book(office, minutes=None, appt_type_id=office["follow_up"])
    assert typed.end - typed.start == dt.timedelta(minutes=30) and typed.type_name == "Follow-up"
    plain = book(office, start=at(10), minutes=None)
    assert plain.end - plain.start == dt.timedelta(minutes=20)


def test_overlap_refused_by_the_database(office):
    book(office, start=at(9), minutes=30)
    with pytest.raises(SlotTaken):
        book(office, who="bob", start=at(9, 15), minutes=30)
    with pytest.raises(SlotTaken):
        book(office, who="bob", start=at(8, 45), minutes=30)
    assert Appointment.select().count() == 1


def test_back_to_back_and_other_provider_allowed(office):
    book(office, start=at(9), minutes=30)
    book(office, who="bob", start=at(9, 30), minutes=30)
    book(office, who="bob", start=at(8, 30), minutes=30)
    book(office, who="bob", provider="chen", start=at(9), minutes=30)
    assert Appointment.select().count() == 4


def test_cancelled_and_no_show_free_the_time(office):
    first = book(office, start=at(9))
    schedule.set_status(office["desk"], first.id, "cancelled", 1, reason="called in")
    second = book(office, who="bob", start=at(9))
    schedule.set_status(office["desk"], second.id, "no_show", 1)
    third = book(office, start=at(9))
    assert third.status == "booked"
    # undoing the no-show now collides with the walk-in booked into its time
    with pytest.raises(SlotTaken):
        schedule.set_status(office["desk"], second.id, "booked", 2)
    assert Appointment.get_by_id(second.id).status == "no_show"


def test_booking_refusals(office):
    for kwargs, message in (
        ({"minutes": 0}, "end after"),
        ({"minutes": -15}, "end after"),
        ({"minutes": 13 * 60}, "at most"),
        ({"who": "ann", "provider": "gone"}, "inactive"),
        ({"appt_type_id": 999}, "type"),
    ):
        with pytest.raises(InvalidInput, match=message):
            book(office, **kwargs)
    assert Appointment.select().count() == 0


def test_unknown_patient_or_provider(office):
    with pytest.raises(InvalidInput, match="patient"):
        schedule.book_appointment(office["desk"], 999, office["rivera"], at(9))
    with pytest.raises(InvalidInput, match="provider"):
        schedule.book_appointment(office["desk"], office["ann"], 999, at(9))


def test_status_walk_stamps_times(office):
    row = book(office)
    row = schedule.set_status(office["desk"], row.id, "confirmed", row.version)
    row = schedule.set_status(office["desk"], row.id, "arrived", row.version)
    row = schedule.set_status(office["desk"], row.id, "roomed", row.version)
    row = schedule.set_status(office["desk"], row.id, "completed", row.version)
    assert (row.status, row.version) == ("completed", 5)
    stored = Appointment.get_by_id(row.id)
    now = dt.datetime(2026, 11, 23, 10, 30)
    assert stored.confirmed_at == stored.arrived_at == stored.roomed_at == now
    assert stored.completed_at == stored.updated_at == now


ILLEGAL = [
    ([], "roomed"),
    ([], "completed"),
    ([], "booked"),
    (["confirmed"], "booked"),
    (["arrived"], "no_show"),
    (["arrived", "roomed"], "cancelled"),
    (["arrived", "completed"], "arrived"),
    (["no_show"], "arrived"),
]


def test_illegal_transitions(office):
    for n, (path, bad) in enumerate(ILLEGAL):
        row = book(office, start=at(8) + dt.timedelta(minutes=15 * n))
        for status in path:
            row = schedule.set_status(office["desk"], row.id, status, row.version)
        with pytest.raises(InvalidInput, match="cannot become"):
            schedule.set_status(office["desk"], row.id, bad, row.version, reason="x")
        assert Appointment.get_by_id(row.id).version == row.version


def test_cancel_needs_reason_and_no_show_undo(office):
    row = book(office)
    with pytest.raises(InvalidInput, match="reason"):
        schedule.set_status(office["desk"], row.id, "cancelled", 1, reason="  ")
    row = schedule.set_status(office["desk"], row.id, "no_show", 1)
    assert Appointment.get_by_id(row.id).no_show_at is not None
    row = schedule.set_status(office["desk"], row.id, "booked", row.version)
    assert Appointment.get_by_id(row.id).no_show_at is None
    row = schedule.set_status(office["desk"], row.id, "cancelled", row.version, reason="moved away")
    stored = Appointment.get_by_id(row.id)
    assert (stored.cancel_reason, stored.status) == ("moved away", "cancelled")
    with pytest.raises(InvalidInput):
        schedule.set_status(office["desk"], row.id, "bogus", row.version)


def test_concurrent_status_change_is_stale(office):
    row = book(office)
    desk_a = schedule.get_appointment(row.id)
    desk_b = schedule.get_appointment(row.id)
    schedule.set_status(office["desk"], desk_a.id, "arrived", desk_a.version)
    with pytest.raises(StaleEdit):
        schedule.set_status(office["desk"], desk_b.id, "cancelled", desk_b.version, reason="dup")
    stored = Appointment.get_by_id(row.id)
    assert (stored.status, stored.version, stored.cancelled_at) == ("arrived", 2, None)
    with pytest.raises(NotFound):
        schedule.set_status(office["desk"], row.id + 50, "arrived", 1)


def test_list_providers(office):
    assert [p.name for p in schedule.list_providers()] == ["J. Rivera, MD", "A. Chen"]
    assert len(schedule.list_providers(active_only=False)) == 3


def test_day_view(office):
    for weekday in range(5):
        ProviderHours.create(
            provider=office["rivera"], weekday=weekday, start_time=dt.time(8), end_time=dt.time(12)
        )
        ProviderHours.create(
            provider=office["rivera"], weekday=weekday, start_time=dt.time(13), end_time=dt.time(17)
        )
    # weekly lunch on Mon/Wed since October, until Dec 1; a one-off meeting today
    ProviderBlock.create(
        provider=office["rivera"], kind="lunch", start=dt.datetime(2026, 10, 5, 12),
        end=dt.datetime(2026, 10, 5, 13), rrule="FREQ=WEEKLY;BYDAY=MO,WE",
        until=dt.date(2026, 12, 1), note="lunch",
    )  # fmt: skip
    ProviderBlock.create(
        provider=office["chen"], kind="meeting", start=at(15), end=at(16), note="staff"
    )
    ProviderBlock.create(  # another day: not shown
        provider=office["chen"], kind="out", start=at(8, day=MONDAY + dt.timedelta(days=1)),
        end=at(17, day=MONDAY + dt.timedelta(days=1)),
    )  # fmt: skip
    late = book(office, who="bob", provider="chen", start=at(9), minutes=30)
    early = book(office, start=at(8, 30))
    same = book(office, who="bob", start=at(9))
    cancelled = book(office, start=at(11))
    schedule.set_status(office["desk"], cancelled.id, "cancelled", 1, reason="sick")
    book(office, start=at(9, day=MONDAY + dt.timedelta(days=1)))  # tomorrow

    view = schedule.day_view(MONDAY)
    assert [p.name for p in view.providers] == ["J. Rivera, MD", "A. Chen"]
    assert [a.id for a in view.appointments] == [early.id, same.id, late.id]
    assert view.appointments[2].patient_name == "Ng, Bob"
    assert [(b.provider_id, b.start, b.end, b.kind) for b in view.blocks] == [
        (office["rivera"], at(12), at(13), "lunch"),
        (office["chen"], at(15), at(16), "meeting"),
    ]
    assert view.hours[office["rivera"]] == [
        (dt.time(8), dt.time(12)),
        (dt.time(13), dt.time(17)),
    ]
    assert view.hours[office["chen"]] == []

    with_cancelled = schedule.day_view(MONDAY, include_cancelled=True)
    assert cancelled.id in [a.id for a in with_cancelled.appointments]

    only_chen = schedule.day_view(MONDAY, provider_ids=[office["chen"]])
    assert [a.id for a in only_chen.appointments] == [late.id]
    assert [b.kind for b in only_chen.blocks] == ["meeting"]

    tuesday = schedule.day_view(MONDAY + dt.timedelta(days=1))
    assert [b.kind for b in tuesday.blocks] == ["out"]  # lunch is Mon/Wed only
    wednesday = schedule.day_view(MONDAY + dt.timedelta(days=2))
    assert [(b.start, b.kind) for b in wednesday.blocks] == [
        (at(12, day=MONDAY + dt.timedelta(days=2)), "lunch")
    ]
    after_until = schedule.day_view(dt.date(2026, 12, 2))  # a Wednesday past `until`
    assert after_until.blocks == []
    before_start = schedule.day_view(dt.date(2026, 9, 30))
    assert before_start.blocks == []


def test_day_view_counts_queries(office, database):
    for i in range(6):
        book(office, who="ann" if i % 2 else "bob", start=at(8 + i))
    statements = []
    original = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = counting
    try:
        view = schedule.day_view(MONDAY)
    finally:
        del database.execute_sql
    assert len(view.appointments) == 6
    assert len(statements) == 4  # providers, appointments, blocks, hours: no N+1


def test_recurring_block_rules_count_and_bad_text(office):
    ProviderBlock.create(  # Sat, Sun, Mon: the third and last occurrence is today
        provider=office["chen"], kind="meeting", start=dt.datetime(2026, 11, 21, 7),
        end=dt.datetime(2026, 11, 21, 8), rrule="RRULE:FREQ=DAILY;COUNT=3",
    )  # fmt: skip
    ProviderBlock.create(
        provider=office["chen"], kind="block", start=dt.datetime(2026, 1, 1, 9),
        end=dt.datetime(2026, 1, 1, 10), rrule="FREQ=SOMETIMES",
    )  # fmt: skip
    ProviderBlock.create(  # overnight on-call from Sunday 22:00 runs into Monday
        provider=office["rivera"], kind="out", start=dt.datetime(2026, 11, 15, 22),
        end=dt.datetime(2026, 11, 16, 6), rrule="FREQ=WEEKLY;BYDAY=SU",
    )  # fmt: skip
    blocks = schedule.day_view(MONDAY).blocks
    assert [(b.provider_id, b.start, b.end, b.kind) for b in blocks] == [
        (office["rivera"], dt.datetime(2026, 11, 22, 22), at(6), "out"),
        (office["chen"], at(7), at(8), "meeting"),
    ]
    tuesday = MONDAY + dt.timedelta(days=1)
    assert schedule.day_view(tuesday).blocks == []


def test_two_desks_booking_the_same_time_at_once(office, database):
    import threading

    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def desk(who: str, minute: int) -> None:
        with database.connection_context():
            barrier.wait()
            try:
                book(office, who=who, start=at(14, minute), minutes=30)
                outcomes.append("booked")
            except SlotTaken:
                outcomes.append("taken")

    threads = [
        threading.Thread(target=desk, args=(who, minute))
        for who, minute in (("ann", 0), ("bob", 0), ("ann", 15), ("bob", 10))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["booked", "taken", "taken", "taken"]
    assert Appointment.select().count() == 1
