"""The claims commands: code sets, statements, the summary recount, the fee schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.write_guard import writing_as

from .test_claims_support import make_billing

HCPCS = (
    Path(__file__).resolve().parents[3]
    / "shared/samples/codes/cms_hcpcs_2020__HCPC2020_ANWEB_w_disclaimer.txt"
)


@pytest.fixture
def practice_db(tmp_path, frozen_clock) -> str:
    path = tmp_path / "practice.db"
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    with writing_as("test:fixture"):
        make_billing()
    close_database()
    return str(path)


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    close_database()
    return code, out, err


def test_codes_status_and_hcpcs_import(capsys, practice_db) -> None:
    code, out, _ = run(capsys, ["codes", "status", "--db", practice_db])
    assert code == 0 and "ICD-10-CM April 2026" in out and "HCPCS Level II     not loaded" in out
    if HCPCS.exists():
        code, out, _ = run(
            capsys, ["codes", "import-hcpcs", str(HCPCS), "--db", practice_db, "--quiet"]
        )
        assert code == 0 and "(HCPCS 2020)" in out
    code, _out, err = run(capsys, ["codes", "import-hcpcs", "/no/such.txt", "--db", practice_db])
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_reason_codes_and_fees_from_csv(capsys, practice_db, tmp_path) -> None:
    reasons = tmp_path / "reasons.csv"
    reasons.write_text("kind,code,text\nCARC,B7,not certified for this service\n")
    code, out, _ = run(capsys, ["codes", "import-reasons", str(reasons), "--db", practice_db])
    assert code == 0 and "stored 1 reason codes" in out
    fees = tmp_path / "fees.csv"
    fees.write_text(
        "code,kind,description,fee,effective_from\n99214,CPT,Visit (ours),195.00,2026-01-01\n"
    )
    code, out, _ = run(capsys, ["claims", "fees", "import", str(fees), "--db", practice_db])
    assert code == 0
    code, out, _ = run(capsys, ["claims", "fees", "list", "--db", practice_db])
    assert "99214" in out and "195.00" in out and "Visit (ours)" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,kind,description,fee,effective_from\n99214,XYZ,x,1,2026-01-01\n")
    code, _out, err = run(capsys, ["claims", "fees", "import", str(bad), "--db", practice_db])
    assert code == 2 and "line 2" in err


def test_recount_finds_and_fixes_a_summary_that_drifted(capsys, practice_db) -> None:
    from medoffice_tui.db.models import ClaimSummary
    from medoffice_tui.services import claims
    from medoffice_tui.services.staff import system_actor

    from .test_claims_support import Billing, charges_for

    database = open_database(f"sqlite:///{practice_db}")
    from medoffice_tui.db.models import Appointment, Coverage, Patient, Provider

    b = Billing(
        1,
        Provider.select().first().id,
        1,
        Patient.select().first().id,
        Coverage.select().first().id,
        Appointment.select().first().id,
        2,
        2,
    )
    claims.enter_charges(system_actor(), charges_for(b))
    code, out, _ = run(capsys, ["claims", "recount", "--db", practice_db])
    assert code == 0 and "0 of 1 rows differ" in out
    database = open_database(f"sqlite:///{practice_db}")
    with writing_as("test:damage"):
        ClaimSummary.update(claims=5).execute()
    close_database()
    code, out, _ = run(capsys, ["claims", "recount", "--db", practice_db])
    assert code == 1 and "1 of 1 rows differ" in out
    code, out, _ = run(capsys, ["claims", "recount", "--fix", "--db", practice_db])
    assert "summary rebuilt" in out
    code, out, _ = run(capsys, ["claims", "recount", "--db", practice_db])
    assert code == 0
    del database


def test_statements_command_writes_pdfs(capsys, practice_db, tmp_path) -> None:
    out_dir = tmp_path / "statements"
    code, out, _ = run(
        capsys, ["statements", "--out", str(out_dir), "--quiet", "--db", practice_db]
    )
    assert code == 0 and "wrote 0 statement(s)" in out and out_dir.is_dir()
    code, out, _ = run(
        capsys,
        ["statements", "--out", str(out_dir), "--patient", "M1", "--quiet", "--db", practice_db],
    )
    assert code == 0 and "wrote 1 statement(s)" in out
    assert len(list(out_dir.glob("statement-M1-*.pdf"))) == 1
    code, _out, err = run(
        capsys, ["statements", "--out", str(tmp_path / "a" / "b"), "--db", practice_db]
    )
    assert code == 2 and "does not exist" in err
