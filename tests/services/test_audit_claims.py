"""Audit events for the money side (charges, claim status, claim views, payer and patient
payments, write-offs, balances) and for the check-in essentials; and the who/when stamps
a patient edit, an appointment status change and a stock movement leave behind."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui import clock
from medoffice_tui.db.models import (
    Appointment,
    AuditEvent,
    ClaimLine,
    ClaimStatusEvent,
    Patient,
    Provider,
    StockMovement,
    SupplyItem,
)
from medoffice_tui.services import claims, patients, schedule, stock
from medoffice_tui.services.claims import AdjustmentInput as Adj
from medoffice_tui.services.claims import LinePosting, PayerPayment

from .test_claims_support import billing, charges_for  # noqa: F401 - fixture

__all__ = ["billing"]


def _since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.id > before).order_by(AuditEvent.id))


def _last_id() -> int:
    return AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).scalar() or 0


def _one(events: list[AuditEvent], action: str, entity: str) -> AuditEvent:
    found = [e for e in events if (e.action, e.object_type) == (action, entity)]
    assert len(found) == 1, [(e.action, e.object_type, e.detail) for e in events]
    return found[0]


@pytest.fixture
def sent(billing, staff) -> int:  # noqa: F811
    biller = staff["billing"]
    cid = claims.enter_charges(biller, charges_for(billing))
    claims.mark_ready(biller, cid)
    claims.set_status(biller, cid, "submitted")
    return cid


def test_charge_entry_and_claim_status_changes_are_events(billing, staff) -> None:  # noqa: F811
    biller = staff["billing"]
    before = _last_id()
    cid = claims.enter_charges(biller, charges_for(billing))
    created = _one(_since(before), "create", "claim")
    assert (created.object_id, created.patient_id, created.user_id) == (
        cid, billing.patient, biller.user_id
    )  # fmt: skip
    assert created.fields  # names what was entered, never the amounts or codes
    before = _last_id()
    claims.mark_ready(biller, cid)
    claims.set_status(biller, cid, "submitted")
    changes = [e for e in _since(before) if e.object_type == "claim" and e.action == "update"]
    assert len(changes) == 2 and all(e.patient_id == billing.patient for e in changes)
    assert "status" in changes[-1].fields and "submitted" in changes[-1].detail
    # the claim's own history names who changed it and when (the stamp)
    last = ClaimStatusEvent.select().where(ClaimStatusEvent.claim == cid).order_by(
        ClaimStatusEvent.id.desc()
    ).first()  # fmt: skip
    assert last.user_id == biller.user_id and last.at == clock.now()


def test_viewing_a_claim_and_a_balance_are_view_events(sent, staff, billing) -> None:  # noqa: F811
    desk = staff["front_desk"]
    before = _last_id()
    claims.get_claim(desk, sent)
    viewed = _one(_since(before), "view", "claim")
    assert (viewed.object_id, viewed.patient_id, viewed.user_id) == (
        sent, billing.patient, desk.user_id
    )  # fmt: skip
    before = _last_id()
    balance = claims.balances.patient_balance(desk, billing.patient)
    assert balance.owes_cents == 0  # nothing decided yet: with the insurance
    shown = _one(_since(before), "view", "balance")
    assert (shown.object_id, shown.patient_id, shown.user_id) == (
        billing.patient, billing.patient, desk.user_id
    )  # fmt: skip
    before = _last_id()
    claims.balances.balance_of(billing.patient)  # the services' own reads: no event
    assert _since(before) == []


def test_payer_payment_patient_payment_and_write_off_are_events(sent, staff, billing) -> None:  # noqa: F811
    biller, desk = staff["billing"], staff["front_desk"]
    one, two = ClaimLine.select().where(ClaimLine.claim == sent).order_by(ClaimLine.line_no)
    before = _last_id()
    claims.post_payer_payment(
        biller,
        PayerPayment(
            sent,
            (
                LinePosting(one.id, 6000, (Adj("CO", "45", 4000), Adj("PR", "3", 3000)), 9000),
                LinePosting(two.id, 1000, (Adj("CO", "45", 500), Adj("PR", "2", 500)), 1500),
            ),
            "EFT1",
        ),
    )
    posted = _one(_since(before), "create", "payment")
    assert (posted.patient_id, posted.user_id, posted.detail) == (
        billing.patient, biller.user_id, f"claim {sent}"
    )  # fmt: skip
    assert posted.fields == "adjustments,paid"  # (sorted)
    before = _last_id()
    claims.take_patient_payment(desk, billing.patient, 2000, "card")
    paid = _one(_since(before), "create", "payment")
    assert (paid.patient_id, paid.user_id, paid.fields) == (
        billing.patient, desk.user_id, "amount,method"
    )  # fmt: skip
    before = _last_id()
    claims.write_off(biller, sent, "small")
    written = _one(_since(before), "update", "claim")
    assert (written.object_id, written.patient_id, written.user_id, written.fields) == (
        sent, billing.patient, biller.user_id, "write_off"
    )  # fmt: skip
    # the trail names fields and amounts' kinds, never the patient
    for event in AuditEvent.select():
        assert "Lee" not in f"{event.fields} {event.detail}"


def test_check_in_essentials_record_a_view_of_the_patient(billing, staff) -> None:  # noqa: F811
    desk = staff["front_desk"]
    before = _last_id()
    shown = schedule.checkin_essentials(desk, billing.appointment)
    assert shown.patient_id == billing.patient
    viewed = _one(_since(before), "view", "patient")
    assert (viewed.object_id, viewed.patient_id, viewed.user_id) == (
        billing.patient, billing.patient, desk.user_id
    )  # fmt: skip
    assert set(viewed.fields.split(",")) == {"allergies", "balance", "coverage"}


# ------------------------------------------------------------------ the stamps


def test_a_patient_edit_stamps_who_and_when(staff) -> None:
    desk, biller = staff["front_desk"], staff["billing"]
    created = patients.create_patient(
        desk, last_name="Stamp", first_name="Sam", dob="3/4/1980", phone_mobile="312-555-0147"
    )
    row = Patient.get_by_id(created.id)
    assert row.created_by_id == desk.user_id and row.updated_by_id == desk.user_id
    clock.pin(now=clock.now() + dt.timedelta(minutes=7))
    try:
        patients.update_patient(biller, created.id, row.version, first_name="Samuel")
        row = Patient.get_by_id(created.id)
        assert row.updated_by_id == biller.user_id and row.updated_at == clock.now()
        assert row.created_by_id == desk.user_id  # the first stamp stays
    finally:
        clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))


def test_an_appointment_status_change_stamps_who_and_when(staff, fixture_writes) -> None:
    desk, nurse = staff["front_desk"], staff["clinical"]
    patient = patients.create_patient(desk, last_name="Stamp", first_name="Ann", dob="1/2/1970")
    provider = Provider.create(first_name="Jo", last_name="Doc", npi="1000000001")
    booked = schedule.book_appointment(
        desk, patient.id, provider.id, dt.datetime(2026, 11, 24, 9), minutes=15
    )
    assert Appointment.get_by_id(booked.id).updated_by_id == desk.user_id
    schedule.set_status(nurse, booked.id, "confirmed", booked.version)
    row = Appointment.get_by_id(booked.id)
    assert row.updated_by_id == nurse.user_id and row.updated_at == clock.now()


def test_a_stock_movement_names_its_user(staff, fixture_writes) -> None:
    desk, nurse = staff["front_desk"], staff["clinical"]
    item = SupplyItem.create(sku="G1", name="Gloves")
    stock.receive(desk, item.id, "L1", 10, "12/31/2027")
    stock.use(nurse, item.id, 3)
    moves = list(StockMovement.select().order_by(StockMovement.id))
    assert [(m.user_id, m.at) for m in moves] == [
        (desk.user_id, clock.now()),
        (nurse.user_id, clock.now()),
    ]
