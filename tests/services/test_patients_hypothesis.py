"""Arbitrary text at the search box and at every field the desk can type into (the
demographics, each coverage field including dates and the copay, an allergy's severity
and date, a vitals set, a note, a whole registration, a cell of an imported file):
never a crash (only a clear refusal), never a wrong write (a refused save leaves the
record as it was; an accepted one stores exactly what the rules say and nothing else)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medoffice_tui.db.models import Allergy, Coverage, Patient, PatientNote, Payer, Vital
from medoffice_tui.errors import DomainError
from medoffice_tui.services import patients
from medoffice_tui.services.patients import importing
from medoffice_tui.services.patients.mapping import EXPORT_COLUMNS
from medoffice_tui.services.patients.validation import DEMOGRAPHICS
from medoffice_tui.services.patients.vitals import RANGES

TODAY = dt.date(2026, 11, 23)  # the frozen clock's

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
#: what a date box may get: any text, dates typed every way (past, future, absurd),
#: date objects, and things that are not dates at all
ANY_DATE = st.one_of(
    ANY_TEXT,
    st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d, d.isoformat(), d.strftime("%m/%d/%Y"), d.strftime("%m/%d/%y"), d.strftime("%m%d%Y")]
        )
    ),  # fmt: skip
    st.sampled_from(["2/29/2023", "2/29/2024", "13/1/2000", "0/0/0", "t", "today", "-1"]),
    st.integers(-(10**9), 10**9),
    st.none(),
)
#: what a money box may get after the form (cents) or from a caller: anything
ANY_CENTS = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.booleans(),
    ANY_TEXT,
    st.none(),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: the slower paths (a registration, an import) get fewer examples: the file stays < 30 s
FEW = settings(SETTINGS, max_examples=25)


def tidy(text: str) -> str:
    """What a one-line field stores of accepted text."""
    return " ".join(text.split())


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


COVERAGE_TEXT = ["member_id", "group_number", "subscriber_first", "subscriber_last"]
COVERAGE_DATES = ["subscriber_dob", "effective_from", "effective_to", "eligibility_checked_on"]


@SETTINGS
@given(
    typed=st.one_of(
        st.tuples(st.sampled_from(COVERAGE_TEXT), ANY_TEXT),
        st.tuples(st.sampled_from(COVERAGE_DATES), ANY_DATE),
        st.tuples(st.just("copay_cents"), ANY_CENTS),
    )
)
def test_any_value_in_a_coverage_field(record, desk, typed) -> None:
    field, value = typed
    payer = Payer.get().id
    values = {
        "payer_id": payer, "member_id": "W1", "relationship": "child", "subscriber_first": "Pat",
        "subscriber_last": "Lee", "subscriber_dob": "1/1/1950",
    }  # fmt: skip
    values[field] = value
    before = Coverage.select().count()
    try:
        row = patients.add_coverage(desk, record.id, **values)
    except DomainError as error:
        assert error.field in (field, "effective_to"), (field, error.field)
        assert Coverage.select().count() == before
        return
    assert Coverage.select().count() == before + 1
    stored = _snapshot(Coverage, row.id)
    if field in ("member_id", "group_number"):
        expected = tidy(value)
        assert stored[field] == (expected.upper() if field == "member_id" else expected)
    elif field in COVERAGE_TEXT:
        assert stored[field] == tidy(value) and stored[field]
    elif field == "copay_cents":
        assert isinstance(stored[field], int) and 0 <= stored[field] <= 100_000
        assert stored[field] == (value or 0)
    else:
        day = stored[field]
        assert day is None or isinstance(day, dt.date)
        if field == "subscriber_dob":
            assert day is not None and day <= TODAY and TODAY.year - day.year <= 121
        if field == "eligibility_checked_on":
            assert day is None or day <= TODAY
    patients.end_coverage(desk, row.id, row.version)  # the next example starts free


SEVERITY_TYPED = st.one_of(
    st.sampled_from(["mild", "MODERATE", " severe ", "unknown", "", None]), ANY_TEXT
)


@SETTINGS
@given(substance=ANY_TEXT, reaction=ANY_TEXT, severity=SEVERITY_TYPED, noted_on=ANY_DATE)
def test_any_text_in_an_allergy(record, staff, substance, reaction, severity, noted_on) -> None:
    nurse = staff["clinical"]
    before = Allergy.select().count()
    try:
        row = patients.add_allergy(nurse, record.id, substance=substance, reaction=reaction,
                                   severity=severity, noted_on=noted_on)  # fmt: skip
    except DomainError as error:
        assert error.field in ("substance", "reaction", "severity", "noted_on")
        assert Allergy.select().count() == before
        return
    assert Allergy.select().count() == before + 1
    stored = _snapshot(Allergy, row.id)  # the row as stored, against what was typed
    assert stored["substance"] == tidy(substance) and stored["substance"]
    assert stored["reaction"] == tidy(reaction)
    assert stored["severity"] == str(severity or "unknown").strip().lower()
    assert stored["severity"] in patients.SEVERITIES
    assert isinstance(stored["noted_on"], dt.date) and stored["noted_on"] <= TODAY
    if noted_on in (None, ""):
        assert stored["noted_on"] == TODAY
    assert (stored["patient"], stored["active"]) == (record.id, True)
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
    stored = Vital.select().order_by(Vital.id.desc()).dicts().first()
    columns = {
        "systolic": "systolic", "diastolic": "diastolic", "pulse": "pulse",
        "temperature": "temperature_f", "weight": "weight_lb", "height": "height_in",
    }  # fmt: skip
    for reading, column in columns.items():
        value = stored[column]
        if readings.get(reading) in (None, ""):
            assert value is None, reading  # nothing typed, nothing stored
            continue
        low, high = RANGES[reading]
        assert value is not None and low <= value <= high, (reading, value)
        if reading in ("systolic", "diastolic", "pulse"):
            assert isinstance(value, int)


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


REGISTRATION_BASE = {"last_name": "Novak", "first_name": "Iva", "dob": "5/6/1990"}


@FEW
@given(
    typed=st.one_of(
        st.tuples(st.sampled_from(sorted(set(DEMOGRAPHICS) - {"active", "dob"})), ANY_TEXT),
        st.tuples(st.just("dob"), ANY_DATE),
    ),
    member=ANY_TEXT,
    secondary=st.booleans(),
)
def test_any_text_through_a_registration(record, staff, typed, member, secondary) -> None:
    """The register() path: demographics, a coverage and a secondary in one save."""
    desk = staff["front_desk"]
    name, value = typed
    fields = {**REGISTRATION_BASE, name: value}
    payer = Payer.get().id
    coverage = {"payer_id": payer, "member_id": member}
    second = {"payer_id": payer, "member_id": "S1"} if secondary else None
    before = (Patient.select().count(), Coverage.select().count())
    try:
        result = patients.register(desk, fields, coverage, secondary=second)
        if result.patient is None:  # a likely duplicate of an earlier example: confirm
            seen = [d.id for d in result.duplicates]
            assert (Patient.select().count(), Coverage.select().count()) == before
            result = patients.register(desk, fields, coverage, seen, secondary=second)
    except DomainError as error:
        named = {e.field for e in patients.field_errors(error)}  # type: ignore[arg-type]
        assert named <= {name, "member_id", "preferred_contact", None}, named
        assert (Patient.select().count(), Coverage.select().count()) == before
        return
    assert result.patient is not None
    assert Patient.select().count() == before[0] + 1
    ranks = [
        c.rank
        for c in Coverage.select()
        .where(Coverage.patient == result.patient.id)
        .order_by(Coverage.rank)
    ]
    assert ranks == ([1, 2] if secondary else [1])
    stored = _snapshot(Patient, result.patient.id)
    assert stored["last_norm"] and stored["first_norm"] and stored["mrn"]
    if isinstance(stored.get(name), str) and name not in ("sex", "preferred_contact"):
        assert "\x00" not in stored[name] and stored[name] == " ".join(stored[name].split())


_IMPORT_IDS = itertools.count()


@FEW
@given(column=st.sampled_from(list(EXPORT_COLUMNS)), text=ANY_TEXT)
def test_any_text_in_an_imported_cell(record, staff, tmp_path, column, text) -> None:
    """One cell of an imported row: the check reports it (never crashes), the import
    refuses the whole file or adds exactly the one row."""
    manager = staff["manager"]
    row = dict.fromkeys(EXPORT_COLUMNS, "")
    row.update(last_name="Okafor", first_name="Chi", dob="1970-01-02", sex="F",
               external_id=f"fuzz-{next(_IMPORT_IDS)}", active="true")  # fmt: skip
    row[column] = text
    path = tmp_path / "fuzz.csv"
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerow([row[c] for c in EXPORT_COLUMNS])
    except (UnicodeEncodeError, csv.Error):
        return  # a file cannot hold it (a lone surrogate): nothing to import
    before = Patient.select().count()
    try:
        report = importing.check_import(manager, path)
    except DomainError:
        report = None  # the file as a whole refused
    assert Patient.select().count() == before  # the check writes nothing
    try:
        done = importing.import_patients(manager, path)
    except DomainError:
        assert Patient.select().count() == before  # all or nothing
        return
    assert report is None or report.rejected_count == 0
    assert done.created == 1 and Patient.select().count() == before + 1
