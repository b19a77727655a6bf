"""Running the day: status steps and their stamps, today-only steps, cancel reasons, undo."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui import clock
from medoffice_tui.db.models import Appointment, AppointmentEvent, AuditEvent
from medoffice_tui.errors import InvalidInput, NotFound, PermissionDenied, SlotTaken, StaleEdit
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import MONDAY, TUESDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules
office_on_each_engine = schedule_office.office  # where the engines' guards answer

NOW = dt.datetime(2026, 11, 23, 10, 30)


def step(office, row, status, actor="desk", **kw):
    return schedule.set_status(office[actor], row.id, status, row.version, **kw)


def test_status_walk_stamps_times_and_history(office):
    row = book(office)
    for status in ("confirmed", "arrived", "roomed", "completed"):
        row = step(office, row, status)
    assert (row.status, row.version) == ("completed", 5)
    stored = Appointment.get_by_id(row.id)
    assert stored.confirmed_at == stored.arrived_at == stored.roomed_at == NOW
    assert stored.completed_at == stored.updated_at == NOW
    history = schedule.appointment_history(row.id)
    assert [(h.kind, h.from_status, h.to_status, h.version) for h in history] == [
        ("booked", "", "booked", 1),
        ("status", "booked", "confirmed", 2),
        ("status", "confirmed", "arrived", 3),
        ("status", "arrived", "roomed", 4),
        ("status", "roomed", "completed", 5),
    ]
    assert {h.by for h in history} == {"Test Front Desk"} and {h.at for h in history} == {NOW}


ILLEGAL = [
    ([], "roomed"),
    ([], "completed"),
    ([], "booked"),
    (["confirmed"], "booked"),
    (["confirmed"], "confirmed"),
    (["arrived"], "no_show"),
    (["arrived", "roomed"], "cancelled"),
    (["arrived", "completed"], "arrived"),
    (["no_show"], "arrived"),
    (["no_show"], "booked"),  # taking a no-show back is an undo, not a step
]


def test_illegal_transitions(office):
    for n, (path, bad) in enumerate(ILLEGAL):
        row = book(office, start=at(8) + dt.timedelta(minutes=15 * n))
        for status in path:
            row = step(office, row, status)
        with pytest.raises(InvalidInput, match="cannot become"):
            step(office, row, bad, reason="x")
        assert Appointment.get_by_id(row.id).version == row.version


def test_arrived_roomed_completed_only_on_the_appointments_day(office):
    tomorrow = book(office, start=at(8, day=TUESDAY))
    with pytest.raises(InvalidInput, match="only today's appointments can be checked in") as info:
        step(office, tomorrow, "arrived")
    assert "Tue 24 Nov" in str(info.value)
    assert schedule.day_refusal("completed", TUESDAY, MONDAY).startswith(
        "only today's appointments can be completed"
    )
    with pytest.raises(InvalidInput, match="cannot be a no-show yet"):
        step(office, tomorrow, "no_show")
    assert schedule.allowed_statuses(tomorrow) == {"confirmed", "cancelled"}
    today = book(office, who="bob")
    assert schedule.allowed_statuses(today) == {"confirmed", "arrived", "cancelled", "no_show"}
    # yesterday's visit (booked before the day passed): a no-show, never checked in now
    clock.pin(now=dt.datetime(2026, 11, 24, 9, 0))
    try:
        assert schedule.allowed_statuses(today) == {"cancelled", "no_show"}
        with pytest.raises(InvalidInput, match="only today's"):
            step(office, today, "arrived")
        with pytest.raises(InvalidInput, match="has passed"):
            step(office, today, "confirmed")
        step(office, today, "no_show")
    finally:
        clock.pin(now=NOW)
    assert Appointment.get_by_id(tomorrow.id).status == "booked"


def test_cancel_needs_a_reason_kept_on_the_appointment(office):
    row = book(office)
    with pytest.raises(InvalidInput, match="reason") as info:
        step(office, row, "cancelled", reason="  ")
    assert info.value.field == "reason"
    row = step(office, row, "cancelled", reason=schedule.CANCEL_REASONS[0])
    stored = Appointment.get_by_id(row.id)
    assert (stored.status, stored.cancel_reason, stored.cancelled_at) == (
        "cancelled", "Patient called to cancel", NOW
    )  # fmt: skip
    assert schedule.appointment_history(row.id)[-1].detail == "Patient called to cancel"
    free_text = step(office, book(office, start=at(10)), "cancelled", reason=" moved  away ")
    assert free_text.cancel_reason == "moved away"
    with pytest.raises(InvalidInput, match="unknown"):
        step(office, book(office, start=at(11)), "bogus")


def test_concurrent_status_change_is_stale_and_names_who(office_on_each_engine):
    office = office_on_each_engine
    row = book(office)
    desk_a = schedule.get_appointment(row.id)
    desk_b = schedule.get_appointment(row.id)
    schedule.set_status(office["clinical"], desk_a.id, "arrived", desk_a.version)
    with pytest.raises(StaleEdit, match="Test Clinical changed this record"):
        schedule.set_status(office["desk"], desk_b.id, "cancelled", desk_b.version, reason="dup")
    stored = Appointment.get_by_id(row.id)
    assert (stored.status, stored.version, stored.cancelled_at) == ("arrived", 2, None)
    with pytest.raises(NotFound):
        schedule.set_status(office["desk"], row.id + 50, "arrived", 1)


def test_billing_may_not_change_a_status(office):
    row = book(office)
    with pytest.raises(PermissionDenied):
        step(office, row, "confirmed", actor="billing")
    with pytest.raises(PermissionDenied):
        schedule.undo_status(office["billing"], row.id, row.version)


@pytest.mark.parametrize(
    ("path", "back"),
    [
        (["confirmed"], "booked"),
        (["arrived"], "booked"),
        (["confirmed", "arrived", "roomed"], "arrived"),
        (["arrived", "completed"], "arrived"),
        (["no_show"], "booked"),
        (["confirmed", "no_show"], "confirmed"),
        (["cancelled"], "booked"),
    ],
)
def test_undo_takes_back_the_last_status_change_and_only_it(office, path, back):
    row = book(office)
    for status in path:
        row = step(office, row, status, reason="called")
    assert row.undo_to == back
    undone = schedule.undo_status(office["desk"], row.id, row.version)
    assert (undone.status, undone.version, undone.undo_to) == (back, row.version + 1, "")
    stored = Appointment.get_by_id(row.id)
    assert getattr(stored, schedule.STAMPS[path[-1]]) is None  # the stamp it set is gone
    assert stored.cancel_reason == ""
    history = schedule.appointment_history(row.id)
    assert (history[-1].kind, history[-1].from_status, history[-1].to_status) == (
        "undo", path[-1], back
    )  # fmt: skip
    undo_event = AppointmentEvent.select().order_by(AppointmentEvent.id.desc()).first()
    assert undo_event.undoes_id == history[-2].id
    # only once: the undo is now the newest thing that happened
    with pytest.raises(InvalidInput, match="nothing to undo"):
        schedule.undo_status(office["desk"], row.id, undone.version)
    audit = (
        AuditEvent.select()
        .where(AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
        .first()
    )
    assert audit.detail == f"undo {path[-1]} -> {back}"


def test_no_undo_once_something_newer_happened(office):
    fresh = book(office)
    with pytest.raises(InvalidInput, match="nothing to undo"):  # booked: no status change yet
        schedule.undo_status(office["desk"], fresh.id, fresh.version)
    confirmed = step(office, fresh, "confirmed")
    moved = schedule.move_appointment(office["desk"], confirmed.id, confirmed.version, at(10))
    assert moved.undo_to == ""
    with pytest.raises(InvalidInput, match="nothing to undo"):
        schedule.undo_status(office["desk"], moved.id, moved.version)
    # a stale undo (the desk saw an older version) is refused, not applied
    other = step(office, book(office, who="bob"), "confirmed")
    step(office, other, "arrived", actor="clinical")
    with pytest.raises(StaleEdit):
        schedule.undo_status(office["desk"], other.id, other.version)
    assert Appointment.get_by_id(other.id).status == "arrived"


def test_undoing_a_no_show_whose_time_was_rebooked_is_refused(office_on_each_engine):
    office = office_on_each_engine
    row = step(office, book(office), "no_show")
    walk_in = book(office, who="bob")  # the freed time went to someone else
    with pytest.raises(SlotTaken, match="just taken"):
        schedule.undo_status(office["desk"], row.id, row.version)
    assert Appointment.get_by_id(row.id).status == "no_show"
    # the patient's own time too: they were booked with another provider meanwhile
    other = step(office, book(office, start=at(14)), "cancelled", reason="x")
    book(office, provider="chen", start=at(14))
    with pytest.raises(SlotTaken, match="patient already has"):
        schedule.undo_status(office["desk"], other.id, other.version)
    schedule.set_status(office["desk"], walk_in.id, "cancelled", walk_in.version, reason="x")
    assert schedule.undo_status(office["desk"], row.id, row.version).status == "booked"


def test_day_view_rows_say_what_undo_would_do(office):
    a = step(office, book(office), "no_show")
    b = book(office, who="bob", start=at(10))
    view = {r.id: r.undo_to for r in schedule.day_view(MONDAY).appointments}
    assert view == {a.id: "booked", b.id: ""}
    assert schedule.undo_target(a.id, a.version) == "booked"
    assert schedule.undo_target(a.id, a.version - 1) is None
