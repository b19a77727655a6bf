"""Find next available against a hand-built calendar: hours, lunch, blocks, a full day,
booked time, preferences, and the week the clocks change."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui import clock
from medoffice_tui.db.models import Appointment, ProviderBlock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import MONDAY, TUESDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules


def starts(slots):
    return [(s.start, s.provider_id) for s in slots]


def fill(office, provider: str, day: dt.date, first: dt.time, last: dt.time) -> None:
    """Book every 15 minutes from first to last (exclusive) for that provider, fast."""
    pid = office[provider]
    at_ = dt.datetime.combine(day, first)
    rows = []
    while at_.time() < last:
        rows.append({"patient": office["bob"] if provider == "chen" else office["ann"],
                     "provider": pid, "start": at_, "end": at_ + dt.timedelta(minutes=15),
                     "status": "booked"})  # fmt: skip
        at_ += dt.timedelta(minutes=15)
    Appointment.insert_many(rows).execute()


def test_from_now_on_the_slot_grid_inside_hours(office):
    slots = schedule.find_slots([office["rivera"]], minutes=15, limit=6, per_provider_day=None)
    # 10:30 now: today's remaining morning, then the afternoon after the 12-13 gap
    assert [s.start for s in slots] == [
        at(10, 30),
        at(10, 45),
        at(11),
        at(11, 15),
        at(11, 30),
        at(11, 45),
    ]
    assert all(s.end - s.start == dt.timedelta(minutes=15) for s in slots)
    longer = schedule.find_slots([office["rivera"]], appt_type_id=office["follow_up"], limit=3,
                                 per_provider_day=None)  # fmt: skip
    assert [s.start for s in longer] == [at(10, 30), at(10, 45), at(11)]  # 11:30+30 runs past 12
    nxt = schedule.find_slots([office["rivera"]], minutes=30, limit=5, per_provider_day=None)
    assert at(11, 30) in [s.start for s in nxt] and at(11, 45) not in [s.start for s in nxt]


def test_lunch_blocks_and_booked_time_are_skipped(office, fixture_writes):
    ProviderBlock.create(provider=office["chen"], kind="meeting", start=at(13), end=at(14))
    book(office, provider="chen", start=at(14), minutes=30)
    found = schedule.find_slots([office["chen"]], minutes=30, after=at(11), limit=6,
                                per_provider_day=None)  # fmt: skip
    # 11:00, 11:15, 11:30 end by 12; lunch 12-13; meeting 13-14; booked 14:00-14:30
    assert [s.start for s in found] == [
        at(11),
        at(11, 15),
        at(11, 30),
        at(14, 30),
        at(14, 45),
        at(15),
    ]


def test_a_full_day_moves_to_the_next_working_day(office, fixture_writes):
    fill(office, "rivera", MONDAY, dt.time(8), dt.time(12))
    fill(office, "rivera", MONDAY, dt.time(13), dt.time(17))
    found = schedule.find_slots([office["rivera"]], minutes=15, limit=2, per_provider_day=None)
    assert [s.start for s in found] == [at(8, day=TUESDAY), at(8, 15, day=TUESDAY)]
    # Friday full too: the weekend is skipped (no hours), Monday is next
    friday = MONDAY + dt.timedelta(days=4)
    clock.pin(now=dt.datetime.combine(friday, dt.time(7)))
    try:
        fill(office, "rivera", friday, dt.time(8), dt.time(12))
        fill(office, "rivera", friday, dt.time(13), dt.time(17))
        found = schedule.find_slots([office["rivera"]], minutes=15, limit=1)
        assert [s.start for s in found] == [at(8, day=MONDAY + dt.timedelta(days=7))]
    finally:
        clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))


def test_any_provider_in_provider_order_with_weekday_and_time_preferences(office):
    found = schedule.find_slots(minutes=15, limit=4, per_provider_day=2)
    assert starts(found) == [
        (at(10, 30), office["rivera"]), (at(10, 30), office["chen"]),
        (at(10, 45), office["rivera"]), (at(10, 45), office["chen"]),
    ]  # fmt: skip
    thursdays = schedule.find_slots(minutes=15, weekdays=[3], time_of_day="afternoon", limit=50)
    assert thursdays and all(s.start.weekday() == 3 for s in thursdays)
    assert all(dt.time(12) <= s.start.time() < dt.time(17) for s in thursdays)
    assert thursdays[0].start == at(13, day=MONDAY + dt.timedelta(days=3))  # Chen's lunch: 13
    per_day = schedule.find_slots([office["chen"]], minutes=15, limit=10, per_provider_day=3)
    days = [s.start.date() for s in per_day]
    assert days.count(MONDAY) == 3 and days.count(TUESDAY) == 3
    assert schedule.find_slots(minutes=15, weekdays=[5, 6]) == []  # nobody works weekends
    with pytest.raises(InvalidInput):
        schedule.find_slots(minutes=15, time_of_day="midnight")


def test_the_patients_own_appointments_are_busy_time(office):
    book(office, provider="chen", start=at(10, 30), minutes=30)
    found = schedule.find_slots([office["rivera"]], minutes=15, limit=2, patient_id=office["ann"],
                                per_provider_day=None)  # fmt: skip
    assert [s.start for s in found] == [at(11), at(11, 15)]


def test_eight_weeks_and_no_further(office, fixture_writes):
    for week in range(9):
        monday = MONDAY + dt.timedelta(days=7 * week)
        ProviderBlock.create(provider=office["rivera"], kind="out", start=at(0, day=monday),
                             end=at(0, day=monday + dt.timedelta(days=7)))  # fmt: skip
    assert schedule.find_slots([office["rivera"]], minutes=15) == []
    for weeks in (8, 7):  # the ninth week is beyond the search; the eighth is in it
        ProviderBlock.delete().where(
            ProviderBlock.start == at(0, day=MONDAY + dt.timedelta(days=7 * weeks))
        ).execute()
        if weeks == 8:
            assert schedule.find_slots([office["rivera"]], minutes=15) == []
    found = schedule.find_slots([office["rivera"]], minutes=15, limit=1)
    assert found[0].start == at(8, day=MONDAY + dt.timedelta(days=49))


def test_the_week_the_clocks_change_keeps_wall_times(office, fixture_writes):
    """US clocks go forward on Sunday 2027-03-14: the Monday after still starts at 8:00,
    lunch stays 12-13, and a day still has the same number of slots."""
    clock.pin(now=dt.datetime(2027, 3, 5, 16, 30))  # a Friday afternoon, a week before
    try:
        found = schedule.find_slots([office["chen"]], minutes=60, limit=400, per_provider_day=None)
        by_day: dict[dt.date, list[dt.datetime]] = {}
        for s in found:
            by_day.setdefault(s.start.date(), []).append(s.start)
        before, after = by_day[dt.date(2027, 3, 8)], by_day[dt.date(2027, 3, 15)]
        assert after[0] == dt.datetime(2027, 3, 15, 8) and before[0] == dt.datetime(2027, 3, 8, 8)
        assert dt.datetime(2027, 3, 15, 11, 30) not in after  # would run into lunch
        assert dt.datetime(2027, 3, 15, 11) in after and dt.datetime(2027, 3, 15, 13) in after
        assert [t.time() for t in before] == [t.time() for t in after]  # 13 + 13 starts
        assert len(after) == 26 and dt.date(2027, 3, 13) not in by_day  # weekend closed
        # and in the autumn (clocks back on 2026-11-01) the same holds
        clock.pin(now=dt.datetime(2026, 10, 30, 17, 0))
        autumn = schedule.find_slots([office["rivera"]], minutes=15, limit=1)
        assert autumn[0].start == dt.datetime(2026, 11, 2, 8)
    finally:
        clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))


def test_sunday_hours_are_found_when_sunday_is_asked_for(office, fixture_writes):
    schedule_office.weekday_hours(office["chen"], (dt.time(9), dt.time(11)), days=[6])
    found = schedule.find_slots([office["chen"]], minutes=30, weekdays=[6], limit=3,
                                per_provider_day=None)  # fmt: skip
    assert found and all(s.start.weekday() == 6 for s in found)
    assert found[0].start.time() == dt.time(9)


def test_busy_time_is_read_alike_on_both_engines(both_engines_office):
    """The busy time is read straight from the driver's cursor (SQLite's text, the
    PostgreSQL driver's datetimes): a booking and the patient's own visit elsewhere are
    skipped on each engine, and the slots found are the same."""
    office = both_engines_office
    book(office, provider="rivera", start=at(10, 30), minutes=30)
    book(office, who="bob", provider="chen", start=at(11, 30), minutes=15)
    found = schedule.find_slots([office["rivera"]], minutes=15, limit=4, per_provider_day=None,
                                patient_id=office["bob"])  # fmt: skip
    assert [s.start for s in found] == [at(11), at(11, 15), at(11, 45), at(13)]
    assert all(isinstance(s.start, dt.datetime) and s.start.tzinfo is None for s in found)


both_engines_office = schedule_office.office  # the fixture, on SQLite and on PostgreSQL
