"""Money from the payer: a payment (or denial) posted line by line.

A payer posting says, per claim line, what was paid and every adjustment with its group
(CO contractual, PR patient responsibility with CARC 1 deductible / 2 coinsurance /
3 copay, OA other, PI payer-initiated) and reason; the posting must explain the whole
charge, so on every posted line charge = paid + CO + PR + OA/PI. A line already posted
takes only a posting that keeps that true (a second payment of the same line is
refused, never added twice). Paid, part paid and denied follow: nothing left to collect
-> paid; money or patient responsibility but a balance left -> part paid; nothing paid
and nothing owed by the patient -> denied.

A patient's payment and a write-off: ``patient_payments.py`` (re-exported here); a
line's money rules: ``line_money.py``.

Every posting locks the claim first (``store.lock_claim``), so desks posting to one
claim at once run one after another and none is lost. Money is whole cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import Adjustment, ClaimLine, Payment, PaymentAllocation
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import store, summaries
from medoffice_tui.services.claims.line_money import (
    PostingResult,
    apply_totals,
    is_denied,
    line_due,
    line_invariant_breaks,
    reversals,
    status_after,
)
from medoffice_tui.services.claims.reason_codes import CARC
from medoffice_tui.services.claims.statuses import POSTABLE_STATUSES, status_word
from medoffice_tui.services.money import MAX_CENTS, format_money

PAYER_GROUPS = ("CO", "PR", "OA", "PI")
PAYER_METHODS = ("eft", "check")
#: patient responsibility reasons: deductible, coinsurance, copay
PR_REASONS = {"1": "deductible", "2": "coinsurance", "3": "copay"}


@dataclass(frozen=True)
class AdjustmentInput:
    group: str
    carc: str
    amount_cents: int
    rarc: str = ""


@dataclass(frozen=True)
class LinePosting:
    line_id: int
    paid_cents: int
    adjustments: tuple[AdjustmentInput, ...] = ()
    allowed_cents: int | None = None


@dataclass(frozen=True)
class PayerPayment:
    claim_id: int
    lines: tuple[LinePosting, ...]
    reference: str = ""  # the check or EFT trace number
    method: str = "eft"
    received_on: dt.date | None = None


def _check_amount(cents: int, what: str, field_name: str, *, negative: bool = False) -> None:
    if not isinstance(cents, int):
        raise InvalidInput(f"{what}: whole cents only", field=field_name)
    if (cents < 0 and not negative) or abs(cents) > MAX_CENTS:
        raise InvalidInput(f"{what}: not an amount that can be posted", field=field_name)


@writes("payment.post")
def post_payer_payment(actor: Actor, payment: PayerPayment) -> PostingResult:
    """Post a payer's payment or denial to a claim's lines (an 835 gives the same)."""
    claim = store.lock_claim(payment.claim_id)
    if claim.status not in POSTABLE_STATUSES:
        raise InvalidInput(
            f"a {status_word(claim.status)} claim has not reached the payer: mark it sent first"
        )
    if payment.method not in PAYER_METHODS:
        raise InvalidInput("a payer pays by EFT or check", field="method")
    if not payment.lines:
        raise InvalidInput("post at least one line", field="line1")
    lines = {line.id: line for line in ClaimLine.select().where(ClaimLine.claim == claim.id)}
    seen: set[int] = set()
    total_paid = total_adjusted = total_owed = 0
    changes: list[tuple[ClaimLine, dict, list[AdjustmentInput], int]] = []
    for posting in payment.lines:
        line = lines.get(posting.line_id)
        if line is None or posting.line_id in seen:
            raise InvalidInput("a posted line is not on this claim (or is posted twice)")
        seen.add(posting.line_id)
        where = f"line{line.line_no}"
        _check_amount(posting.paid_cents, f"line {line.line_no} paid", where, negative=True)
        adds = {"paid_cents": posting.paid_cents, "co_cents": 0, "pr_cents": 0, "oa_cents": 0}
        for adj in posting.adjustments:
            group = adj.group.strip().upper()
            if group not in PAYER_GROUPS:
                raise InvalidInput(
                    f"line {line.line_no}: the group is CO, PR, OA or PI", field=where
                )
            if not adj.carc.strip() or len(adj.carc.strip()) > 5:
                raise InvalidInput(
                    f"line {line.line_no}: each adjustment needs its reason code", field=where
                )
            if (
                group == "PR"
                and adj.carc.strip() not in PR_REASONS
                and adj.carc.strip() not in CARC
            ):
                raise InvalidInput(
                    f"line {line.line_no}: patient responsibility is 1 deductible, "
                    "2 coinsurance or 3 copay",
                    field=where,
                )
            _check_amount(adj.amount_cents, f"line {line.line_no} adjustment", where, negative=True)
            key = {"CO": "co_cents", "PR": "pr_cents"}.get(group, "oa_cents")
            adds[key] += adj.amount_cents
        # a denied line taking a new decision (an appeal won): the denial is reversed first
        was_denied = is_denied(line)
        base = {
            k: 0 if was_denied and k in ("co_cents", "oa_cents") else getattr(line, k) for k in adds
        }
        after = {k: base[k] + v for k, v in adds.items()}
        explained = sum(after.values())
        if explained != line.charge_cents:
            left = line.charge_cents - explained
            words = "left unexplained" if left > 0 else "more than the charge"
            raise InvalidInput(
                f"line {line.line_no} does not balance: ${format_money(abs(left))} {words} "
                "(charge = paid + contractual + patient + other)",
                field=where,
            )
        if after["paid_cents"] < 0 or after["pr_cents"] < 0:
            raise InvalidInput(
                f"line {line.line_no}: this would take back more than was posted", field=where
            )
        allowed = posting.allowed_cents
        if allowed is None:
            allowed = after["paid_cents"] + after["pr_cents"]
        changes.append(
            (
                line,
                {**after, "allowed_cents": allowed, "adjudicated": True},
                list(posting.adjustments)
                + ([AdjustmentInput(*r) for r in reversals(line)] if was_denied else []),
                adds["paid_cents"],
            )
        )
        now_denied = after["paid_cents"] == 0 and after["pr_cents"] == 0
        # a denial's adjustments are kept (and shown) but leave the balance owed until the
        # claim is appealed or written off
        total_adjusted += (0 if now_denied else after["co_cents"] + after["oa_cents"]) - (
            0 if was_denied else line.co_cents + line.oa_cents
        )
        total_paid += adds["paid_cents"]
        total_owed += adds["pr_cents"]
    now = clock.now()
    payment_id = Payment.insert(
        kind="insurance",
        claim=claim.id,
        patient=claim.patient_id,
        payer=claim.payer_id,
        amount_cents=total_paid,
        method=payment.method,
        reference=payment.reference.strip()[:40],
        received_on=payment.received_on or clock.today(),
        posted_at=now,
        posted_by=actor.user_id,
    ).execute()
    for line, values, adjustments, paid_now in changes:
        ClaimLine.update(**values).where(ClaimLine.id == line.id).execute()
        for key, value in values.items():
            setattr(line, key, value)
        if paid_now:
            PaymentAllocation.insert(
                payment=payment_id, claim=claim.id, claim_line=line.id, amount_cents=paid_now
            ).execute()
        for adj in adjustments:
            Adjustment.insert(
                claim=claim.id,
                claim_line=line.id,
                payment=payment_id,
                group_code=adj.group.strip().upper(),
                carc=adj.carc.strip().upper(),
                rarc=adj.rarc.strip().upper()[:8],
                amount_cents=adj.amount_cents,
                note="",
                posted_at=now,
                posted_by=actor.user_id,
            ).execute()
    released = _release_overpaid(claim.id, list(lines.values()))
    before = summaries.snapshot(claim)
    totals = apply_totals(claim, total_paid - released, total_adjusted, total_owed)
    for key, value in totals.items():
        setattr(claim, key, value)
    status = status_after(claim, list(lines.values()))
    from_status = claim.status
    store.save(actor, claim, before, status=status, **totals)
    store.event(
        actor,
        claim.id,
        "payment",
        f"payer payment ${format_money(total_paid)} {payment.reference.strip()}".strip(),
        from_status,
        status,
    )
    audit.record(
        actor,
        "create",
        "payment",
        payment_id,
        patient_id=claim.patient_id,
        fields=("paid", "adjustments"),
        detail=f"claim {claim.id}",
    )
    return PostingResult(claim.id, payment_id, status, claim.balance_cents)


def _release_overpaid(claim_id: int, lines: list[ClaimLine]) -> int:
    """Patient money a payer posting left a line without use for (the patient paid before
    the payer decided): moved to the claim's other open lines, the rest back to the
    patient's credit. Returns the cents taken off the claim."""
    released = 0
    for line in sorted(lines, key=lambda ln: ln.line_no):
        excess = -line_due(line)
        if excess <= 0:
            continue
        allocations = (
            PaymentAllocation.select()
            .join(Payment)
            .where((PaymentAllocation.claim_line == line.id) & (Payment.kind == "patient"))
            .order_by(PaymentAllocation.id.desc())
        )
        for allocation in allocations:
            if excess <= 0:
                break
            take = min(excess, allocation.amount_cents)
            excess -= take
            line.patient_paid_cents -= take
            PaymentAllocation.update(amount_cents=allocation.amount_cents - take).where(
                PaymentAllocation.id == allocation.id
            ).execute()
            for other in sorted(lines, key=lambda ln: ln.line_no):
                room = line_due(other) if other.id != line.id else 0
                give = min(room, take)
                if give > 0:
                    other.patient_paid_cents += give
                    take -= give
                    ClaimLine.update(patient_paid_cents=other.patient_paid_cents).where(
                        ClaimLine.id == other.id
                    ).execute()
                    PaymentAllocation.insert(
                        payment=allocation.payment_id,
                        claim=claim_id,
                        claim_line=other.id,
                        amount_cents=give,
                    ).execute()
            if take:
                Payment.update(unapplied_cents=Payment.unapplied_cents + take).where(
                    Payment.id == allocation.payment_id
                ).execute()
                released += take
        ClaimLine.update(patient_paid_cents=line.patient_paid_cents).where(
            ClaimLine.id == line.id
        ).execute()
    return released


#: the names callers used before ``line_money`` held them (services/x12 reads _is_denied)
_is_denied = is_denied
_line_due = line_due

# what callers had from here before the split (the patient's side has its own module)
from medoffice_tui.services.claims.patient_payments import (  # noqa: E402
    PATIENT_METHODS,
    WRITE_OFF_REASONS,
    take_patient_payment,
    write_off,
)

__all__ = [
    "PATIENT_METHODS",
    "PAYER_GROUPS",
    "WRITE_OFF_REASONS",
    "AdjustmentInput",
    "LinePosting",
    "PayerPayment",
    "PostingResult",
    "line_invariant_breaks",
    "post_payer_payment",
    "take_patient_payment",
    "write_off",
]
