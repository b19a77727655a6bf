"""Replacement and void claims through charge entry: billing sets the frequency (7, 8)
and the payer's original claim number; the scrubber asks for the number until it is
there; the front desk may not make a claim a replacement or a void."""

from __future__ import annotations

import dataclasses

import pytest

from medoffice_tui.db.models import Claim
from medoffice_tui.errors import InvalidInput, PermissionDenied
from medoffice_tui.services import claims

from .test_claims_support import billing, charges_for, sqlite_only  # noqa: F401 - fixture

pytestmark = sqlite_only  # engine-independent rules


def test_billing_makes_a_void_and_gives_the_payers_number(billing, staff) -> None:  # noqa: F811
    biller = staff["billing"]
    charges = charges_for(billing)
    cid = claims.enter_charges(biller, charges)
    void = dataclasses.replace(charges, frequency_code="8")
    claims.update_charges(biller, cid, void, Claim.get_by_id(cid).version)
    assert Claim.get_by_id(cid).frequency_code == "8"
    problems = claims.scrub(cid, load_codes=False)
    assert [p.field for p in problems] == ["payer_claim_number"]
    assert "void claim needs the payer's original claim number" in problems[0].message
    given = dataclasses.replace(void, payer_claim_number=" PCN-2026-0042 ")
    claims.update_charges(biller, cid, given, Claim.get_by_id(cid).version)
    claim = Claim.get_by_id(cid)
    assert (claim.frequency_code, claim.payer_claim_number) == ("8", "PCN-2026-0042")
    assert claims.scrub(cid, load_codes=False) == []
    replacement = dataclasses.replace(given, frequency_code="7", appointment_id=None)
    cid2 = claims.enter_charges(staff["manager"], replacement)  # new, as a replacement
    assert Claim.get_by_id(cid2).frequency_code == "7"


def test_the_front_desk_may_not_set_the_frequency_or_payer_number(billing, staff) -> None:  # noqa: F811
    desk = staff["front_desk"]
    charges = charges_for(billing)
    with pytest.raises(PermissionDenied):
        claims.enter_charges(
            desk, dataclasses.replace(charges, frequency_code="7", appointment_id=None)
        )
    cid = claims.enter_charges(desk, charges)
    version = Claim.get_by_id(cid).version
    with pytest.raises(PermissionDenied):
        claims.update_charges(desk, cid, dataclasses.replace(charges, frequency_code="8"), version)
    with pytest.raises(PermissionDenied):
        claims.update_charges(
            desk, cid, dataclasses.replace(charges, payer_claim_number="X1"), version
        )
    claims.update_charges(desk, cid, charges, version)  # unchanged: the desk may edit
    with pytest.raises(InvalidInput) as refused:
        claims.update_charges(
            staff["billing"],
            cid,
            dataclasses.replace(charges, frequency_code="5"),
            Claim.get_by_id(cid).version,
        )
    assert refused.value.field == "frequency_code"
