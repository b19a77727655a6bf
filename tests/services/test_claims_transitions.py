"""Every status change: each allowed one works (and is in the history, with who and a
note), every other one is refused; who may; assigning, follow-up dates and notes."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import CLAIM_STATUSES, Claim
from medoffice_tui.errors import InvalidInput, PermissionDenied, StaleEdit
from medoffice_tui.services import claims
from medoffice_tui.services.claims.statuses import MANUAL_TRANSITIONS

from .test_claims_support import TODAY, billing, charges_for, sqlite_only  # noqa: F401 - fixture

__all__ = ["billing"]

pytestmark = sqlite_only  # engine-independent rules: SQLite only


@pytest.fixture
def claim_id(billing, staff) -> int:  # noqa: F811
    return claims.enter_charges(staff["billing"], charges_for(billing))


@pytest.mark.parametrize("from_status", CLAIM_STATUSES)
def test_only_the_allowed_transitions(claim_id, staff, fixture_writes, from_status) -> None:
    """From each status, every other status: the allowed ones work, the rest are refused."""
    for to_status in CLAIM_STATUSES:
        if to_status == from_status:
            continue
        balance = 0 if from_status == "paid" else 15000
        Claim.update(status=from_status, balance_cents=balance).where(
            Claim.id == claim_id
        ).execute()
        claims.summaries.rebuild()
        if to_status in MANUAL_TRANSITIONS[from_status]:
            claims.set_status(staff["manager"], claim_id, to_status, note="by the test")
            assert Claim.get_by_id(claim_id).status == to_status
            last = claims.claim_history(claim_id)[-1]
            assert (last.from_status, last.to_status, last.user, last.note) == (
                from_status,
                to_status,
                staff["manager"].username,
                "by the test",
            )
            assert claims.summaries.differences() == []
        else:
            with pytest.raises(InvalidInput):
                claims.set_status(staff["manager"], claim_id, to_status)
            assert Claim.get_by_id(claim_id).status == from_status, to_status


def test_sending_needs_the_submit_permission(claim_id, staff) -> None:
    claims.mark_ready(staff["billing"], claim_id)
    with pytest.raises(PermissionDenied, match="Submitting claims needs the Billing or Manager"):
        claims.set_status(staff["front_desk"], claim_id, "submitted")
    with pytest.raises(PermissionDenied):
        claims.mark_ready(staff["front_desk"], claim_id)


def test_a_stale_version_is_refused(claim_id, staff) -> None:
    version = Claim.get_by_id(claim_id).version
    claims.assign(staff["billing"], claim_id, staff["billing"].user_id, expected_version=version)
    with pytest.raises(StaleEdit):
        claims.set_status(staff["billing"], claim_id, "ready", expected_version=version)


def test_corrected_becomes_a_replacement(claim_id, staff, fixture_writes) -> None:
    Claim.update(status="denied").where(Claim.id == claim_id).execute()
    claims.set_status(staff["billing"], claim_id, "corrected")
    assert Claim.get_by_id(claim_id).frequency_code == "7"
    problems = claims.scrub(claim_id, load_codes=False)
    assert [p.field for p in problems] == ["payer_claim_number"]


def test_assign_follow_up_and_note_are_in_the_history(claim_id, staff) -> None:
    biller = staff["billing"]
    claims.assign(biller, claim_id, biller.user_id)
    claims.set_follow_up(biller, claim_id, TODAY + dt.timedelta(days=7), "call the payer")
    claims.add_note(biller, claim_id, "payer says resend with the auth")
    claim = Claim.get_by_id(claim_id)
    assert claim.assignee_id == biller.user_id and claim.follow_up_on == TODAY + dt.timedelta(
        days=7
    )
    kinds = [h.kind for h in claims.claim_history(claim_id)]
    assert kinds[-3:] == ["assign", "follow_up", "note"]
    with pytest.raises(InvalidInput) as e:
        claims.assign(biller, claim_id, staff["front_desk"].user_id)
    assert e.value.field == "assignee"
    with pytest.raises(InvalidInput):
        claims.add_note(biller, claim_id, "   ")
    with pytest.raises(InvalidInput):
        claims.set_follow_up(biller, claim_id, TODAY + dt.timedelta(days=400))
    claims.assign(biller, claim_id, None)
    assert Claim.get_by_id(claim_id).assignee_id is None


def test_editing_charges_sends_a_ready_claim_back_to_draft(claim_id, staff, billing) -> None:  # noqa: F811
    from medoffice_tui.services.claims.charges import ChargeLineInput

    claims.mark_ready(staff["billing"], claim_id)
    version = Claim.get_by_id(claim_id).version
    fixed = charges_for(billing, lines=(ChargeLineInput("99213", ("25",), 1, 15000, (1, 2)),))
    claims.update_charges(staff["billing"], claim_id, fixed, version)
    claim = Claim.get_by_id(claim_id)
    assert claim.status == "draft" and claim.total_charge_cents == 15000 == claim.balance_cents
    assert claims.summaries.differences() == []
    claims.set_status(staff["billing"], claim_id, "ready")
    claims.set_status(staff["billing"], claim_id, "submitted")
    with pytest.raises(InvalidInput, match="can no longer be edited"):
        claims.update_charges(staff["billing"], claim_id, fixed, Claim.get_by_id(claim_id).version)
