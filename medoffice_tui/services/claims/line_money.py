"""A claim line's money: its balance, whether the payer denied it, the claim's totals
moved by a posting, and the check that every posted line is explained in full.

charge = paid + CO + PR + OA/PI on every line the payer has decided; the line's balance
is charge - paid - CO - OA - patient payments - write-offs, except that a denied line
(nothing paid, nothing the patient's) keeps its whole charge owed until it is appealed
or written off.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medoffice_tui.db.models import Adjustment, Claim, ClaimLine


@dataclass(frozen=True)
class PostingResult:
    claim_id: int
    payment_id: int | None
    status: str
    balance_cents: int
    credit_cents: int = 0
    applied: dict[int, int] = field(default_factory=dict)  # claim id -> cents


def is_denied(line: ClaimLine) -> bool:
    """Posted, nothing paid, nothing the patient's: the payer said no to this line."""
    return bool(
        line.adjudicated
        and line.paid_cents == 0
        and line.pr_cents == 0
        and line.co_cents + line.oa_cents > 0
    )


def reversals(line: ClaimLine) -> list[tuple[str, str, int, str]]:
    """Adjustments that undo a line's denial (the same groups and reasons, negated)."""
    rows = Adjustment.select().where(
        (Adjustment.claim_line == line.id) & Adjustment.group_code.in_(("CO", "OA", "PI"))
    )
    return [(a.group_code, a.carc, -a.amount_cents, a.rarc) for a in rows]


def line_due(line: ClaimLine) -> int:
    if is_denied(line):
        return line.charge_cents - line.patient_paid_cents - line.write_off_cents
    return (
        line.charge_cents
        - line.paid_cents
        - line.co_cents
        - line.oa_cents
        - line.patient_paid_cents
        - line.write_off_cents
    )


def status_after(claim: Claim, lines: list[ClaimLine]) -> str:
    """What the money says the claim's status is now."""
    if claim.balance_cents == 0:
        return "paid"
    if lines and all(line.adjudicated for line in lines):
        paid = sum(line.paid_cents for line in lines)
        owed = sum(line.pr_cents for line in lines)
        if paid == 0 and owed == 0:
            return "denied"
        return "partially_paid"
    if any(line.paid_cents or line.pr_cents for line in lines):
        return "partially_paid"
    return claim.status


def apply_totals(claim: Claim, paid: int = 0, adjusted: int = 0, owed: int = 0) -> dict:
    """The claim's totals moved by deltas (claims from before per-line posting keep theirs)."""
    return {
        "paid_cents": claim.paid_cents + paid,
        "adjustment_cents": claim.adjustment_cents + adjusted,
        "patient_resp_cents": claim.patient_resp_cents + owed,
        "balance_cents": claim.balance_cents - paid - adjusted,
    }


def line_invariant_breaks(claim_id: int | None = None) -> list[int]:
    """Ids of posted lines where charge != paid + CO + PR + OA, or the balance is off."""
    query = ClaimLine.select().where(ClaimLine.adjudicated == True)  # noqa: E712
    if claim_id is not None:
        query = query.where(ClaimLine.claim == claim_id)
    return [
        line.id
        for line in query
        if line.paid_cents + line.co_cents + line.pr_cents + line.oa_cents != line.charge_cents
        or line_due(line) < 0
    ]
