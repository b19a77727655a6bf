"""Several desks posting to the same claim at once: no payment lost, no line posted twice,
the line invariant and the claims summary intact (each engine; fresh processes)."""

from __future__ import annotations

import multiprocessing

import pytest
from peewee import fn

from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.models import Claim, ClaimLine, Payment, PaymentAllocation
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import claims
from tests.db.claims_workers import posting_worker
from tests.services.test_claims_support import charges_for, make_billing

PROCESSES = 6
PAYMENTS_EACH = 8


@pytest.mark.slow
def test_simultaneous_postings_lose_nothing(db_url: str, frozen_clock) -> None:
    from medoffice_tui.services.staff import system_actor

    database = open_database(db_url)
    upgrade(database)
    with writing_as("test:fixture"):
        billing = make_billing()
    actor = system_actor(via="test")
    cid = claims.enter_charges(actor, charges_for(billing))
    claims.mark_ready(actor, cid)
    claims.set_status(actor, cid, "submitted")
    one, two = ClaimLine.select().where(ClaimLine.claim == cid).order_by(ClaimLine.line_no)
    close_database()

    # worker k posts line one (k even) or two (k odd): three workers race for each line
    jobs = []
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)
        for k in range(PROCESSES):
            line = one if k % 2 == 0 else two
            amounts = [100 + 7 * k + i for i in range(PAYMENTS_EACH)]
            jobs.append(
                (db_url, barrier, cid, billing.patient, amounts, line.id, line.charge_cents)
            )
        results = pool.starmap(posting_worker, jobs)

    assert not [e for r in results for e in r["errors"]], results
    payer_ok = sum(r["outcomes"].get("payer ok", 0) for r in results)
    taken = [c for r in results for c in r["taken"]]
    assert payer_ok == 2  # one per line; the other four were refused, not added
    assert len(taken) == PROCESSES * PAYMENTS_EACH  # every patient payment landed

    open_database(db_url)
    try:
        patient_payments = Payment.select().where(Payment.kind == "patient")
        assert patient_payments.count() == len(taken)
        assert sum(p.amount_cents for p in patient_payments) == sum(taken)
        applied = (
            PaymentAllocation.select(fn.SUM(PaymentAllocation.amount_cents))
            .join(Payment)
            .where(Payment.kind == "patient")
            .scalar()
            or 0
        )
        credit = sum(p.unapplied_cents for p in patient_payments)
        assert applied + credit == sum(taken)
        claim = Claim.get_by_id(cid)
        lines = list(ClaimLine.select().where(ClaimLine.claim == cid))
        assert all(line.adjudicated for line in lines)
        assert claims.payments.line_invariant_breaks(cid) == []
        owed = sum(
            ln.charge_cents - ln.paid_cents - ln.co_cents - ln.oa_cents - ln.patient_paid_cents
            for ln in lines
        )
        assert claim.balance_cents == owed >= 0
        assert claims.summaries.differences() == []
    finally:
        close_database()
