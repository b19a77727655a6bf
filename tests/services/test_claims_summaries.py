"""The queue's summary lines come from a table the write path keeps, not from a scan:
after every kind of change it equals a full recount, and its size does not grow with
the number of claims."""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui import clock
from medoffice_tui.db.models import Claim, ClaimSummary
from medoffice_tui.services import claims
from medoffice_tui.services.claims import AdjustmentInput as Adj
from medoffice_tui.services.claims import LinePosting, PayerPayment
from medoffice_tui.services.claims.charges import ChargeLineInput

from .test_claims_support import TODAY, billing, charges_for  # noqa: F401 - fixture

__all__ = ["billing"]


def aging_by_scan() -> dict[str, tuple[int, int]]:
    out = {b: [0, 0] for b in claims.AGING_BUCKETS}
    for claim in Claim.select().where(Claim.status.in_(claims.OPEN_CLAIM_STATUSES)):
        slot = out[claims.aging_bucket((clock.today() - claim.service_date).days)]
        slot[0] += 1
        slot[1] += claim.balance_cents
    return {b: (n, c) for b, (n, c) in out.items()}


def test_every_kind_of_change_keeps_the_summary_equal_to_a_recount(billing, staff) -> None:  # noqa: F811
    rng = random.Random(5)
    biller, desk = staff["billing"], staff["front_desk"]
    ids = []
    for age in (1, 29, 30, 31, 45, 60, 61, 90, 91, 120, 121, 300):
        ids.append(
            claims.enter_charges(
                biller,
                charges_for(
                    billing,
                    appointment_id=None,
                    service_date=TODAY - dt.timedelta(days=age),
                    lines=(ChargeLineInput("99213", (), 1, rng.randrange(5000, 20000), (1,)),),
                ),
            )
        )
    assert claims.summaries.differences() == []
    for cid in ids[:8]:
        claims.mark_ready(biller, cid) if (
            TODAY - Claim.get_by_id(cid).service_date
        ).days <= 90 else claims.set_status(biller, cid, "void")
    for cid in ids[:5]:
        claims.set_status(biller, cid, "submitted")
        line = Claim.get_by_id(cid).lines.get()
        paid = line.charge_cents // 2
        claims.post_payer_payment(
            biller,
            PayerPayment(
                cid,
                (
                    LinePosting(
                        line.id,
                        paid,
                        (Adj("CO", "45", line.charge_cents - paid - 500), Adj("PR", "3", 500)),
                    ),
                ),
            ),
        )
    claims.take_patient_payment(desk, billing.patient, 700, "cash")
    claims.write_off(biller, ids[9], "small")
    version = Claim.get_by_id(ids[10]).version
    claims.update_charges(
        biller,
        ids[10],
        charges_for(billing, appointment_id=None, service_date=TODAY - dt.timedelta(days=10)),
        version,
    )
    assert claims.summaries.differences() == []
    assert claims.aging_summary() == aging_by_scan()
    counts = claims.status_counts()
    for status in claims.CLAIM_STATUSES:
        assert counts[status] == Claim.select().where(Claim.status == status).count()


def test_aging_moves_with_the_date_without_any_write(billing, staff) -> None:  # noqa: F811
    cid = claims.enter_charges(
        staff["billing"],
        charges_for(billing, appointment_id=None, service_date=TODAY - dt.timedelta(days=30)),
    )
    assert claims.aging_summary()["0-30"][0] == 1
    assert claims.aging_summary(today=TODAY + dt.timedelta(days=1))["31-60"][0] == 1
    assert Claim.get_by_id(cid).status == "draft"


def test_closed_claims_share_one_row_per_status(billing, staff, fixture_writes) -> None:  # noqa: F811
    for age in range(1, 40):
        cid = claims.enter_charges(
            staff["billing"],
            charges_for(billing, appointment_id=None, service_date=TODAY - dt.timedelta(days=age)),
        )
        claims.set_status(staff["billing"], cid, "void")
    rows = ClaimSummary.select().where(ClaimSummary.status == "void")
    assert rows.count() == 1 and rows.get().claims == 39
    assert claims.summaries.differences() == []
