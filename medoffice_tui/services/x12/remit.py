"""Posting an 835: remittances in, money on the claims, a report of what happened.

The file is checked whole before anything is written: it must read as X12 and pass
pyx12 with zero errors, or it is refused (:class:`~medoffice_tui.services.x12.reports.
FileRefused`) with every fault's segment and line, and nothing is posted.

Then, per transaction set (one check or EFT):

- the remittance is recorded with its provider-level adjustments (PLB: against the
  remittance, never a claim) and one row per claim payment, in one transaction; a file
  read before (same SHA-256), or a remittance read before from another file (same payer,
  trace number, amount and date), posts nothing again;
- each claim payment is matched to a claim (the patient control number CLP01 is our
  claim number; else the payer's claim number CLP07), its service lines to the claim's
  lines (the REF*6R line id the 837P sent, else code, modifiers and charge), and posted
  in a transaction of its own through the claims' payment service: payments, every CAS
  reason/amount per line, claim-level adjustments spread over the lines they belong to,
  denials (CLP02 = 4); a reversal (CLP02 = 22) backs the earlier posting out and reopens
  the claim; a predetermination (25) or a claim forwarded elsewhere (23) is noted on the
  claim, nothing posted;
- what cannot be matched or posted is recorded with the reason, and stays open to post
  by hand; the check/EFT total (BPR02) is compared with what was posted less the PLB.

A crash in the middle leaves the remittance half posted: reading the file again posts
the rest (each claim payment is taken by one desk only, once).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peewee import IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.models import (
    Adjustment,
    Claim,
    ClaimLine,
    PlbAdjustment,
    RemitClaim,
    Remittance,
    X12File,
)
from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, writes
from medoffice_tui.services.claims import history
from medoffice_tui.services.claims.payments import (
    PR_REASONS,
    AdjustmentInput,
    LinePosting,
    PayerPayment,
    PostingResult,
    post_payer_payment,
)
from medoffice_tui.services.claims.reason_codes import CARC
from medoffice_tui.services.claims.statuses import status_word
from medoffice_tui.services.money import format_money
from medoffice_tui.services.x12 import envelope, reversal, segments, x835
from medoffice_tui.services.x12.reports import (
    ClaimOutcome,
    FileRefused,
    FileReport,
    PlbLine,
    RemittanceReport,
)
from medoffice_tui.services.x12.segments import Fault, X12ReadError
from medoffice_tui.services.x12.validation import validate_text

ProgressFn = Callable[[str, int, int], None]

#: CLP02 values that carry a payer's decision to post
DECIDED = frozenset({"1", "2", "3", "4", "19", "20", "21"})
#: CLP02 values that are only information
INFORMATION = frozenset({"23", "25"})
#: CAS groups as the claims' payment service knows them (CR: 4010's corrections)
GROUP_FOR_POSTING = {"CO": "CO", "PR": "PR", "OA": "OA", "PI": "PI", "CR": "OA"}


class _NotPosted(InvalidInput):
    """A claim payment that cannot be matched or posted (kept, with the reason)."""

    def __init__(self, message: str, outcome: str = "unmatched", claim_id: int | None = None):
        super().__init__(message)
        self.outcome = outcome
        self.claim_id = claim_id


# ----------------------------------------------------------------- reading the file


def read_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(file name, text) of a file on disk; X12 is ASCII, anything else is kept readable."""
    path = Path(source).expanduser()
    if not path.is_file():
        raise InvalidInput(f"no file {path.name}", field="file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return path.name, text


def checked_document(
    name: str, text: str, kind: str
) -> tuple[segments.Document, tuple[Fault, ...]]:
    """The file as segments, after pyx12 (refused whole on any fault)."""
    try:
        document = segments.read(text)
    except X12ReadError as error:
        raise FileRefused(
            FileReport(name, kind, None, faults=(Fault(error.segment, error.line, _plain(error)),))
        ) from None
    line_of = {seg.number: seg.line for seg in document.segments}
    result = validate_text(text, line_of=line_of)
    if not result.ok:
        raise FileRefused(FileReport(name, kind, None, faults=result.faults))
    return document, result.faults


def _plain(error: X12ReadError) -> str:
    text = str(error)
    prefix = f"{error.segment} at line {error.line}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


# ----------------------------------------------------------------- matching


def match_claim(payment: x835.ClaimPayment) -> Claim:
    """The claim a claim payment is for, or _NotPosted with the reason."""
    number = payment.patient_control.strip()
    claim = Claim.get_or_none(Claim.claim_number == number)
    if claim is None and number.upper() != number:
        claim = Claim.get_or_none(Claim.claim_number == number.upper())
    payer_number = payment.payer_claim_number.strip()
    if claim is None and payer_number:
        claim = Claim.get_or_none(Claim.payer_claim_number == payer_number)
        if claim is None:
            earlier = (
                RemitClaim.select(RemitClaim.claim)
                .where(
                    (RemitClaim.payer_claim_number == payer_number)
                    & RemitClaim.claim.is_null(False)
                )
                .order_by(RemitClaim.id.desc())
                .scalar()
            )
            if earlier:
                claim = Claim.get_or_none(Claim.id == earlier)
    if claim is None:
        raise _NotPosted(
            "no claim has this patient control number"
            + (" or payer claim number" if payer_number else "")
        )
    if abs(payment.charge_cents) != claim.total_charge_cents:
        raise _NotPosted(
            f"the payer's charge ${format_money(abs(payment.charge_cents))} is not the claim's "
            f"${format_money(claim.total_charge_cents)}",
            claim_id=claim.id,
        )
    return claim


def match_services(
    lines: list[ClaimLine], services: tuple[x835.ServicePayment, ...], *, negate: bool = False
) -> list[tuple[ClaimLine, x835.ServicePayment]]:
    """Each service line of the payment with the claim line it is about."""
    free = list(lines)
    by_id = {f"L{line.id}": line for line in lines}
    pairs: list[tuple[ClaimLine, x835.ServicePayment]] = []
    sign = -1 if negate else 1
    for number, svc in enumerate(services, 1):
        found = by_id.get(svc.line_ref) if svc.line_ref else None
        if found is not None and found not in free:
            found = None
        if found is None:
            mods = ",".join(svc.modifiers)
            codes = {svc.code, svc.original_code} - {""}
            candidates = [ln for ln in free if ln.procedure_code in codes]
            found = next(
                (
                    ln
                    for ln in candidates
                    if ln.charge_cents == sign * svc.charge_cents and ln.modifiers == mods
                ),
                None,
            ) or next((ln for ln in candidates if ln.charge_cents == sign * svc.charge_cents), None)
        if found is None:
            raise _NotPosted(
                f"its service line {number} ({svc.code} ${format_money(abs(svc.charge_cents))}) "
                "is not on the claim"
            )
        free.remove(found)
        pairs.append((found, svc))
    return pairs


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` cents over ``weights`` (largest remainder; exact to the cent)."""
    if not weights:
        return []
    base = sum(weights)
    if base <= 0:
        weights, base = [1] * len(weights), len(weights)
    magnitude, sign = abs(total), (-1 if total < 0 else 1)
    raw = [magnitude * w // base for w in weights]
    rest = magnitude - sum(raw)
    order = sorted(range(len(weights)), key=lambda i: -(magnitude * weights[i] % base))
    for i in order[:rest]:
        raw[i] += 1
    return [sign * r for r in raw]


def _adjustment(item: x835.CasItem, cents: int, remark: str = "") -> AdjustmentInput:
    return AdjustmentInput(GROUP_FOR_POSTING.get(item.group, "OA"), item.reason, cents, remark)


def line_postings(claim: Claim, payment: x835.ClaimPayment) -> tuple[LinePosting, ...]:
    """The claim payment as the claims' payment service takes it, line by line."""
    lines = list(ClaimLine.select().where(ClaimLine.claim == claim.id).order_by(ClaimLine.line_no))
    if payment.services:
        pairs = match_services(lines, payment.services)
        paid = {line.id: svc.paid_cents for line, svc in pairs}
        extra: dict[int, list[AdjustmentInput]] = {line.id: [] for line, _ in pairs}
        weights = [max(svc.paid_cents, 0) for _, svc in pairs]
        if not any(weights):
            weights = [max(svc.charge_cents, 0) for _, svc in pairs]
        for item in payment.adjustments:  # claim level: spread over the lines paid
            for (line, _svc), share in zip(pairs, _split(item.cents, weights), strict=True):
                if share:
                    paid[line.id] -= share
                    extra[line.id].append(_adjustment(item, share))
        postings = []
        for line, svc in pairs:
            remark = svc.remarks[0] if svc.remarks else ""
            adjustments = [_adjustment(a, a.cents, remark) for a in svc.adjustments]
            postings.append(
                LinePosting(
                    line.id, paid[line.id], tuple(adjustments + extra[line.id]), svc.allowed_cents
                )
            )
        return tuple(postings)
    # claim level only: the payment, then each adjustment, spread over the lines in
    # proportion to what is left of each line's charge (exact to the cent: the last
    # amount fills every line), so no line looks denied while the claim was paid
    amounts = [payment.paid_cents] + [item.cents for item in payment.adjustments]
    if any(cents < 0 for cents in amounts):
        raise _NotPosted(
            "a claim-level amount is negative and the payment names no service lines: "
            "post it by hand",
            outcome="refused",
            claim_id=claim.id,
        )
    if sum(amounts) != sum(line.charge_cents for line in lines):
        raise _NotPosted(
            "the payment does not explain the claim's charge line by line",
            outcome="refused",
            claim_id=claim.id,
        )
    room = [line.charge_cents for line in lines]
    got_paid = _split(payment.paid_cents, room)
    room = [r - p for r, p in zip(room, got_paid, strict=True)]
    got_adj: list[list[AdjustmentInput]] = [[] for _ in lines]
    for item in payment.adjustments:
        shares = _split(item.cents, room)
        for index, share in enumerate(shares):
            if share:
                got_adj[index].append(_adjustment(item, share))
                room[index] -= share
    return tuple(
        LinePosting(line.id, got_paid[i], tuple(got_adj[i])) for i, line in enumerate(lines)
    )


def reversal_lines(claim: Claim, payment: x835.ClaimPayment) -> list[reversal.LineReversal]:
    if not payment.services:
        return reversal.whole_claim(claim.id)
    lines = list(ClaimLine.select().where(ClaimLine.claim == claim.id))
    out = []
    pairs = match_services(lines, payment.services, negate=True)
    for line, svc in pairs:
        out.append(
            reversal.LineReversal(
                line.id,
                svc.paid_cents,
                tuple(
                    (GROUP_FOR_POSTING.get(a.group, "OA"), a.reason, a.cents)
                    for a in svc.adjustments
                ),
            )
        )
    # claim-level adjustments of a reversal go back onto the lines' own reasons
    for item in payment.adjustments:
        out = _reverse_claim_level(out, item)
    return out


def _reverse_claim_level(
    out: list[reversal.LineReversal], item: x835.CasItem
) -> list[reversal.LineReversal]:
    weights = [abs(r.paid_cents) for r in out]
    shares = _split(item.cents, weights)
    group = GROUP_FOR_POSTING.get(item.group, "OA")
    return [
        reversal.LineReversal(
            r.line_id, r.paid_cents - share, r.adjustments + ((group, item.reason, share),)
        )
        if share
        else r
        for r, share in zip(out, shares, strict=True)
    ]


# ----------------------------------------------------------------- writing

#: what the claims' payment service accepts as a patient-responsibility reason
_PLACEHOLDER_PR = "1"


def _pr_outside_list(adj: AdjustmentInput) -> bool:
    carc = adj.carc.strip()
    return adj.group == "PR" and carc not in PR_REASONS and carc not in CARC


@inside_write
def post_payment(actor: Actor, payment: PayerPayment) -> PostingResult:
    """Post through the claims' payment service (inside the caller's write).

    That service takes patient responsibility only with the reasons a desk types (1
    deductible, 2 coinsurance, 3 copay and its listed CARCs): a guard against typing
    errors. A payer's 835 may use any CARC there (PR-32, PR-42 ...), and that is the
    payer's word: such a line is posted with a listed reason, whose amount lands in the
    same patient-responsibility bucket, and the payer's own reason code is written onto
    those adjustment rows in the same transaction. The money takes the one path.
    """
    real: dict[tuple[int, int], str] = {}
    lines = []
    for posting in payment.lines:
        adjustments = []
        for index, adj in enumerate(posting.adjustments):
            if _pr_outside_list(adj):
                real[(posting.line_id, index)] = adj.carc.strip().upper()[:5]
                adj = AdjustmentInput(adj.group, _PLACEHOLDER_PR, adj.amount_cents, adj.rarc)
            adjustments.append(adj)
        lines.append(
            LinePosting(
                posting.line_id, posting.paid_cents, tuple(adjustments), posting.allowed_cents
            )
        )
    if not real:
        return post_payer_payment(actor, payment)
    result = post_payer_payment(
        actor,
        PayerPayment(
            payment.claim_id, tuple(lines), payment.reference, payment.method, payment.received_on
        ),
    )
    rows: dict[int, list[Adjustment]] = {}
    for row in (
        Adjustment.select().where(Adjustment.payment == result.payment_id).order_by(Adjustment.id)
    ):
        rows.setdefault(row.claim_line_id, []).append(row)
    for (line_id, index), carc in real.items():
        row = rows[line_id][index]  # inserted in the order the posting listed them
        Adjustment.update(carc=carc).where(Adjustment.id == row.id).execute()
    return result


def _method(remit: x835.Remittance835) -> str:
    return "check" if remit.method == "CHK" else "eft"


@dataclass
class _Planned:
    file_id: int
    remittance_ids: dict[str, int]  # ST02 -> remittance id (posting here)
    already: dict[str, str]  # ST02 -> "posted from file X on date"


@writes("payment.post")
def _record_file(actor: Actor, name: str, sha: str, remits: list[x835.Remittance835]) -> _Planned:
    existing = X12File.get_or_none((X12File.direction == "in") & (X12File.sha256 == sha))
    if existing is not None:
        file_id = existing.id
    else:
        first = remits[0]
        file_id = X12File.insert(
            direction="in",
            kind="835",
            name=name[:255],
            sha256=sha,
            interchange=first.interchange[:9],
            group_control=first.group_control[:9],
            sender_id=first.sender[:15],
            claims=sum(len(r.claims) for r in remits),
            status="posting",
            at=clock.now(),
            by=actor.user_id,
        ).execute()
        audit.record(
            actor,
            "create",
            "x12_file",
            file_id,
            fields=("remittances",),
            detail=f"835 {len(remits)} payments",
        )
    planned = _Planned(file_id, {}, {})
    for remit in remits:
        found = Remittance.get_or_none(Remittance.key == remit.key)
        if found is not None:
            if found.file_id != file_id:
                earlier = X12File.get_by_id(found.file_id)
                planned.already[remit.st_control] = (
                    f"posted already from {earlier.name} on {earlier.at:%m/%d/%Y}"
                )
                continue
            planned.remittance_ids[remit.st_control] = found.id
            continue
        remit_id = Remittance.insert(
            file=file_id,
            st_control=remit.st_control[:9],
            key=remit.key,
            payer_name=remit.payer_name[:60],
            payer_ident=(remit.payer_ident or remit.payer_id)[:50],
            trace_number=remit.trace_number[:50],
            method=remit.method[:3],
            paid_cents=remit.paid_cents,
            paid_on=remit.paid_on,
            claims_cents=remit.claims_cents,
            plb_cents=remit.plb_cents,
            status="posting",
            at=clock.now(),
        ).execute()
        planned.remittance_ids[remit.st_control] = remit_id
        for seq, payment in enumerate(remit.claims, 1):
            RemitClaim.insert(
                remittance=remit_id,
                seq=seq,
                segment=payment.segment.number,
                patient_control=payment.patient_control[:38],
                payer_claim_number=payment.payer_claim_number[:50],
                status_code=payment.status[:2],
                charge_cents=payment.charge_cents,
                paid_cents=payment.paid_cents,
                patient_resp_cents=payment.patient_resp_cents,
            ).execute()
        for item in remit.plb:
            PlbAdjustment.insert(
                remittance=remit_id,
                provider_ident=item.provider_ident[:50],
                fiscal_period=item.fiscal_period,
                reason=item.reason[:2],
                reference=item.reference[:50],
                amount_cents=item.cents,
            ).execute()
    return planned


@writes("payment.post")
def _post_one(
    actor: Actor, row_id: int, payment: x835.ClaimPayment, remit: x835.Remittance835, name: str
) -> ClaimOutcome | None:
    """Post one claim payment (None: another desk took it first)."""
    if (
        RemitClaim.update(outcome="working")
        .where((RemitClaim.id == row_id) & (RemitClaim.outcome == "pending"))
        .execute()
        == 0
    ):
        return None
    faults = x835.claim_faults(payment)
    if faults:
        raise _NotPosted(
            f"{faults[0].message} ({faults[0].segment} line {faults[0].line})", outcome="refused"
        )
    claim = match_claim(payment)
    reference = remit.trace_number
    if payment.status in DECIDED:
        postings = line_postings(claim, payment)
        result = post_payment(
            actor,
            PayerPayment(claim.id, postings, reference, _method(remit), remit.paid_on),
        )
        outcome, payment_id, status = "posted", result.payment_id, result.status
        words = payment.status_words
    elif payment.status == "22":
        result = reversal.reverse_payer_posting(
            actor,
            claim.id,
            reversal_lines(claim, payment),
            reference,
            remit.paid_on,
            _method(remit),
        )
        outcome, payment_id, status = "reversed", result.payment_id, result.status
        words = "earlier payment reversed, the claim is open again"
    elif payment.status in INFORMATION:
        history.add_note(
            actor,
            claim.id,
            f"835 {name}: {payment.status_words}; payer's claim number "
            f"{payment.payer_claim_number or 'none'}, nothing posted",
        )
        outcome, payment_id, status = "info", None, claim.status
        words = f"{payment.status_words}: noted on the claim, nothing posted"
    else:
        raise _NotPosted(
            f"claim status {payment.status} is not one this app posts", claim_id=claim.id
        )
    RemitClaim.update(
        outcome=outcome, claim=claim.id, payment=payment_id, reason=words[:300]
    ).where(RemitClaim.id == row_id).execute()
    return ClaimOutcome(
        payment.patient_control,
        claim.id,
        claim.claim_number,
        outcome,
        words,
        payment.paid_cents,
        status_word(status),
        payment.segment.line,
    )


@writes("payment.post")
def _keep_reason(
    actor: Actor, row_id: int, outcome: str, reason: str, claim_id: int | None
) -> bool:
    return (
        RemitClaim.update(outcome=outcome, reason=reason[:300], claim=claim_id)
        .where((RemitClaim.id == row_id) & (RemitClaim.outcome == "pending"))
        .execute()
        > 0
    )


@writes("payment.post")
def _finish(actor: Actor, file_id: int, remittance_ids: list[int]) -> None:
    for remit_id in remittance_ids:
        posted = sum(
            paid
            for (paid,) in RemitClaim.select(RemitClaim.paid_cents)
            .where(
                (RemitClaim.remittance == remit_id) & RemitClaim.outcome.in_(("posted", "reversed"))
            )
            .tuples()
        )
        Remittance.update(posted_cents=posted, status="done").where(
            Remittance.id == remit_id
        ).execute()
    X12File.update(status="done").where(X12File.id == file_id).execute()


def _report_for(remit: x835.Remittance835, remit_id: int | None, already: str) -> RemittanceReport:
    plb = tuple(PlbLine(p.reason, p.words, p.reference, p.cents) for p in remit.plb)
    if remit_id is None:
        return RemittanceReport(
            remit.st_control,
            remit.payer_name,
            remit.trace_number,
            remit.method,
            remit.paid_cents,
            remit.claims_cents,
            0,
            plb,
            (),
            already,
        )
    outcomes = []
    for row in (
        RemitClaim.select().where(RemitClaim.remittance == remit_id).order_by(RemitClaim.seq)
    ):
        claim = Claim.get_or_none(Claim.id == row.claim_id) if row.claim_id else None
        outcomes.append(
            ClaimOutcome(
                row.patient_control,
                row.claim_id,
                claim.claim_number if claim else "",
                row.outcome,
                row.reason,
                row.paid_cents,
                status_word(claim.status) if claim and row.outcome != "unmatched" else "",
                0,
            )
        )
    saved = Remittance.get_by_id(remit_id)
    return RemittanceReport(
        remit.st_control,
        remit.payer_name,
        remit.trace_number,
        remit.method,
        remit.paid_cents,
        remit.claims_cents,
        int(saved.posted_cents),
        plb,
        tuple(outcomes),
    )


def import_835(
    actor: Actor,
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    name: str = "",
    progress: ProgressFn | None = None,
) -> FileReport:
    """Read and post one 835 file (``source``, or ``text`` with a ``name``)."""
    report = progress or (lambda step, done, total: None)
    if text is None:
        if source is None:
            raise InvalidInput("name the file", field="file")
        name, text = read_source(source)
    name = name or "835"
    sha = envelope.sha256(text)
    done_before = X12File.get_or_none(
        (X12File.direction == "in") & (X12File.sha256 == sha) & (X12File.status == "done")
    )
    if done_before is not None:
        return FileReport(
            name,
            "835",
            done_before.id,
            already=f"read already on {done_before.at:%m/%d/%Y} as {done_before.name}",
        )
    report("checking the file (pyx12)", 0, 1)
    document, _ = checked_document(name, text, "835")
    try:
        remits = x835.parse(document)
    except X12ReadError as error:
        raise FileRefused(
            FileReport(name, "835", None, faults=(Fault(error.segment, error.line, _plain(error)),))
        ) from None
    report("checking the file (pyx12)", 1, 1)
    try:
        planned = _record_file(actor, name, sha, remits)
    except IntegrityError:
        raise InvalidInput(
            "another desk is reading this file right now: look at its report there"
        ) from None
    rows = {
        (row.remittance_id, row.seq): row.id
        for row in RemitClaim.select(RemitClaim.id, RemitClaim.remittance, RemitClaim.seq).where(
            RemitClaim.remittance.in_(list(planned.remittance_ids.values()) or [0])
            & (RemitClaim.outcome == "pending")
        )
    }
    total = sum(len(r.claims) for r in remits if r.st_control in planned.remittance_ids)
    done = 0
    for remit in remits:
        remit_id = planned.remittance_ids.get(remit.st_control)
        if remit_id is None:
            continue
        for seq, payment in enumerate(remit.claims, 1):
            done += 1
            row_id = rows.get((remit_id, seq))
            if row_id is not None:
                try:
                    _post_one(actor, row_id, payment, remit, name)
                except _NotPosted as refusal:
                    _keep_reason(actor, row_id, refusal.outcome, str(refusal), refusal.claim_id)
                except DomainError as refusal:  # the claims service said no: its reason
                    claim = Claim.get_or_none(Claim.claim_number == payment.patient_control)
                    _keep_reason(
                        actor, row_id, "refused", str(refusal), claim.id if claim else None
                    )
            if done % 25 == 0 or done == total:
                report("posting", done, total)
    _finish(actor, planned.file_id, list(planned.remittance_ids.values()))
    remittances = tuple(
        _report_for(
            r, planned.remittance_ids.get(r.st_control), planned.already.get(r.st_control, "")
        )
        for r in remits
    )
    notes = []
    for remit in remits:
        faults = [f for f in x835.balance_faults(remit) if f.segment == "BPR"]
        if faults:
            notes.append(f"ST {remit.st_control}: {faults[0].message} (BPR line {faults[0].line})")
    return FileReport(name, "835", planned.file_id, remittances=remittances, notes=tuple(notes))


__all__ = [
    "DECIDED",
    "INFORMATION",
    "checked_document",
    "import_835",
    "line_postings",
    "match_claim",
    "match_services",
    "read_source",
]
