"""What the charge form opens with: the completed visits still to bill, and for a visit
(or a claim being edited) the patient, providers, coverages, fees and what is there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import (
    Appointment,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    Coverage,
    Patient,
    Payer,
    Provider,
)
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services.claims.charges import ChargeInput, ChargeLineInput
from medoffice_tui.services.paging import Page


@dataclass(frozen=True)
class CoverageChoice:
    id: int
    rank: int
    payer_name: str
    member_id: str

    @property
    def label(self) -> str:
        rank = {1: "primary", 2: "secondary", 3: "tertiary"}.get(self.rank, "other")
        return f"{self.payer_name} ({rank})"


@dataclass(frozen=True)
class ProviderChoice:
    id: int
    name: str
    npi: str


@dataclass(frozen=True)
class ChargeContext:
    """What the charge form needs to open: the visit, the choices, what is there already."""

    patient_id: int
    patient_name: str
    mrn: str
    service_date: dt.date
    appointment_id: int | None
    providers: list[ProviderChoice]
    coverages: list[CoverageChoice]
    rendering_provider_id: int | None
    claim_id: int | None = None
    claim_version: int | None = None
    existing: ChargeInput | None = None
    fees: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitRow:
    appointment_id: int
    patient_id: int
    patient_name: str
    provider_name: str
    start: dt.datetime
    reason: str


# ----------------------------------------------------------------- reading


def visits_to_bill(
    after: tuple[str, int] | None = None, limit: int = 50, days: int = 365
) -> Page[VisitRow]:
    """Completed visits without a claim, newest first (the last ``days`` days)."""
    since = dt.datetime.combine(clock.today() - dt.timedelta(days=days), dt.time())
    query = (
        Appointment.select(
            Appointment.id,
            Appointment.patient,
            Patient.last_name,
            Patient.first_name,
            Provider.first_name,
            Provider.last_name,
            Provider.credential,
            Appointment.start,
            Appointment.reason,
        )
        .join(Patient, on=(Appointment.patient == Patient.id))
        .switch(Appointment)
        .join(Provider, on=(Appointment.provider == Provider.id))
        .switch(Appointment)
        .join(Claim, JOIN.LEFT_OUTER, on=(Claim.appointment == Appointment.id))
        .where(
            (Appointment.status == "completed") & (Appointment.start >= since) & Claim.id.is_null()
        )
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        start = dt.datetime.fromisoformat(after[0])
        query = query.where(
            (Appointment.start < start)
            | ((Appointment.start == start) & (Appointment.id < after[1]))
        )
    rows = []
    for aid, pid, last, first, pfirst, plast, cred, start, reason in query.tuples():
        provider = f"{pfirst[:1]}. {plast}" + (f", {cred}" if cred else "")
        rows.append(VisitRow(aid, pid, f"{last}, {first}", provider, start, reason))
    more = len(rows) > limit
    rows = rows[:limit]
    next_after = (rows[-1].start.isoformat(), rows[-1].appointment_id) if more and rows else None
    return Page(rows, next_after)


def _providers() -> list[ProviderChoice]:
    active = Provider.active == True  # noqa: E712
    rows = Provider.select().where(active).order_by(Provider.sort_order, Provider.id)
    return [ProviderChoice(p.id, p.display_name, p.npi) for p in rows]


def _coverages(patient_id: int) -> list[CoverageChoice]:
    rows = (
        Coverage.select(Coverage.id, Coverage.rank, Payer.name, Coverage.member_id)
        .join(Payer)
        .where((Coverage.patient == patient_id) & (Coverage.active == True))  # noqa: E712
        .order_by(Coverage.rank, Coverage.id)
        .tuples()
    )
    return [CoverageChoice(cid, rank, name, member) for cid, rank, name, member in rows]


def charge_context(appointment_id: int | None = None, claim_id: int | None = None) -> ChargeContext:
    """The form's starting point for a visit (new charges) or a claim (editing them)."""
    if claim_id is not None:
        claim = Claim.get_or_none(Claim.id == claim_id)
        if claim is None:
            raise NotFound(f"claim {claim_id} no longer exists")
        patient = Patient.get_by_id(claim.patient_id)
        lines = tuple(
            ChargeLineInput(
                ln.procedure_code,
                tuple(m for m in ln.modifiers.split(",") if m),
                ln.units,
                ln.charge_cents,
                tuple(int(p) for p in ln.dx_pointers.split(",") if p.isdigit()),
            )
            for ln in ClaimLine.select()
            .where(ClaimLine.claim == claim_id)
            .order_by(ClaimLine.line_no)
        )
        dx = tuple(
            d.code
            for d in ClaimDiagnosis.select()
            .where(ClaimDiagnosis.claim == claim_id)
            .order_by(ClaimDiagnosis.seq)
        )
        existing = ChargeInput(
            patient_id=claim.patient_id,
            service_date=claim.service_date,
            rendering_provider_id=claim.provider_id,
            coverage_id=claim.coverage_id,
            diagnoses=dx,
            lines=lines,
            appointment_id=claim.appointment_id,
            billing_provider_id=claim.billing_provider_id,
            place_of_service=claim.place_of_service,
            prior_auth_number=claim.prior_auth_number,
            frequency_code=claim.frequency_code,
            payer_claim_number=claim.payer_claim_number,
        )
        return ChargeContext(
            patient.id,
            f"{patient.last_name}, {patient.first_name}",
            patient.mrn,
            claim.service_date,
            claim.appointment_id,
            _providers(),
            _coverages(patient.id),
            claim.provider_id,
            claim.id,
            claim.version,
            existing,
            _fee_table(claim.service_date),
        )
    appointment = Appointment.get_or_none(Appointment.id == appointment_id)
    if appointment is None:
        raise NotFound("that visit no longer exists")
    if Claim.select().where(Claim.appointment == appointment.id).exists():
        raise InvalidInput("this visit already has a claim: open it from the claims queue")
    patient = Patient.get_by_id(appointment.patient_id)
    day = appointment.start.date()
    return ChargeContext(
        patient.id,
        f"{patient.last_name}, {patient.first_name}",
        patient.mrn,
        day,
        appointment.id,
        _providers(),
        _coverages(patient.id),
        appointment.provider_id,
        fees=_fee_table(day),
    )


def _fee_table(day: dt.date) -> dict[str, tuple[str, int]]:
    from medoffice_tui.services.claims.fees import list_fees

    return {f.code: (f.description, f.fee_cents) for f in list_fees(day)}
