"""End goes to the true last row of a long list, loading only the last page; the rows
above it load as the cursor climbs; Home goes back to the first."""

from __future__ import annotations

from medoffice_tui.db.models import AuditEvent
from medoffice_tui.ui.screens.audit import AuditScreen

from .conftest import SIZE
from .test_app import settle


async def test_end_in_the_audit_trail_lands_on_the_oldest_event(make_app) -> None:
    total = AuditEvent.select().count()
    assert total > 1000  # the demo's trail: many pages
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        listing = app.screen.query_one("#audit-list")
        assert listing.rows[0].data.id == total and listing.has_more
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.current.data.id == 1  # the very first event ever written
        assert listing.row_count <= 200 and listing.has_before  # only the last page or two
        for _ in range(5):  # up to within a page of the window's top
            await pilot.press("pageup")
            await settle(app, pilot)
        ids = [row.data.id for row in listing.rows]
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)  # no gap, no dup
        assert ids[-1] == 1 and listing.row_count > 100  # the page above was prepended
        await pilot.press("home")
        await settle(app, pilot)
        assert listing.current.data.id == total and not listing.has_before
