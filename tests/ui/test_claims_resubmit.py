"""By keys: billing makes a claim a void in the charge form, the claim's screen says the
payer's original claim number is missing and where it goes, ``e`` opens the form on
that field, and the number typed there clears the finding."""

from __future__ import annotations

from medoffice_tui.db.models import Claim
from medoffice_tui.services import claims
from medoffice_tui.ui.claims.charge_form import ChargeForm
from medoffice_tui.ui.claims.claim_screen import ClaimScreen
from medoffice_tui.ui.forms.fields import ChoiceInput

from .conftest import SIZE
from .test_app import settle
from .test_claims_pane import codes_as_loaded, type_text  # noqa: F401 - the fixture


def _clean_draft() -> int:
    for claim in Claim.select().where(Claim.status == "draft").order_by(Claim.id):
        if not claims.scrub(claim.id, load_codes=False):
            return claim.id
    raise AssertionError("the demo has a draft the scrubber passes")


async def test_a_void_needs_the_payers_number_and_e_leads_there(make_app, codes_as_loaded) -> None:  # noqa: F811
    app = make_app(user="billing")
    cid = _clean_draft()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ClaimScreen(cid))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ChargeForm)
        frequency = form.field("frequency_code")
        assert frequency is not None and form.field("payer_claim_number") is not None
        for _ in range(40):  # Tab to the frequency
            if isinstance(form.focused, ChoiceInput) and form.focused in frequency.query("*"):
                break
            await pilot.press("tab")
        await pilot.press("right", "right")  # 1 original -> 7 replacement -> 8 void
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert Claim.get_by_id(cid).frequency_code == "8"
        shown = str(app.screen.query_one("#claim-detail").render())
        assert "void claim needs the payer's original claim number" in shown
        assert "-> payer's claim number (e, billing)" in shown

        await pilot.press("e")  # the form opens on the field to fix
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ChargeForm)
        assert form.focused is form.field("payer_claim_number").input
        await type_text(pilot, "PCN20260042")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        claim = Claim.get_by_id(cid)
        assert (claim.frequency_code, claim.payer_claim_number) == ("8", "PCN20260042")
        assert claims.scrub(cid, load_codes=False) == []
        assert "8 void, payer's claim no. PCN20260042" in str(
            app.screen.query_one("#claim-detail").render()
        )


async def test_the_front_desk_form_has_no_frequency(make_app, codes_as_loaded) -> None:  # noqa: F811
    app = make_app(user="frontdesk")
    cid = Claim.select(Claim.id).where(Claim.status == "draft").order_by(Claim.id).scalar()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ClaimScreen(cid))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ChargeForm)
        assert app.screen.field("frequency_code") is None
