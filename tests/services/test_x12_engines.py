"""What may differ by engine, on SQLite and PostgreSQL: control numbers, the unique keys that
make a file post once, a whole round trip (export, 999, 835 with a reversal and a PLB);
and desks doing it at the same moment in separate processes."""

from __future__ import annotations

import multiprocessing

import pytest

from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.models import Claim, Payment, RemitClaim, X12File, X12Submission
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import claims
from medoffice_tui.services.x12 import acks, export, remit

from .test_claims_support import charges_for, make_billing
from .test_x12_acks import write_999
from .test_x12_support import (  # noqa: F401 - fixtures
    Cas,
    Clp,
    Plb,
    Svc,
    billing,
    claim_lines,
    office,
    ready_claim,
    setup_partner,
    write_835,
)
from .test_x12_workers import export_worker, import_worker

__all__ = ["billing", "office"]  # fixtures used by name


def _paid_clp(cid: int, status: str = "1", sign: int = 1) -> Clp:
    claim = Claim.get_by_id(cid)
    services = [
        Svc(
            ln.procedure_code,
            sign * ln.charge_cents,
            sign * (ln.charge_cents - 1000),
            [Cas("CO", "45", sign * 1000)],
            f"L{ln.id}",
        )
        for ln in claim_lines(cid)
    ]
    total = sum(s.charge for s in services)
    return Clp(claim.claim_number, status, total, total - sign * 2000, services=services)


def test_a_round_trip_on_each_engine(office, staff, tmp_path) -> None:
    biller = staff["billing"]
    first, second = ready_claim(staff, office), ready_claim(staff, office)
    out = tmp_path / "out"
    out.mkdir()
    sent = export.export_837p(biller, out)
    again = None
    report = acks.import_999(biller, text=write_999(sent.group, [("0001", "A", [])]), name="a.999")
    assert report.counts() == {"accepted": 2}
    era = write_835([_paid_clp(first), _paid_clp(second)], trace="EFT9")
    report = remit.import_835(biller, text=era, name="era.835")
    assert report.counts() == {"posted": 2} and report.remittances[0].difference_cents == 0
    assert {Claim.get_by_id(c).status for c in (first, second)} == {"paid"}
    again = remit.import_835(biller, text=era, name="era-again.835")
    assert again.already and Payment.select().count() == 2
    # the payer takes one payment back and recovers an overpayment at the provider level
    reversal = write_835(
        [_paid_clp(first, "22", -1)],
        trace="EFT10",
        interchange=2,
        plb=(Plb("WO", "RECOVERY1", 500),),
    )
    report = remit.import_835(biller, text=reversal, name="rev.835")
    (payment,) = report.remittances
    assert [c.outcome for c in payment.claims] == ["reversed"]
    assert payment.paid_cents == -13000 - 500 and payment.difference_cents == 0
    assert Claim.get_by_id(first).status == "pending" and Claim.get_by_id(first).paid_cents == 0
    assert claims.payments.line_invariant_breaks() == [] and not claims.summaries.differences()
    assert X12File.select().where(X12File.direction == "in").count() == 3


@pytest.mark.slow
def test_desks_exporting_and_reading_the_same_835_at_once(db_url, frozen_clock, tmp_path) -> None:
    """Four desks export a claim each at the same moment: four files, four different,
    increasing control numbers, each claim sent once. Then four desks read the same 835
    at the same moment: each claim is posted once."""
    from medoffice_tui.services.staff import system_actor

    database = open_database(db_url)
    upgrade(database)
    with writing_as("test:fixture"):
        office = make_billing()
        from medoffice_tui.db.models import Practice

        Practice.update(phone="2175550100").execute()
    actor = system_actor(via="test")
    setup_partner(actor)
    ids = []
    for _ in range(4):
        cid = claims.enter_charges(actor, charges_for(office, appointment_id=None))
        claims.mark_ready(actor, cid)
        ids.append(cid)
    close_database()
    folder = tmp_path / "out"
    folder.mkdir()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(4) as pool:
        barrier = manager.Barrier(4)
        results = pool.starmap(export_worker, [(db_url, barrier, cid, str(folder)) for cid in ids])
    assert not [r for r in results if "error" in r], results
    numbers = sorted(r["interchange"] for r in results)
    assert len(set(numbers)) == 4 and len(set(r["path"] for r in results)) == 4

    open_database(db_url)
    assert X12Submission.select().count() == 4
    assert {Claim.get_by_id(c).status for c in ids} == {"submitted"}
    era = write_835([_paid_clp(c) for c in ids], trace="EFT-SAME")
    close_database()
    with ctx.Manager() as manager, ctx.Pool(4) as pool:
        barrier = manager.Barrier(4)
        results = pool.starmap(import_worker, [(db_url, barrier, era)] * 4)
    unexpected = [r for r in results if "error" in r]
    assert not unexpected, results
    open_database(db_url)
    try:
        assert Payment.select().where(Payment.kind == "insurance").count() == 4
        assert RemitClaim.select().count() == 4
        assert {r.outcome for r in RemitClaim.select()} == {"posted"}
        assert {Claim.get_by_id(c).status for c in ids} == {"paid"}
        assert claims.payments.line_invariant_breaks() == []
        assert not claims.summaries.differences()
    finally:
        close_database()
