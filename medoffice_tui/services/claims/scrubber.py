"""The scrubber: every reason a clearinghouse or payer would reject a claim, in plain words.

Each problem names the field to fix (``field``) so a screen can take the desk there.
A claim may be marked ready only when the list is empty. Rules (each with a test):

- the rendering and billing NPIs: present, ten digits, Luhn check digit over 80840+NPI;
- the payer's member id; the subscriber's name and date of birth when the patient is
  not the subscriber;
- at least one diagnosis; each known to the loaded ICD-10-CM release and billable (a
  leaf code); each procedure line's pointers point at a diagnosis that is there;
- procedure codes: CPT by shape, HCPCS by shape and, once the CMS file is imported,
  known and not terminated on the date of service; modifiers by shape;
- the date of service present and not in the future; every line's charge above zero;
  the claim's total equal to the sum of its lines;
- the billing provider's address: a street (no PO box) and a ZIP+4;
- the payer's timely-filing limit not passed; a prior authorization number when the
  payer requires one; a replacement or void (frequency 7/8) carries the payer's
  original claim number.
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
    Payer,
    PayerRule,
    Practice,
    Provider,
)
from medoffice_tui.errors import DomainError, NotFound
from medoffice_tui.services.claims import codes_hcpcs, codes_icd
from medoffice_tui.services.claims.code_shapes import (
    CPT_SHAPE,
    HCPCS_SHAPE,
    MODIFIER_SHAPE,
    is_po_box,
    npi_valid,
    zip_plus4,
)


@dataclass(frozen=True)
class Problem:
    """One reason the claim would be rejected, and the field to fix."""

    field: str
    message: str


class ScrubFailed(DomainError):
    """Marking a claim ready was refused: the scrubber found problems (``problems``)."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        first = problems[0]
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"not ready: {first.message}{more}", field=first.field)
        self.problems = problems


def scrub(claim_id: int, *, load_codes: bool = True) -> list[Problem]:
    """Every problem the claim has now (an empty list: it may be marked ready)."""
    claim = Claim.get_or_none(Claim.id == claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} no longer exists")
    if load_codes:
        codes_icd.ensure_loaded()
    problems: list[Problem] = []
    add = lambda field, message: problems.append(Problem(field, message))  # noqa: E731
    lines = list(ClaimLine.select().where(ClaimLine.claim == claim_id).order_by(ClaimLine.line_no))
    dx = [
        d.code
        for d in ClaimDiagnosis.select()
        .where(ClaimDiagnosis.claim == claim_id)
        .order_by(ClaimDiagnosis.seq)
    ]
    _providers(claim, add)
    _coverage(claim, add)
    _diagnoses(dx, add)
    _lines(claim, lines, len(dx), add)
    _dates_and_money(claim, lines, add)
    _billing_address(claim, add)
    _payer_rules(claim, add)
    return problems


def _providers(claim: Claim, add) -> None:  # noqa: ANN001 - add(field, message)
    rendering = Provider.get_or_none(Provider.id == claim.provider_id)
    if rendering is None or not rendering.npi.strip():
        add("rendering_provider", "the rendering provider has no NPI")
    elif not npi_valid(rendering.npi):
        add("rendering_provider", "the rendering provider's NPI fails its check digit (Luhn)")
    if claim.billing_provider_id is not None:
        billing = Provider.get_or_none(Provider.id == claim.billing_provider_id)
        npi = billing.npi if billing else ""
        who = "the billing provider"
    else:
        practice = Practice.select().order_by(Practice.id).first()
        npi = practice.npi if practice else ""
        who = "the practice (billing provider)"
    if not (npi or "").strip():
        add("billing_provider", f"{who} has no NPI")
    elif not npi_valid(npi):
        add("billing_provider", f"{who}'s NPI fails its check digit (Luhn)")


def _coverage(claim: Claim, add) -> None:  # noqa: ANN001
    coverage = Coverage.get_or_none(Coverage.id == claim.coverage_id) if claim.coverage_id else None
    if coverage is None:
        add("coverage", "the claim has no insurance: choose the patient's coverage")
        return
    if not coverage.member_id.strip():
        add("member_id", "the insurance has no member id (fix it in the patient's record, F3)")
    if coverage.relationship != "self":
        missing = [
            name
            for name, value in (
                ("first name", coverage.subscriber_first),
                ("last name", coverage.subscriber_last),
                ("date of birth", coverage.subscriber_dob),
            )
            if not value
        ]
        if missing:
            add(
                "subscriber",
                "the patient is not the subscriber, and the subscriber's "
                f"{', '.join(missing)} is missing (fix it in the patient's record, F3)",
            )


def _diagnoses(dx: list[str], add) -> None:  # noqa: ANN001
    if not dx:
        add("diagnoses", "the claim has no diagnosis")
        return
    for number, code in enumerate(dx, 1):
        found = codes_icd.get(code)
        if found is None:
            add(
                "diagnoses",
                f"diagnosis {number} ({code}) is not in "
                f"{codes_icd.loaded_release() or 'ICD-10-CM'}",
            )
        elif not found.billable:
            add(
                "diagnoses",
                f"diagnosis {number} ({code}) is a category, not a billable code: "
                "choose a more specific one",
            )


def _lines(claim: Claim, lines: list[ClaimLine], dx_count: int, add) -> None:  # noqa: ANN001
    if not lines:
        add("line1", "the claim has no procedure lines")
    hcpcs_loaded = codes_hcpcs.is_loaded()
    for line in lines:
        where, number = f"line{line.line_no}", line.line_no
        code = line.procedure_code
        if CPT_SHAPE.match(code):
            pass  # CPT: shape only (its text is the AMA's, licensed)
        elif HCPCS_SHAPE.match(code):
            if hcpcs_loaded:
                known = codes_hcpcs.get(code)
                if known is None:
                    add(where, f"line {number}: {code} is not in the imported HCPCS file")
                elif known.terminated_on and known.terminated_on <= claim.service_date:
                    add(where, f"line {number}: {code} was discontinued before the date of service")
        else:
            add(where, f"line {number}: {code} is neither a CPT nor a HCPCS code")
        for modifier in (m for m in line.modifiers.split(",") if m):
            if not MODIFIER_SHAPE.match(modifier):
                add(where, f"line {number}: modifier {modifier} is not 2 letters or digits")
        pointers = [p for p in line.dx_pointers.split(",") if p.strip()]
        if not pointers:
            add(where, f"line {number} points at no diagnosis")
        for pointer in pointers:
            if not pointer.isdigit() or not 1 <= int(pointer) <= dx_count:
                add(where, f"line {number} points at diagnosis {pointer}, which is not there")
        if line.charge_cents <= 0:
            add(where, f"line {number}: the charge must be more than zero")
        if line.units <= 0:
            add(where, f"line {number}: units must be 1 or more")


def _dates_and_money(claim: Claim, lines: list[ClaimLine], add) -> None:  # noqa: ANN001
    today = clock.today()
    if claim.service_date is None:
        add("service_date", "the date of service is missing")
    elif claim.service_date > today:
        add("service_date", "the date of service is in the future")
    for line in lines:
        if line.service_date is not None and line.service_date > today:
            add(f"line{line.line_no}", f"line {line.line_no}: its date of service is in the future")
    total = sum(line.charge_cents for line in lines)
    if total != claim.total_charge_cents:
        add("total", "the claim's total is not the sum of its lines")


def _billing_address(claim: Claim, add) -> None:  # noqa: ANN001
    practice = Practice.select().order_by(Practice.id).first()
    if practice is None:
        add("billing_address", "the practice has no address")
        return
    street = " ".join(filter(None, (practice.address1, practice.address2)))
    if not street.strip():
        add("billing_address", "the billing provider's street address is missing")
    elif is_po_box(street):
        add(
            "billing_address",
            "the billing provider's address is a PO box: a street address is required",
        )
    if not zip_plus4(practice.zip):
        add("billing_address", "the billing provider's ZIP code needs all nine digits (ZIP+4)")


def _payer_rules(claim: Claim, add) -> None:  # noqa: ANN001
    payer = Payer.get_or_none(Payer.id == claim.payer_id)
    if payer is not None and claim.service_date is not None:
        age = (clock.today() - claim.service_date).days
        if age > payer.timely_filing_days:
            add(
                "filing",
                f"the payer's filing limit ({payer.timely_filing_days} days) passed "
                f"{age - payer.timely_filing_days} days ago",
            )
    rule = PayerRule.get_or_none(PayerRule.payer == claim.payer_id)
    if rule is not None and rule.prior_auth_required and not claim.prior_auth_number.strip():
        add("prior_auth", "this payer requires a prior authorization number")
    if claim.frequency_code in ("7", "8") and not claim.payer_claim_number.strip():
        kind = "replacement" if claim.frequency_code == "7" else "void"
        add("payer_claim_number", f"a {kind} claim needs the payer's original claim number")


def filing_deadline(claim: Claim) -> dt.date | None:
    payer = Payer.get_or_none(Payer.id == claim.payer_id)
    if payer is None:
        return None
    return claim.service_date + dt.timedelta(days=payer.timely_filing_days)
