"""ListPager: a long keyset-paged list, End to the true last row, Up past the window's
top, Home back, a reload replacing what was in flight; and a source that cannot read
backwards walking down to the end instead."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from medoffice_tui.services.paging import Page
from medoffice_tui.ui.widgets.list_pager import ListPager
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

ITEMS = list(range(1, 1001))  # 1..1000, shown in this order


def fetch(*, limit: int, after=None, before=None, from_end=False) -> Page[int]:  # noqa: ANN001
    """A keyset read over ITEMS: ``after`` the last value shown, ``from_end`` the last
    page, ``before`` the page above a page read from the end."""
    if from_end or before is not None:
        upto = len(ITEMS) if before is None else before - 1
        start = max(upto - limit, 0)
        rows = ITEMS[start:upto]
        return Page(rows, None, rows[0] if start > 0 else None)
    start = 0 if after is None else after
    rows = ITEMS[start : start + limit]
    return Page(rows, rows[-1] if start + limit < len(ITEMS) else None)


calls: list[dict] = []


def counting_fetch(**where) -> Page[int]:  # noqa: ANN003
    calls.append(where)
    return fetch(**where)


def forward_only(*, limit: int, after=None, **_ignored) -> Page[int]:  # noqa: ANN001, ANN003
    calls.append({"after": after})
    return fetch(limit=limit, after=after)


class PagerApp(App[None]):
    def __init__(
        self, source, reverse: bool = True, first_page: int | None = None, read_ahead=False
    ) -> None:  # noqa: ANN001
        super().__init__()
        self.source, self.reverse, self.first_page = source, reverse, first_page
        self.read_ahead = read_ahead

    def compose(self) -> ComposeResult:
        yield PagedList([Column("n", flex=1)], id="list")

    def on_mount(self) -> None:
        listing = self.query_one(PagedList)
        self.pager = ListPager(
            self, listing, self.source, lambda n: ListRow((str(n),), data=n),
            page_size=50, reverse=self.reverse, first_page=self.first_page,
            read_ahead=self.read_ahead,
        )  # fmt: skip
        listing.focus()
        self.pager.reload()


async def settle(app, pilot) -> None:  # noqa: ANN001
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture(autouse=True)
def _database(sqlite_database) -> None:  # noqa: ANN001 - inline reads run on SQLite
    calls.clear()


async def test_end_reads_the_last_page_and_the_rows_above_follow_the_cursor() -> None:
    app = PagerApp(counting_fetch)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        assert [r.data for r in listing.rows[:3]] == [1, 2, 3] and listing.has_more
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.current.data == 1000 and listing.row_count == 50
        assert listing.has_before and listing.position_text() == "1 to end"
        assert calls[-1].get("from_end") is True and len(calls) == 2  # no page in between
        for _ in range(3):
            await pilot.press("pageup")
        await settle(app, pilot)
        shown = [r.data for r in listing.rows]
        assert shown == list(range(shown[0], 1001)) and len(shown) == 100  # one page above
        assert listing.current.data == 1000 - 3 * listing.page_rows
        await pilot.press("home")
        await settle(app, pilot)
        assert listing.current.data == 1 and not listing.has_before


async def test_the_first_and_last_pages_are_a_screenful_the_rest_full_pages() -> None:
    """``first_page``: the first page and End's last page are small (read in the key's
    frame); the pages that follow as the cursor moves are ``page_size`` long."""
    app = PagerApp(counting_fetch, first_page=40)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        assert listing.row_count == 40 and calls == [{"limit": 40}]
        await pilot.press("pagedown", "pagedown")
        await settle(app, pilot)
        assert calls[-1] == {"limit": 50, "after": 40}
        assert listing.row_count == 90
        calls.clear()
        await pilot.press("end")
        await settle(app, pilot)
        assert calls == [{"limit": 40, "from_end": True}]
        assert listing.current.data == 1000 and listing.row_count == 40
        await pilot.press("pageup", "pageup")
        await settle(app, pilot)
        assert calls[-1] == {"limit": 50, "before": 961}
        assert [r.data for r in listing.rows] == list(range(911, 1001))


async def test_a_source_that_cannot_read_backwards_pages_down_to_the_end() -> None:
    app = PagerApp(forward_only, reverse=False)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.current.data == 1000 and listing.row_count == 1000
        assert len(calls) == 20  # every page, in order, once
        assert [c["after"] for c in calls] == [None, *range(50, 1000, 50)]


def slow_end_fetch(**where) -> Page[int]:  # noqa: ANN003
    """Reading the end makes SQLite work past the inline budget: it goes to a worker."""
    if where.get("from_end"):
        from medoffice_tui.db.connection import db

        db.execute_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000)"
            " SELECT count(*) FROM n"
        ).fetchone()
    return fetch(**where)


async def test_a_reload_drops_an_answer_it_replaced() -> None:
    app = PagerApp(slow_end_fetch)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        await pilot.press("end")  # a slow read, on a worker...
        await pilot.pause()
        app.pager.reload()  # ...replaced before its answer came back
        await settle(app, pilot)
        assert listing.current.data == 1 and not listing.has_before
        assert [r.data for r in listing.rows[:2]] == [1, 2]


def slow_fetch(**where) -> Page[int]:  # noqa: ANN003
    """A read that takes a while (a worker, not inline): keys keep coming meanwhile."""
    import time

    time.sleep(0.05)
    calls.append(where)
    return fetch(**where)


async def test_a_burst_of_up_past_the_rows_held_loses_no_key() -> None:
    """120 Ups in one burst from the end: the ones typed while the page above was being
    read are kept and applied when it arrives, so the cursor lands 120 rows up."""
    app = PagerApp(slow_fetch)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.current.data == 1000
        await pilot.press(*["up"] * 120)
        await settle(app, pilot)
        assert listing.current.data == 1000 - 120


async def test_a_burst_of_down_past_the_rows_held_loses_no_key() -> None:
    app = PagerApp(slow_fetch)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        await pilot.press(*["down"] * 130, "up")
        await settle(app, pilot)
        assert listing.current.data == 1 + 130 - 1


async def test_read_ahead_end_and_home_show_the_kept_pages_in_the_keys_frame() -> None:
    """With ``read_ahead`` the last page is read once the first has been shown; End and
    Home then read nothing, and land on the true last and first rows."""
    app = PagerApp(counting_fetch, first_page=40, read_ahead=True)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        assert calls == [{"limit": 40}, {"limit": 40, "from_end": True}]
        for _ in range(2):
            await pilot.press("end")
            assert listing.current.data == 1000 and listing.row_count == 40  # this frame
            assert listing.has_before
            await pilot.press("home")
            assert listing.current.data == 1 and listing.has_more and not listing.has_before
        await pilot.press("end", "up", "up")
        assert listing.current.data == 998
        await settle(app, pilot)
        assert len(calls) == 2  # no read for any of those keys
        await pilot.press("pageup", "pageup")  # the rows above the kept last page are read
        await settle(app, pilot)
        assert calls[-1] == {"limit": 50, "before": 961}


async def test_a_reload_or_a_changed_row_drops_the_kept_pages() -> None:
    """The kept pages belong to the snapshot shown: a reload reads both again, and
    ``forget_pages`` (a row repainted in place) makes End read the last page afresh."""
    app = PagerApp(counting_fetch, first_page=40, read_ahead=True)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        listing = app.query_one(PagedList)
        calls.clear()
        app.pager.reload()
        app.pager.reload()  # a burst of filter keys: one last page read, for the newest
        await pilot.pause()  # the cancelled read ahead leaves the worker list
        await settle(app, pilot)
        assert calls == [{"limit": 40}, {"limit": 40}, {"limit": 40, "from_end": True}]
        calls.clear()
        app.pager.forget_pages()
        await pilot.press("end")
        await pilot.pause()
        await settle(app, pilot)
        assert calls == [{"limit": 40, "from_end": True}]
        assert listing.current.data == 1000
        calls.clear()
        await pilot.press("home")  # the first page was forgotten too: read again
        await settle(app, pilot)
        assert calls[0] == {"limit": 40} and listing.current.data == 1
