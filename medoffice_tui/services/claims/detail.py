"""One claim, whole: its lines with what the payer decided, diagnoses, adjustments in
plain words, payments, the scrubber's findings and the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui.db.models import (
    Adjustment,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    Coverage,
    Patient,
    Payer,
    Payment,
    Provider,
    User,
)
from medoffice_tui.errors import NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.claims import codes_icd, history
from medoffice_tui.services.claims.reason_codes import group_text, reason_text
from medoffice_tui.services.claims.scrubber import Problem, scrub
from medoffice_tui.services.claims.statuses import EDITABLE_STATUSES


@dataclass(frozen=True)
class LineDetail:
    id: int
    line_no: int
    code: str
    modifiers: str
    units: int
    pointers: str
    description: str
    charge_cents: int
    allowed_cents: int
    paid_cents: int
    co_cents: int
    pr_cents: int
    oa_cents: int
    patient_paid_cents: int
    write_off_cents: int
    adjudicated: bool

    @property
    def balance_cents(self) -> int:
        return (
            self.charge_cents
            - self.paid_cents
            - self.co_cents
            - self.oa_cents
            - self.patient_paid_cents
            - self.write_off_cents
        )


@dataclass(frozen=True)
class AdjustmentDetail:
    line_no: int | None
    group: str
    carc: str
    rarc: str
    amount_cents: int
    text: str  # the reason in plain words (CARC, then RARC)


@dataclass(frozen=True)
class PaymentDetail:
    kind: str
    amount_cents: int
    method: str
    reference: str
    received_on: dt.date
    posted_by: str


@dataclass(frozen=True)
class ClaimDetail:
    id: int
    claim_number: str
    version: int
    status: str
    patient_id: int
    patient_name: str
    mrn: str
    payer_id: int
    payer_name: str
    member_id: str
    payer_seq: str
    service_date: dt.date
    place_of_service: str
    rendering_provider: str
    billing_provider: str
    prior_auth_number: str
    frequency_code: str
    payer_claim_number: str
    total_charge_cents: int
    paid_cents: int
    adjustment_cents: int
    patient_resp_cents: int
    balance_cents: int
    assignee: str
    follow_up_on: dt.date | None
    diagnoses: list[tuple[str, str]]
    lines: list[LineDetail]
    adjustments: list[AdjustmentDetail]
    payments: list[PaymentDetail]
    problems: list[Problem]
    history: list[history.HistoryRow]

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def _name(provider: Provider | None) -> str:
    return provider.display_name if provider else "the practice (group NPI)"


@reads("claim.view")
def get_claim(actor: Actor, claim_id: int, *, with_scrub: bool = True) -> ClaimDetail:
    claim = Claim.get_or_none(Claim.id == claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} no longer exists")
    patient = Patient.get_by_id(claim.patient_id)
    payer = Payer.get_by_id(claim.payer_id)
    coverage = Coverage.get_or_none(Coverage.id == claim.coverage_id) if claim.coverage_id else None
    rendering = Provider.get_or_none(Provider.id == claim.provider_id)
    billing = (
        Provider.get_or_none(Provider.id == claim.billing_provider_id)
        if claim.billing_provider_id
        else None
    )
    assignee = User.get_or_none(User.id == claim.assignee_id) if claim.assignee_id else None
    dx = []
    for d in (
        ClaimDiagnosis.select().where(ClaimDiagnosis.claim == claim_id).order_by(ClaimDiagnosis.seq)
    ):
        found = codes_icd.get(d.code) if codes_icd.is_loaded() else None
        dx.append((d.code, found.description if found else ""))
    lines = [
        LineDetail(
            ln.id,
            ln.line_no,
            ln.procedure_code,
            ln.modifiers,
            ln.units,
            ln.dx_pointers,
            ln.description,
            ln.charge_cents,
            ln.allowed_cents,
            ln.paid_cents,
            ln.co_cents,
            ln.pr_cents,
            ln.oa_cents,
            ln.patient_paid_cents,
            ln.write_off_cents,
            bool(ln.adjudicated),
        )
        for ln in ClaimLine.select().where(ClaimLine.claim == claim_id).order_by(ClaimLine.line_no)
    ]
    line_no = {ln.id: ln.line_no for ln in lines}
    adjustments = []
    for a in Adjustment.select().where(Adjustment.claim == claim_id).order_by(Adjustment.id):
        if a.group_code == "WO":
            text = "written off by the practice"
        else:
            text = f"{group_text(a.group_code)}: {reason_text('CARC', a.carc)}"
            if a.rarc:
                text += f"; {reason_text('RARC', a.rarc)}"
        adjustments.append(
            AdjustmentDetail(
                line_no.get(a.claim_line_id), a.group_code, a.carc, a.rarc, a.amount_cents, text
            )
        )
    payments = [
        PaymentDetail(
            p.kind,
            p.amount_cents,
            p.method,
            p.reference,
            p.received_on,
            (
                User.get_or_none(User.id == p.posted_by_id).username
                if p.posted_by_id and User.get_or_none(User.id == p.posted_by_id)
                else ""
            ),
        )
        for p in Payment.select().where(Payment.claim == claim_id).order_by(Payment.id)
    ]
    problems = (
        scrub(claim_id, load_codes=False)
        if with_scrub and claim.status in EDITABLE_STATUSES
        else []
    )
    audit.record(actor, "view", "claim", claim_id, patient_id=patient.id)
    return ClaimDetail(
        id=claim.id,
        claim_number=claim.claim_number,
        version=claim.version,
        status=claim.status,
        patient_id=patient.id,
        patient_name=f"{patient.last_name}, {patient.first_name}",
        mrn=patient.mrn,
        payer_id=payer.id,
        payer_name=payer.name,
        member_id=coverage.member_id if coverage else "",
        payer_seq=claim.payer_seq,
        service_date=claim.service_date,
        place_of_service=claim.place_of_service,
        rendering_provider=_name(rendering),
        billing_provider=_name(billing),
        prior_auth_number=claim.prior_auth_number,
        frequency_code=claim.frequency_code,
        payer_claim_number=claim.payer_claim_number,
        total_charge_cents=claim.total_charge_cents,
        paid_cents=claim.paid_cents,
        adjustment_cents=claim.adjustment_cents,
        patient_resp_cents=claim.patient_resp_cents,
        balance_cents=claim.balance_cents,
        assignee=assignee.username if assignee else "",
        follow_up_on=claim.follow_up_on,
        diagnoses=dx,
        lines=lines,
        adjustments=adjustments,
        payments=payments,
        problems=problems,
        history=history.claim_history(claim_id),
    )


def open_claim(actor: Actor, claim_id: int) -> ClaimDetail:
    """The claim's screen: the code sets loaded first (first use), then the claim."""
    codes_icd.ensure_loaded()
    return get_claim(actor, claim_id)
