"""Rescheduling under the booking rules, and the history that keeps where it was."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Appointment, AuditEvent
from medoffice_tui.errors import InvalidInput, PermissionDenied, SlotTaken, StaleEdit
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import TUESDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules


def move(office, row, start, actor="desk", **kw):
    return schedule.move_appointment(office[actor], row.id, row.version, start, **kw)


def test_a_move_keeps_where_it_was_and_who_moved_it(office):
    row = book(office, minutes=30, appt_type_id=office["follow_up"])
    moved = move(office, row, at(10, 30), provider_id=office["chen"], actor="clinical")
    assert (moved.start, moved.end, moved.provider_id, moved.version) == (
        at(10, 30), at(11), office["chen"], 2
    )  # fmt: skip
    last = schedule.appointment_history(row.id)[-1]
    assert (last.kind, last.by) == ("moved", "Test Clinical")
    assert (last.from_provider, last.from_start, last.from_end) == (
        "J. Rivera, MD",
        at(9),
        at(9, 30),
    )
    assert (last.to_provider, last.to_start, last.to_end) == ("A. Chen", at(10, 30), at(11))
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.detail) == ("update", "moved")
    assert {"start", "end", "provider"} <= set(event.fields.split(","))
    # the time it left is free again
    book(office, who="bob", start=at(9), minutes=30)


def test_a_move_to_another_day_needs_confirming_again(office):
    row = schedule.set_status(office["desk"], book(office).id, "confirmed", 1)
    same_day = move(office, row, at(11))
    assert same_day.status == "confirmed"
    next_day = move(office, same_day, at(11, day=TUESDAY), minutes=30)
    assert next_day.status == "booked" and next_day.minutes == 30
    assert Appointment.get_by_id(row.id).confirmed_at is None


def test_a_move_follows_the_booking_rules(office):
    row = book(office)
    book(office, who="bob", start=at(10))
    book(office, provider="chen", start=at(11))
    with pytest.raises(SlotTaken, match="just taken"):
        move(office, row, at(10))  # the provider is busy
    with pytest.raises(SlotTaken, match="patient already has"):
        move(office, row, at(11))  # the patient is busy elsewhere
    with pytest.raises(schedule.NeedsOverbook, match="outside"):
        move(office, row, at(12, 15))
    with pytest.raises(PermissionDenied, match="Overbooking"):
        move(office, row, at(12, 15), overbook=True, overbook_reason="x")
    with pytest.raises(InvalidInput, match="passed"):
        move(office, row, at(9, day=TUESDAY - dt.timedelta(days=2)))
    with pytest.raises(InvalidInput, match="already is"):
        move(office, row, at(9))
    assert Appointment.get_by_id(row.id).start == at(9)
    # its own time never counts against it: 15 minutes later overlaps the old slot
    assert move(office, row, at(9, 10)).start == at(9, 10)


def test_an_overbooked_move_is_marked_and_a_move_inside_hours_clears_it(office):
    row = book(office)
    over = move(office, row, at(12, 15), actor="manager", overbook=True, overbook_reason="late")
    assert over.overbooked and over.overbook_reason == "late"
    back = move(office, over, at(13))
    assert not back.overbooked and back.overbook_reason == ""


def test_only_booked_or_confirmed_visits_move_and_a_stale_move_is_refused(office):
    row = book(office)
    arrived = schedule.set_status(office["desk"], row.id, "arrived", 1)
    with pytest.raises(InvalidInput, match="arrived cannot be moved"):
        move(office, arrived, at(11))
    other = book(office, who="bob", start=at(10))
    schedule.set_status(office["clinical"], other.id, "confirmed", 1)
    with pytest.raises(StaleEdit, match="Test Clinical"):
        move(office, other, at(11))
    with pytest.raises(PermissionDenied):
        move(office, other, at(11), actor="billing")
