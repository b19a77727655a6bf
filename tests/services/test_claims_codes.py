"""Code sets: ICD-10-CM looked up by code prefix and by words, the real release loaded
(slow: once), HCPCS imported from the CMS file with its release, CARC/RARC words."""

from __future__ import annotations

from pathlib import Path

import pytest

from medoffice_tui.db.models import CodeSetRelease, DxCode, HcpcsCode
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.claims import codes_hcpcs, codes_icd, reason_codes
from medoffice_tui.services.claims.code_shapes import normalize_icd10, procedure_kind

from .test_claims_support import sqlite_only, store_icd_sample

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "codes"
HCPCS_FILE = SAMPLES / "cms_hcpcs_2020__HCPC2020_ANWEB_w_disclaimer.txt"


def test_lookup_by_code_prefix_and_by_words(database, fixture_writes) -> None:
    store_icd_sample()
    assert [m.code for m in codes_icd.lookup("J06")] == ["J06", "J06.9"]
    assert [m.code for m in codes_icd.lookup("j069")] == ["J06.9"]
    assert codes_icd.get("j06.9").billable and not codes_icd.get("J06").billable
    assert [m.code for m in codes_icd.lookup("strep")] == ["J02.0"]
    assert [m.code for m in codes_icd.lookup("diab typ 2 hyper")] == ["E11.65"]
    assert codes_icd.lookup("diabetes")[0].billable  # billable codes first
    assert codes_icd.lookup("") == [] and codes_icd.lookup("zzzz") == []
    assert codes_icd.lookup("x" * 10000) == []  # bounded whatever is typed
    assert codes_icd.lookup("\ud800 ab") == []


def test_shapes() -> None:
    assert normalize_icd10("e1165") == "E11.65" and normalize_icd10("I10") == "I10"
    assert procedure_kind("99213") == "CPT" and procedure_kind("0001U") == "CPT"
    assert procedure_kind("J1100") == "HCPCS" and procedure_kind("W1100") is None


@pytest.mark.slow
def test_the_real_release_loads_into_the_table(sqlite_database, fixture_writes) -> None:
    from medoffice_tui.services.staff import system_actor

    count = codes_icd.load_icd10(system_actor())
    assert count > 98000
    # 74,719 distinct billable codes (the package lists a few single-code blocks twice)
    assert DxCode.select().where(DxCode.billable == True).count() == 74719  # noqa: E712
    assert codes_icd.loaded_release() == "ICD-10-CM April 2026"
    for code in ("U07.1", "M54.50", "E11.A", "F32.A"):  # newer than the stale packages
        assert codes_icd.get(code) is not None and codes_icd.get(code).billable


@sqlite_only
def test_hcpcs_fixed_width_import_keeps_its_release(database, staff) -> None:
    if not HCPCS_FILE.exists():
        pytest.skip("the shared CMS sample file is not beside the project")
    count, release = codes_hcpcs.import_hcpcs(staff["billing"], HCPCS_FILE)
    assert release == "HCPCS 2020" and count == HcpcsCode.select().count()
    assert count > 6000  # 7,079 records, continuation lines folded into their code
    j1100 = codes_hcpcs.get("J1100")
    assert j1100.description == "Injection, dexamethasone sodium phosphate, 1 mg"
    g0439 = codes_hcpcs.get("G0439")
    assert g0439.description.endswith("(pps), subsequent visit")  # a continuation line
    assert (
        codes_hcpcs.get("25").is_modifier
        if codes_hcpcs.get("25")
        else codes_hcpcs.get("RT").is_modifier
    )
    assert CodeSetRelease.get(CodeSetRelease.code_set == "hcpcs").release == "HCPCS 2020"


@sqlite_only
def test_hcpcs_csv_and_refusals(database, staff, tmp_path) -> None:
    csv = tmp_path / "HCPC2026_JAN_ANWEB.csv"
    csv.write_text(
        "HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION,ADD DT,TERM DT\n"
        'J1100,00100,3,"Injection, dexamethasone",Dexameth,20000101,\n'
        "J1100,00200,4,sodium phosphate 1 mg,,,\n"
        "Q9999,00100,3,Gone,Gone,20000101,20200101\n"
    )
    count, release = codes_hcpcs.import_hcpcs(staff["billing"], csv)
    assert (count, release) == (2, "HCPCS 2026 JAN")
    assert codes_hcpcs.get("J1100").description == "Injection, dexamethasone sodium phosphate 1 mg"
    assert codes_hcpcs.get("Q9999").terminated_on.year == 2020
    junk = tmp_path / "notes.txt"
    junk.write_text("nothing here\n")
    with pytest.raises(InvalidInput):
        codes_hcpcs.import_hcpcs(staff["billing"], junk)


@sqlite_only
def test_reason_codes_plain_words_and_csv_refresh(database, staff, fixture_writes) -> None:
    assert "filing" in reason_codes.reason_text("CARC", "29")
    assert "not in the app's list" in reason_codes.reason_text("CARC", "999")
    rows = reason_codes.parse_reason_csv("kind,code,text\nCARC,999,A new reason\nRARC,N1,Remark\n")
    reason_codes.store_reasons(rows, "test.csv")
    assert reason_codes.reason_text("CARC", "999") == "A new reason"
    with pytest.raises(InvalidInput, match="line 2"):
        reason_codes.parse_reason_csv("kind,code,text\nXYZ,1,bad\n")


@sqlite_only
def test_importing_reason_codes_is_a_checked_audited_write(database, staff) -> None:
    """`medoffice codes import-reasons` goes through a @writes service: billing and managers
    may, the front desk is refused (and the refusal audited); the import is audited."""
    from medoffice_tui.db.models import AuditEvent
    from medoffice_tui.errors import PermissionDenied

    text = "kind,code,text\nCARC,B7,not certified for this service\n"
    with pytest.raises(PermissionDenied, match="Billing"):
        reason_codes.import_reasons(staff["front_desk"], text, "reasons.csv")
    refused = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (refused.action, refused.detail) == ("refused", "codes.import")
    assert reason_codes.import_reasons(staff["billing"], text, "reasons.csv") == 1
    assert reason_codes.reason_text("CARC", "B7") == "not certified for this service"
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.object_type, event.fields, event.user_id) == (
        "update", "code_set", "carc_rarc", staff["billing"].user_id
    )  # fmt: skip


def test_npi_luhn_with_the_80840_prefix() -> None:
    from medoffice_tui.services.claims.code_shapes import npi_valid

    assert npi_valid("1234567893") and not npi_valid("1234567890")
    assert not npi_valid("9876543210") and not npi_valid("123456789") and not npi_valid("")
