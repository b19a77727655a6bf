"""Money in: a payer's payment (or denial) per line, a patient's payment, a write-off.

A payer posting says, per claim line, what was paid and every adjustment with its group
(CO contractual, PR patient responsibility with CARC 1 deductible / 2 coinsurance /
3 copay, OA other, PI payer-initiated) and reason; the posting must explain the whole
charge, so on every posted line charge = paid + CO + PR + OA/PI. A line already posted
takes only a posting that keeps that true (a second payment of the same line is
refused, never added twice). Paid, part paid and denied follow: nothing left to collect
-> paid; money or patient responsibility but a balance left -> part paid; nothing paid
and nothing owed by the patient -> denied.

A patient's payment (cash, card, check with its number) goes to what they owe on the
claim named, then on their other claims oldest first; anything beyond is kept as a
credit on their account (never lost, never a negative balance). A write-off needs the
billing or manager role and a reason.

Every posting locks the claim first (``store.lock_claim``), so desks posting to one
claim at once run one after another and none is lost. Money is whole cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from medoffice_tui import clock
from medoffice_tui.db.models import Adjustment, Claim, ClaimLine, Payment, PaymentAllocation
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import store, summaries
from medoffice_tui.services.claims.reason_codes import CARC
from medoffice_tui.services.claims.statuses import POSTABLE_STATUSES, status_word
from medoffice_tui.services.money import MAX_CENTS, format_money

PAYER_GROUPS = ("CO", "PR", "OA", "PI")
PATIENT_METHODS = ("cash", "card", "check")
PAYER_METHODS = ("eft", "check")
#: patient responsibility reasons: deductible, coinsurance, copay
PR_REASONS = {"1": "deductible", "2": "coinsurance", "3": "copay"}
WRITE_OFF_REASONS = {
    "small": "small balance",
    "time": "timely filing limit passed",
    "hard": "financial hardship",
    "debt": "uncollectable (bad debt)",
    "court": "professional courtesy",
    "other": "other",
}


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


@dataclass(frozen=True)
class PostingResult:
    claim_id: int
    payment_id: int | None
    status: str
    balance_cents: int
    credit_cents: int = 0
    applied: dict[int, int] = field(default_factory=dict)  # claim id -> cents


def _status_after(claim: Claim, lines: list[ClaimLine]) -> str:
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


def _apply_totals(claim: Claim, paid: int = 0, adjusted: int = 0, owed: int = 0) -> dict:
    """The claim's totals moved by deltas (claims from before per-line posting keep theirs)."""
    return {
        "paid_cents": claim.paid_cents + paid,
        "adjustment_cents": claim.adjustment_cents + adjusted,
        "patient_resp_cents": claim.patient_resp_cents + owed,
        "balance_cents": claim.balance_cents - paid - adjusted,
    }


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
        was_denied = _is_denied(line)
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
                list(posting.adjustments) + (_reversals(line) if was_denied else []),
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
    totals = _apply_totals(claim, total_paid - released, total_adjusted, total_owed)
    for key, value in totals.items():
        setattr(claim, key, value)
    status = _status_after(claim, list(lines.values()))
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
        excess = -_line_due(line)
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
                room = _line_due(other) if other.id != line.id else 0
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


def _is_denied(line: ClaimLine) -> bool:
    """Posted, nothing paid, nothing the patient's: the payer said no to this line."""
    return bool(
        line.adjudicated
        and line.paid_cents == 0
        and line.pr_cents == 0
        and line.co_cents + line.oa_cents > 0
    )


def _reversals(line: ClaimLine) -> list[AdjustmentInput]:
    """Adjustments that undo a line's denial (the same groups and reasons, negated)."""
    rows = Adjustment.select().where(
        (Adjustment.claim_line == line.id) & Adjustment.group_code.in_(("CO", "OA", "PI"))
    )
    return [AdjustmentInput(a.group_code, a.carc, -a.amount_cents, a.rarc) for a in rows]


def _line_due(line: ClaimLine) -> int:
    if _is_denied(line):
        return line.charge_cents - line.patient_paid_cents - line.write_off_cents
    return (
        line.charge_cents
        - line.paid_cents
        - line.co_cents
        - line.oa_cents
        - line.patient_paid_cents
        - line.write_off_cents
    )


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
                    else _line_due(line)
                )
                room = min(room, _line_due(line))
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
        totals = _apply_totals(claim, paid=take)
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
        give = min(max(_line_due(line), 0), remaining)
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
    totals = _apply_totals(claim, adjusted=amount)
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


def line_invariant_breaks(claim_id: int | None = None) -> list[int]:
    """Ids of posted lines where charge != paid + CO + PR + OA, or the balance is off."""
    query = ClaimLine.select().where(ClaimLine.adjudicated == True)  # noqa: E712
    if claim_id is not None:
        query = query.where(ClaimLine.claim == claim_id)
    return [
        line.id
        for line in query
        if line.paid_cents + line.co_cents + line.pr_cents + line.oa_cents != line.charge_cents
        or _line_due(line) < 0
    ]
