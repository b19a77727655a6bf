"""Patient search forms, their ranking (exact, then prefix, then close), keyset paging,
registration and the demographics edit, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Allergy, Coverage, Patient, Payer, Vital
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import dates, patients
from medoffice_tui.services.patients import search as search_module
from medoffice_tui.services.text import normalize

PEOPLE = [
    # last, first, dob, mobile, ssn4
    ("Smith", "John", dt.date(1980, 3, 4), "(555) 201-4567", "1234"),
    ("Smith", "Joanna", dt.date(1975, 6, 1), "555-202-1111", "2222"),
    ("Smithers", "Waylon", dt.date(1960, 1, 2), "", "3333"),
    ("Johnson", "Smitty", dt.date(1990, 12, 31), "555 203 2222", "4567"),
    ("O'Brien", "Seán", dt.date(1980, 3, 4), "", ""),
    ("José", "Ana", dt.date(2001, 7, 7), "", ""),
    ("Jose", "Maria", dt.date(2002, 8, 8), "", ""),
    ("Sanders", "Tom", dt.date(1950, 5, 5), "", "1234"),
    ("de la Cruz", "Maria", dt.date(1970, 2, 2), "", ""),
]


@pytest.fixture
def people(database, desk, fixture_writes) -> dict[str, int]:
    ids = {}
    for last, first, dob, mobile, ssn in PEOPLE:
        row = patients.create_patient(
            desk, last_name=last, first_name=first, dob=dob, phone_mobile=mobile, ssn_last4=ssn
        )
        ids[f"{last}, {first}"] = row.id
    inactive = patients.create_patient(desk, last_name="Smith", first_name="Gone", dob="1/1/1950")
    Patient.update(active=False).where(Patient.id == inactive.id).execute()
    ids["Smith, Gone"] = inactive.id
    return ids


def names(page) -> list[str]:
    return [r.display_name for r in page.rows]


def test_last_name_prefix_in_name_order(people, fixture_writes):
    page = patients.search_patients("smi")
    assert names(page) == ["Smith, Joanna", "Smith, John", "Smithers, Waylon"]
    assert page.next_after is None


def test_inactive_excluded_unless_asked(people, fixture_writes):
    assert "Smith, Gone" not in names(patients.search_patients("smith"))
    page = patients.search_patients("smith", include_inactive=True)
    assert names(page)[0] == "Smith, Gone"
    assert page.rows[0].active is False


@pytest.mark.parametrize(
    "query", ["smith jo", "jo smith", "smith, jo", "SMITH,JO", " smith ,  jo "]
)
def test_last_and_first_prefixes(people, query, fixture_writes):
    assert names(patients.search_patients(query)) == ["Smith, Joanna", "Smith, John"]


def test_two_words_search_both_orders_and_merge(people, fixture_writes):
    # "smit jo": Smith/Jo* by last-first, and Johnson/Smitty by first-last
    got = names(patients.search_patients("smit jo"))
    assert got == ["Johnson, Smitty", "Smith, Joanna", "Smith, John"]


def test_comma_form_keeps_order(people, fixture_writes):
    assert names(patients.search_patients("jo, smit")) == ["Johnson, Smitty"]
    assert names(patients.search_patients("smith,")) == [
        "Smith, Joanna",
        "Smith, John",
        "Smithers, Waylon",
    ]


def test_multi_word_last_name(people, fixture_writes):
    assert names(patients.search_patients("de la cruz")) == ["de la Cruz, Maria"]
    assert names(patients.search_patients("de la cruz maria")) == ["de la Cruz, Maria"]


def test_vista_initial_and_ssn(people, fixture_writes):
    assert names(patients.search_patients("s1234")) == ["Sanders, Tom", "Smith, John"]
    assert names(patients.search_patients("S2222")) == ["Smith, Joanna"]
    assert patients.search_patients("j1234").rows == []


def test_mrn_exact(people, fixture_writes):
    mrn = Patient.get_by_id(people["Smithers, Waylon"]).mrn
    assert names(patients.search_patients(mrn)) == ["Smithers, Waylon"]
    assert names(patients.search_patients(mrn.lower())) == ["Smithers, Waylon"]
    Patient.update(mrn="ab77").where(Patient.id == people["Jose, Maria"]).execute()
    assert names(patients.search_patients("AB77")) == []  # exact as stored or upper-cased
    Patient.update(mrn="AB77").where(Patient.id == people["Jose, Maria"]).execute()
    assert names(patients.search_patients("ab77")) == ["Jose, Maria"]


def test_dob_forms(people, fixture_writes):
    for query in ("3/4/1980", "03/04/1980", "1980-03-04", "03041980", "3-4-80", "030480"):
        assert names(patients.search_patients(query)) == ["O'Brien, Seán", "Smith, John"], query


def test_incomplete_or_impossible_date_finds_nothing(people, fixture_writes):
    assert patients.search_patients("2/30/1980").rows == []
    assert patients.search_patients("3/4/198").rows == []


def test_four_digits_are_phone_or_ssn(people, fixture_writes):
    # 4567: John's phone ends 4567, Johnson's SSN last 4 is 4567
    assert names(patients.search_patients("4567")) == ["Johnson, Smitty", "Smith, John"]
    # 1234: nobody's phone, two SSNs
    assert names(patients.search_patients("1234")) == ["Sanders, Tom", "Smith, John"]


def test_full_phone_number(people, fixture_writes):
    assert names(patients.search_patients("555-201-4567")) == ["Smith, John"]
    assert names(patients.search_patients("2014567")) == ["Smith, John"]
    assert names(patients.search_patients("(555) 203-2222")) == ["Johnson, Smitty"]
    assert patients.search_patients("5559994567").rows == []


def test_empty_or_punctuation_only_query(people, fixture_writes):
    for query in ("", "   ", "[/]", ",", "''", "%", "_", "-"):
        page = patients.search_patients(query)
        assert page.rows == [] and page.next_after is None, query


def test_markup_and_quotes_are_plain_text(people, fixture_writes):
    assert names(patients.search_patients("smith [/]")) == [
        "Smith, Joanna",
        "Smith, John",
        "Smithers, Waylon",
    ]
    assert names(patients.search_patients("o'brien")) == ["O'Brien, Seán"]
    assert names(patients.search_patients("O'BRI")) == ["O'Brien, Seán"]
    assert patients.search_patients("%mit").rows == []  # no wildcard meaning
    assert patients.search_patients('smith"; drop table patient; --').rows == []
    assert Patient.select().count() == len(PEOPLE) + 1


def test_accents_fold_both_ways(people, fixture_writes):
    assert names(patients.search_patients("josé")) == ["José, Ana", "Jose, Maria"]
    assert names(patients.search_patients("jose")) == ["José, Ana", "Jose, Maria"]
    assert names(patients.search_patients("o'brien sean")) == ["O'Brien, Seán"]


@pytest.mark.parametrize("small_first_range", [patients.SMALL_FIRST_RANGE, 0])
def test_keyset_paging_returns_every_match_once_in_order(
    database, monkeypatch, small_first_range, fixture_writes
):
    # 0: every last+first pair takes the name index, as with big first-name ranges
    monkeypatch.setattr(search_module, "SMALL_FIRST_RANGE", small_first_range)
    with database.atomic():
        for i in range(23):
            Patient.create(
                mrn=f"K{i}", last_name="Kay", first_name=f"F{i % 5}", dob=dt.date(1970, 1, 1),
                last_norm="kay", first_norm=f"f{i % 5}",
            )  # fmt: skip
        for i in range(7):
            Patient.create(
                mrn=f"KB{i}", last_name=f"Kb{i}", first_name="Z", dob=dt.date(1970, 1, 1),
                last_norm=f"kb{i}", first_norm="z",
            )  # fmt: skip
    expected = [
        (r.last_norm, r.first_norm, r.id)
        for r in Patient.select().where(Patient.last_norm.startswith("k"))
    ]
    expected.sort()
    for query in ("k", "k f", "kay f", "f k"):
        want = [key for key in expected if _matches(query, key)]
        got, after, pages = [], None, 0
        while True:
            page = patients.search_patients(query, limit=4, after=after)
            pages += 1
            got += [r.id for r in page.rows]
            assert len(page.rows) <= 4
            if page.next_after is None:
                break
            after = page.next_after
        assert got == [key[2] for key in want]
        assert pages == -(-len(want) // 4)


def _matches(query: str, key: tuple[str, str, int]) -> bool:
    words = query.split()
    if len(words) == 1:
        return key[0].startswith(words[0])
    a, b = words
    return (key[0].startswith(a) and key[1].startswith(b)) or (
        key[0].startswith(b) and key[1].startswith(a)
    )


def test_paging_a_merged_search(people, fixture_writes):
    first = patients.search_patients("smit jo", limit=2)
    assert names(first) == ["Johnson, Smitty", "Smith, Joanna"]
    second = patients.search_patients("smit jo", limit=2, after=first.next_after)
    assert names(second) == ["Smith, John"]
    assert second.next_after is None


def test_create_sets_search_keys_and_mrn(database, desk, fixture_writes):
    row = patients.create_patient(
        desk,
        last_name=" Núñez ",
        first_name="Ana",
        dob="12/31/1999",
        sex="f",
        phone_home="312.555.0199",
    )
    stored = Patient.get_by_id(row.id)
    assert (stored.last_name, stored.last_norm, stored.first_norm) == ("Núñez", "nunez", "ana")
    assert stored.phone_last4 == "0199" and stored.sex == "F"
    assert stored.mrn == f"M{row.id:07d}" and row.mrn == stored.mrn
    assert row.phone == "(312) 555-0199"  # stored the one way the app shows phones
    other = patients.create_patient(desk, last_name="B", first_name="C", dob=dt.date(2000, 1, 1))
    assert other.mrn != row.mrn


CREATE_REFUSALS = [
    ({"last_name": " ", "first_name": "A", "dob": dt.date(2000, 1, 1)}, "last name"),
    ({"last_name": "A", "first_name": "", "dob": dt.date(2000, 1, 1)}, "first name"),
    ({"last_name": "[/]", "first_name": "B", "dob": dt.date(2000, 1, 1)}, "last name"),
    ({"last_name": "A", "first_name": "B", "dob": dt.date(2026, 11, 24)}, "future"),
    ({"last_name": "A", "first_name": "B"}, "date of birth"),
    ({"last_name": "A", "first_name": "B", "dob": dt.date(2000, 1, 1), "sex": "Q"}, "sex"),
    ({"last_name": "A", "first_name": "B", "dob": "2/30/2000"}, "valid date"),
    ({"last_name": "A", "first_name": "B", "dob": dt.date(2000, 1, 1), "version": 9}, "field"),
    ({"last_name": "A", "first_name": "B", "dob": dt.date(2000, 1, 1), "ssn_last4": "12a4"}, "SSN"),
]


def test_create_validation(database, desk, fixture_writes):
    for fields, message in CREATE_REFUSALS:
        with pytest.raises(InvalidInput, match=message) as info:
            patients.create_patient(desk, **fields)
        assert "2/30/2000" not in str(info.value)
    assert Patient.select().count() == 0


def test_validation_messages_do_not_echo_phi(database, desk, fixture_writes):
    with pytest.raises(InvalidInput) as info:
        patients.create_patient(desk, last_name="Zebediah", first_name="Q", dob="13/45/1988")
    assert "Zebediah" not in str(info.value) and "1988" not in str(info.value)


def test_update_keeps_keys_in_step_and_bumps_version(database, desk, fixture_writes):
    row = patients.create_patient(desk, last_name="Lee", first_name="Ann", dob=dt.date(1970, 1, 1))
    updated = patients.update_patient(
        desk, row.id, 1, last_name="Lée-Park", phone_mobile="555 777 8888"
    )
    stored = Patient.get_by_id(row.id)
    assert stored.last_norm == "lee-park" and stored.phone_last4 == "8888"
    assert stored.version == 2 and stored.updated_at == dt.datetime(2026, 11, 23, 10, 30)
    assert updated.last_name == "Lée-Park"
    assert names(patients.search_patients("lee-p")) == ["Lée-Park, Ann"]


def test_concurrent_edit_is_refused(database, desk, fixture_writes):
    row = patients.create_patient(desk, last_name="Lee", first_name="Ann", dob=dt.date(1970, 1, 1))
    desk_a = Patient.get_by_id(row.id).version
    desk_b = Patient.get_by_id(row.id).version
    patients.update_patient(desk, row.id, desk_a, first_name="Anne")
    with pytest.raises(StaleEdit):
        patients.update_patient(desk, row.id, desk_b, first_name="Annie")
    stored = Patient.get_by_id(row.id)
    assert (stored.first_name, stored.version) == ("Anne", 2)


def test_update_missing_patient(database, desk, fixture_writes):
    with pytest.raises(NotFound):
        patients.update_patient(desk, 999, 1, first_name="X")


def test_update_validation_leaves_row_alone(database, desk, fixture_writes):
    row = patients.create_patient(desk, last_name="Lee", first_name="Ann", dob=dt.date(1970, 1, 1))
    with pytest.raises(InvalidInput):
        patients.update_patient(desk, row.id, 1, dob=dt.date(2030, 1, 1))
    assert Patient.get_by_id(row.id).version == 1


def test_get_patient_detail(database, desk, fixture_writes):
    row = patients.create_patient(desk, last_name="Lee", first_name="Ann", dob=dt.date(1970, 1, 1))
    payer = Payer.create(name="Acme", payer_id="A1")
    Coverage.create(patient=row.id, payer=payer, rank=2, member_id="M2")
    Coverage.create(patient=row.id, payer=payer, rank=1, member_id="M1", copay_cents=2500)
    Coverage.create(patient=row.id, payer=payer, rank=3, member_id="OLD", active=False)
    Allergy.create(patient=row.id, substance="Penicillin", severity="severe")
    Allergy.create(patient=row.id, substance="Latex", active=False)
    Vital.create(patient=row.id, taken_at=dt.datetime(2026, 1, 1, 9), pulse=60)
    Vital.create(patient=row.id, taken_at=dt.datetime(2026, 6, 1, 9), pulse=72, temperature_f=98.6)
    detail = patients.get_patient(desk, row.id)
    assert detail.mrn == row.mrn and detail.display_name == "Lee, Ann"
    assert [(c.rank, c.member_id, c.payer_name) for c in detail.coverages] == [
        (1, "M1", "Acme"),
        (2, "M2", "Acme"),
    ]
    assert [a.substance for a in detail.allergies] == ["Penicillin"]
    assert detail.latest_vitals.pulse == 72 and detail.latest_vitals.temperature_f == 98.6
    with pytest.raises(NotFound):
        patients.get_patient(desk, row.id + 100)


def test_norm_matches_text_normalize(people, fixture_writes):
    for p in Patient.select():
        assert p.last_norm == normalize(p.last_name)


# ---------------------------------------------------------------- date entry


TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3/4/1980", dt.date(1980, 3, 4)),
        ("1980-03-04", dt.date(1980, 3, 4)),
        ("1980/3/4", dt.date(1980, 3, 4)),
        ("03041980", dt.date(1980, 3, 4)),
        ("19800304", dt.date(1980, 3, 4)),
        ("030480", dt.date(1980, 3, 4)),
        ("1/2/45", dt.date(1945, 1, 2)),
        ("1/2/25", dt.date(2025, 1, 2)),
        ("11/23/26", dt.date(2026, 11, 23)),
        ("11/24/26", dt.date(1926, 11, 24)),
    ],
)
def test_parse_dob(text, expected):
    assert dates.parse_date(text, past=True, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "2/30/1980", "13/1/1980", "3/4", "1430", "tomorrow", "12/1/2027", "01021012"]
)
def test_parse_dob_rejects(text):
    with pytest.raises(InvalidInput):
        dates.parse_date(text, past=True, today=TODAY)


def test_eight_digits_read_month_first_or_year_first():
    # MMDD as a year is always before MIN_YEAR, so the two readings never both count
    assert dates.parse_date("12112010", today=TODAY) == dt.date(2010, 12, 11)
    assert dates.parse_date("20101211", today=TODAY) == dt.date(2010, 12, 11)


def test_duplicate_mrn_and_overlong_fields_are_refused(database, desk, fixture_writes):
    first = patients.create_patient(desk, last_name="A", first_name="B", dob=dt.date(2000, 1, 1))
    with pytest.raises(InvalidInput, match="MRN is already in use"):
        patients.create_patient(desk, last_name="C", first_name="D", dob="1/1/2000", mrn=first.mrn)
    other = patients.create_patient(desk, last_name="C", first_name="D", dob=dt.date(2000, 1, 1))
    with pytest.raises(InvalidInput, match="MRN is already in use"):
        patients.update_patient(desk, other.id, 1, mrn=first.mrn)
    with pytest.raises(InvalidInput, match="last name is longer than 60") as info:
        patients.create_patient(desk, last_name="Z" * 61, first_name="D", dob=dt.date(2000, 1, 1))
    assert "ZZZ" not in str(info.value)
    assert Patient.select().count() == 2 and Patient.get_by_id(other.id).version == 1


def test_fuzzy_search_when_exact_finds_nothing(people, fixture_writes):
    assert patients.search_patients("jonh smiht").rows == []  # close matches only when asked
    got = patients.fuzzy_search_patients("jonh smiht")
    assert got and got[0].display_name == "Smith, John"
    assert "Smith, Gone" not in [r.display_name for r in got]
    assert patients.fuzzy_search_patients("smiht, gone", include_inactive=True)[0].active is False
    assert patients.fuzzy_search_patients("4567") == []
    assert patients.fuzzy_search_patients("[/]") == []


def test_exact_matches_then_prefixes_then_close_spellings(database, desk):
    """One list, three tiers, each in name order, paged like one list."""
    for last, first in [("Smithson", "Al"), ("Smith", "Zed"), ("Smyth", "Bo"), ("Smith", "Amy"),
                        ("Smithe", "Cy"), ("Smiht", "Di")]:  # fmt: skip
        patients.create_patient(desk, last_name=last, first_name=first, dob="1/1/1970")
    page = patients.search_patients("smith", close_matches=True)
    assert [(r.display_name, r.match) for r in page.rows] == [
        ("Smith, Amy", "exact"), ("Smith, Zed", "exact"),
        ("Smithe, Cy", "prefix"), ("Smithson, Al", "prefix"),
        ("Smiht, Di", "close"), ("Smyth, Bo", "close"),
    ]  # fmt: skip
    got, after = [], None
    while True:  # the same order, two at a time
        page = patients.search_patients("smith", limit=2, after=after, close_matches=True)
        got += [r.display_name for r in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert got == ["Smith, Amy", "Smith, Zed", "Smithe, Cy", "Smithson, Al", "Smiht, Di",
                   "Smyth, Bo"]  # fmt: skip
    # two words: last + first exact, then prefixes, then close spellings of the whole name
    names = [(r.display_name, r.match) for r in patients.search_patients(
        "smith amy", close_matches="auto").rows]  # fmt: skip
    assert names[0] == ("Smith, Amy", "exact")
    # a single word still being typed gets no typo guesses while prefixes match
    assert {r.match for r in patients.search_patients("smi", close_matches="auto").rows} == {
        "prefix"
    }
    assert patients.search_patients("smiht", close_matches="auto").rows[0].match == "exact"
    typo = patients.search_patients("zmith", close_matches="auto").rows
    assert "close" in {r.match for r in typo}
