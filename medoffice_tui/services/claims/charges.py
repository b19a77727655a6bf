"""Charge entry: a finished visit's procedures and diagnoses become a draft claim.

Entry keeps whatever the desk typed that has the right shape (a draft is never lost
for a missing fee or pointer): the scrubber then lists what must be fixed before the
claim may be marked ready. What cannot be stored at all is refused here, naming its
field: a code that is neither CPT (``^\\d{4}[0-9FTU]$``) nor HCPCS (``^[A-V]\\d{4}$``),
a diagnosis that is not ICD-10-CM in shape, more than 12 diagnoses, 4 modifiers or 4
pointers, units outside 1-999, a coverage that is not the patient's.

The payer comes from the patient's coverage: the primary; a secondary (or tertiary)
only once the claim to the payer before it has been decided (paid, part paid, denied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import (
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    Coverage,
    Provider,
)
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, refuse_unless, writes
from medoffice_tui.services.claims import store, summaries
from medoffice_tui.services.claims.code_shapes import (
    ICD10_SHAPE,
    MODIFIER_SHAPE,
    normalize_icd10,
    procedure_kind,
)
from medoffice_tui.services.claims.fees import fee_for
from medoffice_tui.services.claims.statuses import EDITABLE_STATUSES

MAX_DIAGNOSES = 12
MAX_LINES = 50
MAX_MODIFIERS = 4
MAX_POINTERS = 4
#: place of service codes a family practice uses, with plain words
PLACES_OF_SERVICE = (
    ("11", "11 office"),
    ("02", "02 telehealth, not at home"),
    ("10", "10 telehealth at the patient's home"),
    ("12", "12 the patient's home"),
    ("20", "20 urgent care"),
    ("22", "22 hospital outpatient"),
    ("31", "31 skilled nursing facility"),
    ("99", "99 other"),
)
_POS = {code for code, _ in PLACES_OF_SERVICE}
#: statuses in which the claim before a secondary counts as decided
DECIDED = frozenset({"paid", "partially_paid", "denied", "closed", "written_off"})


@dataclass(frozen=True)
class ChargeLineInput:
    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    #: None: the fee schedule's fee times the units
    charge_cents: int | None = None
    pointers: tuple[int, ...] = (1,)


@dataclass(frozen=True)
class ChargeInput:
    patient_id: int
    service_date: dt.date | None
    rendering_provider_id: int
    coverage_id: int | None
    diagnoses: tuple[str, ...]
    lines: tuple[ChargeLineInput, ...]
    appointment_id: int | None = None
    billing_provider_id: int | None = None  # None: the practice (group NPI)
    place_of_service: str = "11"
    prior_auth_number: str = ""
    frequency_code: str = "1"
    payer_claim_number: str = ""


# ----------------------------------------------------------------- writing


def _clean_lines(charges: ChargeInput) -> list[tuple[ChargeLineInput, int, str]]:
    """Each line checked for shape, with its charge and description."""
    if not charges.lines:
        raise InvalidInput("enter at least one procedure line", field="line1")
    if len(charges.lines) > MAX_LINES:
        raise InvalidInput(f"a claim holds at most {MAX_LINES} lines", field="line1")
    out = []
    for number, line in enumerate(charges.lines, 1):
        where = f"line{number}"
        code = line.code.strip().upper()
        if procedure_kind(code) is None:
            raise InvalidInput(
                f"line {number}: a CPT code is 5 digits (99213), a HCPCS code a letter A-V "
                "and 4 digits (J1100)",
                field=where,
            )
        if len(line.modifiers) > MAX_MODIFIERS:
            raise InvalidInput(f"line {number}: at most {MAX_MODIFIERS} modifiers", field=where)
        for modifier in line.modifiers:
            if not MODIFIER_SHAPE.match(modifier):
                raise InvalidInput(
                    f"line {number}: a modifier is 2 letters or digits (25, RT)", field=where
                )
        if not 1 <= line.units <= 999:
            raise InvalidInput(f"line {number}: units must be 1 to 999", field=where)
        if not line.pointers or len(line.pointers) > MAX_POINTERS:
            raise InvalidInput(
                f"line {number}: point at 1 to {MAX_POINTERS} diagnoses (e.g. 1,2)", field=where
            )
        if any(not 1 <= p <= MAX_DIAGNOSES for p in line.pointers):
            raise InvalidInput(f"line {number}: pointers are 1 to {MAX_DIAGNOSES}", field=where)
        fee = fee_for(code, charges.service_date)
        charge = line.charge_cents
        if charge is None:
            if fee is None:
                raise InvalidInput(
                    f"line {number}: the fee schedule has no fee for this code: type the charge",
                    field=where,
                )
            charge = fee.fee_cents * line.units
        if charge < 0:
            raise InvalidInput(f"line {number}: a charge cannot be negative", field=where)
        out.append(
            (
                ChargeLineInput(code, line.modifiers, line.units, charge, line.pointers),
                charge,
                fee.description[:80] if fee else "",
            )
        )
    return out


def _clean_diagnoses(charges: ChargeInput) -> list[str]:
    codes = [normalize_icd10(c) for c in charges.diagnoses if c.strip()]
    if len(codes) > MAX_DIAGNOSES:
        raise InvalidInput(f"a claim holds at most {MAX_DIAGNOSES} diagnoses", field="diagnoses")
    for number, code in enumerate(codes, 1):
        if not ICD10_SHAPE.match(code):
            raise InvalidInput(
                f"diagnosis {number} is not shaped like an ICD-10-CM code (J06.9)",
                field="diagnoses",
            )
    if len(set(codes)) != len(codes):
        raise InvalidInput("a diagnosis is listed twice", field="diagnoses")
    return codes


def _payer_for(charges: ChargeInput) -> tuple[Coverage, str, int | None]:
    """(coverage, payer sequence P/S/T, the claim before this one)."""
    if charges.coverage_id is None:
        if not Coverage.select().where(Coverage.patient == charges.patient_id).exists():
            raise InvalidInput(
                "the patient has no insurance on file: add it in their record (F3) first "
                "(self-pay visits are not billed as claims)",
                field="coverage",
            )
        raise InvalidInput("choose the payer (the patient's insurance)", field="coverage")
    coverage = Coverage.get_or_none(
        (Coverage.id == charges.coverage_id) & (Coverage.patient == charges.patient_id)
    )
    if coverage is None:
        raise InvalidInput("that insurance is not this patient's", field="coverage")
    if coverage.rank == 1:
        return coverage, "P", None
    before = (
        Claim.select()
        .join(Coverage, on=(Claim.coverage == Coverage.id))
        .where(
            (Claim.patient == charges.patient_id)
            & (Claim.service_date == charges.service_date)
            & (Coverage.rank == coverage.rank - 1)
        )
        .order_by(Claim.id.desc())
        .first()
    )
    if before is None or before.status not in DECIDED:
        raise InvalidInput(
            "bill the secondary insurance after the primary has paid or denied this visit",
            field="coverage",
        )
    return coverage, "S" if coverage.rank == 2 else "T", before.id


def _check_common(charges: ChargeInput) -> None:
    if charges.service_date is None:
        raise InvalidInput("enter the date of service", field="service_date")
    if Provider.get_or_none(Provider.id == charges.rendering_provider_id) is None:
        raise InvalidInput("choose the rendering provider", field="rendering_provider")
    if (
        charges.billing_provider_id is not None
        and Provider.get_or_none(Provider.id == charges.billing_provider_id) is None
    ):
        raise InvalidInput("choose the billing provider", field="billing_provider")
    if charges.place_of_service not in _POS:
        raise InvalidInput("choose the place of service", field="place_of_service")
    if charges.frequency_code not in ("1", "7", "8"):
        raise InvalidInput(
            "frequency is 1 (original), 7 (replacement) or 8 (void)", field="frequency_code"
        )


def _refuse_resubmission_fields(
    actor: Actor, charges: ChargeInput, frequency: str, payer_number: str
) -> None:
    """Making a claim a replacement (7) or a void (8) of one the payer has, or changing
    the payer's original claim number, is billing's call (``claim.edit``)."""
    if charges.frequency_code != frequency or (
        charges.payer_claim_number.strip()[:40] != (payer_number or "").strip()
    ):
        refuse_unless(actor, "claim.edit")


def _write_children(claim_id: int, codes: list[str], lines: list, service_date: dt.date) -> int:
    ClaimDiagnosis.delete().where(ClaimDiagnosis.claim == claim_id).execute()
    ClaimLine.delete().where(ClaimLine.claim == claim_id).execute()
    for seq, code in enumerate(codes, 1):
        ClaimDiagnosis.insert(claim=claim_id, seq=seq, code=code).execute()
    total = 0
    for number, (line, charge, description) in enumerate(lines, 1):
        ClaimLine.insert(
            claim=claim_id,
            line_no=number,
            procedure_code=line.code,
            modifiers=",".join(line.modifiers),
            units=line.units,
            charge_cents=charge,
            dx_pointers=",".join(str(p) for p in line.pointers),
            service_date=service_date,
            description=description,
        ).execute()
        total += charge
    return total


@writes("charge.enter")
def enter_charges(actor: Actor, charges: ChargeInput) -> int:
    """A new draft claim from a visit's charges. Returns its id."""
    _check_common(charges)
    if charges.appointment_id is not None:
        if Claim.select().where(Claim.appointment == charges.appointment_id).exists():
            raise InvalidInput("this visit already has a claim: open it from the claims queue")
    _refuse_resubmission_fields(actor, charges, "1", "")
    coverage, seq, prior = _payer_for(charges)
    lines = _clean_lines(charges)
    codes = _clean_diagnoses(charges)
    now = clock.now()
    placeholder = f"NEW{now:%H%M%S%f}{actor.user_id % 1000:03d}"[:20]
    claim_id = Claim.insert(
        claim_number=placeholder,
        patient=charges.patient_id,
        provider=charges.rendering_provider_id,
        payer=coverage.payer_id,
        coverage=coverage.id,
        appointment=charges.appointment_id,
        service_date=charges.service_date,
        place_of_service=charges.place_of_service,
        frequency_code=charges.frequency_code,
        payer_claim_number=charges.payer_claim_number.strip()[:40],
        status="draft",
        billing_provider=charges.billing_provider_id,
        prior_auth_number=charges.prior_auth_number.strip()[:30],
        payer_seq=seq,
        prior_claim=prior,
        created_by=actor.user_id,
        updated_by=actor.user_id,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    ).execute()
    total = _write_children(claim_id, codes, lines, charges.service_date)
    Claim.update(
        claim_number=f"CLM{claim_id:08d}", total_charge_cents=total, balance_cents=total
    ).where(Claim.id == claim_id).execute()
    summaries.move(None, summaries.ClaimMoney("draft", charges.service_date, total, total))
    store.event(actor, claim_id, "status", "charges entered", "", "draft")
    audit.record(
        actor,
        "create",
        "claim",
        claim_id,
        patient_id=charges.patient_id,
        fields=("lines", "diagnoses", "payer", "provider"),
    )
    return claim_id


@writes("charge.enter")
def update_charges(actor: Actor, claim_id: int, charges: ChargeInput, expected_version: int) -> int:
    """Replace a claim's charges (only before a payer has it); a ready claim goes back to
    draft, to be checked again. Returns the claim id."""
    claim = store.lock_claim(claim_id, expected_version)
    if claim.status not in EDITABLE_STATUSES:
        raise InvalidInput("the payer has this claim: its charges can no longer be edited")
    if claim.status != "draft":
        refuse_unless(actor, "claim.edit")
    if charges.patient_id != claim.patient_id:
        raise InvalidInput("charges cannot move to another patient", field="patient")
    _check_common(charges)
    _refuse_resubmission_fields(actor, charges, claim.frequency_code, claim.payer_claim_number)
    coverage, seq, prior = _payer_for(charges)
    lines = _clean_lines(charges)
    codes = _clean_diagnoses(charges)
    before = summaries.snapshot(claim)
    total = _write_children(claim_id, codes, lines, charges.service_date)
    paid = claim.paid_cents
    adjusted = claim.adjustment_cents
    status = "draft" if claim.status == "ready" else claim.status
    store.save(
        actor,
        claim,
        before,
        provider=charges.rendering_provider_id,
        payer=coverage.payer_id,
        coverage=coverage.id,
        service_date=charges.service_date,
        place_of_service=charges.place_of_service,
        frequency_code=charges.frequency_code,
        payer_claim_number=charges.payer_claim_number.strip()[:40],
        billing_provider=charges.billing_provider_id,
        prior_auth_number=charges.prior_auth_number.strip()[:30],
        payer_seq=seq,
        prior_claim=prior,
        total_charge_cents=total,
        balance_cents=total - paid - adjusted,
        status=status,
    )
    store.event(actor, claim_id, "charges", "charges edited", claim.status, status)
    audit.record(
        actor,
        "update",
        "claim",
        claim_id,
        patient_id=claim.patient_id,
        fields=("lines", "diagnoses", "payer", "provider"),
    )
    return claim_id


# the form's starting point lives beside this module (re-exported for callers)
from medoffice_tui.services.claims.charge_context import (  # noqa: E402
    ChargeContext,
    CoverageChoice,
    ProviderChoice,
    VisitRow,
    charge_context,
    visits_to_bill,
)

__all__ = [
    "PLACES_OF_SERVICE",
    "ChargeContext",
    "ChargeInput",
    "ChargeLineInput",
    "CoverageChoice",
    "ProviderChoice",
    "VisitRow",
    "charge_context",
    "enter_charges",
    "update_charges",
    "visits_to_bill",
]
