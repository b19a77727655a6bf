"""Supplies: low-stock and expiring lists, FEFO use, all-or-nothing refusals, on_hand invariant."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import StockMovement, SupplyItem, SupplyLot
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import stock

TODAY = dt.date(2026, 11, 23)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def item(name: str, reorder_point: int = 5, active: bool = True, sku: str | None = None) -> int:
    return SupplyItem.create(
        sku=sku or name.upper()[:10], name=name, reorder_point=reorder_point, reorder_qty=20,
        vendor="Acme", location="Closet", active=active,
    ).id  # fmt: skip


def lots(item_id: int) -> dict[str, int]:
    return {
        number: qty
        for number, qty in SupplyLot.select(SupplyLot.lot_number, SupplyLot.quantity)
        .where(SupplyLot.item == item_id)
        .tuples()
    }


def on_hand(item_id: int) -> int:
    return SupplyItem.get_by_id(item_id).on_hand


def test_receive_creates_and_tops_up_lots(database, desk, fixture_writes):
    gloves = item("Gloves")
    stock.receive(desk, gloves, "L1", 10, days(100))
    stock.receive(desk, gloves, " L1 ", 5, days(100))
    stock.receive(desk, gloves, "L2", 7, None)
    assert lots(gloves) == {"L1": 15, "L2": 7}
    assert on_hand(gloves) == 22
    moves = list(StockMovement.select().order_by(StockMovement.id))
    assert [(m.kind, m.quantity) for m in moves] == [
        ("receive", 10),
        ("receive", 5),
        ("receive", 7),
    ]
    assert stock.on_hand_mismatches() == []


def test_receive_refusals_change_nothing(database, desk, fixture_writes):
    gloves = item("Gloves")
    stock.receive(desk, gloves, "L1", 10, days(100))
    for args in (("L1", 5, days(50)), ("L3", 0, None), ("L3", -2, None), ("  ", 3, None)):
        with pytest.raises(InvalidInput):
            stock.receive(desk, gloves, *args)
    with pytest.raises(NotFound):
        stock.receive(desk, 9999, "L1", 1, None)
    assert lots(gloves) == {"L1": 10} and on_hand(gloves) == 10
    assert StockMovement.select().count() == 1


def test_use_is_fefo_across_lots(database, desk, fixture_writes):
    swabs = item("Swabs")
    stock.receive(desk, swabs, "LATE", 10, days(200))
    stock.receive(desk, swabs, "NOEXP", 10, None)
    stock.receive(desk, swabs, "SOON", 4, days(10))
    stock.receive(desk, swabs, "MID", 3, days(60))
    stock.use(desk, swabs, 6, reason="clinic")
    assert lots(swabs) == {"SOON": 0, "MID": 1, "LATE": 10, "NOEXP": 10}
    stock.use(desk, swabs, 12)
    assert lots(swabs) == {"SOON": 0, "MID": 0, "LATE": 0, "NOEXP": 9}
    assert on_hand(swabs) == 9
    uses = [
        (m.lot.lot_number, m.quantity)
        for m in StockMovement.select()
        .where(StockMovement.kind == "use")
        .order_by(StockMovement.id)
    ]
    assert uses == [("SOON", -4), ("MID", -2), ("MID", -1), ("LATE", -10), ("NOEXP", -1)]
    assert stock.on_hand_mismatches() == []


def test_over_use_is_refused_with_nothing_changed(database, desk, fixture_writes):
    swabs = item("Swabs")
    stock.receive(desk, swabs, "A", 3, days(10))
    stock.receive(desk, swabs, "B", 2, days(20))
    before = StockMovement.select().count()
    with pytest.raises(InvalidInput, match="not enough"):
        stock.use(desk, swabs, 6)
    assert lots(swabs) == {"A": 3, "B": 2} and on_hand(swabs) == 5
    assert StockMovement.select().count() == before
    with pytest.raises(InvalidInput):
        stock.use(desk, swabs, 0)


def test_expired_lots_are_not_used_until_written_off(database, desk, fixture_writes):
    vaccine = item("Vaccine")
    stock.receive(desk, vaccine, "OLD", 5, days(-1))
    stock.receive(desk, vaccine, "NEW", 2, days(90))
    with pytest.raises(InvalidInput, match="2 usable"):
        stock.use(desk, vaccine, 3)
    stock.use(desk, vaccine, 2)
    assert lots(vaccine) == {"OLD": 5, "NEW": 0}
    stock.adjust(desk, vaccine, "OLD", -5, reason="expired", kind="expire")
    assert lots(vaccine) == {"OLD": 0, "NEW": 0} and on_hand(vaccine) == 0
    assert stock.on_hand_mismatches() == []


def test_adjust(database, desk, fixture_writes):
    gauze = item("Gauze")
    stock.receive(desk, gauze, "G1", 10, None)
    stock.adjust(desk, gauze, "G1", -3, reason="count")
    stock.adjust(desk, gauze, "G1", 1, reason="found one")
    assert lots(gauze) == {"G1": 8} and on_hand(gauze) == 8
    for args, kwargs in (
        (("G1", -9, "count"), {}),
        (("G1", 0, "count"), {}),
        (("G1", -1, " "), {}),
        (("G1", -1, "x"), {"kind": "use"}),
    ):
        with pytest.raises(InvalidInput):
            stock.adjust(desk, gauze, *args, **kwargs)
    with pytest.raises(NotFound):
        stock.adjust(desk, gauze, "NOPE", 1, "count")
    assert on_hand(gauze) == 8 and stock.on_hand_mismatches() == []


def test_low_stock_flags_and_paging(database, desk, fixture_writes):
    ids = {}
    for n, (name, point, qty) in enumerate(
        [("Alcohol pads", 5, 0), ("Bandages", 5, 5), ("Cotton", 5, 6), ("Drapes", 10, 3),
         ("Masks", 2, 2), ("Masks", 2, 1), ("Needles", 0, 0)]
    ):  # fmt: skip
        ids[(name, n)] = item(name, reorder_point=point, sku=f"S{n}")
        if qty:
            stock.receive(desk, ids[(name, n)], f"L{n}", qty, days(30 + n))
    item("Retired", reorder_point=50, sku="OLD")  # inactive items are not listed
    SupplyItem.update(active=False).where(SupplyItem.sku == "OLD").execute()
    all_rows = stock.low_stock().rows
    assert [(r.name, r.on_hand, r.flag) for r in all_rows] == [
        ("Alcohol pads", 0, "out"), ("Bandages", 5, "low"), ("Drapes", 3, "low"),
        ("Masks", 2, "low"), ("Masks", 1, "low"), ("Needles", 0, "out"),
    ]  # fmt: skip
    assert all_rows[1].nearest_expiry == days(31) and all_rows[0].nearest_expiry is None
    got, after = [], None
    while True:
        page = stock.low_stock(after=after, limit=2)
        got += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert got == all_rows


def test_expiring_lots_include_expired_and_page(database, desk, fixture_writes):
    a, b = item("Alpha", sku="A"), item("Beta", sku="B")
    stock.receive(desk, a, "EXPIRED", 2, days(-5))
    stock.receive(desk, a, "TODAY", 1, days(0))
    stock.receive(desk, b, "SOON", 4, days(10))
    stock.receive(desk, b, "EDGE", 4, days(30))
    stock.receive(desk, b, "LATER", 4, days(31))
    stock.receive(desk, b, "NOEXP", 4, None)
    stock.receive(desk, a, "EMPTY", 1, days(3))
    stock.use(desk, a, 1)  # takes TODAY (the expired lot is not usable)
    stock.use(desk, a, 1)  # then EMPTY
    rows = stock.expiring_lots(30).rows
    assert [(r.lot_number, r.days_left, r.quantity) for r in rows] == [
        ("EXPIRED", -5, 2), ("SOON", 10, 4), ("EDGE", 30, 4),
    ]  # fmt: skip
    assert rows[1].name == "Beta" and rows[1].sku == "B"
    assert [r.lot_number for r in stock.expiring_lots(31).rows][-1] == "LATER"
    got, after = [], None
    while True:
        page = stock.expiring_lots(30, after=after, limit=1)
        got += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert got == rows


def test_on_hand_invariant_after_a_mixed_day(database, desk, fixture_writes):
    items = [item(f"Item {i}", sku=f"I{i}") for i in range(3)]
    for n, it in enumerate(items):
        for lot in range(3):
            stock.receive(desk, it, f"L{lot}", 5 + lot + n, days(10 * lot - 5 + n))
    stock.use(desk, items[0], 7)
    stock.use(desk, items[1], 3)
    stock.adjust(desk, items[2], "L0", -2, "broken")
    stock.receive(desk, items[1], "L9", 4, None)
    with pytest.raises(InvalidInput):
        stock.use(desk, items[2], 1000)
    assert stock.on_hand_mismatches() == []
    total_moves = sum(m.quantity for m in StockMovement.select())
    assert total_moves == sum(on_hand(i) for i in items)
