"""The record and its sections: what a record view returns (and audits), registration
with the duplicate check, and two desks editing one patient: a refused second save that
keeps the first and returns the second's values, and different sections never blocking."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Allergy, AuditEvent, Coverage, Patient, Payer, Provider
from medoffice_tui.errors import InvalidInput, PermissionDenied, StaleEdit
from medoffice_tui.services import patients, schedule
from medoffice_tui.services.patients import SectionStaleEdit


@pytest.fixture
def payer(database, fixture_writes) -> int:
    return Payer.create(name="Acme Health", payer_id="ACME1").id


@pytest.fixture
def ann(desk) -> patients.PatientRow:
    return patients.create_patient(
        desk, last_name="Lee", first_name="Ann", dob="3/4/1980", phone_mobile="312-555-0147",
        address1="1 Main St", city="Chicago", state="IL", zip="60613",
    )  # fmt: skip


def _detail(actor, patient_id: int) -> patients.PatientDetail:
    return patients.get_patient(actor, patient_id)


# ----------------------------------------------------------------- two desks


def test_two_desks_edit_demographics_the_second_is_refused_and_keeps_its_values(staff, ann) -> None:
    desk_a, desk_b = staff["front_desk"], staff["billing"]
    seen_a = _detail(desk_a, ann.id)
    seen_b = _detail(desk_b, ann.id)
    read_b = seen_b.values(["address1", "city", "phone_mobile"])
    patients.update_patient(desk_a, ann.id, seen_a.version, address1="9 Elm St", city="Evanston")
    with pytest.raises(SectionStaleEdit) as refused:
        patients.update_patient(desk_b, ann.id, seen_b.version, read=read_b,
                                phone_mobile="773-555-0100", city="Skokie")  # fmt: skip
    error = refused.value
    assert isinstance(error, StaleEdit)
    assert error.changed_by == "Test Front Desk"
    assert error.changed_fields == ("address1", "city")
    assert "Test Front Desk changed this record (address1, city)" in str(error)
    assert "Evanston" not in str(error) and "Skokie" not in str(error)  # names, not values
    assert error.attempted == {"phone_mobile": "773-555-0100", "city": "Skokie"}
    stored = Patient.get_by_id(ann.id)
    assert (stored.address1, stored.city, stored.phone_mobile) == (
        "9 Elm St", "Evanston", "(312) 555-0147"
    )  # the first desk's save is whole; nothing of the second landed  # fmt: skip
    # the second desk re-applies its values knowingly, on the version now on file
    patients.update_patient(desk_b, ann.id, error.current_version, **error.attempted)
    stored = Patient.get_by_id(ann.id)
    assert (stored.address1, stored.city, stored.phone_mobile) == (
        "9 Elm St", "Skokie", "(773) 555-0100"
    )  # fmt: skip


def test_an_allergy_added_while_the_address_is_edited_both_land(staff, ann) -> None:
    front, nurse = staff["front_desk"], staff["clinical"]
    seen_front = _detail(front, ann.id)
    seen_nurse = _detail(nurse, ann.id)
    patients.add_allergy(nurse, ann.id, substance="Penicillin", reaction="Hives",
                         severity="severe")  # fmt: skip
    patients.update_patient(front, ann.id, seen_front.version, address1="9 Elm St")
    patients.record_vitals(nurse, ann.id, systolic=120, diastolic=80, pulse=70)
    patients.add_note(front, ann.id, "Prefers morning visits")
    after = _detail(front, ann.id)
    assert [a.substance for a in after.allergies] == ["Penicillin"]
    assert after.address1 == "9 Elm St" and after.allergy_status == "listed"
    assert after.version == seen_nurse.version + 1  # the allergy did not touch it
    assert after.allergy_version == seen_front.allergy_version + 1
    assert after.latest_vitals is not None and after.note_rows[0].text == "Prefers morning visits"


def test_no_known_allergies_is_refused_after_someone_added_one(staff, ann) -> None:
    front, nurse = staff["front_desk"], staff["clinical"]
    seen = _detail(front, ann.id)
    assert seen.allergy_status == "unknown"  # not asked: not the same as none
    patients.add_allergy(nurse, ann.id, substance="Latex")
    with pytest.raises(InvalidInput, match="allergies are on the list"):
        patients.mark_no_known_allergies(front, ann.id, seen.allergy_version)
    allergy = _detail(front, ann.id).allergies[0]
    status = patients.remove_allergy(nurse, allergy.id, allergy.version)
    assert status == "unknown"  # removed the last one: ask again, never "none" by default
    with pytest.raises(SectionStaleEdit, match="allergies"):
        patients.mark_no_known_allergies(front, ann.id, seen.allergy_version)
    fresh = _detail(front, ann.id)
    patients.mark_no_known_allergies(front, ann.id, fresh.allergy_version)
    after = _detail(front, ann.id)
    assert after.allergy_status == "nka" and after.allergy_reviewed_on == dt.date(2026, 11, 23)


def test_two_desks_edit_one_allergy(staff, ann) -> None:
    nurse, front = staff["clinical"], staff["front_desk"]
    allergy = patients.add_allergy(nurse, ann.id, substance="Peanuts", severity="mild")
    patients.update_allergy(nurse, allergy.id, allergy.version, severity="severe")
    with pytest.raises(SectionStaleEdit) as refused:
        read = {"severity": "mild", "reaction": ""}
        patients.update_allergy(front, allergy.id, allergy.version, read=read, reaction="Hives")
    assert refused.value.changed_fields == ("severity",)
    assert Allergy.get_by_id(allergy.id).reaction == ""
    with pytest.raises(InvalidInput, match="already on the list"):
        patients.add_allergy(nurse, ann.id, substance=" peanuts ")


def test_coverage_edits_have_their_own_versions(staff, ann, payer) -> None:
    front, billing = staff["front_desk"], staff["billing"]
    primary = patients.add_coverage(front, ann.id, payer_id=payer, member_id="W1")
    with pytest.raises(InvalidInput, match="already has a primary") as dup:
        patients.add_coverage(front, ann.id, payer_id=payer, member_id="W2")
    assert dup.value.field == "rank"
    secondary = patients.add_coverage(front, ann.id, payer_id=payer, member_id="W2", rank=2)
    seen = _detail(front, ann.id)
    patients.update_coverage(billing, primary.id, primary.version, group_number="G7")
    patients.update_patient(front, ann.id, seen.version, city="Evanston")  # not blocked
    with pytest.raises(SectionStaleEdit):
        patients.update_coverage(front, primary.id, primary.version, member_id="W9")
    checked = patients.mark_eligibility_checked(front, secondary.id)
    assert checked.eligibility_checked_on == dt.date(2026, 11, 23)
    with pytest.raises(InvalidInput):
        patients.mark_eligibility_checked(front, secondary.id, dt.date(2026, 12, 1))
    patients.end_coverage(front, secondary.id, checked.version)
    after = _detail(front, ann.id)
    assert [(c.rank, c.member_id, c.group_number) for c in after.coverages] == [(1, "W1", "G7")]
    assert after.coverage_version == seen.coverage_version + 3  # group, checked, ended


def test_merged_records_cannot_be_edited(staff, ann, manager) -> None:
    twin = patients.create_patient(manager, last_name="Lee", first_name="Anne", dob="3/4/1980")
    patients.merge_patients(manager, ann.id, twin.id, 1, 1)
    with pytest.raises(InvalidInput, match="merged"):
        patients.update_patient(manager, twin.id, 2, active=True)


# -------------------------------------------------------------------- record


def test_the_record_holds_every_section_and_is_an_audited_view(staff, ann, payer) -> None:
    front, nurse, billing = staff["front_desk"], staff["clinical"], staff["billing"]
    patients.add_coverage(front, ann.id, payer_id=payer, member_id="W1", relationship="child",
                          subscriber_first="Pat", subscriber_last="Lee",
                          subscriber_dob="5/6/1950", copay_cents=2500)  # fmt: skip
    patients.add_allergy(nurse, ann.id, substance="Penicillin", severity="severe")
    for day, weight in ((1, 150), (2, 152)):
        patients.record_vitals(nurse, ann.id, taken_at=dt.datetime(2026, 11, day, 9),
                               weight=weight, height=65)  # fmt: skip
    provider = Provider.create(first_name="Jo", last_name="Doc", credential="MD", npi="1000000004")
    schedule.book_appointment(front, ann.id, provider.id, dt.datetime(2026, 11, 24, 9), minutes=15)
    before = AuditEvent.select().count()
    record = patients.get_patient(billing, ann.id)
    viewed = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert AuditEvent.select().count() == before + 1
    assert (viewed.action, viewed.object_id, viewed.patient_id) == ("view", ann.id, ann.id)
    (coverage,) = record.coverages
    assert (coverage.relationship, coverage.subscriber_first, coverage.copay_cents) == (
        "child", "Pat", 2500
    )  # fmt: skip
    assert [v.weight_lb for v in record.vitals] == [152.0, 150.0]
    assert record.latest_vitals.bmi == 25.3
    assert record.upcoming[0].start == dt.datetime(2026, 11, 24, 9)
    assert record.upcoming[0].provider == "Doc MD"
    assert record.open_balance_cents == 0 and record.claims == []
    assert record.allergy_status == "listed"


def test_registration_warns_of_likely_duplicates_before_saving(desk, ann, payer) -> None:
    fields = {"last_name": "Lee", "first_name": "Anna", "dob": "3/4/1980"}
    first = patients.register(desk, fields, {"payer_id": payer, "member_id": "Q1"})
    assert first.patient is None  # nothing written
    assert [d.id for d in first.duplicates] == [ann.id]
    assert "same last name and date of birth" in first.duplicates[0].reasons
    assert Patient.select().count() == 1 and Coverage.select().count() == 0
    again = patients.register(desk, fields, {"payer_id": payer, "member_id": "Q1"},
                              accept_duplicates=[ann.id])  # fmt: skip
    assert again.patient is not None and again.patient.mrn == f"M{again.patient.id:07d}"
    assert Coverage.get(Coverage.patient == again.patient.id).member_id == "Q1"


def test_registration_with_a_primary_and_a_secondary_coverage(desk, payer, fixture_writes):
    other = Payer.create(name="Blue Plan", payer_id="BLUE1").id
    fields = {"last_name": "Novak", "first_name": "Iva", "dob": "5/6/1990"}
    result = patients.register(
        desk, fields, {"payer_id": payer, "member_id": "p1"},
        secondary={"payer_id": other, "member_id": "s2", "relationship": "spouse",
                   "subscriber_first": "Jan", "subscriber_last": "Novak",
                   "subscriber_dob": "1/2/1988"},
    )  # fmt: skip
    assert result.patient is not None
    stored = [
        (c.rank, c.payer_id, c.member_id, c.relationship)
        for c in Coverage.select()
        .where(Coverage.patient == result.patient.id)
        .order_by(Coverage.rank)
    ]
    assert stored == [(1, payer, "P1", "self"), (2, other, "S2", "spouse")]


def test_registration_reports_every_bad_field_of_both_coverages(desk, payer) -> None:
    fields = {"last_name": "Novak", "first_name": "Iva", "dob": "5/6/1990", "zip": "1"}
    with pytest.raises(patients.FieldErrors) as info:
        patients.register(desk, fields, {"payer_id": payer, "member_id": ""},
                          secondary={"payer_id": None, "member_id": "S;2"})  # fmt: skip
    assert [e.field for e in info.value.errors] == [
        "zip", "member_id", "secondary_payer_id", "secondary_member_id"
    ]  # fmt: skip
    assert Patient.select().count() == 0 and Coverage.select().count() == 0
    with pytest.raises(InvalidInput) as info:  # a secondary needs a primary
        patients.register(desk, {**fields, "zip": ""}, None,
                          secondary={"payer_id": payer, "member_id": "S2"})  # fmt: skip
    assert info.value.field == "secondary_payer_id" and "primary" in str(info.value)
    assert Patient.select().count() == 0


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"last_name": "Lee", "first_name": "Zed", "dob": "3/4/1980"},
            "same last name and date of birth",
        ),  # fmt: skip
        (
            {"last_name": "Leigh", "first_name": "Ann", "dob": "3/4/1980"},
            "similar name and same date of birth",
        ),  # fmt: skip
        (
            {"last_name": "Ann", "first_name": "Lee", "dob": "3/4/1980"},
            "similar name and same date of birth",
        ),  # first and last swapped  # fmt: skip
        (
            {
                "last_name": "Other",
                "first_name": "Person",
                "dob": "1/1/2001",
                "phone_home": "(312) 555-0147",
            },
            "same phone number",
        ),  # fmt: skip
    ],
)
def test_each_duplicate_rule(desk, ann, fields, reason) -> None:
    found = patients.register(desk, fields).duplicates
    assert [d.id for d in found] == [ann.id] and reason in found[0].reasons


@pytest.mark.parametrize("on_file", ["phone_home", "phone_work"])
@pytest.mark.parametrize("typed", ["phone_mobile", "phone_home", "phone_work"])
def test_any_phone_matches_any_phone_on_file(desk, ann, on_file, typed, fixture_writes) -> None:
    """Not only the first phone on file (phone_last4 held that one alone): a patient's
    second number, typed as any of the new record's phones, finds them."""
    other = patients.create_patient(
        desk, last_name="Okafor", first_name="Chi", dob="1/2/1970", phone_mobile="773-555-0100",
        **{on_file: "847 555 0199"},
    )  # fmt: skip
    found = patients.register(
        desk, {"last_name": "Other", "first_name": "Person", "dob": "1/1/2001",
               typed: "1 (847) 555-0199"},
    ).duplicates  # fmt: skip
    assert [d.id for d in found] == [other.id] and found[0].reasons == ("same phone number",)
    # a merged record is left out: its survivor is what counts
    Patient.update(merged_into=ann.id).where(Patient.id == other.id).execute()
    assert patients.register(
        desk, {"last_name": "Other", "first_name": "Person", "dob": "1/1/2001", typed: "8475550199"}
    ).duplicates == []  # fmt: skip


def test_a_number_with_an_extension_on_file(desk, ann) -> None:
    other = patients.create_patient(
        desk, last_name="Okafor", first_name="Chi", dob="1/2/1970",
        phone_work="(847) 555-0199 x12",
    )  # fmt: skip
    same = {"last_name": "Other", "first_name": "Person", "dob": "1/1/2001",
            "phone_work": "847-555-0199 x12"}  # fmt: skip
    assert [d.id for d in patients.register(desk, same).duplicates] == [other.id]


def test_different_people_are_not_duplicates(desk, ann) -> None:
    result = patients.register(desk, {"last_name": "Lee", "first_name": "Ann", "dob": "3/5/1980"})
    assert result.patient is not None and result.duplicates == []


def test_roles_for_each_section(staff, ann, payer) -> None:
    with pytest.raises(PermissionDenied):
        patients.record_vitals(staff["front_desk"], ann.id, pulse=70)
    with pytest.raises(PermissionDenied):
        patients.add_allergy(staff["billing"], ann.id, substance="Latex")
    with pytest.raises(PermissionDenied):
        patients.update_patient(staff["clinical"], ann.id, 1, city="X")
    with pytest.raises(PermissionDenied):
        patients.merge_patients(staff["front_desk"], ann.id, ann.id, 1, 1)
    patients.add_note(staff["clinical"], ann.id, "Seen in the hallway")  # everyone may


def test_two_desks_registering_one_person_at_once(staff, database, monkeypatch) -> None:
    """The check and the insert run under one registration lock: the second desk waits
    for the first to commit, then is shown it as a likely duplicate (never two records)."""
    import threading
    import time

    from medoffice_tui.services.patients import registration

    insert = registration.insert_patient

    def slow_insert(actor, values):  # noqa: ANN001, ANN202 - widens the window
        time.sleep(0.3)
        return insert(actor, values)

    monkeypatch.setattr(registration, "insert_patient", slow_insert)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    fields = {"last_name": "Novak", "first_name": "Iva", "dob": "5/6/1990"}

    def desk(actor) -> None:  # noqa: ANN001
        with database.connection_context():
            barrier.wait()
            result = patients.register(actor, fields)
            outcomes.append("registered" if result.patient else "shown a duplicate")

    threads = [threading.Thread(target=desk, args=(staff[r],)) for r in ("front_desk", "manager")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["registered", "shown a duplicate"]
    assert Patient.select().where(Patient.last_name == "Novak").count() == 1
