"""The scrubber: each rule with a claim that passes it and one that fails it; then
marking ready, which only a clean claim may be."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Claim, ClaimLine, Coverage, Payer, PayerRule, Practice, Provider
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims
from medoffice_tui.services.claims.charges import ChargeLineInput

from .test_claims_support import TODAY, billing, charges_for, sqlite_only  # noqa: F401 - fixture

__all__ = ["billing"]

pytestmark = sqlite_only  # engine-independent rules: SQLite only


def fields_of(claim_id: int) -> set[str]:
    return {p.field for p in claims.scrub(claim_id, load_codes=False)}


@pytest.fixture
def claim_id(billing, staff) -> int:  # noqa: F811
    return claims.enter_charges(staff["billing"], charges_for(billing))


def test_a_clean_claim_passes_every_rule_and_can_be_marked_ready(claim_id, staff) -> None:
    assert claims.scrub(claim_id, load_codes=False) == []
    claims.mark_ready(staff["billing"], claim_id)
    assert Claim.get_by_id(claim_id).status == "ready"


def _bad_rendering_npi(b, cid):
    Provider.update(npi="1234567890").where(Provider.id == b.provider).execute()


def _no_rendering_npi(b, cid):
    Provider.update(npi="").where(Provider.id == b.provider).execute()


def _bad_practice_npi(b, cid):
    Practice.update(npi="9876543210").execute()


def _bad_billing_provider_npi(b, cid):
    other = Provider.create(first_name="Al", last_name="Bad", npi="1111111111")
    Claim.update(billing_provider=other.id).where(Claim.id == cid).execute()


def _no_member_id(b, cid):
    Coverage.update(member_id="").where(Coverage.id == b.coverage).execute()


def _subscriber_missing(b, cid):
    Coverage.update(relationship="child").where(Coverage.id == b.coverage).execute()


def _pointer_to_nothing(b, cid):
    ClaimLine.update(dx_pointers="1,3").where(ClaimLine.claim == cid).execute()


def _no_pointer(b, cid):
    ClaimLine.update(dx_pointers="").where(ClaimLine.claim == cid).execute()


def _unbillable_dx(b, cid):
    from medoffice_tui.db.models import ClaimDiagnosis

    ClaimDiagnosis.update(code="J06").where(ClaimDiagnosis.claim == cid).execute()


def _unknown_dx(b, cid):
    from medoffice_tui.db.models import ClaimDiagnosis

    ClaimDiagnosis.update(code="J06.99").where(
        (ClaimDiagnosis.claim == cid) & (ClaimDiagnosis.seq == 2)
    ).execute()


def _future_dos(b, cid):
    Claim.update(service_date=TODAY + dt.timedelta(days=2)).where(Claim.id == cid).execute()


def _zero_charge(b, cid):
    line = ClaimLine.select().where(ClaimLine.claim == cid).order_by(ClaimLine.line_no).first()
    claim = Claim.get_by_id(cid)
    ClaimLine.update(charge_cents=0).where(ClaimLine.id == line.id).execute()
    Claim.update(total_charge_cents=claim.total_charge_cents - line.charge_cents).where(
        Claim.id == cid
    ).execute()


def _total_off(b, cid):
    Claim.update(total_charge_cents=Claim.total_charge_cents + 1).where(Claim.id == cid).execute()


def _no_zip4(b, cid):
    Practice.update(zip="62701").execute()


def _po_box(b, cid):
    Practice.update(address1="PO Box 12").execute()


def _filing_passed(b, cid):
    Payer.update(timely_filing_days=2).where(Payer.id == b.payer).execute()


def _replacement_without_number(b, cid):
    Claim.update(frequency_code="7").where(Claim.id == cid).execute()


def _void_without_number(b, cid):
    Claim.update(frequency_code="8").where(Claim.id == cid).execute()


def _prior_auth_missing(b, cid):
    PayerRule.create(payer=b.payer, prior_auth_required=True)


def _bad_modifier(b, cid):
    ClaimLine.update(modifiers="2").where(ClaimLine.claim == cid).execute()


def _not_a_procedure_code(b, cid):
    ClaimLine.update(procedure_code="ABCDE").where(ClaimLine.claim == cid).execute()


RULES = [
    (_bad_rendering_npi, "rendering_provider", "Luhn"),
    (_no_rendering_npi, "rendering_provider", "no NPI"),
    (_bad_practice_npi, "billing_provider", "Luhn"),
    (_bad_billing_provider_npi, "billing_provider", "Luhn"),
    (_no_member_id, "member_id", "member id"),
    (_subscriber_missing, "subscriber", "subscriber"),
    (_pointer_to_nothing, "line1", "diagnosis 3, which is not there"),
    (_no_pointer, "line1", "points at no diagnosis"),
    (_unbillable_dx, "diagnoses", "not a billable code"),
    (_unknown_dx, "diagnoses", "is not in ICD-10-CM April 2026"),
    (_future_dos, "service_date", "future"),
    (_zero_charge, "line1", "more than zero"),
    (_total_off, "total", "sum of its lines"),
    (_no_zip4, "billing_address", "ZIP+4"),
    (_po_box, "billing_address", "PO box"),
    (_filing_passed, "filing", "filing limit"),
    (_replacement_without_number, "payer_claim_number", "replacement"),
    (_void_without_number, "payer_claim_number", "void"),
    (_prior_auth_missing, "prior_auth", "prior authorization"),
    (_bad_modifier, "line1", "modifier"),
    (_not_a_procedure_code, "line1", "neither a CPT nor a HCPCS"),
]


@pytest.mark.parametrize("damage, field, words", RULES, ids=[r[0].__name__[1:] for r in RULES])
def test_each_rule_fails_a_claim_that_breaks_it(
    billing,
    claim_id,
    staff,
    damage,
    field,  # noqa: F811
    words,
    fixture_writes,
) -> None:
    damage(billing, claim_id)
    problems = claims.scrub(claim_id, load_codes=False)
    assert any(p.field == field and words in p.message for p in problems), problems
    with pytest.raises(claims.ScrubFailed) as refused:
        claims.mark_ready(staff["billing"], claim_id)
    assert refused.value.problems == problems
    assert Claim.get_by_id(claim_id).status == "draft"


def test_subscriber_data_given_passes(billing, claim_id, fixture_writes) -> None:  # noqa: F811
    Coverage.update(
        relationship="child",
        subscriber_first="Bo",
        subscriber_last="Lee",
        subscriber_dob=dt.date(1960, 5, 5),
    ).where(Coverage.id == billing.coverage).execute()
    assert "subscriber" not in fields_of(claim_id)


def test_replacement_with_the_payers_number_passes(claim_id, fixture_writes) -> None:
    Claim.update(frequency_code="7", payer_claim_number="PAYER123").where(
        Claim.id == claim_id
    ).execute()
    assert "payer_claim_number" not in fields_of(claim_id)


def test_prior_auth_given_passes(billing, claim_id, fixture_writes) -> None:  # noqa: F811
    PayerRule.create(payer=billing.payer, prior_auth_required=True)
    Claim.update(prior_auth_number="AUTH77").where(Claim.id == claim_id).execute()
    assert "prior_auth" not in fields_of(claim_id)


def test_within_the_filing_limit_passes_and_the_limit_is_per_payer(
    billing, claim_id, fixture_writes
) -> None:  # noqa: F811, E501
    Payer.update(timely_filing_days=3).where(Payer.id == billing.payer).execute()  # day 3 of 3
    assert "filing" not in fields_of(claim_id)
    Payer.update(timely_filing_days=2).where(Payer.id == billing.payer).execute()
    assert "filing" in fields_of(claim_id)


def test_hcpcs_is_checked_against_the_cms_file_once_imported(
    billing, staff, fixture_writes
) -> None:  # noqa: F811, E501
    from pathlib import Path

    sample = Path(__file__).resolve().parents[3] / "shared/samples/codes"
    path = sample / "cms_hcpcs_2020__HCPC2020_ANWEB_w_disclaimer.txt"
    if not path.exists():
        pytest.skip("the shared CMS sample file is not beside the project")
    lines = (
        ChargeLineInput("99213", (), 1, None, (1,)),
        ChargeLineInput("J1100", (), 4, None, (1,)),
        ChargeLineInput("G9999", (), 1, 500, (1,)),
    )
    cid = claims.enter_charges(staff["billing"], charges_for(billing, lines=lines))
    assert not {"line2", "line3"} & fields_of(cid)  # shape only before the file
    claims.codes_hcpcs.import_hcpcs(staff["billing"], path)
    problems = claims.scrub(cid, load_codes=False)
    assert [p.field for p in problems] == ["line3"] and "not in the imported HCPCS" in problems[
        0
    ].message


def test_entry_refuses_what_cannot_be_stored(billing, staff) -> None:  # noqa: F811
    bad_code = charges_for(billing, lines=(ChargeLineInput("9921", (), 1, None, (1,)),))
    with pytest.raises(InvalidInput) as e:
        claims.enter_charges(staff["billing"], bad_code)
    assert e.value.field == "line1"
    with pytest.raises(InvalidInput) as e:
        claims.enter_charges(staff["billing"], charges_for(billing, diagnoses=("XYZ",)))
    assert e.value.field == "diagnoses"
    with pytest.raises(InvalidInput) as e:
        claims.enter_charges(staff["billing"], charges_for(billing, service_date=None))
    assert e.value.field == "service_date"
    no_fee = charges_for(billing, lines=(ChargeLineInput("99999", (), 1, None, (1,)),))
    with pytest.raises(InvalidInput, match="no fee"):
        claims.enter_charges(staff["billing"], no_fee)
