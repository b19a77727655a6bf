"""A patient statement is a PDF whose text holds the amounts, laid out for a window
envelope; only patients who owe get one from ``write_statements``."""

from __future__ import annotations

import pytest

from medoffice_tui.services import claims
from medoffice_tui.services.claims import AdjustmentInput as Adj
from medoffice_tui.services.claims import LinePosting, PayerPayment

from .test_claims_support import billing, charges_for, sqlite_only  # noqa: F401 - fixture

__all__ = ["billing"]

pytestmark = sqlite_only  # engine-independent rules: SQLite only


def test_statement_pdf_shows_the_amounts(billing, staff, tmp_path) -> None:  # noqa: F811
    pypdf = pytest.importorskip("pypdf")
    biller = staff["billing"]
    cid = claims.enter_charges(biller, charges_for(billing))
    claims.mark_ready(biller, cid)
    claims.set_status(biller, cid, "submitted")
    one, two = sorted(claims.get_claim(biller, cid).lines, key=lambda ln: ln.line_no)
    claims.post_payer_payment(
        biller,
        PayerPayment(
            cid,
            (
                LinePosting(one.id, 7000, (Adj("CO", "45", 4000), Adj("PR", "3", 2000))),
                LinePosting(two.id, 1500, (Adj("CO", "45", 500),)),
            ),
        ),
    )
    claims.take_patient_payment(staff["front_desk"], billing.patient, 500, "cash")
    written = claims.statements.write_statements(biller, tmp_path)
    assert len(written) == 1 and written[0].stat().st_mode & 0o077 == 0
    text = "".join(page.extract_text() for page in pypdf.PdfReader(written[0]).pages)
    for expected in (
        "Statement",
        "Amount due",
        "$15.00",
        "$150.00",
        "$85.00",
        "$5.00",
        "Ann Lee",
        "12 Elm St",
        "Test Family Practice",
        "M1",
    ):
        assert expected in text, expected
    # the mailing address sits where a #10 window shows it: 1" from the left edge
    page = pypdf.PdfReader(written[0]).pages[0]
    spots = []
    page.extract_text(visitor_text=lambda t, cm, tm, *_: spots.append((t, tm[4], tm[5])))
    name = next((x, y) for t, x, y in spots if t.startswith("Ann Lee"))
    assert 70 <= name[0] <= 75 and 792 - 3.2 * 72 <= name[1] <= 792 - 2.0 * 72


def test_no_statement_for_someone_who_owes_nothing(billing, staff, tmp_path) -> None:  # noqa: F811
    claims.enter_charges(staff["billing"], charges_for(billing))  # with insurance, not due
    assert claims.statements.write_statements(staff["billing"], tmp_path) == []
