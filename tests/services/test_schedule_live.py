"""What moved the change token, as an open schedule sees it (``appointments_touched``):
reads are nothing, an appointment write names the appointment and its version now,
anything else asks for a reload."""

from __future__ import annotations

from medoffice_tui.services import changes, schedule
from medoffice_tui.services.patients import get_patient
from medoffice_tui.services.patients.notes import add_note
from tests.services import schedule_office
from tests.services.schedule_office import at, book

office = schedule_office.office_sqlite


def test_reads_writes_and_other_changes(office):
    start = changes.change_token()
    appt = book(office, start=at(11))
    booked = changes.change_token()
    assert schedule.appointments_touched(start, booked) == {appt.id: appt.version}
    confirmed = schedule.set_status(office["desk"], appt.id, "confirmed", appt.version)
    after_confirm = changes.change_token()
    assert schedule.appointments_touched(booked, after_confirm) == {appt.id: confirmed.version}
    # a record opened moves the token but changes nothing the schedule shows
    get_patient(office["desk"], office["ann"])
    viewed = changes.change_token()
    assert viewed > after_confirm
    assert schedule.appointments_touched(after_confirm, viewed) == {}
    # both together: the appointment, at its newest version
    assert schedule.appointments_touched(booked, viewed) == {appt.id: confirmed.version}
    assert schedule.appointments_touched(viewed, viewed) == {}


def test_a_change_to_anything_else_or_too_much_asks_for_a_reload(office):
    from medoffice_tui.services.schedule import live

    start = changes.change_token()
    add_note(office["desk"], office["ann"], "called about the bill")  # not an appointment
    moved = changes.change_token()
    assert moved > start
    assert schedule.appointments_touched(start, moved) is None
    assert schedule.appointments_touched(moved - live.MAX_EVENTS - 1, moved) is None
