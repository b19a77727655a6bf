"""Arbitrary text at the search box and at every field the desk can type into: never a
crash (only a clear refusal), never a wrong write (a refused save leaves the record as
it was; an accepted one stores exactly what the rules say and nothing else)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice_tui.db.models import Allergy, Coverage, Patient, PatientNote, Payer, Vital
from medoffice_tui.errors import DomainError
from medoffice_tui.services import patients
from medoffice_tui.services.patients.validation import DEMOGRAPHICS

#: FTS and SQL syntax, control characters, NUL, surrogates, markup, huge pastes
NASTY = [
    '"', "*", "NEAR", "OR", "'; --", "smith\" OR 1=1 --", "a*b NEAR/2 c", "\x00", "smi\x00th",
    "12\ud800", "\ud83d", "[b]bold[/b]", "\x1b[31m", "\u202eevil", "%", "_", "\\", "\t\n\r",
    "x" * 10_000, "smith " * 400, "٣١٢٥٥٥٠١٤٧", "😀😀", "Ω≈ç√", "",
]  # fmt: skip
ANY_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=60),
    st.text(max_size=300),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def record(desk, fixture_writes) -> patients.PatientRow:
    Payer.create(name="Acme", payer_id="ACME1")
    return patients.create_patient(
        desk, last_name="Lee", first_name="Ann", dob="3/4/1980", phone_mobile="312-555-0147"
    )


@SETTINGS
@given(text=ANY_TEXT)
def test_search_answers_any_text(record, text) -> None:
    page = patients.search_patients(text, close_matches=True, details=True)
    assert all(isinstance(row, patients.PatientRow) for row in page.rows)
    assert isinstance(patients.fuzzy_search_patients(text), list)
    assert patients.find_patient_id(text) in (None, record.id)
    assert Patient.select().count() == 1


def _snapshot(model, pk: int) -> dict:  # noqa: ANN001
    return model.select().where(model.id == pk).dicts().get()


@SETTINGS
@given(name=st.sampled_from(sorted(set(DEMOGRAPHICS) - {"active"})), text=ANY_TEXT)
def test_any_text_in_any_demographic_field(record, desk, name, text) -> None:
    before = _snapshot(Patient, record.id)
    try:
        patients.update_patient(desk, record.id, before["version"], **{name: text})
    except DomainError as error:
        assert error.field in (name, "preferred_contact", None), (name, error.field)
        assert _snapshot(Patient, record.id) == before  # refused: nothing written
        return
    after = _snapshot(Patient, record.id)
    changed = {k for k in after if after[k] != before[k]}
    allowed = {name, "version", "updated_at", "updated_by", "last_norm", "first_norm",
               "phone_last4"}  # fmt: skip
    assert changed <= allowed, changed
    stored = after[name]
    if isinstance(stored, str):
        assert "\x00" not in stored and not any(0xD800 <= ord(c) <= 0xDFFF for c in stored)
        assert stored == " ".join(stored.split())  # one tidy line


@SETTINGS
@given(field=st.sampled_from(["member_id", "group_number", "subscriber_first"]), text=ANY_TEXT)
def test_any_text_in_a_coverage_field(record, desk, field, text) -> None:
    payer = Payer.get().id
    values = {
        "payer_id": payer, "member_id": "W1", "relationship": "child", "subscriber_first": "Pat",
        "subscriber_last": "Lee", "subscriber_dob": "1/1/1950",
    }  # fmt: skip
    values[field] = text
    before = Coverage.select().count()
    try:
        row = patients.add_coverage(desk, record.id, **values)
    except DomainError:
        assert Coverage.select().count() == before
        return
    assert Coverage.select().count() == before + 1
    patients.end_coverage(desk, row.id, row.version)  # the next example starts free


@SETTINGS
@given(substance=ANY_TEXT, reaction=ANY_TEXT)
def test_any_text_in_an_allergy(record, staff, substance, reaction) -> None:
    nurse = staff["clinical"]
    before = Allergy.select().count()
    try:
        row = patients.add_allergy(nurse, record.id, substance=substance, reaction=reaction)
    except DomainError as error:
        assert error.field in ("substance", "reaction")
        assert Allergy.select().count() == before
        return
    assert Allergy.get_by_id(row.id).substance == row.substance
    patients.remove_allergy(nurse, row.id, row.version)


@SETTINGS
@given(
    readings=st.dictionaries(
        st.sampled_from(
            [
                "systolic",
                "diastolic",
                "pulse",
                "temperature",
                "weight",
                "height",
                "temperature_unit",
                "weight_unit",
                "height_unit",
            ]
        ),  # fmt: skip
        st.one_of(ANY_TEXT, st.integers(-(10**6), 10**6), st.floats(allow_nan=True)),
        max_size=5,
    )
)
def test_any_vitals_readings(record, staff, readings) -> None:
    before = Vital.select().count()
    try:
        patients.record_vitals(staff["clinical"], record.id, **readings)
    except DomainError:
        assert Vital.select().count() == before
        return
    assert Vital.select().count() == before + 1


@SETTINGS
@given(text=ANY_TEXT)
def test_any_text_as_a_note(record, desk, text) -> None:
    before = PatientNote.select().count()
    try:
        note = patients.add_note(desk, record.id, text)
    except DomainError as error:
        assert error.field == "text"
        assert PatientNote.select().count() == before
        return
    assert "\x00" not in note.text and note.text.strip()
