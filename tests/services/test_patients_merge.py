"""Merging duplicates: every kind of row moves to the survivor in one write, fields are
taken as chosen, the duplicate stays inactive pointing at the survivor, and overlapping
appointments refuse the merge until the desk resolves them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from medoffice_tui.db.models import (
    Allergy,
    Appointment,
    AuditEvent,
    Claim,
    Coverage,
    Patient,
    PatientNote,
    Payer,
    Payment,
    Provider,
    Vital,
)
from medoffice_tui.errors import InvalidInput, StaleEdit
from medoffice_tui.services import patients, schedule
from medoffice_tui.services.patients import merge as merge_module
from medoffice_tui.services.schedule import rules as schedule_rules

DAY = dt.datetime(2026, 11, 24, 9)


@pytest.fixture
def pair(staff, fixture_writes) -> dict:
    front, nurse, manager = staff["front_desk"], staff["clinical"], staff["manager"]
    acme = Payer.create(name="Acme", payer_id="ACME1").id
    blue = Payer.create(name="Blue", payer_id="BLUE1").id
    doc = Provider.create(first_name="Jo", last_name="Doc", npi="1000000004").id
    nurse_np = Provider.create(first_name="Al", last_name="Nurse", npi="1000000012").id
    keep = patients.create_patient(
        front, last_name="Lee", first_name="Ann", dob="3/4/1980", phone_mobile="312-555-0147"
    )
    dupe = patients.create_patient(
        front, last_name="Lee", first_name="Anne", dob="3/4/1980", email="ann@example.org",
        preferred_language="Spanish", phone_mobile="773-555-0100",
    )  # fmt: skip
    patients.add_coverage(front, keep.id, payer_id=acme, member_id="A1")
    patients.add_coverage(front, dupe.id, payer_id=acme, member_id="a1")  # the same plan
    patients.add_coverage(front, dupe.id, payer_id=blue, member_id="B2", rank=2)
    patients.add_allergy(nurse, keep.id, substance="Penicillin")
    patients.add_allergy(nurse, dupe.id, substance="penicillin")  # the same allergy
    patients.add_allergy(nurse, dupe.id, substance="Latex")
    patients.record_vitals(nurse, dupe.id, pulse=70)
    patients.add_note(front, dupe.id, "Registered twice by mistake")
    schedule.book_appointment(front, keep.id, doc, DAY, minutes=15)
    visit = schedule.book_appointment(front, dupe.id, doc, DAY + dt.timedelta(hours=2), minutes=15)
    claim = Claim.create(
        claim_number="C1", patient=dupe.id, provider=doc, payer=acme,
        service_date=dt.date(2026, 11, 2), total_charge_cents=10000, balance_cents=10000,
    )  # fmt: skip
    Payment.create(kind="patient", patient=dupe.id, claim=claim, amount_cents=2500,
                   received_on=dt.date(2026, 11, 2))  # fmt: skip
    return {"keep": keep.id, "dupe": dupe.id, "manager": manager, "front": front,
            "doc": doc, "np": nurse_np, "visit": visit.id, "claim": claim.id}  # fmt: skip


def _version(patient_id: int) -> int:
    return Patient.get_by_id(patient_id).version


def test_every_kind_of_row_moves_and_fields_are_taken_as_chosen(pair) -> None:
    keep, dupe, manager = pair["keep"], pair["dupe"], pair["manager"]
    result = patients.merge_patients(
        manager, keep, dupe, _version(keep), _version(dupe),
        take_from_duplicate=["email", "preferred_language"],
    )  # fmt: skip
    assert set(result.moved) >= {
        "appointment", "coverage", "claim", "payment", "allergy", "vital", "patient_note",
    }  # fmt: skip
    for model in (Appointment, Coverage, Claim, Payment, Allergy, Vital, PatientNote):
        assert model.select().where(model.patient == dupe).count() == 0, model
    assert Appointment.get_by_id(pair["visit"]).patient_id == keep
    assert Claim.get_by_id(pair["claim"]).patient_id == keep
    survivor, merged = Patient.get_by_id(keep), Patient.get_by_id(dupe)
    assert (survivor.email, survivor.preferred_language) == ("ann@example.org", "Spanish")
    assert survivor.first_name == "Ann" and survivor.phone_mobile == "(312) 555-0147"
    assert (merged.active, merged.merged_into_id) == (False, keep)
    coverages = [
        (c.member_id, c.rank, c.active)
        for c in Coverage.select().where(Coverage.patient == keep).order_by(Coverage.id)
    ]
    assert coverages == [("A1", 1, True), ("A1", 1, False), ("B2", 2, True)]
    active_allergies = sorted(
        a.substance for a in Allergy.select().where((Allergy.patient == keep) & Allergy.active)
    )
    assert active_allergies == ["Latex", "Penicillin"]
    assert survivor.allergy_status == "listed"
    event = AuditEvent.select().where(AuditEvent.action == "merge").get()
    assert event.patient_id == keep and "appointment" in event.fields
    assert "from_duplicate:email" in event.fields and "ann@example.org" not in event.fields
    notes = [n.text for n in PatientNote.select().where(PatientNote.patient == keep)]
    assert any("Merged record" in n for n in notes)
    record = patients.get_patient(manager, dupe)
    assert record.merged_into == keep and record.merged_into_mrn == survivor.mrn


def test_overlapping_appointments_refuse_the_merge_until_resolved(pair) -> None:
    keep, dupe, manager, front = pair["keep"], pair["dupe"], pair["manager"], pair["front"]
    clash = schedule.book_appointment(front, dupe, pair["np"], DAY, minutes=30)
    with pytest.raises(InvalidInput, match="overlapping times"):
        patients.merge_patients(manager, keep, dupe, _version(keep), _version(dupe))
    assert Appointment.get_by_id(clash.id).patient_id == dupe  # nothing moved
    assert Patient.get_by_id(dupe).active
    schedule.set_status(front, clash.id, "cancelled", clash.version, reason="duplicate record")
    patients.merge_patients(manager, keep, dupe, _version(keep), _version(dupe))
    assert Appointment.get_by_id(clash.id).patient_id == keep


def test_a_merge_names_the_versions_it_read(pair) -> None:
    keep, dupe, manager = pair["keep"], pair["dupe"], pair["manager"]
    stale_version = _version(keep)
    patients.update_patient(pair["front"], keep, stale_version, city="Evanston")
    with pytest.raises(StaleEdit):
        patients.merge_patients(manager, keep, dupe, stale_version, _version(dupe))
    with pytest.raises(InvalidInput, match="two different"):
        patients.merge_patients(manager, keep, keep, 1, 1)
    patients.merge_patients(manager, keep, dupe, _version(keep), _version(dupe))
    with pytest.raises(InvalidInput, match="already merged"):
        patients.merge_patients(manager, keep, dupe, _version(keep), _version(dupe))


# ------------------------------------------------- a merge beside a booking, two desks


def _in_thread(database, fn, outcome: dict) -> threading.Thread:  # noqa: ANN001
    def run() -> None:
        with database.connection_context():
            try:
                outcome["result"] = fn()
            except Exception as error:  # noqa: BLE001 - the test looks at what it was
                outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_booking_in_progress_holds_the_merge_until_it_commits(
    pair, database, monkeypatch
) -> None:
    """The merge takes both patients' booking locks: a booking of the duplicate that has
    its lock runs to commit first, and the merge then sees its appointment (an overlap
    with the survivor's 9:00) and refuses. Without the lock it would check, miss it and
    move a clash onto the survivor."""
    keep, dupe, manager, front = pair["keep"], pair["dupe"], pair["manager"], pair["front"]
    versions = (_version(keep), _version(dupe))
    locked, go = threading.Event(), threading.Event()
    check_length = schedule_rules.check_length

    def held(minutes: int) -> None:  # called by the booking just after it took its lock
        if threading.current_thread() is not threading.main_thread():
            locked.set()
            go.wait(20)
        check_length(minutes)

    monkeypatch.setattr(schedule_rules, "check_length", held)
    booking: dict = {}
    merge: dict = {}
    booker = _in_thread(
        database, lambda: schedule.book_appointment(front, dupe, pair["np"], DAY, minutes=30),
        booking,
    )  # fmt: skip
    assert locked.wait(20)
    merger = _in_thread(database, lambda: patients.merge_patients(manager, keep, dupe, *versions),
                        merge)  # fmt: skip
    merger.join(0.7)
    assert merger.is_alive(), merge  # waiting for the booking's lock
    go.set()
    booker.join(20)
    merger.join(20)
    assert "result" in booking, booking
    assert isinstance(merge.get("error"), InvalidInput), merge
    assert "overlapping times" in str(merge["error"])
    assert Appointment.get_by_id(booking["result"].id).patient_id == dupe  # nothing moved
    assert Patient.get_by_id(dupe).active and Patient.get_by_id(dupe).merged_into_id is None


def test_a_booking_waits_for_a_merge_then_finds_the_record_merged(
    pair, database, monkeypatch
) -> None:
    keep, dupe, manager, front = pair["keep"], pair["dupe"], pair["manager"], pair["front"]
    versions = (_version(keep), _version(dupe))
    checking, go = threading.Event(), threading.Event()
    overlapping = merge_module._overlapping

    def held(survivor_id: int, duplicate_id: int) -> list:  # after the merge took the locks
        checking.set()
        go.wait(20)
        return overlapping(survivor_id, duplicate_id)

    monkeypatch.setattr(merge_module, "_overlapping", held)
    merge: dict = {}
    booking: dict = {}
    merger = _in_thread(database, lambda: patients.merge_patients(manager, keep, dupe, *versions),
                        merge)  # fmt: skip
    assert checking.wait(20)
    booker = _in_thread(
        database, lambda: schedule.book_appointment(front, dupe, pair["np"], DAY, minutes=30),
        booking,
    )  # fmt: skip
    booker.join(0.7)
    assert booker.is_alive(), booking  # waiting for the merge's lock
    go.set()
    merger.join(20)
    booker.join(20)
    assert "result" in merge, merge
    assert "error" in booking, booking  # the duplicate is inactive now: not booked
    assert Appointment.select().where(Appointment.patient == dupe).count() == 0
    survivor_9am = Appointment.select().where(
        (Appointment.patient == keep) & (Appointment.start == DAY)
    )
    assert survivor_9am.count() == 1  # the survivor's own 9:00, no clash beside it


def test_a_demographics_edit_racing_a_merge_is_refused_not_lost(pair, database) -> None:
    """The merge claims both records at the versions it read: an edit saved on the read
    version after the merge is refused as stale (never silently lands on a merged record)."""
    keep, dupe, manager, front = pair["keep"], pair["dupe"], pair["manager"], pair["front"]
    read_dupe = _version(dupe)
    patients.merge_patients(manager, keep, dupe, _version(keep), read_dupe)
    with pytest.raises(InvalidInput, match="merged"):
        patients.update_patient(front, dupe, read_dupe, city="Skokie")
    assert Patient.get_by_id(keep).version == 2  # claimed once: one version step
