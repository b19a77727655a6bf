"""The claims queue's first show: its summary and first page are read while the pane
mounts (``ClaimsPane.first_load``), so F4 goes from the schedule straight to a full
queue; a slow read leaves the pane to load as usual. The stock pane's lists likewise."""

from __future__ import annotations

import asyncio
import threading

from medoffice_tui.services import claims
from medoffice_tui.ui import app as app_module
from medoffice_tui.ui.panes.claims import ClaimsPane

from .conftest import SIZE
from .test_app import settle
from .test_repaint_hold import count_updates


def counting(monkeypatch, name: str) -> list[dict]:  # noqa: ANN001
    calls: list[dict] = []
    real = getattr(claims, name)
    monkeypatch.setattr(claims, name, lambda *a, **k: calls.append(k) or real(*a, **k))
    return calls


async def test_the_first_show_reads_once_while_the_pane_mounts(make_app, monkeypatch) -> None:
    pages = counting(monkeypatch, "list_claims")
    summaries = counting(monkeypatch, "aging_summary")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        assert app.query_one("#panes").current == "claims"
        assert pane.prefetched is None  # taken by the first show
        # the pane asked for nothing more but its last page, read ahead for End
        assert len(summaries) == 1 and len(pages) == 2
        assert not pages[0].get("from_end") and pages[1].get("from_end")
        assert pane.list.row_count > 0 and pane.list.has_focus
        expected = claims.list_claims(limit=1, open_only=True, sort="urgent")
        assert pane.list.rows[0].data.id == expected.rows[0].id
        assert "loading" not in str(pane.query_one("#claims-position").render())


async def test_a_slow_first_read_does_not_hold_the_pane(make_app, monkeypatch) -> None:
    """Past FIRST_SHOW_WAIT_S the pane shows without it and loads its own rows."""
    monkeypatch.setattr(app_module, "FIRST_SHOW_WAIT_S", 0.05)
    release = threading.Event()
    monkeypatch.setattr(ClaimsPane, "first_load", classmethod(lambda cls: release.wait(5)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        for _ in range(20):
            await pilot.pause(0.02)
            if app.query_one("#panes").current == "claims":
                break
        assert app.query_one("#panes").current == "claims"
        release.set()
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        assert pane.list.row_count > 0


async def test_a_first_read_that_fails_outright_still_shows_the_pane(make_app, monkeypatch) -> None:
    """No connection for the read made while the pane mounts: F4 still shows the queue,
    which then reads its own rows."""

    async def no_connection(call):  # noqa: ANN001, ANN202 - as read_off_thread
        raise ConnectionError("the database went away")

    monkeypatch.setattr(app_module, "read_off_thread", no_connection)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.query_one("#panes").current == "claims"
        assert app.query_one(ClaimsPane).list.row_count > 0


async def test_nothing_is_drawn_while_the_first_read_is_slow(make_app, monkeypatch) -> None:
    """The schedule stays on screen untouched while the queue mounts and reads (a frame
    drawn then repainted the whole schedule for nothing); the queue comes in one go."""
    release = threading.Event()
    real = ClaimsPane.first_load.__func__

    def slow_first_load(cls):  # noqa: ANN001, ANN202
        release.wait(5)
        return real(cls)

    monkeypatch.setattr(ClaimsPane, "first_load", classmethod(slow_first_load))
    monkeypatch.setattr(app_module, "FIRST_SHOW_WAIT_S", 1.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sent = count_updates(app)
        app.action_show_pane("claims")  # F4's action (Pilot's press waits for the screen)
        # 150 ms: the pane is mounted, its read still waiting (not Pilot's pause: that
        # waits for the screen's messages, the first show's among them)
        await asyncio.sleep(0.15)
        assert app.query(ClaimsPane) and app.query_one("#panes").current != "claims"
        assert sent == []
        release.set()
        await settle(app, pilot)
        assert app.query_one("#panes").current == "claims"
        assert sent and app.query_one(ClaimsPane).list.row_count > 0


async def test_the_stock_panes_first_show_reads_its_lists_while_it_mounts(
    make_app, monkeypatch
) -> None:
    """Both lists' first pages come with the pane (``StockPane.first_load``): F5 shows
    the low-stock rows in its first frame instead of "Reading..." and then the rows."""
    from medoffice_tui.services import stock
    from medoffice_tui.ui.panes.stock import FirstStock, StockPane

    loads: list[FirstStock] = []
    real = StockPane.first_load.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        StockPane, "first_load", classmethod(lambda cls: loads.append(real(cls)) or loads[-1])
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reads = {"low": 0, "expiring": 0}
        for name, key in (("low_stock", "low"), ("expiring_lots", "expiring")):
            real_read = getattr(stock, name)

            def counted(*a, _real=real_read, _key=key, **k):  # noqa: ANN002, ANN003, ANN202
                reads[_key] += 1
                return _real(*a, **k)

            monkeypatch.setattr(stock, name, counted)
        await pilot.press("f5")
        await settle(app, pilot)
        pane = app.query_one(StockPane)
        assert app.query_one("#panes").current == "stock"
        assert len(loads) == 1 and pane.prefetched is None
        assert reads == {"low": 1, "expiring": 1}  # the first load's: none again on show
        low = pane.list_for("low")
        assert [r.data.item_id for r in low.rows] == [r.item_id for r in loads[0].low.rows]
        assert low.row_count > 0 and low.has_focus
        expiring = pane.list_for("expiring")
        assert expiring.row_count == len(loads[0].expiring.rows)
        assert pane.window_days == loads[0].settings.expiry_window_days
