"""835 in, round trip: claims this app exported, paid by an 835 the test builds (full pay,
part pay with CO-45 and PR-1/2/3, a denial, a reversal and its correction, a PLB), post
exactly the expected amounts; a file read twice posts once; a malformed file (missing SE,
wrong count, bad amount) is refused with the segment and line, nothing posted; several
transaction sets in one file; what cannot be matched is reported with the reason; CAS
groups PI and CR post as the payment service knows them (PI, OA)."""

from __future__ import annotations

import pytest

from medoffice_tui.db.models import (
    Adjustment,
    Claim,
    ClaimLine,
    Payment,
    PlbAdjustment,
    RemitClaim,
    Remittance,
)
from medoffice_tui.services import claims
from medoffice_tui.services.x12 import export, remit
from medoffice_tui.services.x12.reports import FileRefused

from .test_x12_support import (  # noqa: F401 - fixtures
    Cas,
    Clp,
    Plb,
    Svc,
    billing,
    claim_lines,
    history_notes,
    office,
    pyx12_faults,
    ready_claim,
    write_835,
)

__all__ = ["billing", "office"]  # fixtures used by name


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    """SQLite only here: test_x12_engines.py runs a round trip on both engines."""
    return request.param


@pytest.fixture
def sent(office, staff, tmp_path) -> dict[str, int]:  # noqa: ANN001
    """Four claims (99213 $130 + 36415 $20 each) exported in one 837P."""
    ids = {name: ready_claim(staff, office) for name in ("full", "part", "denied", "reversed")}
    out = tmp_path / "out"
    out.mkdir()
    export.export_837p(staff["billing"], out)
    return ids


def _clp(cid: int, status: str, lines: list[tuple[int, list[Cas]]], **kwargs) -> Clp:
    """A claim payment for claim ``cid``: each line's (paid, adjustments), REF*6R ids."""
    claim = Claim.get_by_id(cid)
    services = []
    for line, (paid, adjustments) in zip(claim_lines(cid), lines, strict=True):
        charge = -line.charge_cents if status == "22" else line.charge_cents
        services.append(Svc(line.procedure_code, charge, paid, adjustments, f"L{line.id}"))
    charge = sum(s.charge for s in services)
    paid = sum(s.paid for s in services)
    pr = sum(a.cents for s in services for a in s.adjustments if a.group == "PR")
    return Clp(claim.claim_number, status, charge, paid, pr, services=services, **kwargs)


def _first_835(sent: dict[str, int]) -> str:
    return write_835(
        [
            _clp(
                sent["full"], "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])]
            ),
            _clp(
                sent["part"],
                "1",
                [
                    (6000, [Cas("CO", "45", 4000), Cas("PR", "1", 1000), Cas("PR", "2", 2000)]),
                    (1000, [Cas("CO", "45", 500), Cas("PR", "3", 500)]),
                ],
            ),
            _clp(
                sent["denied"], "4", [(0, [Cas("CO", "50", 13000)]), (0, [Cas("CO", "50", 2000)])]
            ),
            _clp(
                sent["reversed"],
                "1",
                [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])],
            ),
        ],
        trace="EFT1001",
    )


def _line_money(cid: int) -> list[tuple[int, int, int, int]]:
    return [(ln.paid_cents, ln.co_cents, ln.pr_cents, ln.oa_cents) for ln in claim_lines(cid)]


def test_a_round_trip_posts_exactly_the_expected_amounts(sent, staff) -> None:
    biller = staff["billing"]
    text = _first_835(sent)
    assert pyx12_faults(text) == []
    report = remit.import_835(biller, text=text, name="era1.835")
    assert not report.refused and report.counts() == {"posted": 4}
    (first,) = report.remittances
    assert first.paid_cents == first.posted_cents == 9000 + 1500 + 6000 + 1000 + 10500
    assert first.difference_cents == 0
    assert _line_money(sent["full"]) == [(9000, 4000, 0, 0), (1500, 500, 0, 0)]
    assert _line_money(sent["part"]) == [(6000, 4000, 3000, 0), (1000, 500, 500, 0)]
    assert _line_money(sent["denied"]) == [(0, 13000, 0, 0), (0, 2000, 0, 0)]
    statuses = {name: Claim.get_by_id(cid).status for name, cid in sent.items()}
    assert statuses == {
        "full": "paid",
        "part": "partially_paid",
        "denied": "denied",
        "reversed": "paid",
    }
    part = Claim.get_by_id(sent["part"])
    assert (part.paid_cents, part.patient_resp_cents, part.balance_cents) == (7000, 3500, 3500)
    reasons = sorted(
        (a.group_code, a.carc, a.amount_cents)
        for a in Adjustment.select().where(Adjustment.claim == sent["part"])
    )
    assert reasons == [
        ("CO", "45", 500),
        ("CO", "45", 4000),
        ("PR", "1", 1000),
        ("PR", "2", 2000),
        ("PR", "3", 500),
    ]
    denied = Claim.get_by_id(sent["denied"])
    assert denied.balance_cents == 15000  # a denial keeps its balance until worked
    assert claims.payments.line_invariant_breaks() == []
    assert not claims.summaries.differences()

    # the second remittance: a reversal of the paid claim and its correction, and a PLB
    rev = sent["reversed"]
    second = write_835(
        [
            _clp(rev, "22", [(-9000, [Cas("CO", "45", -4000)]), (-1500, [Cas("CO", "45", -500)])]),
            _clp(
                rev,
                "1",
                [
                    (8000, [Cas("CO", "45", 4000), Cas("PR", "2", 1000)]),
                    (1500, [Cas("CO", "45", 500)]),
                ],
            ),
        ],
        plb=(Plb("WO", "OVERPAY123", 2500), Plb("L6", "INTEREST", -125)),
        trace="EFT1002",
        interchange=2,
    )
    assert pyx12_faults(second) == []
    report = remit.import_835(biller, text=second, name="era2.835")
    (two,) = report.remittances
    assert [c.outcome for c in two.claims] == ["reversed", "posted"]
    assert two.paid_cents == -10500 + 9500 - (2500 - 125)
    assert two.posted_cents == -1000 and two.plb_cents == 2375 and two.difference_cents == 0
    assert _line_money(rev) == [(8000, 4000, 1000, 0), (1500, 500, 0, 0)]
    claim = Claim.get_by_id(rev)
    assert (claim.status, claim.paid_cents, claim.balance_cents) == ("partially_paid", 9500, 1000)
    history = claims.claim_history(rev)
    assert [h.to_status for h in history if h.kind == "payment"] == [
        "paid",
        "pending",
        "partially_paid",
    ]
    plb = list(PlbAdjustment.select().order_by(PlbAdjustment.id))
    assert [(p.reason, p.reference, p.amount_cents) for p in plb] == [
        ("WO", "OVERPAY123", 2500),
        ("L6", "INTEREST", -125),
    ]
    assert all(
        p.remittance_id == Remittance.get(Remittance.trace_number == "EFT1002").id for p in plb
    )
    assert Adjustment.select().where(Adjustment.note == "reversal").count() == 2
    assert claims.payments.line_invariant_breaks() == [] and not claims.summaries.differences()
    text_report = "\n".join(report.lines())
    assert "WO (overpayment recovery) OVERPAY123: $25.00" in text_report
    assert "the payment equals what was posted less the provider adjustments" in text_report


def test_a_file_read_twice_posts_once(sent, staff) -> None:
    text = _first_835(sent)
    remit.import_835(staff["billing"], text=text, name="era1.835")
    payments = Payment.select().count()
    again = remit.import_835(staff["billing"], text=text, name="era1-copy.835")
    assert again.already.startswith("read already") and Payment.select().count() == payments
    # the same remittance in another interchange (another file): posted once too
    rewrapped = text.replace("*000000001*0*T*", "*000000077*0*T*").replace(
        "IEA*1*000000001", "IEA*1*000000077"
    )
    third = remit.import_835(staff["billing"], text=rewrapped, name="era1-again.835")
    assert third.remittances[0].already.startswith("posted already from era1.835")
    assert Payment.select().count() == payments and RemitClaim.select().count() == 4


@pytest.mark.parametrize(
    ("damage", "segment"),
    [
        ("missing SE", "SE"),
        ("wrong count", "ST"),
        ("bad amount", "CLP"),
    ],
)
def test_a_malformed_file_is_refused_with_the_segment_and_line(
    sent, staff, damage, segment
) -> None:
    text = _first_835(sent)
    lines = text.split("\n")
    if damage == "missing SE":
        lines = [ln for ln in lines if not ln.startswith("SE*")]
    elif damage == "wrong count":
        lines = [ln.replace("SE*", "SE*9", 1) if ln.startswith("SE*") else ln for ln in lines]
    else:
        at = next(i for i, ln in enumerate(lines) if ln.startswith("CLP*"))
        parts = lines[at].split("*")
        parts[4] = "90.0.5"
        lines[at] = "*".join(parts)
    with pytest.raises(FileRefused) as refused:
        remit.import_835(staff["billing"], text="\n".join(lines), name="bad.835")
    faults = refused.value.report.faults
    assert faults and any(f.segment == segment and f.line > 0 for f in faults), faults
    assert f"{faults[0].segment} at line {faults[0].line}" in str(refused.value)
    assert Payment.select().where(Payment.kind == "insurance").count() == 0
    assert Remittance.select().count() == 0 and RemitClaim.select().count() == 0
    assert {Claim.get_by_id(cid).status for cid in sent.values()} == {"submitted"}


def test_several_transaction_sets_in_one_file(sent, staff) -> None:
    clps = [
        _clp(sent["full"], "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])]),
        _clp(sent["part"], "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])]),
    ]
    text = write_835(clps, sets=2, trace="EFT2001")
    assert pyx12_faults(text) == []
    report = remit.import_835(staff["billing"], text=text, name="two-sets.835")
    assert len(report.remittances) == 2 and report.counts() == {"posted": 2}
    assert Remittance.select().count() == 2
    assert all(r.difference_cents == 0 for r in report.remittances)


def test_what_cannot_be_matched_is_reported_with_the_reason(sent, staff) -> None:
    good = _clp(
        sent["full"], "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])]
    )
    stranger = Clp("NOSUCHCLAIM", "1", 5000, 5000, services=[Svc("99212", 5000, 5000)])
    wrong_charge = _clp(
        sent["part"], "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])]
    )
    wrong_charge.charge += 100
    wrong_charge.services[0].charge += 100
    wrong_charge.services[0].adjustments[0].cents += 100
    text = write_835([good, stranger, wrong_charge], trace="EFT3001")
    report = remit.import_835(staff["billing"], text=text, name="era3.835")
    outcomes = {c.reference: (c.outcome, c.words) for c in report.remittances[0].claims}
    assert outcomes["NOSUCHCLAIM"] == (
        "unmatched",
        "no claim has this patient control number or payer claim number",
    )
    part_number = Claim.get_by_id(sent["part"]).claim_number
    assert (
        outcomes[part_number][0] == "unmatched"
        and "is not the claim's $150.00" in outcomes[part_number][1]
    )
    (payment,) = report.remittances
    assert payment.posted_cents == 10500
    assert payment.difference_cents == 5000 + 10500  # the check is more than what was posted
    assert "DIFFERENCE: the payment is $155.00 more" in "\n".join(report.lines())
    assert Claim.get_by_id(sent["part"]).status == "submitted"


def test_claim_level_adjustments_are_spread_over_the_lines(sent, staff) -> None:
    cid = sent["full"]
    number = Claim.get_by_id(cid).claim_number
    # no service lines: the payment and the claim-level CO-45 laid over the two lines
    clp = Clp(number, "1", 15000, 10500, 0, adjustments=[Cas("CO", "45", 4500)])
    report = remit.import_835(staff["billing"], text=write_835([clp], trace="EFT4"), name="c.835")
    assert report.counts() == {"posted": 1}
    assert _line_money(cid) == [(9100, 3900, 0, 0), (1400, 600, 0, 0)]
    assert Claim.get_by_id(cid).status == "paid"
    # with service lines, a claim-level reduction comes off the lines paid
    other = sent["part"]
    clp = _clp(other, "1", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])])
    clp.adjustments.append(Cas("OA", "23", 1050))
    clp.paid -= 1050
    report = remit.import_835(staff["billing"], text=write_835([clp], trace="EFT5"), name="d.835")
    assert report.counts() == {"posted": 1}
    assert _line_money(other) == [(8100, 4000, 0, 900), (1350, 500, 0, 150)]
    assert sum(ln.paid_cents for ln in claim_lines(other)) == clp.paid


def test_a_predetermination_is_noted_and_posts_nothing(sent, staff) -> None:
    cid = sent["full"]
    clp = _clp(cid, "25", [(9000, [Cas("CO", "45", 4000)]), (1500, [Cas("CO", "45", 500)])])
    clp.adjustments.append(Cas("OA", "101", 10500))
    clp.paid = 0
    report = remit.import_835(staff["billing"], text=write_835([clp], trace="EFT6"), name="p.835")
    assert report.counts() == {"info": 1}
    assert (
        Claim.get_by_id(cid).status == "submitted"
        and ClaimLine.select()
        .where(
            ClaimLine.adjudicated == True  # noqa: E712
        )
        .count()
        == 0
    )
    assert "predetermination only" in history_notes(cid)[-1]


def test_a_reversal_that_does_not_match_the_posting_is_refused(sent, staff) -> None:
    cid = sent["full"]
    remit.import_835(staff["billing"], text=_first_835(sent), name="era1.835")
    wrong = _clp(cid, "22", [(-8000, [Cas("CO", "45", -5000)]), (-1500, [Cas("CO", "45", -500)])])
    report = remit.import_835(staff["billing"], text=write_835([wrong], trace="R1"), name="r.835")
    (outcome,) = report.remittances[0].claims
    assert outcome.outcome == "refused" and "does not match what was posted" in outcome.words
    assert Claim.get_by_id(cid).status == "paid"


def test_pi_and_cr_adjustments_post_as_the_payment_service_knows_them(sent, staff) -> None:
    """CAS group PI (payer-initiated reduction) posts as a group of its own, in the line's
    other-adjustment money; CR (4010's corrections and reversals, gone from 5010) is read
    and posts as OA, but pyx12's 5010 map refuses a file that carries it."""
    from medoffice_tui.services.x12 import segments, x835

    assert remit.GROUP_FOR_POSTING["PI"] == "PI" and remit.GROUP_FOR_POSTING["CR"] == "OA"
    biller = staff["billing"]
    full, part = sent["full"], sent["part"]
    pi = _clp(
        full,
        "1",
        [
            (8000, [Cas("CO", "45", 4000), Cas("PI", "104", 1000)]),
            (1500, [Cas("CO", "45", 300), Cas("PI", "94", 200)]),
        ],
    )
    text = write_835([pi], trace="EFT7001")
    assert pyx12_faults(text) == []
    report = remit.import_835(biller, text=text, name="pi.835")
    assert report.counts() == {"posted": 1} and report.remittances[0].difference_cents == 0
    # (paid, CO, PR, OA+PI) per line: charge = paid + CO + PR + OA/PI
    assert _line_money(full) == [(8000, 4000, 0, 1000), (1500, 300, 0, 200)]
    assert sorted(
        (a.group_code, a.carc, a.amount_cents)
        for a in Adjustment.select().where(Adjustment.claim == full)
    ) == [("CO", "45", 300), ("CO", "45", 4000), ("PI", "104", 1000), ("PI", "94", 200)]
    claim = Claim.get_by_id(full)
    assert (claim.status, claim.paid_cents, claim.adjustment_cents, claim.balance_cents) == (
        "paid",
        9500,
        5500,
        0,
    )

    cr = _clp(
        part,
        "1",
        [(8500, [Cas("CO", "45", 4000), Cas("CR", "45", 500)]), (1500, [Cas("CO", "45", 500)])],
    )
    cr_text = write_835([cr], trace="EFT7002", interchange=2)
    with pytest.raises(FileRefused) as refused:
        remit.import_835(biller, text=cr_text, name="cr.835")
    (fault,) = refused.value.report.faults
    cas_line = next(n for n, ln in enumerate(cr_text.split("\n"), 1) if ln.startswith("CAS*CR*"))
    assert (fault.segment, fault.line) == ("CAS", cas_line)
    assert _line_money(part) == [(0, 0, 0, 0), (0, 0, 0, 0)]  # nothing posted
    # read as the 835 reader reads it, CR goes to the payment service as OA
    (remittance,) = x835.parse(segments.read(cr_text))
    (payment,) = remittance.claims
    postings = remit.line_postings(Claim.get_by_id(part), payment)
    assert [[(a.group, a.carc, a.amount_cents) for a in p.adjustments] for p in postings] == [
        [("CO", "45", 4000), ("OA", "45", 500)],
        [("CO", "45", 500)],
    ]
    claims.payments.post_payer_payment(biller, claims.payments.PayerPayment(part, postings))
    assert _line_money(part) == [(8500, 4000, 0, 500), (1500, 500, 0, 0)]
    assert claims.payments.line_invariant_breaks() == [] and not claims.summaries.differences()
