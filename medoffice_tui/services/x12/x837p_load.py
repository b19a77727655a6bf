"""Loading the 837P's data from the database: :func:`load_claims` reads what the writer
needs for many claims (patient, subscriber, payer, rendering provider, diagnoses, lines,
and for a secondary or tertiary claim the earlier payer's decision) in a few batched
queries; :func:`billing_providers` reads the practice and the providers who bill alone.
The paper CMS-1500 reads its claims through the same loader.
"""

from __future__ import annotations

from collections import defaultdict

from medoffice_tui.db.models import (
    Adjustment,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    Coverage,
    Patient,
    Payer,
    Payment,
    Practice,
    Provider,
)
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.x12.x837p_data import (
    CAS_GROUPS,
    BillingProvider,
    ClaimData,
    LineData,
    Person,
    PriorLine,
    PriorPayer,
)

_CHUNK = 500


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _person_from_patient(p: Patient) -> Person:
    return Person(
        p.last_name,
        p.first_name,
        p.middle_name,
        p.suffix,
        p.dob,
        p.sex or "U",
        p.address1,
        p.address2,
        p.city,
        p.state,
        p.zip,
    )


def _subscriber_of(coverage: Coverage | None, patient: Person) -> Person:
    if coverage is None or coverage.relationship == "self":
        return patient
    return Person(
        coverage.subscriber_last or patient.last,
        coverage.subscriber_first or "",
        dob=coverage.subscriber_dob,
        sex=coverage.subscriber_sex or "U",
    )


def billing_providers(keys: set[int | None]) -> dict[int | None, BillingProvider]:
    """The practice (key None) and every provider who bills alone, as 2010AA needs them."""
    practice = Practice.select().order_by(Practice.id).first()
    if practice is None:
        raise InvalidInput("the practice is not set up")
    result: dict[int | None, BillingProvider] = {
        None: BillingProvider(
            True,
            practice.name,
            "",
            practice.npi,
            practice.tax_id,
            practice.address1,
            practice.address2,
            practice.city,
            practice.state,
            practice.zip,
            practice.phone,
        )
    }
    ids = [k for k in keys if k is not None]
    for provider in Provider.select().where(Provider.id.in_(ids)) if ids else []:
        result[provider.id] = BillingProvider(
            False,
            provider.last_name,
            provider.first_name,
            provider.npi,
            practice.tax_id,
            practice.address1,
            practice.address2,
            practice.city,
            practice.state,
            practice.zip,
            practice.phone,
        )
    return result


def _prior_payers(claims: list[Claim]) -> dict[int, PriorPayer]:
    """2320/2330 for claims to a second or third payer: the claim before it, decided."""
    wanted = {
        c.id: c.prior_claim_id for c in claims if c.payer_seq in ("S", "T") and c.prior_claim_id
    }
    if not wanted:
        return {}
    priors = {c.id: c for c in Claim.select().where(Claim.id.in_(list(wanted.values())))}
    coverages = {
        c.id: c
        for c in Coverage.select().where(
            Coverage.id.in_([p.coverage_id for p in priors.values() if p.coverage_id])
        )
    }
    payers = {
        p.id: p for p in Payer.select().where(Payer.id.in_([p.payer_id for p in priors.values()]))
    }
    patients = {
        p.id: p
        for p in Patient.select().where(Patient.id.in_([p.patient_id for p in priors.values()]))
    }
    lines: dict[int, list[ClaimLine]] = defaultdict(list)
    for line in (
        ClaimLine.select().where(ClaimLine.claim.in_(list(priors))).order_by(ClaimLine.line_no)
    ):
        lines[line.claim_id].append(line)
    adjustments: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for adj in (
        Adjustment.select()
        .where(
            Adjustment.claim.in_(list(priors))
            & Adjustment.group_code.in_(CAS_GROUPS)
            & Adjustment.claim_line.is_null(False)
        )
        .order_by(Adjustment.id)
    ):
        adjustments[adj.claim_line_id].append((adj.group_code, adj.carc, adj.amount_cents))
    decided_on = {
        claim_id: day
        for claim_id, day in Payment.select(Payment.claim, Payment.received_on)
        .where(Payment.claim.in_(list(priors)) & (Payment.kind == "insurance"))
        .order_by(Payment.received_on)
        .tuples()
    }
    out: dict[int, PriorPayer] = {}
    for claim_id, prior_id in wanted.items():
        prior = priors.get(prior_id)
        if prior is None:
            continue
        coverage = coverages.get(prior.coverage_id)
        payer = payers[prior.payer_id]
        patient = _person_from_patient(patients[prior.patient_id])
        prior_lines = tuple(
            PriorLine(
                line.line_no,
                line.procedure_code,
                tuple(m for m in line.modifiers.split(",") if m),
                line.units,
                line.paid_cents,
                tuple(adjustments.get(line.id, ())),
            )
            for line in lines.get(prior.id, [])
            if line.adjudicated
        )
        out[claim_id] = PriorPayer(
            seq=prior.payer_seq,
            relationship=coverage.relationship if coverage else "self",
            group_number=coverage.group_number if coverage else "",
            filing_indicator=payer.claim_filing_indicator,
            member_id=coverage.member_id if coverage else "",
            subscriber=_subscriber_of(coverage, patient),
            payer_name=payer.name,
            payer_id=payer.payer_id,
            paid_cents=prior.paid_cents,
            adjudicated_on=decided_on.get(prior.id) or prior.status_changed_at.date(),
            lines=prior_lines,
        )
    return out


def load_claims(claim_ids: list[int]) -> list[ClaimData]:
    """What the writer needs for these claims (batched reads), in the order given."""
    out: dict[int, ClaimData] = {}
    for chunk in _chunks(list(claim_ids)):
        claims = list(Claim.select().where(Claim.id.in_(chunk)))
        patients = {
            p.id: p for p in Patient.select().where(Patient.id.in_([c.patient_id for c in claims]))
        }
        coverages = {
            c.id: c
            for c in Coverage.select().where(
                Coverage.id.in_([c.coverage_id for c in claims if c.coverage_id])
            )
        }
        payers = {p.id: p for p in Payer.select().where(Payer.id.in_({c.payer_id for c in claims}))}
        providers = {
            p.id: p
            for p in Provider.select().where(Provider.id.in_({c.provider_id for c in claims}))
        }
        lines: dict[int, list[ClaimLine]] = defaultdict(list)
        for line in (
            ClaimLine.select()
            .where(ClaimLine.claim.in_(chunk))
            .order_by(ClaimLine.claim, ClaimLine.line_no)
        ):
            lines[line.claim_id].append(line)
        dx: dict[int, list[str]] = defaultdict(list)
        for row in (
            ClaimDiagnosis.select()
            .where(ClaimDiagnosis.claim.in_(chunk))
            .order_by(ClaimDiagnosis.claim, ClaimDiagnosis.seq)
        ):
            dx[row.claim_id].append(row.code)
        priors = _prior_payers(claims)
        for claim in claims:
            patient = _person_from_patient(patients[claim.patient_id])
            coverage = coverages.get(claim.coverage_id)
            payer = payers[claim.payer_id]
            rendering = providers[claim.provider_id]
            out[claim.id] = ClaimData(
                id=claim.id,
                claim_number=claim.claim_number,
                total_cents=claim.total_charge_cents,
                service_date=claim.service_date,
                place_of_service=claim.place_of_service,
                frequency_code=claim.frequency_code,
                payer_claim_number=claim.payer_claim_number,
                prior_auth_number=claim.prior_auth_number,
                payer_seq=claim.payer_seq or "P",
                patient=patient,
                relationship=coverage.relationship if coverage else "self",
                subscriber=_subscriber_of(coverage, patient),
                member_id=coverage.member_id if coverage else "",
                group_number=coverage.group_number if coverage else "",
                payer_name=payer.name,
                payer_id=payer.payer_id,
                filing_indicator=payer.claim_filing_indicator,
                rendering=Person(rendering.last_name, rendering.first_name),
                rendering_npi=rendering.npi,
                rendering_taxonomy=rendering.taxonomy,
                billing_key=claim.billing_provider_id,
                diagnoses=tuple(dx.get(claim.id, ())),
                lines=tuple(
                    LineData(
                        line.id,
                        line.line_no,
                        line.procedure_code,
                        tuple(m for m in line.modifiers.split(",") if m),
                        line.units,
                        line.charge_cents,
                        tuple(int(p) for p in line.dx_pointers.split(",") if p.strip().isdigit()),
                        line.service_date or claim.service_date,
                    )
                    for line in lines.get(claim.id, [])
                ),
                prior=priors.get(claim.id),
            )
    return [out[cid] for cid in claim_ids if cid in out]


__all__ = ["billing_providers", "load_claims"]
