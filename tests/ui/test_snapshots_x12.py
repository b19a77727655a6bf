"""What the claims-files screens look like at 80x24 on the demo (SVG baselines): the
rejected claims with their reasons, the files list, and the report of an 835."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from medoffice_tui.services.x12 import folders

from .conftest import SIZE


@pytest.fixture(autouse=True)
def _quiet_codes(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from medoffice_tui.services.claims import codes_icd

    monkeypatch.setenv(folders.ENV_FOLDER, str(tmp_path / "claims-files"))
    monkeypatch.setattr(codes_icd, "ensure_loaded", lambda: None)


async def _settle(pilot: Pilot) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _keys(*keys: str):  # noqa: ANN202 - a run_before coroutine
    async def run_before(pilot: Pilot) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


def test_claim_files_rejected_claims(snap_compare, make_app) -> None:
    app = make_app(user="billing")
    assert snap_compare(app, run_before=_keys("f4", "x", "down"), terminal_size=SIZE)


def test_claim_files_list_of_files(snap_compare, make_app, demo_url, tmp_path) -> None:
    from medoffice_tui.services.x12 import export
    from tests.ui.conftest import demo_actor

    out = tmp_path / "out"
    out.mkdir()
    export.export_837p(demo_actor("billing"), out)
    app = make_app(user="billing")
    assert snap_compare(app, run_before=_keys("f4", "x", "tab"), terminal_size=SIZE)


def test_claim_report_of_an_835(snap_compare, make_app, demo_url, tmp_path) -> None:
    from medoffice_tui.db.models import Claim, ClaimLine
    from tests.services.test_x12_support import Cas, Clp, Svc, write_835

    clps = [
        Clp(
            "NOT-OURS-1",
            "1",
            5000,
            4000,
            services=[Svc("99213", 5000, 4000, [Cas("CO", "45", 1000)])],
        )
    ]
    for claim in Claim.select().where(Claim.status == "submitted").order_by(Claim.id).limit(3):
        lines = ClaimLine.select().where(ClaimLine.claim == claim.id).order_by(ClaimLine.line_no)
        services = [
            Svc(
                ln.procedure_code,
                ln.charge_cents,
                ln.charge_cents - 1500,
                [Cas("CO", "45", 1000), Cas("PR", "3", 500)],
                modifiers=tuple(m for m in ln.modifiers.split(",") if m),
            )
            for ln in lines
        ]
        total = sum(s.charge for s in services)
        clps.append(
            Clp(
                claim.claim_number,
                "1",
                total,
                sum(s.paid for s in services),
                500 * len(services),
                services=services,
            )
        )
    inbox = folders.inbox()
    inbox.mkdir(parents=True)
    (inbox / "era-1123.835").write_text(write_835(clps, trace="EFT4242"))
    app = make_app(user="billing")
    assert snap_compare(app, run_before=_keys("f4", "x", "i", "enter"), terminal_size=SIZE)
