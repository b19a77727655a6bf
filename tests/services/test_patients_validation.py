"""Every demographic field's rule, with its edges: what is accepted, how it is stored,
and that a refusal names the field and never repeats what was typed."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.patients import validation as v
from medoffice_tui.services.patients.coverages import clean_coverage
from medoffice_tui.services.patients.vitals import bmi, clean_vitals

TODAY = dt.date(2026, 11, 23)
BASE = {"last_name": "Lee", "first_name": "Ann", "dob": "3/4/1980"}


@pytest.fixture(autouse=True)
def _today(frozen_clock) -> None:
    """Every rule here reads "today" from the pinned clock (2026-11-23)."""


def refused(values: dict, field: str) -> str:
    with pytest.raises(InvalidInput) as info:
        v.clean_demographics({**BASE, **values})
    assert info.value.field == field, (values, info.value.field, str(info.value))
    for typed in values.values():
        if isinstance(typed, str) and len(typed) > 8 and any(ch.isdigit() for ch in typed):
            assert typed not in str(info.value)  # never echoes what was typed
    return str(info.value)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2/29/2000", dt.date(2000, 2, 29)),  # a leap day
        ("1/2/45", dt.date(1945, 1, 2)),  # two-digit year: the past, never 2045
        ("11/23/26", dt.date(2026, 11, 23)),  # born today
        ("11/24/26", dt.date(1926, 11, 24)),  # tomorrow in '26 is 1926
        ("11/23/1906", dt.date(1906, 11, 23)),  # 120 years old today: accepted
        ("11/24/1905", dt.date(1905, 11, 24)),  # still 120 (121 tomorrow): accepted
        ("1980-03-04", dt.date(1980, 3, 4)),
        (dt.date(1990, 1, 1), dt.date(1990, 1, 1)),
    ],
)
def test_dob_accepted(typed, stored) -> None:
    assert v.clean_demographics({**BASE, "dob": typed})["dob"] == stored


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2/29/2001", "valid date"),  # not a leap year
        ("11/23/1905", "120 years"),  # 121 today: a typo
        ("1/1/1850", "120 years"),
        (dt.date(2026, 11, 24), "future"),  # tomorrow
        ("12/1/2027", "future"),
        ("13/45/1988", "valid date"),
        ("tomorrow", "not a date"),
        ("", "required"),
    ],
)
def test_dob_refused(typed, words) -> None:
    assert words in refused({"dob": typed}, "dob")


def test_names_required_with_letters_and_no_hidden_characters() -> None:
    assert "required" in refused({"last_name": "  "}, "last_name")
    assert "letter" in refused({"first_name": "[/]"}, "first_name")
    assert "cannot be stored" in refused({"last_name": "Sm\x00ith"}, "last_name")
    assert "cannot be stored" in refused({"last_name": "Smith\ud800"}, "last_name")
    assert "cannot be stored" in refused({"first_name": "\u202eAnn"}, "first_name")
    assert "longer than 60" in refused({"last_name": "Z" * 61}, "last_name")
    out = v.clean_demographics({**BASE, "last_name": "  O'Brién-Smith  ", "middle_name": "Q\tR"})
    assert out["last_name"] == "O'Brién-Smith" and out["last_norm"] == "o'brien-smith"
    assert out["middle_name"] == "Q R"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("312-555-0147", "(312) 555-0147"),
        ("(312) 555 0147", "(312) 555-0147"),
        ("1 312 555 0147", "(312) 555-0147"),
        ("312.555.0147 x12", "(312) 555-0147 x12"),
        ("", ""),
    ],
)
def test_phones_normalised(typed, stored) -> None:
    out = v.clean_demographics({**BASE, "phone_mobile": typed})
    assert out["phone_mobile"] == stored
    assert out["phone_last4"] == ("0147" if stored else "")


@pytest.mark.parametrize("typed", ["555-0147", "012-555-0147", "٣١٢٥٥٥٠١٤٧", "phone"])
def test_phones_refused(typed) -> None:
    refused({"phone_home": typed}, "phone_home")


@pytest.mark.parametrize(
    ("typed", "stored"), [("il", "IL"), ("Massachusetts", "MA"), ("PR", "PR"), ("AE", "AE")]
)
def test_state_is_a_us_code(typed, stored) -> None:
    assert v.clean_demographics({**BASE, "state": typed})["state"] == stored


@pytest.mark.parametrize("typed", ["ZZ", "Narnia", "I"])
def test_state_refused(typed) -> None:
    refused({"state": typed}, "state")


@pytest.mark.parametrize(("typed", "stored"), [("60613", "60613"), ("606131234", "60613-1234"),
                                               ("60613-1234", "60613-1234")])  # fmt: skip
def test_zip_shapes(typed, stored) -> None:
    assert v.clean_demographics({**BASE, "zip": typed})["zip"] == stored


@pytest.mark.parametrize("typed", ["6061", "60613-12", "ABCDE", "606131"])
def test_zip_refused(typed) -> None:
    refused({"zip": typed}, "zip")


def test_email_shape() -> None:
    assert v.clean_demographics({**BASE, "email": "ann.lee@example.org"})["email"]
    for typed in ("ann.lee", "ann@", "@example.org", "ann lee@example.org", "ann@example"):
        refused({"email": typed}, "email")


def test_preferred_contact_must_be_reachable() -> None:
    out = v.clean_demographics({**BASE, "email": "a@b.org"})
    assert out["preferred_contact"] == "email"  # the default follows what there is
    assert v.clean_demographics({**BASE, "phone_home": "312-555-0101"})["preferred_contact"] == (
        "home"
    )
    assert "email is empty" in refused({"preferred_contact": "email"}, "preferred_contact")
    assert "address" in refused({"preferred_contact": "mail"}, "preferred_contact")
    refused({"preferred_contact": "pigeon"}, "preferred_contact")
    # an edit that does not touch the contact or what it needs is not held to it
    current = {"preferred_contact": "email", "email": ""}
    assert v.clean_demographics({"city": "Chicago"}, current=current) == {"city": "Chicago"}


def test_sex_ssn_and_unknown_fields() -> None:
    assert v.clean_demographics({**BASE, "sex": "f"})["sex"] == "F"
    assert "sex" not in v.clean_demographics(BASE)  # the record's default, U, applies
    refused({"sex": "Q"}, "sex")
    refused({"ssn_last4": "12a4"}, "ssn_last4")
    refused({"ssn_last4": "١٢٣٤"}, "ssn_last4")  # digits, but not 0-9
    with pytest.raises(InvalidInput, match="unknown patient field"):
        v.clean_demographics({**BASE, "version": 3})


def test_an_edit_checks_only_what_changed() -> None:
    """A record registered under older rules (a 7-digit phone) can still be edited."""
    current = {"last_name": "Lee", "first_name": "Ann", "phone_home": "555-0101"}
    assert v.clean_demographics({"city": "Evanston"}, current=current) == {"city": "Evanston"}
    out = v.clean_demographics({"first_name": "Anne"}, current=current)
    assert out["first_norm"] == "anne" and out["last_norm"] == "lee"


# ------------------------------------------------------------------ insurance


@pytest.fixture
def payer(database, fixture_writes) -> int:
    from medoffice_tui.db.models import Payer

    return Payer.create(name="Acme Health", payer_id="ACME1").id


def test_coverage_rules(payer) -> None:
    ok = clean_coverage({"payer_id": payer, "member_id": " w123 456 "})
    assert ok["member_id"] == "W123 456" and ok["rank"] == 1 and ok["relationship"] == "self"
    with pytest.raises(InvalidInput) as info:
        clean_coverage({"payer_id": payer})
    assert info.value.field == "member_id" and "required" in str(info.value)
    with pytest.raises(InvalidInput) as info:
        clean_coverage({"payer_id": payer, "member_id": "W1", "relationship": "child"})
    assert info.value.field == "subscriber_first"
    child = clean_coverage({
        "payer_id": payer, "member_id": "W1", "relationship": "child",
        "subscriber_first": "Pat", "subscriber_last": "Lee", "subscriber_dob": "5/6/1970",
    })  # fmt: skip
    assert child["subscriber_dob"] == dt.date(1970, 5, 6)
    for bad, field in (
        ({"payer_id": 999_999, "member_id": "W1"}, "payer_id"),
        ({"payer_id": payer, "member_id": "W1", "rank": 4}, "rank"),
        ({"payer_id": payer, "member_id": "W1;DROP"}, "member_id"),
        ({"payer_id": payer, "member_id": "W1", "relationship": "cousin"}, "relationship"),
        ({"payer_id": payer, "member_id": "W1", "copay_cents": -5}, "copay_cents"),
        (
            {
                "payer_id": payer,
                "member_id": "W1",
                "effective_from": "1/2/2026",
                "effective_to": "1/1/2026",
            },
            "effective_to",
        ),  # fmt: skip
        (
            {"payer_id": payer, "member_id": "W1", "eligibility_checked_on": "12/1/2026"},
            "eligibility_checked_on",
        ),  # fmt: skip
    ):
        with pytest.raises(InvalidInput) as info:
            clean_coverage(bad)
        assert info.value.field == field, bad


# ------------------------------------------------- every bad field at once, per field


def test_one_save_reports_every_bad_field() -> None:
    with pytest.raises(v.FieldErrors) as info:
        v.clean_demographics({
            "first_name": "Ann", "dob": "2/30/1980", "state": "ZZ", "zip": "123",
            "email": "ann@", "preferred_contact": "email",
        })  # fmt: skip
    error = info.value
    assert isinstance(error, InvalidInput)  # callers that show one refusal still can
    fields = [e.field for e in error.errors]
    # in the form's order; the contact rule is not blamed for the refused email
    assert fields == ["last_name", "dob", "email", "state", "zip"]
    assert (error.field, str(error)) == ("last_name", str(error.errors[0]))
    assert v.field_errors(error) == error.errors
    one = InvalidInput("x", field="zip")
    assert v.field_errors(one) == (one,)
    # a single bad field is the plain refusal, as before
    with pytest.raises(InvalidInput) as info:
        v.clean_demographics({**BASE, "zip": "123"})
    assert not isinstance(info.value, v.FieldErrors) and info.value.field == "zip"


@pytest.mark.parametrize(
    ("name", "typed", "bad"),
    [
        ("state", "ZZ", True),
        ("state", "Illinois", False),
        ("zip", "606", True),
        ("zip", "60613-1234", False),
        ("email", "ann@example", True),
        ("email", "ann@example.org", False),
        ("phone_home", "2-333-4", True),
        ("dob", "1/2/3000", True),
        ("last_name", "", False),  # blank: reported on save, not as the field is left
        ("not_a_field", "x", False),
    ],
)
def test_field_error_checks_one_field_as_it_is_left(name, typed, bad) -> None:
    error = v.field_error(name, typed)
    assert (error is not None) == bad
    if error is not None:
        assert error.field == name and typed not in str(error)


def test_coverage_reports_every_bad_field_and_checks_one_field(payer) -> None:
    from medoffice_tui.services.patients.coverages import coverage_field_error

    with pytest.raises(v.FieldErrors) as info:
        clean_coverage({"payer_id": payer, "member_id": "W1;", "relationship": "child",
                        "subscriber_first": "Pat", "copay_cents": -1})  # fmt: skip
    assert [e.field for e in info.value.errors] == [
        "member_id", "subscriber_last", "subscriber_dob", "copay_cents"
    ]  # fmt: skip
    assert coverage_field_error("member_id", "W1;")
    assert coverage_field_error("member_id", "W1;", insured=False) is None  # no payer chosen
    assert coverage_field_error("member_id", "") is None  # blank: on save
    assert coverage_field_error("subscriber_dob", "1/1/3000", relationship="spouse")
    assert coverage_field_error("subscriber_dob", "1/1/3000", relationship="self") is None
    assert coverage_field_error("eligibility_checked_on", "12/1/2026").field == (
        "eligibility_checked_on"
    )  # fmt: skip


# --------------------------------------------------------------------- vitals


def test_vitals_units_ranges_and_bmi() -> None:
    out = clean_vitals(systolic="120", diastolic="80", pulse="72", temperature="37",
                       temperature_unit="C", weight="70", weight_unit="kg", height="175",
                       height_unit="cm")  # fmt: skip
    assert (out["systolic"], out["diastolic"], out["pulse"]) == (120, 80, 72)
    assert out["temperature_f"] == 98.6
    assert out["weight_lb"] == 154.3 and out["height_in"] == 68.9
    assert bmi(out["weight_lb"], out["height_in"]) == 22.8
    assert bmi(None, 60) is None


@pytest.mark.parametrize(
    ("readings", "field"),
    [
        ({"systolic": "120"}, "diastolic"),  # half a blood pressure
        ({"systolic": "80", "diastolic": "120"}, "systolic"),  # the wrong way round
        ({"pulse": "720"}, "pulse"),
        ({"pulse": "7.5"}, "pulse"),
        ({"temperature": "986"}, "temperature"),  # 98.6 without the point
        ({"temperature": "50", "temperature_unit": "C"}, "temperature"),
        ({"weight": "nan"}, "weight"),
        ({"weight": "-3"}, "weight"),
        ({"height": "600", "height_unit": "cm"}, "height"),
        ({"weight": "2", "height": "70"}, "weight"),  # an impossible BMI
        ({"weight": "150", "weight_unit": "stone"}, "weight"),
        ({}, "systolic"),  # nothing typed
    ],
)
def test_vitals_refused(readings, field) -> None:
    with pytest.raises(InvalidInput) as info:
        clean_vitals(**readings)
    assert info.value.field == field
