"""The stock lists read from either end: ``from_end`` gives the last page, ``before``
the page above it, and every way through gives the same rows in the same order as
paging forward (ties broken by the item or lot id), on each engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from medoffice_tui.services import stock
from medoffice_tui.services.paging import Page

from .stock_helpers import days, item, location


@pytest.fixture
def room(database, manager) -> int:
    return location(manager, "Supply room")


def forward(read: Callable[..., Page[Any]], limit: int) -> list[Any]:
    got, after = [], None
    while True:
        page = read(after=after, limit=limit)
        assert page.prev_before is None
        got += page.rows
        if page.next_after is None:
            return got
        after = page.next_after


def backward(read: Callable[..., Page[Any]], limit: int) -> list[Any]:
    """From the last page up, each page above prepended: the list as End then Up sees it."""
    page = read(from_end=True, limit=limit)
    assert page.next_after is None
    got = list(page.rows)
    while page.prev_before is not None:
        page = read(before=page.prev_before, limit=limit)
        assert page.next_after is None and len(page.rows) <= limit
        got = page.rows + got
    return got


def test_low_stock_from_the_end_equals_paging_forward(room, desk, manager):
    # ties on purpose: same name (id breaks it), same days of supply, out of stock
    for n in range(7):
        item(manager, "Same name", sku=f"S{n}", reorder_point=5, home=room)
    for n in range(4):
        it = item(manager, f"Idle {n}", reorder_point=50, home=room)
        stock.receive(desk, it, "L1", 10, days(300))
    for n in range(3):
        it = item(manager, f"Used {n}", reorder_point=50, home=room)
        stock.receive(desk, it, "L1", 20 + n, days(300))
        stock.use(desk, it, 2)
    every = stock.low_stock(limit=500).rows
    assert len(every) == 14
    assert [r.sort_key for r in every] == sorted(r.sort_key for r in every)
    ids = [r.item_id for r in every]
    for limit in (1, 3, 5, 14, 20):
        assert [r.item_id for r in forward(stock.low_stock, limit)] == ids, limit
        assert [r.item_id for r in backward(stock.low_stock, limit)] == ids, limit
    last = stock.low_stock(from_end=True, limit=4)
    assert [r.item_id for r in last.rows] == ids[-4:]
    assert last.prev_before == every[-4].sort_key and not last.has_more
    assert stock.low_stock(from_end=True, limit=14).prev_before is None  # all of it
    above = stock.low_stock(before=last.prev_before, limit=4)
    assert [r.item_id for r in above.rows] == ids[-8:-4]
    # the page rows keep what the forward read gives them (expiry, transfer hints)
    assert last.rows == every[-4:]


def test_low_stock_from_the_end_at_one_location(database, desk, manager):
    front, back = location(manager, "Front"), location(manager, "Back")
    for n in range(5):
        it = item(manager, f"Gauze {n}", reorder_point=10, home=front)
        stock.receive(desk, it, "L1", 2 + n, days(200), location_id=front)
        stock.receive(desk, it, "L1", 40, days(200), location_id=back)
    every = stock.low_stock(location_id=front, limit=500).rows
    assert len(every) == 5 and all(r.transfer_from == "Back" for r in every)

    def read(**where: Any) -> Page[stock.StockRow]:
        return stock.low_stock(location_id=front, **where)

    assert backward(read, 2) == every
    assert stock.low_stock(location_id=back, from_end=True).rows == []


def test_expiring_lots_from_the_end_equals_paging_forward(room, desk, manager):
    gloves = item(manager, "Gloves", reorder_point=1, home=room)
    swabs = item(manager, "Swabs", reorder_point=1, home=room)
    for n in range(6):  # two lots a day: the lot id breaks the tie
        stock.receive(desk, gloves, f"G{n}", 3, days(n * 5))
        stock.receive(desk, swabs, f"S{n}", 3, days(n * 5))
    stock.receive(desk, swabs, "LATE", 3, days(400))  # outside the window
    every = stock.expiring_lots(60, limit=500).rows
    assert len(every) == 12
    ids = [r.lot_id for r in every]

    def read(**where: Any) -> Page[stock.LotRow]:
        return stock.expiring_lots(60, **where)

    for limit in (1, 5, 12, 13):
        assert [r.lot_id for r in forward(read, limit)] == ids, limit
        assert [r.lot_id for r in backward(read, limit)] == ids, limit
    last = read(from_end=True, limit=5)
    assert last.rows == every[-5:] and last.prev_before == (every[-5].expires_on, ids[-5])
    # a key that came back as text (the ISO date) still works
    text_key = (every[-5].expires_on.isoformat(), ids[-5])
    assert [r.lot_id for r in read(before=text_key, limit=5).rows] == ids[-10:-5]
