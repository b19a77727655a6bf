"""The commands: ``medoffice claims export-837|import-835|import-999|import-277ca|import|
print-1500|clearinghouse|files`` (as the issue spells them; ``claims-files ...`` with
``setup`` and ``list`` is the same group under its first name) and ``medoffice
eligibility export-270|import-271``, as a desk runs them: right after ``medoffice demo``
every ready claim exports cleanly; several files at once; a refused file prints its
faults with the segment and line and exits 1."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database
from medoffice_tui.db.models import Appointment, Claim, Payment, Practice
from medoffice_tui.services import claims

from .test_claims_support import TODAY, charges_for, make_billing
from .test_x12_acks import write_999
from .test_x12_eligibility import ACTIVE, write_271
from .test_x12_support import Cas, Clp, Svc, claim_lines, pyx12_faults, setup_partner, write_835


@pytest.fixture
def practice_db(sqlite_database, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A SQLite practice with three ready claims and a booking tomorrow, closed for the CLI."""
    from medoffice_tui.db.write_guard import writing_as
    from tests.conftest import make_staff

    staff = make_staff(sqlite_database)
    with writing_as("test:fixture"):
        office = make_billing()
        Practice.update(phone="2175550100").execute()
        start = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(9))
        Appointment.create(
            patient=office.patient,
            provider=office.provider,
            start=start,
            end=start + dt.timedelta(minutes=15),
            status="booked",
        )
    setup_partner(staff["manager"])
    ids = []
    for _ in range(3):
        cid = claims.enter_charges(staff["billing"], charges_for(office, appointment_id=None))
        claims.mark_ready(staff["billing"], cid)
        ids.append(cid)
    close_database()
    monkeypatch.setenv("MEDOFFICE_DB", str(tmp_path / "test.db"))
    return tmp_path / "test.db", ids


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = cli.main(["--today", TODAY.isoformat(), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_several_835s_at_once_then_a_bad_one(practice_db, tmp_path, capsys) -> None:
    path, ids = practice_db
    out = tmp_path / "out"
    out.mkdir()
    code, text, _ = run(
        capsys, "claims", "export-837", "--out", str(out), "--status", "ready", "--quiet"
    )
    assert code == 0 and "3 claims sent in 837P-000000001.x12" in text
    assert pyx12_faults((out / "837P-000000001.x12").read_text()) == []
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, cid in enumerate(ids[:2], 1):
        claim = Claim.get_by_id(cid)
        services = [
            Svc(
                ln.procedure_code,
                ln.charge_cents,
                ln.charge_cents - 500,
                [Cas("CO", "45", 500)],
                f"L{ln.id}",
            )
            for ln in claim_lines(cid)
        ]
        clp = Clp(claim.claim_number, "1", 15000, 14000, services=services)
        (inbox / f"era{number}.835").write_text(
            write_835([clp], trace=f"T{number}", interchange=number)
        )
    code, text, _ = run(capsys, "claims", "import-835", str(inbox), "--quiet")
    assert code == 0, text
    assert text.count("1 posted") == 2 and "the payment equals what was posted" in text
    assert {Claim.get_by_id(c).status for c in ids[:2]} == {"paid"}
    bad = tmp_path / "bad.835"
    bad.write_text((inbox / "era1.835").read_text().replace("\nSE*", "\nSE*99"))
    payments = Payment.select().count()
    code, text, _ = run(capsys, "claims", "import-835", str(bad), "--quiet")
    assert code == 1 and "refused, nothing changed" in text and "fault: ST at line" in text
    assert Payment.select().count() == payments
    # the same files again: nothing posted twice
    code, text, _ = run(capsys, "claims", "import", str(inbox), "--quiet")
    assert code == 0 and text.count("read already") == 2 and Payment.select().count() == payments
    code, text, _ = run(capsys, "claims", "files")
    assert "sent 837P  837P-000000001.x12  3 items" in text and text.count("read 835") == 2


def test_a_999_rejection_then_a_resend_refused_without_asking(
    practice_db, tmp_path, capsys
) -> None:
    _path, ids = practice_db
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "claims", "export-837", "--out", str(out), "--quiet")
    code, _, err = run(
        capsys, "claims", "export-837", "--out", str(out), "--claim", str(ids[0]), "--quiet"
    )
    assert code == 2 and "sent already" in err and "ask for a resend" in err
    ack = tmp_path / "ack.999"
    ack.write_text(write_999("1", [("0001", "R", [])]))
    code, text, _ = run(capsys, "claims", "import-999", str(ack), "--quiet")
    assert code == 0 and "3 rejected" in text
    assert {Claim.get_by_id(c).status for c in ids} == {"rejected_ch"}
    # a rejected claim is fixed and marked ready, then sent as new: a resend is refused
    code, _, err = run(
        capsys,
        "claims",
        "export-837",
        "--out",
        str(out),
        "--claim",
        str(ids[0]),
        "--resend",
        "--quiet",
    )
    assert code == 2 and "has not been sent" in err


def test_print_setup_and_eligibility(practice_db, tmp_path, capsys) -> None:
    _path, ids = practice_db
    pdf = tmp_path / "claims.pdf"
    code, text, _ = run(capsys, "claims", "print-1500", "--out", str(pdf))
    assert code == 0 and "3 claims on 3 CMS-1500 pages" in text and pdf.exists()
    code, text, _ = run(
        capsys, "claims", "clearinghouse", "--usage", "P", "--receiver-name", "Acme Clearing"
    )
    assert code == 0 and "usage         P (production)" in text and "ACME CLEARING" in text
    code, _, err = run(capsys, "claims", "clearinghouse", "--usage", "Q")
    assert code == 2 and "usage is T (test) or P (production)" in err
    out = tmp_path / "out"
    out.mkdir()
    code, text, _ = run(capsys, "eligibility", "export-270", "--out", str(out))
    assert code == 0 and "2 eligibility questions for 11/24/2026" in text
    from medoffice_tui.db.models import EligibilityCheck

    traces = {c.coverage_id: c.trace for c in EligibilityCheck.select()}
    answer = tmp_path / "answer.271"
    answer.write_text(write_271([(t, ACTIVE) for t in traces.values()]))
    code, text, _ = run(capsys, "eligibility", "import-271", str(answer), "--quiet")
    assert code == 0 and "2 active" in text and "copay $25.00" in text


def test_the_first_spelling_claims_files_runs_the_same_commands(
    practice_db, tmp_path, capsys
) -> None:
    sent = tmp_path / "sent.x12"
    code, text, _ = run(capsys, "claims-files", "export-837", "--out", str(sent), "--quiet")
    assert code == 0 and "3 claims sent in sent.x12" in text and sent.exists()
    code, text, _ = run(capsys, "claims-files", "list")
    assert code == 0 and "sent 837P  sent.x12  3 items" in text
    code, text, _ = run(capsys, "claims-files", "setup")
    assert code == 0 and "usage         T (test)" in text
    # the claims group's own actions still run their own handler
    code, text, _ = run(capsys, "claims", "recount")
    assert code == 0 and "posted lines that do not balance: 0" in text


@pytest.mark.slow  # builds a demo practice; its first export loads the full ICD-10-CM release
def test_the_demo_practice_exports_cleanly_right_after_demo(tmp_path, capsys) -> None:
    db = tmp_path / "demo.db"
    code, _, _ = run(capsys, "demo", "--db", str(db), "--quiet", "--force")  # as a desk would
    assert code == 0
    out = tmp_path / "out"
    out.mkdir()
    ready = Claim.select().where(Claim.status == "ready").count()
    close_database()
    code, text, err = run(
        capsys, "claims", "export-837", "--db", str(db), "--out", str(out), "--quiet"
    )
    assert code == 0, err
    (written,) = out.iterdir()
    assert pyx12_faults(written.read_text()) == []
    # the demo makes no ready claim its own scrubber refuses: every one of them goes
    assert "left out" not in text, text
    assert ready > 0 and text.startswith(f"{ready} claims sent in ")
    assert Claim.select().where(Claim.status == "ready").count() == 0
