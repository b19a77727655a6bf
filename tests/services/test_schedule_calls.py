"""The confirmation list: who is on it, call outcomes kept on the appointment, the CSV;
and the check-in essentials."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat

import pytest

from medoffice_tui.db.models import (
    Allergy,
    Appointment,
    AuditEvent,
    Claim,
    Coverage,
    Patient,
    Payer,
    Payment,
)
from medoffice_tui.errors import InvalidInput, PermissionDenied, StaleEdit
from medoffice_tui.services import schedule
from tests.services import schedule_office
from tests.services.schedule_office import MONDAY, TUESDAY, at, book

office = schedule_office.office_sqlite  # the fixture: engine-independent rules

NOW = dt.datetime(2026, 11, 23, 10, 30)


def test_next_working_day_skips_days_nobody_works(office):
    assert schedule.next_working_day() == TUESDAY
    friday = MONDAY + dt.timedelta(days=4)
    assert schedule.next_working_day(friday) == MONDAY + dt.timedelta(days=7)


def test_the_list_holds_every_unconfirmed_visit_with_contact_and_phone(office, fixture_writes):
    Patient.update(preferred_contact="home").where(Patient.id == office["bob"]).execute()
    a = book(office, start=at(9, day=TUESDAY))
    b = book(office, who="bob", provider="chen", start=at(8, day=TUESDAY))
    c = book(office, who="bob", start=at(10, day=TUESDAY))
    schedule.set_status(office["desk"], c.id, "confirmed", c.version)
    d = book(office, who="cat", start=at(11, day=TUESDAY), reactivate=True)
    schedule.set_status(office["desk"], d.id, "cancelled", d.version, reason="x")
    book(office, start=at(9))  # today: another day's list
    rows = schedule.confirmation_list(office["desk"], TUESDAY)
    assert [r.appointment_id for r in rows] == [b.id, a.id]
    first = rows[0]
    assert (first.contact, first.phone, first.patient_name, first.outcome_words) == (
        "home", "(312) 555-0199", "Ng, Bob", "not called"
    )  # fmt: skip
    assert rows[1].phone == "(312) 555-0100"  # mobile, the default preference
    with pytest.raises(PermissionDenied):
        schedule.confirmation_list(office["billing"], TUESDAY)


def test_call_outcomes_are_kept_and_confirmed_confirms(office):
    row = book(office, start=at(9, day=TUESDAY))
    left = schedule.record_call(office["desk"], row.id, row.version, "left_message")
    stored = Appointment.get_by_id(row.id)
    assert (stored.reminder_outcome, stored.reminder_at, stored.reminder_by_id) == (
        "left_message", NOW, office["desk"].user_id
    )  # fmt: skip
    assert left.status == "booked" and left.version == 2
    assert [r.outcome for r in schedule.confirmation_list(office["desk"], TUESDAY)] == [
        "left_message"
    ]
    with pytest.raises(StaleEdit):
        schedule.record_call(office["desk"], row.id, row.version, "no_answer")
    done = schedule.record_call(office["desk"], row.id, left.version, "confirmed")
    assert (done.status, done.reminder_outcome) == ("confirmed", "confirmed")
    assert schedule.confirmation_list(office["desk"], TUESDAY) == []  # off the list now
    history = schedule.appointment_history(row.id)
    assert [(h.kind, h.detail) for h in history[1:]] == [
        ("reminder", "left_message"), ("status", "by phone")
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="not waiting"):
        schedule.record_call(office["desk"], row.id, done.version, "wrong_number")
    with pytest.raises(InvalidInput, match="unknown"):
        schedule.record_call(office["desk"], row.id, done.version, "maybe")


def test_csv_export_is_owner_only_audited_and_never_overwrites(office, tmp_path):
    book(office, start=at(9, day=TUESDAY), appt_type_id=office["sick"])
    wrong = book(office, who="bob", start=at(10, day=TUESDAY))
    schedule.record_call(office["desk"], wrong.id, wrong.version, "wrong_number")
    out = tmp_path / "calls.csv"
    assert schedule.export_confirmation_list(office["desk"], TUESDAY, out) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(out.open()))
    assert rows[0] == list(schedule.reminders.CSV_HEADER)
    assert rows[1][:4] == ["2026-11-24 09:00", "J. Rivera, MD", "Lee, Ann", "M1"]
    assert rows[1][7] == "Sick visit" and rows[2][8:] == ["wrong number", "2026-11-23 10:30"]
    event = AuditEvent.select().where(AuditEvent.action == "export").get()
    assert "confirmation list 2026-11-24: 2 rows" in event.detail and "Lee" not in event.detail
    with pytest.raises(InvalidInput, match="exists already"):
        schedule.export_confirmation_list(office["desk"], TUESDAY, out)
    handle = io.StringIO()
    assert schedule.export_confirmation_list(office["desk"], TUESDAY, handle) == 2
    assert handle.getvalue().count("\n") == 3


def test_check_in_essentials_say_what_to_ask_for(office, fixture_writes):
    row = book(office)
    bare = schedule.checkin_essentials(office["desk"], row.id)
    assert [(e.label, e.attention) for e in bare.items] == [
        ("Insurance", True), ("Copay", False), ("Balance", False), ("Allergies", True)
    ]  # fmt: skip
    assert bare.patient_name == "Lee, Ann" and bare.mrn == "M1"
    payer = Payer.create(name="Acme Health", payer_id="ACME1")
    coverage = Coverage.create(patient=office["ann"], payer=payer, member_id="X12",
                               copay_cents=2500, effective_from=dt.date(2026, 1, 1))  # fmt: skip
    Allergy.create(patient=office["ann"], substance="Penicillin")
    Claim.create(claim_number="C1", patient=office["ann"], provider=office["rivera"], payer=payer,
                 service_date=dt.date(2026, 10, 1), patient_resp_cents=4000)  # fmt: skip
    Payment.create(
        kind="patient", patient=office["ann"], amount_cents=1500, received_on=dt.date(2026, 10, 2)
    )
    full = {e.label: e for e in schedule.checkin_essentials(office["desk"], row.id).items}
    assert full["Insurance"].text == "Acme Health, member X12" and not full["Insurance"].attention
    assert full["Copay"].text == "$25.00 due today" and full["Copay"].attention
    assert full["Balance"].text == "$25.00 outstanding: ask for payment"
    assert full["Allergies"].text == "1 on file: Penicillin"
    checked = Coverage._meta.fields.get("eligibility_checked_on")
    if checked is not None:  # the patients area's "eligibility last checked" date
        assert full["Eligibility"].attention
        Coverage.update({checked: MONDAY - dt.timedelta(days=3)}).where(
            Coverage.id == coverage.id
        ).execute()
        again = {e.label: e for e in schedule.checkin_essentials(office["desk"], row.id).items}
        assert (
            again["Eligibility"].text == "checked 3 days ago" and not again["Eligibility"].attention
        )
    Coverage.update(effective_to=dt.date(2026, 11, 1)).execute()  # lapsed
    lapsed = {e.label: e for e in schedule.checkin_essentials(office["desk"], row.id).items}
    assert lapsed["Insurance"].attention and "none in force" in lapsed["Insurance"].text


def test_a_record_made_inactive_after_booking_is_flagged(office, fixture_writes):
    row = book(office)
    Patient.update(active=False).where(Patient.id == office["ann"]).execute()
    assert schedule.get_appointment(row.id).patient_active is False
    items = schedule.checkin_essentials(office["desk"], row.id).items
    assert (items[0].label, items[0].attention) == ("Record", True)
