"""The claims work by keys on the demo practice: charges for a completed visit, the
scrubber's findings, fixing them, ready, sent, a payer payment with an adjustment, the
bucket filter, assigning and a follow-up date; roles hide what they may not do."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Claim, ClaimLine, CodeSetRelease, Coverage
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import claims
from medoffice_tui.ui.claims.charge_form import ChargeForm, DiagnosisField
from medoffice_tui.ui.claims.claim_screen import ClaimScreen
from medoffice_tui.ui.claims.payment_forms import PayerPaymentForm
from medoffice_tui.ui.claims.visits import VisitsToBillScreen
from medoffice_tui.ui.panes.claims import ClaimsPane

from .conftest import DEMO_TODAY, SIZE
from .test_app import list_of, settle


@pytest.fixture
def codes_as_loaded(demo_url: str) -> None:
    """The demo's ICD-10-CM sample counts as the loaded release (no 4 s first-use load)."""
    with writing_as("test:fixture"):
        CodeSetRelease.update(source="test").where(CodeSetRelease.code_set == "icd10cm").execute()


async def type_text(pilot, text: str) -> None:  # noqa: ANN001 - a Pilot
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def newest_claim() -> Claim:
    return Claim.select().order_by(Claim.id.desc()).get()


async def test_charges_scrubber_fix_ready_post_filter_assign(make_app, codes_as_loaded) -> None:
    app = make_app(user="billing")
    before = Claim.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("c")  # completed visits without a claim
        await settle(app, pilot)
        assert isinstance(app.screen, VisitsToBillScreen)
        visits = app.screen.query_one("#visits-list")
        insured = {
            c.patient_id for c in Coverage.select(Coverage.patient).where(Coverage.rank == 1)
        }
        index = next(i for i, r in enumerate(visits.rows) if r.data.patient_id in insured)
        await pilot.press(*["down"] * index)
        visit = visits.current.data
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChargeForm)
        # a category code and a pointer to a diagnosis that is not there
        await type_text(pilot, "J06 ")
        await settle(app, pilot)
        await pilot.press("tab", *"99213", "tab", "tab", "tab", "tab", *"1,2")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        claim = newest_claim()
        assert Claim.select().count() == before + 1 and claim.appointment_id == visit.appointment_id
        assert claim.status == "draft" and claim.total_charge_cents == 13000  # the fee
        shown = str(app.screen.query_one("#claim-detail").render())
        assert "not a billable code" in shown and "diagnosis 2, which is not there" in shown

        await pilot.press("r")  # refused: the problems stay listed
        await settle(app, pilot)
        assert newest_claim().status == "draft"

        await pilot.press("e")  # fix them
        await settle(app, pilot)
        assert isinstance(app.screen, ChargeForm)
        dx = app.screen.query_one(DiagnosisField)
        dx.set_raw("")
        await settle(app, pilot)
        await type_text(pilot, "J06.9 R05.9 ")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert claims.scrub(claim.id, load_codes=False) == []
        assert "nothing to fix" in str(app.screen.query_one("#claim-detail").render())

        await pilot.press("r")  # ready
        await settle(app, pilot)
        assert newest_claim().status == "ready"
        await pilot.press("t", "right", "enter")  # ready -> sent
        await settle(app, pilot)
        assert newest_claim().status == "submitted"

        await pilot.press("p")  # the payer: allowed 90, paid 70, copay 20 (CO 45 of 40)
        await settle(app, pilot)
        assert isinstance(app.screen, PayerPaymentForm)
        await type_text(pilot, "EFT777")
        await pilot.press("tab", "tab", "tab", *"90", "tab", *"70", "tab", *"20")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        claim = newest_claim()
        line = ClaimLine.get(ClaimLine.claim == claim.id)
        assert (line.paid_cents, line.co_cents, line.pr_cents) == (7000, 4000, 2000)
        assert claim.status == "partially_paid" and claim.balance_cents == 2000
        assert "contractual" in str(app.screen.query_one("#claim-detail").render())

        await pilot.press("a", "right", "enter")  # assign to the first biller
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        await type_text(pilot, "t+7")
        await pilot.press("enter")
        await settle(app, pilot)
        claim = newest_claim()
        assert claim.assignee_id == claims.assignable_staff()[0].id
        assert claim.follow_up_on == DEMO_TODAY + dt.timedelta(days=7)
        kinds = [h.kind for h in claims.claim_history(claim.id)]
        assert {"payment", "assign", "follow_up"} <= set(kinds)

        await pilot.press("escape", "escape")  # the claim, the visits: the queue again
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        rows = list_of(app, "#claims-list").rows
        assert pane.bucket_filter == "0-30" and rows
        assert all(r.data.bucket == "0-30" for r in rows)
        assert claim.id in [r.data.id for r in rows]


async def test_filters_owner_payer_follow_up_and_sort(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        listing = list_of(app, "#claims-list")
        await pilot.press("o")  # largest balance first
        await settle(app, pilot)
        balances = [r.data.balance_cents for r in listing.rows]
        assert balances == sorted(balances, reverse=True)
        await pilot.press("o", "o", "i")  # back to oldest; the first payer
        await settle(app, pilot)
        payer = pane.payer_filter
        assert payer is not None and {r.data.payer_id for r in listing.rows} <= {payer[0]}
        await pilot.press("m", "m")  # owner: mine, then nobody
        await settle(app, pilot)
        assert all(r.data.assignee_id is None for r in listing.rows)
        await pilot.press("m", "u")  # a biller's claims whose follow-up has come
        await settle(app, pilot)
        assert all(r.data.follow_up_on <= DEMO_TODAY for r in listing.rows)
        assert "follow-up due" in str(app.query_one("#claims-filter").render())


async def test_front_desk_sees_no_billing_keys(make_app) -> None:
    app = make_app(user="frontdesk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        assert pane.check_action("payer_payment", ()) is False
        assert pane.check_action("write_off", ()) is False
        assert pane.check_action("mark_ready", ()) is False
        assert pane.check_action("visits", ()) is True  # front desk enters charges
        await pilot.press("p", "w")  # nothing opens
        await settle(app, pilot)
        assert app.screen is app.main_screen


async def test_the_chart_and_the_summary_line_read_at_80_columns(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        chart = app.query_one("#claims-chart")
        lines = chart.plain.splitlines()
        assert len(lines) == 3 and all(len(line) <= 80 for line in lines)
        summary = claims.aging_summary()
        for bucket, (count, _cents) in summary.items():
            assert f"{bucket} days {count:,}" in lines[0]
        assert "█" in lines[1]
        status = str(app.query_one("#claims-filter").render())
        assert status.startswith("Owed $") and "Status open" in status
