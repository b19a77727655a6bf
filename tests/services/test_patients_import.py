"""Importing and exporting the patient list: a Synthea file through the shipped mapping,
a file with bad rows (the report names line and reason; nothing is committed), likely
duplicates, an export that imports back, and memory that stays flat as the file grows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
from pathlib import Path

import pytest

from medoffice_tui.db.models import AuditEvent, Coverage, Patient, Payer
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import patients
from medoffice_tui.services.patients import exporting, importing
from medoffice_tui.services.patients.mapping import (
    EXPORT_COLUMNS,
    load_mapping,
    parse_mapping,
    synthea_mapping_path,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "patients"
SYNTHEA = SAMPLES / "synthea_dbt__patients.csv"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def native_rows(n: int, start: int = 0) -> list[list[str]]:
    """``n`` valid rows in the export's columns (no coverage)."""
    rows = []
    for i in range(start, start + n):
        row = dict.fromkeys(EXPORT_COLUMNS, "")
        dob = f"19{50 + i % 50}-0{1 + i % 9}-1{i % 9}"
        row.update(
            last_name=f"Family{i % 997}", first_name=f"Given{i}", dob=dob, sex="FM"[i % 2],
            phone_mobile=f"(312) 5{i % 100:02d}-{i % 10000:04d}", city="Chicago", state="IL",
            zip="60613", external_id=f"ext-{i}", active="true",
        )  # fmt: skip
        rows.append([row[c] for c in EXPORT_COLUMNS])
    return rows


@pytest.mark.skipif(not SYNTHEA.exists(), reason=f"sample file missing: {SYNTHEA}")
def test_a_synthea_file_imports_through_the_shipped_mapping(manager, tmp_path) -> None:
    mapping = load_mapping(synthea_mapping_path())
    report = importing.check_import(manager, SYNTHEA, mapping)
    with open(SYNTHEA, encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    assert (report.rows, report.ok, report.rejected_count) == (len(source), len(source), 0)
    assert Patient.select().count() == 0  # the check wrote nothing
    done = importing.import_patients(manager, SYNTHEA, mapping, expected_rows=report.rows)
    assert done.created == len(source)
    first = source[0]
    stored = Patient.get(Patient.external_id == first["Id"])
    assert stored.last_name == "Mosciski" and stored.first_name == "Maynard"  # digits dropped
    assert stored.state == "MA" and stored.ssn_last4 == first["SSN"][-4:]
    assert stored.mrn == f"M{stored.id:07d}" and stored.zip == first["ZIP"]
    dead = [r for r in source if r["DEATHDATE"]]
    assert dead and all(not Patient.get(Patient.external_id == r["Id"]).active for r in dead)
    # the names are searchable at once, typos included
    assert patients.search_patients("mosciski").rows[0].id == stored.id
    assert stored.id in [r.id for r in patients.fuzzy_search_patients("mosciky maynard")]
    # chunk events name the id range, never a name
    events = list(AuditEvent.select())
    assert not any("Mosciski" in f"{e.fields} {e.detail}" for e in events)
    again = importing.check_import(manager, SYNTHEA, mapping)
    assert again.rejected_count == len(source)  # imported before: each row says so
    assert "imported before" in again.rejected[0].reason


def test_bad_rows_are_reported_by_line_and_nothing_is_committed(manager, tmp_path) -> None:
    rows = native_rows(3)
    rows[1][EXPORT_COLUMNS.index("dob")] = "2030-01-01"  # line 3: in the future
    rows[2][EXPORT_COLUMNS.index("state")] = "Narnia"  # line 4: not a state
    path = write_csv(tmp_path / "bad.csv", list(EXPORT_COLUMNS), rows)
    report = importing.check_import(manager, path)
    assert report.rows == 3 and report.ok == 1 and report.rejected_count == 2
    assert [(r.line, r.field) for r in report.rejected] == [(3, "dob"), (4, "state")]
    assert "future" in report.rejected[0].reason
    assert "Narnia" not in " ".join(report.lines())  # the reason, never the value
    with pytest.raises(InvalidInput, match="line 3"):
        importing.import_patients(manager, path)
    assert Patient.select().count() == 0  # all or nothing


def test_likely_duplicates_in_the_file_and_on_file(manager, tmp_path) -> None:
    patients.create_patient(manager, last_name="Family1", first_name="Given1", dob="1951-02-11")
    rows = native_rows(3)
    rows[2] = list(rows[0])
    rows[2][EXPORT_COLUMNS.index("external_id")] = "ext-other"
    rows[2][EXPORT_COLUMNS.index("first_name")] = "Givne0"
    path = write_csv(tmp_path / "dups.csv", list(EXPORT_COLUMNS), rows)
    report = importing.check_import(manager, path)
    found = {(d.line, d.of.split()[0]) for d in report.duplicates}
    assert (3, "MRN") in found  # line 3 is the patient already on file
    assert (4, "line") in found  # line 4 repeats line 2
    assert report.ok == 3 and report.rejected_count == 0


def test_a_row_sharing_a_second_phone_on_file_is_a_likely_duplicate(manager, tmp_path) -> None:
    on_file = patients.create_patient(
        manager, last_name="Okafor", first_name="Chi", dob="1/2/1970",
        phone_mobile="773-555-0100", phone_home="(847) 555-0199",
    )  # fmt: skip
    rows = native_rows(2)
    rows[1][EXPORT_COLUMNS.index("phone_mobile")] = ""
    rows[1][EXPORT_COLUMNS.index("phone_work")] = "847.555.0199"  # the home number on file
    path = write_csv(tmp_path / "phones.csv", list(EXPORT_COLUMNS), rows)
    report = importing.check_import(manager, path)
    assert [(d.line, d.reason, d.of) for d in report.duplicates] == [
        (3, "same phone number", f"MRN {on_file.mrn}")
    ]  # fmt: skip
    assert report.ok == 2


def test_an_export_imports_back_into_another_practice(
    manager, desk, tmp_path, fixture_writes
) -> None:
    payer = Payer.create(name="Acme", payer_id="ACME1")
    ann = patients.create_patient(
        desk, last_name="Lee", first_name="Ann", dob="3/4/1980", phone_mobile="312-555-0147",
        email="ann@example.org", preferred_language="Spanish", emergency_name="Bo Lee",
        emergency_phone="773-555-0100", state="IL", zip="60613-1234",
    )  # fmt: skip
    patients.add_coverage(desk, ann.id, payer_id=payer.id, member_id="W1", group_number="G2")
    out = io.StringIO()
    assert exporting.export_patients(manager, out) == 1
    assert AuditEvent.select().where(AuditEvent.action == "export").count() == 1
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    Coverage.delete().execute()
    Patient.delete().execute()
    report = importing.import_patients(manager, path)
    assert report.created == 1
    back = Patient.get()
    assert (back.mrn, back.email, back.preferred_language, back.zip) == (
        ann.mrn, "ann@example.org", "Spanish", "60613-1234"
    )  # fmt: skip
    coverage = Coverage.get(Coverage.patient == back.id)
    assert (coverage.member_id, coverage.group_number, coverage.payer_id) == ("W1", "G2", payer.id)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "[columns]"),
        ({"columns": {"shoe_size": "X"}}, "unknown field"),
        (
            {"columns": {"last_name": "L"}, "transform": {"last_name": ["shout"]}},
            "unknown transform",
        ),
        ({"columns": {"last_name": "L"}, "sex": {"Q": "Z"}}, "F, M, X or U"),
        ({"columns": {"last_name": "L"}, "dates": {"city": "%Y"}}, "[dates]"),
    ],
)
def test_mapping_mistakes_are_refused_before_any_row(data, words) -> None:
    with pytest.raises(InvalidInput, match=words.replace("[", r"\[")):
        parse_mapping(data)


def test_a_file_the_mapping_does_not_fit_is_refused(manager, tmp_path) -> None:
    path = write_csv(tmp_path / "other.csv", ["a", "b"], [["1", "2"]])
    with pytest.raises(InvalidInput, match="no column"):
        importing.check_import(manager, path)
    (tmp_path / "latin1.csv").write_bytes("last_name\nM\xfcller\n".encode("latin-1"))
    with pytest.raises(InvalidInput, match="UTF-8"):
        importing.check_import(manager, tmp_path / "latin1.csv", parse_mapping(
            {"columns": {"last_name": "last_name", "first_name": "last_name",
                         "dob": "last_name"}}))  # fmt: skip


def _peak_kib(fn) -> float:  # noqa: ANN001
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_does_not_grow_with_the_file(engine, manager, tmp_path) -> None:
    if engine != "sqlite":
        pytest.skip("memory is the Python side's: one engine shows it (bench: both sizes)")

    def rows(n: int, start: int) -> list[list[str]]:
        # dates of birth spread as in a real practice (native_rows cycles through a few
        # hundred): the duplicate check reads the patients on file who share a chunk's
        # dates of birth, which grows with the practice, not with the file
        out = native_rows(n, start)
        dob = list(EXPORT_COLUMNS).index("dob")
        for i, row in enumerate(out, start):
            row[dob] = (dt.date(1940, 1, 1) + dt.timedelta(days=(i * 7919) % 29000)).isoformat()
        return out

    warm = write_csv(tmp_path / "warm.csv", list(EXPORT_COLUMNS), rows(50, 9_000))
    small = write_csv(tmp_path / "small.csv", list(EXPORT_COLUMNS), rows(500, 0))
    large = write_csv(tmp_path / "large.csv", list(EXPORT_COLUMNS), rows(3_000, 500))
    importing.import_patients(manager, warm)  # lazy imports and caches, once, unmeasured
    small_kib = _peak_kib(lambda: importing.import_patients(manager, small))
    large_kib = _peak_kib(lambda: importing.import_patients(manager, large))
    assert Patient.select().count() == 3_550
    assert large_kib < small_kib * 1.6, (small_kib, large_kib)  # 6x the rows, not 6x the memory
