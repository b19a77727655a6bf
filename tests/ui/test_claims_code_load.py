"""The first use of the ICD-10-CM code set is said on screen, with its progress: the
claim's screen reads "Loading the ICD-10-CM code set, first use only ... 50%" while the
release loads, then the claim (the load itself stubbed: the real one takes ~20 s)."""

from __future__ import annotations

import asyncio
import threading

from medoffice_tui.db.models import Claim
from medoffice_tui.services.claims import codes_icd
from medoffice_tui.ui.claims import code_load
from medoffice_tui.ui.claims.claim_screen import ClaimScreen

from .conftest import SIZE
from .test_app import settle


async def test_the_first_claim_opened_says_the_code_set_is_loading(make_app, monkeypatch) -> None:
    loaded = threading.Event()
    go_on = threading.Event()

    def fake_load(progress=None) -> None:  # noqa: ANN001
        if progress is None or loaded.is_set():
            return
        progress("reading ICD-10-CM", 5, 10)
        go_on.wait(10)
        progress("storing ICD-10-CM", 10, 10)
        loaded.set()

    monkeypatch.setattr(codes_icd, "is_complete", lambda: loaded.is_set())
    monkeypatch.setattr(codes_icd, "ensure_loaded", fake_load)
    app = make_app(user="billing")
    cid = Claim.select(Claim.id).order_by(Claim.id).scalar()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(ClaimScreen(cid))
        shown = ""
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, ClaimScreen):
                shown = str(app.screen.query_one("#claim-detail").render())
                if "%" in shown:
                    break
        assert shown.startswith(code_load.FIRST_USE) and shown.endswith("reading 50%")
        go_on.set()
        await asyncio.sleep(0.05)
        await settle(app, pilot)
        detail = str(app.screen.query_one("#claim-detail").render())
        assert "first use" not in detail and detail.startswith("Status")
