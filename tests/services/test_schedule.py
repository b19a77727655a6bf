"""Booking: the overlap rules for provider and patient, hours and blocks, overbooks, the
inactive-patient rule, and the day view."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import (
    Appointment,
    AppointmentEvent,
    AuditEvent,
    Patient,
    ProviderBlock,
)
from medoffice_tui.errors import InvalidInput, PermissionDenied, SlotTaken
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import MONDAY, TUESDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules
office_on_each_engine = schedule_office.office  # where the engines' guards and locks answer

OFFSETS = [(0, 30), (15, 30), (-15, 30), (5, 10), (-30, 90)]  # same, tail, head, inside, around


def test_booking_returns_the_joined_row_and_its_history(office):
    row = book(office, start=at(9).replace(second=42, microsecond=7), reason=" flu  shot ")
    assert row.start == at(9) and row.end == at(9, 15)
    assert (row.patient_name, row.mrn, row.provider_name) == ("Lee, Ann", "M1", "J. Rivera, MD")
    assert (row.status, row.version, row.reason, row.type_name) == ("booked", 1, "flu shot", "")
    assert not row.overbooked and row.undo_to == ""
    stored = Appointment.get_by_id(row.id)
    assert stored.booked_at == dt.datetime(2026, 11, 23, 10, 30)
    assert stored.created_by_id == office["desk"].user_id
    (event,) = schedule.appointment_history(row.id)
    assert (event.kind, event.to_status, event.to_start, event.by) == (
        "booked", "booked", at(9), "Test Front Desk"
    )  # fmt: skip


def test_length_defaults_to_type_then_practice_slot(office):
    typed = book(office, minutes=None, appt_type_id=office["follow_up"])
    assert typed.end - typed.start == dt.timedelta(minutes=30) and typed.type_name == "Follow-up"
    plain = book(office, who="bob", start=at(10), minutes=None)
    assert plain.end - plain.start == dt.timedelta(minutes=15)


def test_any_real_overlap_for_the_provider_is_taken(office_on_each_engine):
    office = office_on_each_engine
    first = book(office, start=at(9), minutes=30)
    for offset, minutes in OFFSETS:
        with pytest.raises(SlotTaken, match="just taken") as info:
            book(office, who="bob", start=at(9) + dt.timedelta(minutes=offset), minutes=minutes)
        assert info.value.field == "start" and "Test Front Desk" in str(info.value)
    assert [a.id for a in Appointment.select()] == [first.id]


def test_any_real_overlap_for_the_patient_is_refused_with_any_provider(office_on_each_engine):
    office = office_on_each_engine
    book(office, start=at(9), minutes=30)
    for offset, minutes in OFFSETS:
        start = at(9) + dt.timedelta(minutes=offset)
        with pytest.raises(SlotTaken, match="patient already has") as info:
            book(office, provider="chen", start=start, minutes=minutes)
        assert "Lee" not in str(info.value) and "Ann" not in str(info.value)  # no patient data
    assert Appointment.select().count() == 1


def test_touching_appointments_do_not_conflict(office_on_each_engine):
    office = office_on_each_engine
    book(office, start=at(9), minutes=30)
    book(office, who="bob", start=at(9, 30), minutes=30)  # the provider, right after
    book(office, who="bob", start=at(8, 30), minutes=30)  # ... and right before
    book(office, provider="chen", start=at(9, 30), minutes=15)  # the patient, right after
    book(office, provider="chen", start=at(8, 45), minutes=15)  # ... and right before
    book(office, who="bob", provider="chen", start=at(9), minutes=30)  # other provider
    assert Appointment.select().count() == 6


def test_cancelled_and_no_show_time_is_free_again(office_on_each_engine):
    office = office_on_each_engine
    first = book(office, start=at(9))
    schedule.set_status(office["desk"], first.id, "cancelled", 1, reason="called in")
    second = book(office, who="bob", start=at(9))  # the provider's time
    schedule.set_status(office["desk"], second.id, "no_show", 1)
    third = book(office, start=at(9))
    book(office, who="bob", provider="chen", start=at(9))  # the patient's time
    assert third.status == "booked"


def test_outside_hours_or_in_a_block_needs_an_overbook(office):
    for start, provider, words in (
        (at(12), "rivera", "outside J. Rivera's hours (08:00-12:00, 13:00-17:00)"),
        (at(11, 45), "rivera", "outside"),  # runs past the end of the morning
        (at(7, 45), "chen", "outside A. Chen's hours"),
        (at(12, 15), "chen", "falls in A. Chen's lunch (12:00-13:00)"),
        (at(9, day=MONDAY + dt.timedelta(days=5)), "chen", "does not work on Sat 28 Nov"),
    ):
        with pytest.raises(schedule.NeedsOverbook) as info:
            book(office, provider=provider, start=start, minutes=30)
        assert words in str(info.value) and "Manager" in str(info.value)
        assert info.value.field == "start" and not info.value.may_overbook
    with pytest.raises(schedule.NeedsOverbook) as info:
        book(office, provider="chen", start=at(12, 15), actor="manager")
    assert info.value.may_overbook and "Manager role" not in str(info.value)
    # one span after another counts as one (8-12 then 12-17 written as two rows)
    assert Appointment.select().count() == 0


def test_a_provider_without_weekly_hours_is_bookable_any_time_but_blocks(office, fixture_writes):
    from medoffice_tui.db.models import Provider

    locum = Provider.create(first_name="Lo", last_name="Cum", npi="1000000009", sort_order=9).id
    ProviderBlock.create(provider=locum, kind="out", start=at(13), end=at(14))
    row = schedule.book_appointment(office["desk"], office["ann"], locum, at(7))
    assert not row.overbooked
    with pytest.raises(schedule.NeedsOverbook, match="time off"):
        schedule.book_appointment(office["desk"], office["bob"], locum, at(13))


def test_an_overbook_needs_the_role_and_a_reason_and_is_marked(office):
    with pytest.raises(PermissionDenied, match="Overbooking needs the Manager role"):
        book(office, provider="chen", start=at(12), overbook=True, overbook_reason="squeeze in")
    refusal = (
        AuditEvent.select()
        .where(AuditEvent.action == "refused")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert refusal is not None and refusal.detail == "appointment.overbook"
    with pytest.raises(InvalidInput, match="needs a reason") as info:
        book(office, provider="chen", start=at(12), actor="manager", overbook=True)
    assert info.value.field == "overbook_reason"
    row = book(office, provider="chen", start=at(12), actor="manager", overbook=True,
               overbook_reason="urgent: sick child")  # fmt: skip
    assert row.overbooked and row.overbook_reason == "urgent: sick child"
    event = (
        AuditEvent.select()
        .where(AuditEvent.action == "create")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert event.detail == "overbook" and "overbooked" in event.fields
    assert schedule.appointment_history(row.id)[0].detail == "overbook: urgent: sick child"
    # an overbook is still never a double booking of the provider or the patient
    with pytest.raises(SlotTaken):
        book(office, who="bob", provider="chen", start=at(12), actor="manager", overbook=True,
             overbook_reason="again")  # fmt: skip
    with pytest.raises(SlotTaken):
        book(office, provider="rivera", start=at(12), actor="manager", overbook=True,
             overbook_reason="again")  # fmt: skip
    # inside the hours, "overbook" is a plain booking: nothing marked
    plain = book(office, who="bob", start=at(9), actor="manager", overbook=True,
                 overbook_reason="not needed")  # fmt: skip
    assert not plain.overbooked and plain.overbook_reason == ""


def test_an_inactive_patient_is_booked_only_by_reactivating_the_record(office):
    with pytest.raises(schedule.PatientInactive) as info:
        book(office, who="cat")
    assert info.value.field == "patient"
    assert Appointment.select().count() == 0
    with pytest.raises(PermissionDenied):  # billing may not book at all
        book(office, who="cat", actor="billing", reactivate=True)
    row = book(office, who="cat", reactivate=True)
    assert row.status == "booked" and Patient.get_by_id(office["cat"]).active
    actions = [(e.action, e.object_type) for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert ("update", "patient") in actions and ("create", "appointment") in actions


def test_booking_refusals(office):
    for kwargs, message, field in (
        ({"minutes": 0}, "end after", "minutes"),
        ({"minutes": -15}, "end after", "minutes"),
        ({"minutes": 13 * 60}, "at most", "minutes"),
        ({"provider": "gone"}, "inactive", "provider"),
        ({"appt_type_id": 999}, "type", "appt_type"),
        ({"start": at(9, day=MONDAY - dt.timedelta(days=1))}, "passed", "start"),
        ({"reason": "x" * 201}, "longer than", "reason"),
    ):
        with pytest.raises(InvalidInput, match=message) as info:
            book(office, **kwargs)
        assert info.value.field == field
    with pytest.raises(InvalidInput, match="start date and time"):
        schedule.book_appointment(office["desk"], office["ann"], office["rivera"], MONDAY)
    with pytest.raises(InvalidInput, match="patient"):
        schedule.book_appointment(office["desk"], 999, office["rivera"], at(9))
    with pytest.raises(InvalidInput, match="provider"):
        schedule.book_appointment(office["desk"], office["ann"], 999, at(9))
    assert Appointment.select().count() == 0
    assert AppointmentEvent.select().count() == 0


def test_an_aware_start_is_read_in_the_practice_zone(office):
    from zoneinfo import ZoneInfo

    utc = dt.datetime(2026, 11, 23, 15, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Chicago
    assert book(office, start=utc).start == at(9)


def test_list_providers_and_types(office):
    assert [p.name for p in schedule.list_providers()] == ["J. Rivera, MD", "A. Chen"]
    assert [p.short_name for p in schedule.list_providers()] == ["J. Rivera", "A. Chen"]
    assert len(schedule.list_providers(active_only=False)) == 3
    assert [(t.name, t.minutes) for t in schedule.list_appointment_types()] == [
        ("Follow-up", 30), ("Sick visit", 15)
    ]  # fmt: skip


def test_day_view(office):
    ProviderBlock.create(
        provider=office["rivera"], kind="meeting", start=at(15), end=at(16), note="staff"
    )
    ProviderBlock.create(  # another day: not shown
        provider=office["rivera"], kind="out", start=at(8, day=TUESDAY), end=at(17, day=TUESDAY)
    )
    late = book(office, who="bob", provider="chen", start=at(9), minutes=30)
    early = book(office, start=at(8, 30))
    same = book(office, who="cat", start=at(9), reactivate=True)
    cancelled = book(office, start=at(11))
    schedule.set_status(office["desk"], cancelled.id, "cancelled", 1, reason="sick")
    book(office, provider="chen", start=at(9, day=TUESDAY))  # tomorrow
    with pytest.raises(schedule.NeedsOverbook, match="falls in J. Rivera's time off"):
        book(office, who="bob", start=at(9, day=TUESDAY))

    view = schedule.day_view(MONDAY)
    assert [p.name for p in view.providers] == ["J. Rivera, MD", "A. Chen"]
    assert [a.id for a in view.appointments] == [early.id, same.id, late.id]
    assert view.appointments[2].patient_name == "Ng, Bob"
    assert [(b.provider_id, b.start, b.end, b.kind) for b in view.blocks] == [
        (office["chen"], at(12), at(13), "lunch"),
        (office["rivera"], at(15), at(16), "meeting"),
    ]
    assert view.blocks[1].label == "Meeting: staff"
    assert view.hours[office["rivera"]] == [(dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))]

    with_cancelled = schedule.day_view(MONDAY, include_cancelled=True)
    assert cancelled.id in [a.id for a in with_cancelled.appointments]
    only_chen = schedule.day_view(MONDAY, provider_ids=[office["chen"]])
    assert [a.id for a in only_chen.appointments] == [late.id]
    assert [b.kind for b in only_chen.blocks] == ["lunch"]
    assert [b.kind for b in schedule.day_view(TUESDAY).blocks] == ["out", "lunch"]
    assert schedule.day_view(MONDAY + dt.timedelta(days=5)).blocks == []  # lunch Mon-Fri only


def test_day_view_reads_are_few_whatever_the_day_holds(office, sqlite_database):
    database = sqlite_database
    for i in range(6):
        book(office, who="ann" if i % 2 else "bob", start=at(8 + i if i < 4 else 9 + i))
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
    assert len(statements) == 5  # providers, appointments, their undo state, blocks, hours


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
    blocks = [(b.provider_id, b.start, b.end, b.kind) for b in schedule.day_view(MONDAY).blocks]
    assert blocks == [
        (office["rivera"], dt.datetime(2026, 11, 22, 22), at(6), "out"),
        (office["chen"], at(7), at(8), "meeting"),
        (office["chen"], at(12), at(13), "lunch"),
    ]


def test_threads_booking_one_time_at_once(office_on_each_engine, database):
    office = office_on_each_engine
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


def test_a_merged_record_is_refused_never_reactivated(office, fixture_writes):
    Patient.update(merged_into=office["ann"]).where(Patient.id == office["cat"]).execute()
    with pytest.raises(InvalidInput) as info:
        book(office, who="cat", reactivate=True)
    assert info.value.field == "patient" and "surviving record" in str(info.value)
    assert not Patient.get_by_id(office["cat"]).active
    assert Appointment.select().count() == 0
