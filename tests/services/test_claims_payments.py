"""Posting money: full pay, partial, denial, write-off, patient responsibility split,
overpayment (refused from a payer, held as credit from a patient), a line posted twice,
money that stays exact; and the summary matching a full recount after all of it."""

from __future__ import annotations

import pytest

from medoffice_tui.db.models import Adjustment, Claim, ClaimLine, Payment
from medoffice_tui.errors import InvalidInput, PermissionDenied
from medoffice_tui.services import claims
from medoffice_tui.services.claims import AdjustmentInput as Adj
from medoffice_tui.services.claims import LinePosting, PayerPayment
from medoffice_tui.services.money import parse_money

from .test_claims_support import billing, charges_for, sqlite_only  # noqa: F401 - fixture

__all__ = ["billing"]


@pytest.fixture
def sent(billing, staff) -> int:  # noqa: F811
    """A claim (99213 $130 + 36415 $20) marked ready and sent."""
    biller = staff["billing"]
    cid = claims.enter_charges(biller, charges_for(billing))
    claims.mark_ready(biller, cid)
    claims.set_status(biller, cid, "submitted")
    return cid


def lines(cid: int) -> list[ClaimLine]:
    return list(ClaimLine.select().where(ClaimLine.claim == cid).order_by(ClaimLine.line_no))


def invariant_holds(cid: int) -> bool:
    return claims.payments.line_invariant_breaks(cid) == [] and not claims.summaries.differences()


def post(staff, cid, *postings, reference="EFT1"):
    return claims.post_payer_payment(
        staff["billing"], PayerPayment(cid, tuple(postings), reference)
    )


def test_full_payment_with_contractual_adjustment_is_paid(sent, staff) -> None:
    one, two = lines(sent)
    result = post(
        staff,
        sent,
        LinePosting(one.id, 9000, (Adj("CO", "45", 4000),), 9000),
        LinePosting(two.id, 1500, (Adj("CO", "45", 500),), 1500),
    )
    claim = Claim.get_by_id(sent)
    assert (result.status, claim.status, claim.balance_cents, claim.paid_cents) == (
        "paid",
        "paid",
        0,
        10500,
    )
    assert claim.adjustment_cents == 4500 and invariant_holds(sent)


def test_patient_responsibility_split_then_patient_pays(sent, staff, billing) -> None:  # noqa: F811
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(
            one.id, 6000, (Adj("CO", "45", 4000), Adj("PR", "3", 2000), Adj("PR", "1", 1000)), 9000
        ),
        LinePosting(two.id, 1000, (Adj("CO", "45", 500), Adj("PR", "2", 500)), 1500),
    )
    claim = Claim.get_by_id(sent)
    assert claim.status == "partially_paid" and claim.balance_cents == 3500
    assert claim.patient_resp_cents == 3500
    reasons = {a.carc for a in Adjustment.select().where(Adjustment.group_code == "PR")}
    assert reasons == {"1", "2", "3"}  # deductible, coinsurance, copay kept apart
    balance = claims.balances.balance_of(billing.patient)
    assert balance.owes_cents == 3500 and balance.due_cents == 3500
    result = claims.take_patient_payment(staff["front_desk"], billing.patient, 3500, "card")
    assert result.status == "paid" and Claim.get_by_id(sent).balance_cents == 0
    assert invariant_holds(sent)


@sqlite_only
def test_partial_payment_leaves_a_balance(sent, staff) -> None:
    one, _two = lines(sent)
    post(staff, sent, LinePosting(one.id, 9000, (Adj("CO", "45", 4000),), 9000))
    claim = Claim.get_by_id(sent)
    assert claim.status == "partially_paid" and claim.balance_cents == 2000
    assert invariant_holds(sent)


def test_denial_shows_the_reason_in_plain_words_and_keeps_the_balance(sent, staff) -> None:
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(one.id, 0, (Adj("CO", "50", 13000, "N130"),)),
        LinePosting(two.id, 0, (Adj("OA", "97", 2000),)),
    )
    claim = Claim.get_by_id(sent)
    # denied: owed until it is appealed or written off
    assert claim.status == "denied" and claim.balance_cents == 15000
    detail = claims.get_claim(staff["billing"], sent)
    texts = [a.text for a in detail.adjustments]
    assert any("not medically necessary" in t and "benefit documents" in t for t in texts)
    assert invariant_holds(sent)


@sqlite_only
def test_an_appeal_won_replaces_the_denial(sent, staff) -> None:
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(one.id, 0, (Adj("CO", "50", 13000),)),
        LinePosting(two.id, 0, (Adj("CO", "50", 2000),)),
    )
    claims.set_status(staff["billing"], sent, "appealed", note="letter sent")
    post(
        staff,
        sent,
        LinePosting(one.id, 9000, (Adj("CO", "45", 4000),)),
        LinePosting(two.id, 2000),
        reference="EFT2",
    )
    claim = Claim.get_by_id(sent)
    assert claim.status == "paid" and claim.balance_cents == 0 and invariant_holds(sent)


@sqlite_only
def test_a_denied_claim_can_be_written_off(sent, staff) -> None:
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(one.id, 0, (Adj("CO", "29", 13000),)),
        LinePosting(two.id, 0, (Adj("CO", "29", 2000),)),
    )
    assert claims.write_off(staff["billing"], sent, "time").status == "written_off"
    assert Claim.get_by_id(sent).balance_cents == 0 and invariant_holds(sent)


@sqlite_only
def test_a_line_that_does_not_balance_is_refused(sent, staff) -> None:
    one, _ = lines(sent)
    with pytest.raises(InvalidInput, match="does not balance: \\$10.00 left unexplained") as e:
        post(staff, sent, LinePosting(one.id, 9000, (Adj("CO", "45", 3000),)))
    assert e.value.field == "line1"
    assert Payment.select().count() == 0 and Claim.get_by_id(sent).balance_cents == 15000


@sqlite_only
def test_payer_overpayment_is_refused(sent, staff) -> None:
    one, _ = lines(sent)
    with pytest.raises(InvalidInput, match="more than the charge"):
        post(staff, sent, LinePosting(one.id, 14000, ()))


def test_a_line_posted_twice_is_refused_not_added(sent, staff) -> None:
    one, _ = lines(sent)
    post(staff, sent, LinePosting(one.id, 13000, ()))
    with pytest.raises(InvalidInput, match="does not balance"):
        post(staff, sent, LinePosting(one.id, 13000, ()), reference="EFT2")
    assert ClaimLine.get_by_id(one.id).paid_cents == 13000 and invariant_holds(sent)


def test_patient_overpayment_is_held_as_credit(sent, staff, billing) -> None:  # noqa: F811
    result = claims.take_patient_payment(staff["front_desk"], billing.patient, 20000, "cash")
    assert result.credit_cents == 5000 and result.applied == {sent: 15000}
    assert Claim.get_by_id(sent).balance_cents == 0
    assert claims.balances.balance_of(billing.patient).credit_cents == 5000
    assert invariant_holds(sent)


@sqlite_only
def test_check_needs_its_number_and_amounts_are_checked(sent, staff, billing) -> None:  # noqa: F811
    with pytest.raises(InvalidInput) as e:
        claims.take_patient_payment(staff["front_desk"], billing.patient, 100, "check")
    assert e.value.field == "reference"
    with pytest.raises(InvalidInput):
        claims.take_patient_payment(staff["front_desk"], billing.patient, 0, "cash")


def test_write_off_needs_billing_or_manager_and_closes_the_claim(sent, staff) -> None:
    with pytest.raises(PermissionDenied):
        claims.write_off(staff["front_desk"], sent, "small")
    with pytest.raises(InvalidInput) as e:
        claims.write_off(staff["billing"], sent, "small", amount_cents=99999)
    assert e.value.field == "amount"
    claims.write_off(staff["billing"], sent, "small", amount_cents=1000)
    assert (
        Claim.get_by_id(sent).balance_cents == 14000 and Claim.get_by_id(sent).status == "submitted"
    )
    result = claims.write_off(staff["manager"], sent, "time")
    assert result.status == "written_off" and Claim.get_by_id(sent).balance_cents == 0
    assert invariant_holds(sent)


@sqlite_only
def test_front_desk_may_take_payments_but_not_post_payer_money(sent, staff, billing) -> None:  # noqa: F811
    one, _ = lines(sent)
    with pytest.raises(PermissionDenied):
        claims.post_payer_payment(
            staff["front_desk"], PayerPayment(sent, (LinePosting(one.id, 13000),))
        )
    claims.take_patient_payment(staff["front_desk"], billing.patient, 2000, "card", claim_id=sent)


@sqlite_only
def test_posting_to_a_claim_not_yet_sent_is_refused(billing, staff) -> None:  # noqa: F811
    cid = claims.enter_charges(staff["billing"], charges_for(billing))
    one = lines(cid)[0]
    with pytest.raises(InvalidInput, match="mark it sent"):
        post(staff, cid, LinePosting(one.id, 13000))


@pytest.mark.parametrize(
    "typed, cents",
    [("12", 1200), ("12.5", 1250), ("0.10", 10), ("$1,234.56", 123456), ("0.29", 29)],
)
def test_money_stays_exact(typed, cents) -> None:
    assert parse_money(typed) == cents
    assert parse_money("0.1") + parse_money("0.2") == parse_money("0.3")


def test_more_than_two_decimals_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_money("12.345")


@sqlite_only
def test_secondary_only_after_the_primary_is_decided(sent, staff, billing) -> None:  # noqa: F811
    second = charges_for(billing, coverage_id=billing.secondary_coverage, appointment_id=None)
    with pytest.raises(InvalidInput) as e:
        claims.enter_charges(staff["billing"], second)
    assert e.value.field == "coverage"
    one, two = lines(sent)
    post(staff, sent, LinePosting(one.id, 9000, (Adj("PR", "2", 4000),)), LinePosting(two.id, 2000))
    cid = claims.enter_charges(staff["billing"], second)
    claim = Claim.get_by_id(cid)
    assert (
        claim.payer_seq == "S"
        and claim.prior_claim_id == sent
        and claim.payer_id == billing.secondary_payer
    )


@sqlite_only
def test_a_copay_paid_at_check_in_meets_the_payers_decision(sent, staff, billing) -> None:  # noqa: F811
    claims.take_patient_payment(staff["front_desk"], billing.patient, 2000, "card", claim_id=sent)
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(one.id, 7000, (Adj("CO", "45", 4000), Adj("PR", "3", 2000))),
        LinePosting(two.id, 2000),
    )
    assert Claim.get_by_id(sent).status == "paid" and invariant_holds(sent)


def test_money_the_payer_made_unneeded_goes_back_to_credit(sent, staff, billing) -> None:  # noqa: F811
    claims.take_patient_payment(staff["front_desk"], billing.patient, 2500, "card", claim_id=sent)
    one, two = lines(sent)
    post(
        staff, sent, LinePosting(one.id, 9000, (Adj("CO", "45", 4000),)), LinePosting(two.id, 2000)
    )
    claim = Claim.get_by_id(sent)
    assert claim.balance_cents == 0 and claim.status == "paid"
    assert claims.balances.balance_of(billing.patient).credit_cents == 2500
    assert invariant_holds(sent)


@sqlite_only
def test_a_denied_claim_is_not_yet_the_patients_to_pay(sent, staff, billing) -> None:  # noqa: F811
    one, two = lines(sent)
    post(
        staff,
        sent,
        LinePosting(one.id, 0, (Adj("CO", "50", 13000),)),
        LinePosting(two.id, 0, (Adj("CO", "50", 2000),)),
    )
    balance = claims.balances.balance_of(billing.patient)
    assert (balance.owes_cents, balance.with_insurance_cents) == (0, 15000)
    assert balance.lines[0].adjusted_cents == 0  # the denial is being worked, not accepted
