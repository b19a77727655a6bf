"""Backing out a payer's earlier posting: an 835 claim payment with status 22 (reversal).

A reversal repeats the earlier payment with every amount negated (paid, each CAS, each
line). It must match what is on file: each line's paid, contractual, patient and other
amounts come back down by exactly the reversal's amounts and the line returns to "not
yet decided" (all four at zero); anything else is refused (never a half-reversed line).
The claim reopens (*pending*: with the payer again), so the corrected payment that
usually follows in the same 835 posts through the claims' own payment path.

Money moves the way ``claims.payments.post_payer_payment`` moves it: a (negative)
payment row with its per-line allocations and (negative) adjustment rows, the claim's
totals and the claims summary moved by the same deltas, a line in the claim's history
and an audit event, all in one transaction after locking the claim.

This lives here because the claims package has no reversal yet; it uses that package's
own building blocks (``store``, ``summaries``, ``payments._is_denied``) so a posting and
its reversal keep one arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import Adjustment, Claim, ClaimLine, Payment, PaymentAllocation
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import payments, store, summaries
from medoffice_tui.services.claims.statuses import status_word
from medoffice_tui.services.money import format_money

#: statuses a reversal may reopen a claim from
REVERSIBLE = frozenset({"paid", "partially_paid", "denied", "closed", "appealed", "pending"})
_BUCKET = {"CO": "co_cents", "PR": "pr_cents"}


@dataclass(frozen=True)
class LineReversal:
    line_id: int
    paid_cents: int  # negative: what comes off
    adjustments: tuple[tuple[str, str, int], ...]  # (group, carc, negative cents)


@dataclass(frozen=True)
class ReversalResult:
    claim_id: int
    payment_id: int
    status: str
    balance_cents: int
    reversed_cents: int


def whole_claim(claim_id: int) -> list[LineReversal]:
    """A reversal of everything the payer posted on the claim (a claim-level reversal)."""
    out = []
    for line in ClaimLine.select().where(ClaimLine.claim == claim_id).order_by(ClaimLine.line_no):
        if not line.adjudicated:
            continue
        rows = (
            Adjustment.select(Adjustment.group_code, Adjustment.carc, Adjustment.amount_cents)
            .where(
                (Adjustment.claim_line == line.id)
                & Adjustment.group_code.in_(("CO", "PR", "OA", "PI"))
            )
            .tuples()
        )
        net: dict[tuple[str, str], int] = {}
        for group, carc, cents in rows:
            net[(group, carc)] = net.get((group, carc), 0) + cents
        out.append(
            LineReversal(
                line.id,
                -line.paid_cents,
                tuple((g, c, -v) for (g, c), v in net.items() if v),
            )
        )
    return out


@writes("payment.post")
def reverse_payer_posting(
    actor: Actor,
    claim_id: int,
    lines: list[LineReversal],
    reference: str = "",
    received_on: dt.date | None = None,
    method: str = "eft",
) -> ReversalResult:
    """Take a payer's earlier posting back off the claim's lines; reopen the claim."""
    claim = store.lock_claim(claim_id)
    if claim.status not in REVERSIBLE:
        raise InvalidInput(f"a {status_word(claim.status)} claim has no payer posting to reverse")
    if not lines:
        raise InvalidInput("the reversal names no line of this claim")
    on_file = {line.id: line for line in ClaimLine.select().where(ClaimLine.claim == claim.id)}
    paid_total = adjusted_total = owed_total = 0
    planned: list[tuple[ClaimLine, dict, LineReversal]] = []
    for rev in lines:
        line = on_file.get(rev.line_id)
        if line is None:
            raise InvalidInput("the reversal names a line that is not on this claim")
        was_denied = payments._is_denied(line)
        after = {
            "paid_cents": line.paid_cents + rev.paid_cents,
            "co_cents": line.co_cents,
            "pr_cents": line.pr_cents,
            "oa_cents": line.oa_cents,
        }
        for group, _carc, cents in rev.adjustments:
            after[_BUCKET.get(group, "oa_cents")] += cents
        if any(value != 0 for value in after.values()):
            raise InvalidInput(
                f"line {line.line_no}: the reversal does not match what was posted "
                f"(${format_money(line.paid_cents)} paid on file)",
                field=f"line{line.line_no}",
            )
        planned.append((line, after, rev))
        paid_total += rev.paid_cents
        owed_total += -line.pr_cents
        # a denial's adjustments never counted in the claim's totals (payments.py)
        if not was_denied:
            adjusted_total += -(line.co_cents + line.oa_cents)
    now = clock.now()
    payment_id = Payment.insert(
        kind="insurance",
        claim=claim.id,
        patient=claim.patient_id,
        payer=claim.payer_id,
        amount_cents=paid_total,
        method=method if method in payments.PAYER_METHODS else "eft",
        reference=(reference or "").strip()[:40],
        received_on=received_on or clock.today(),
        posted_at=now,
        posted_by=actor.user_id,
    ).execute()
    for line, after, rev in planned:
        ClaimLine.update(**after, allowed_cents=0, adjudicated=False).where(
            ClaimLine.id == line.id
        ).execute()
        for key, value in after.items():
            setattr(line, key, value)
        line.adjudicated = False
        if rev.paid_cents:
            PaymentAllocation.insert(
                payment=payment_id, claim=claim.id, claim_line=line.id, amount_cents=rev.paid_cents
            ).execute()
        for group, carc, cents in rev.adjustments:
            Adjustment.insert(
                claim=claim.id,
                claim_line=line.id,
                payment=payment_id,
                group_code=group,
                carc=carc[:5],
                amount_cents=cents,
                note="reversal",
                posted_at=now,
                posted_by=actor.user_id,
            ).execute()
    before = summaries.snapshot(claim)
    totals = {
        "paid_cents": claim.paid_cents + paid_total,
        "adjustment_cents": claim.adjustment_cents + adjusted_total,
        "patient_resp_cents": claim.patient_resp_cents + owed_total,
        "balance_cents": claim.balance_cents - paid_total - adjusted_total,
    }
    from_status = claim.status
    store.save(actor, claim, before, status="pending", **totals)
    store.event(
        actor,
        claim.id,
        "payment",
        f"payer reversal ${format_money(-paid_total)} {(reference or '').strip()}".strip(),
        from_status,
        "pending",
    )
    audit.record(
        actor,
        "create",
        "payment",
        payment_id,
        patient_id=claim.patient_id,
        fields=("paid", "adjustments"),
        detail=f"reversal, claim {claim.id}",
    )
    refreshed = Claim.get_by_id(claim.id)
    return ReversalResult(claim.id, payment_id, "pending", refreshed.balance_cents, -paid_total)


__all__ = ["REVERSIBLE", "LineReversal", "ReversalResult", "reverse_payer_posting", "whole_claim"]
