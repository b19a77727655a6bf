"""The claims screens at 80x24 on the demo practice (SVG baselines): the queue with its
aging chart, the charge form with a diagnosis being looked up, a claim's screen with
the scrubber's findings. Regenerate with ``pytest tests/ui/test_snapshots_claims.py
--snapshot-update`` after an intended change, and look at the report first."""

from __future__ import annotations

from textual.pilot import Pilot

from medoffice_tui.db.models import Claim, CodeSetRelease, Coverage
from medoffice_tui.db.write_guard import writing_as

from .conftest import SIZE


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _codes_as_loaded() -> None:
    with writing_as("test:fixture"):
        CodeSetRelease.update(source="test").where(CodeSetRelease.code_set == "icd10cm").execute()


def test_claims_queue_with_the_bucket_chart(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("f4")
        await _settle(pilot)

    assert snap_compare(make_app(user="billing"), run_before=run_before, terminal_size=SIZE)


def test_charge_form_looking_up_a_diagnosis(snap_compare, make_app) -> None:
    _codes_as_loaded()

    async def run_before(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        visits = pilot.app.screen.query_one("#visits-list")
        insured = {
            c.patient_id for c in Coverage.select(Coverage.patient).where(Coverage.rank == 1)
        }
        index = next(i for i, r in enumerate(visits.rows) if r.data.patient_id in insured)
        await pilot.press(*["down"] * index, "enter")
        await _settle(pilot)
        await pilot.press(*"J06.9", "space", *"strep")
        await _settle(pilot)

    assert snap_compare(make_app(user="billing"), run_before=run_before, terminal_size=SIZE)


def test_claim_screen_with_the_scrubbers_findings(snap_compare, make_app) -> None:
    _codes_as_loaded()
    from medoffice_tui.services import claims

    draft = next(
        c
        for c in Claim.select().where(Claim.status == "draft").order_by(Claim.id)
        if claims.scrub(c.id, load_codes=False)
    )

    async def run_before(pilot: Pilot) -> None:
        from medoffice_tui.ui.claims.claim_screen import ClaimScreen

        await _settle(pilot)
        await pilot.press("f4")
        await _settle(pilot)
        pilot.app.push_screen(ClaimScreen(draft.id))
        await _settle(pilot)

    assert snap_compare(make_app(user="billing"), run_before=run_before, terminal_size=SIZE)
