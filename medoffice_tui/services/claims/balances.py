"""What a patient owes: per claim, the charges, what insurance paid and adjusted, what
the patient paid, what is still with the insurance, and what the patient owes now.

The patient owes their share (patient responsibility: copay, coinsurance, deductible)
once the payer has decided, less what they paid; a claim the payer has not decided yet
is "with insurance" and owed by no one yet. A credit (money paid beyond what was owed)
is subtracted from the total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from medoffice_tui.db.models import Claim, ClaimLine, Patient, Payer, Payment
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.claims.line_money import is_denied, line_due

_DONE = ("void",)


@dataclass(frozen=True)
class BalanceLine:
    claim_id: int
    claim_number: str
    service_date: dt.date
    payer_name: str
    codes: str
    charge_cents: int
    insurance_paid_cents: int
    adjusted_cents: int
    patient_paid_cents: int
    with_insurance_cents: int
    patient_owes_cents: int


@dataclass(frozen=True)
class PatientBalance:
    patient_id: int
    lines: list[BalanceLine]
    credit_cents: int

    @property
    def owes_cents(self) -> int:
        return sum(line.patient_owes_cents for line in self.lines)

    @property
    def with_insurance_cents(self) -> int:
        return sum(line.with_insurance_cents for line in self.lines)

    @property
    def due_cents(self) -> int:
        """What the statement asks for: owed less any credit (never below zero)."""
        return max(self.owes_cents - self.credit_cents, 0)


@reads("claim.view")
def patient_balance(actor: Actor, patient_id: int, *, open_only: bool = True) -> PatientBalance:
    """What the patient owes, as a desk sees it (the balance screen): the same as
    :func:`balance_of`, audited as a view of the patient's balance."""
    balance = balance_of(patient_id, open_only=open_only)
    audit.record(actor, "view", "balance", patient_id, patient_id=patient_id)
    return balance


def balance_of(patient_id: int, *, open_only: bool = True) -> PatientBalance:
    """The patient's claims with money still open (all of them with ``open_only=False``).

    For the services' own use (statements, who owes what); a screen calls
    :func:`patient_balance`, which records the view."""
    query = (
        Claim.select(Claim, Payer.name.alias("payer_name"))
        .join(Payer)
        .where((Claim.patient == patient_id) & Claim.status.not_in(_DONE))
        .order_by(Claim.service_date, Claim.id)
    )
    if open_only:
        query = query.where(Claim.balance_cents != 0)
    claims = list(query.objects())
    lines_by_claim: dict[int, list[ClaimLine]] = {}
    if claims:
        for line in ClaimLine.select().where(ClaimLine.claim.in_([c.id for c in claims])):
            lines_by_claim.setdefault(line.claim_id, []).append(line)
    out = []
    for claim in claims:
        lines = sorted(lines_by_claim.get(claim.id, []), key=lambda ln: ln.line_no)
        insurance = sum(ln.paid_cents for ln in lines)
        adjusted = sum(
            ln.write_off_cents + (0 if is_denied(ln) else ln.co_cents + ln.oa_cents) for ln in lines
        )
        patient_paid = sum(ln.patient_paid_cents for ln in lines)
        owes = with_insurance = 0
        for ln in lines:
            due = line_due(ln)
            if ln.adjudicated and not is_denied(ln):
                owes += max(due, 0)
            else:  # not decided yet, or denied and being worked: not the patient's yet
                with_insurance += max(due, 0)
        if not lines or (
            claim.balance_cents != owes + with_insurance
            and not any(ln.adjudicated or ln.patient_paid_cents for ln in lines)
        ):
            # a claim posted before per-line amounts: its totals say it
            insurance = claim.paid_cents - patient_paid
            adjusted = claim.adjustment_cents
            decided = claim.status in ("paid", "partially_paid", "denied", "written_off", "closed")
            owes = claim.balance_cents if decided else 0
            with_insurance = 0 if decided else claim.balance_cents
        codes = " ".join(ln.procedure_code for ln in lines)
        out.append(
            BalanceLine(
                claim.id,
                claim.claim_number,
                claim.service_date,
                claim.payer_name,
                codes,
                claim.total_charge_cents,
                insurance,
                adjusted,
                patient_paid,
                with_insurance,
                owes,
            )
        )
    credit = (
        Payment.select(fn.COALESCE(fn.SUM(Payment.unapplied_cents), 0))
        .where((Payment.patient == patient_id) & (Payment.unapplied_cents > 0))
        .scalar()
    )
    return PatientBalance(patient_id, out, int(credit or 0))


def patients_owing(min_cents: int = 1) -> list[int]:
    """Patients with something to ask for on a statement (an indexed walk of open claims)."""
    from medoffice_tui.db.models import OPEN_CLAIM_STATUSES

    ids = (
        Claim.select(Claim.patient)
        .where(Claim.status.in_(OPEN_CLAIM_STATUSES) & (Claim.balance_cents > 0))
        .distinct()
        .tuples()
    )
    out = []
    for (pid,) in ids:
        if balance_of(pid).due_cents >= min_cents:
            out.append(pid)
    return sorted(out)


def patient_label(patient_id: int) -> tuple[str, str]:
    patient = Patient.get_by_id(patient_id)
    return f"{patient.last_name}, {patient.first_name}", patient.mrn
