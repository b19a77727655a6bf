"""Money from the patient, and what the practice writes off.

A patient's payment (cash, card, check with its number) goes to what they owe on the
claim named, then on their other claims oldest first; anything beyond is kept as a
credit on their account (never lost, never a negative balance). A write-off needs the
billing or manager role and a reason; all of what is left -> written off.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.db.models import Adjustment, Claim, ClaimLine, Payment, PaymentAllocation
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import store, summaries
from medoffice_tui.services.claims.line_money import PostingResult, apply_totals, line_due
from medoffice_tui.services.claims.statuses import status_word
from medoffice_tui.services.money import MAX_CENTS, format_money

PATIENT_METHODS = ("cash", "card", "check")
WRITE_OFF_REASONS = {
    "small": "small balance",
    "time": "timely filing limit passed",
    "hard": "financial hardship",
    "debt": "uncollectable (bad debt)",
    "court": "professional courtesy",
    "other": "other",
}


@writes("payment.collect")
def take_patient_payment(
    actor: Actor,
    patient_id: int,
    amount_cents: int,
    method: str,
    reference: str = "",
    claim_id: int | None = None,
    received_on: dt.date | None = None,
) -> PostingResult:
    """A patient's payment: to the named claim, then their other claims oldest first;
    what is left over is held as a credit on their account."""
    if not isinstance(amount_cents, int) or amount_cents <= 0 or amount_cents > MAX_CENTS:
        raise InvalidInput("enter the amount paid", field="amount")
    if method not in PATIENT_METHODS:
        raise InvalidInput("cash, card or check", field="method")
    reference = (reference or "").strip()
    if method == "check" and not reference:
        raise InvalidInput("a check needs its number", field="reference")
    order = [claim_id] if claim_id is not None else []
    others = (
        Claim.select(Claim.id)
        .where(
            (Claim.patient == patient_id)
            & (Claim.balance_cents > 0)
            & Claim.status.not_in(("void", "draft"))
        )
        .order_by(Claim.service_date, Claim.id)
        .tuples()
    )
    order += [cid for (cid,) in others if cid != claim_id]
    now = clock.now()
    payment_id = Payment.insert(
        kind="patient",
        claim=claim_id,
        patient=patient_id,
        payer=None,
        amount_cents=amount_cents,
        method=method,
        reference=reference[:40],
        received_on=received_on or clock.today(),
        posted_at=now,
        posted_by=actor.user_id,
    ).execute()
    left = amount_cents
    applied: dict[int, int] = {}
    last_status, last_balance = "", 0
    for cid in order:
        if left <= 0:
            break
        claim = store.lock_claim(cid)
        if claim.patient_id != patient_id:
            raise InvalidInput("that claim is another patient's", field="claim")
        take = min(left, max(claim.balance_cents, 0))
        if take <= 0:
            continue
        lines = list(ClaimLine.select().where(ClaimLine.claim == cid).order_by(ClaimLine.line_no))
        remaining = take
        # the patient's own share first, then whatever else is still open on the line
        for pass_ in ("share", "rest"):
            for line in lines:
                if remaining <= 0:
                    break
                room = (
                    max(line.pr_cents - line.patient_paid_cents, 0)
                    if pass_ == "share"
                    else line_due(line)
                )
                room = min(room, line_due(line))
                give = min(room, remaining)
                if give <= 0:
                    continue
                line.patient_paid_cents += give
                remaining -= give
                ClaimLine.update(patient_paid_cents=line.patient_paid_cents).where(
                    ClaimLine.id == line.id
                ).execute()
                PaymentAllocation.insert(
                    payment=payment_id, claim=cid, claim_line=line.id, amount_cents=give
                ).execute()
        if remaining > 0:  # a claim from before per-line posting: to the claim itself
            PaymentAllocation.insert(
                payment=payment_id, claim=cid, claim_line=None, amount_cents=remaining
            ).execute()
        before = summaries.snapshot(claim)
        totals = apply_totals(claim, paid=take)
        status = claim.status
        if totals["balance_cents"] == 0 and claim.status in (
            "partially_paid",
            "denied",
            "appealed",
        ):
            status = "paid"
        elif status == "denied":
            status = "partially_paid"  # the patient paid part of a denied claim
        store.save(actor, claim, before, status=status, **totals)
        store.event(
            actor,
            cid,
            "payment",
            f"patient payment ${format_money(take)} ({method})",
            before.status,
            status,
        )
        applied[cid] = take
        left -= take
        last_status, last_balance = status, claim.balance_cents
    if left:
        Payment.update(unapplied_cents=left).where(Payment.id == payment_id).execute()
    audit.record(
        actor,
        "create",
        "payment",
        payment_id,
        patient_id=patient_id,
        fields=("amount", "method"),
        detail=f"{len(applied)} claims" + (", credit kept" if left else ""),
    )
    return PostingResult(claim_id or 0, payment_id, last_status, last_balance, left, applied)


@writes("claim.write_off")
def write_off(
    actor: Actor, claim_id: int, reason: str, amount_cents: int | None = None, note: str = ""
) -> PostingResult:
    """Write off (part of) what is left on a claim; all of it -> written off."""
    if reason not in WRITE_OFF_REASONS:
        raise InvalidInput("choose why it is written off", field="reason")
    claim = store.lock_claim(claim_id)
    if claim.status in ("void", "written_off", "closed"):
        raise InvalidInput(f"a {status_word(claim.status)} claim has nothing to write off")
    amount = claim.balance_cents if amount_cents is None else amount_cents
    if not isinstance(amount, int) or amount <= 0:
        raise InvalidInput("enter the amount to write off", field="amount")
    if amount > claim.balance_cents:
        raise InvalidInput(
            f"only ${format_money(claim.balance_cents)} is left on this claim", field="amount"
        )
    lines = list(ClaimLine.select().where(ClaimLine.claim == claim_id).order_by(ClaimLine.line_no))
    remaining = amount
    now = clock.now()
    for line in lines:
        give = min(max(line_due(line), 0), remaining)
        if give <= 0:
            continue
        line.write_off_cents += give
        remaining -= give
        ClaimLine.update(write_off_cents=line.write_off_cents).where(
            ClaimLine.id == line.id
        ).execute()
        Adjustment.insert(
            claim=claim_id,
            claim_line=line.id,
            payment=None,
            group_code="WO",
            carc=reason[:5],
            amount_cents=give,
            note=(note or WRITE_OFF_REASONS[reason])[:200],
            posted_at=now,
            posted_by=actor.user_id,
        ).execute()
    if remaining:  # a claim from before per-line posting
        Adjustment.insert(
            claim=claim_id,
            claim_line=None,
            payment=None,
            group_code="WO",
            carc=reason[:5],
            amount_cents=remaining,
            note=(note or WRITE_OFF_REASONS[reason])[:200],
            posted_at=now,
            posted_by=actor.user_id,
        ).execute()
    before = summaries.snapshot(claim)
    totals = apply_totals(claim, adjusted=amount)
    status = "written_off" if totals["balance_cents"] == 0 else claim.status
    store.save(actor, claim, before, status=status, **totals)
    store.event(
        actor,
        claim_id,
        "adjustment",
        f"written off ${format_money(amount)}: {WRITE_OFF_REASONS[reason]}",
        before.status,
        status,
    )
    audit.record(
        actor,
        "update",
        "claim",
        claim_id,
        patient_id=claim.patient_id,
        fields=("write_off",),
        detail=WRITE_OFF_REASONS[reason],
    )
    return PostingResult(claim_id, None, status, claim.balance_cents)
