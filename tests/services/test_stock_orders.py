"""Low stock with days of supply, use per week, the purchase list by vendor, orders."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from medoffice_tui import clock
from medoffice_tui.db.models import PurchaseOrder, PurchaseOrderLine, StockMovement
from medoffice_tui.errors import InvalidInput, PermissionDenied, StaleEdit
from medoffice_tui.services import stock
from tests.conftest import FROZEN_NOW

from .stock_helpers import days, item, location, on_hand


@pytest.fixture
def room(database, manager) -> int:
    return location(manager, "Supply room")


def use_on(desk, item_id: int, units: int, days_ago: int) -> None:  # noqa: ANN001
    """Record a use as if made ``days_ago`` days ago."""
    clock.pin(now=FROZEN_NOW - dt.timedelta(days=days_ago))
    try:
        stock.use(desk, item_id, units)
    finally:
        clock.pin(now=FROZEN_NOW)


# ------------------------------------------------------------- days of supply


def test_days_of_supply_with_no_history_and_with_a_spike(room, desk, manager):
    quiet = item(manager, "Quiet", reorder_point=10, home=room)
    steady = item(manager, "Steady", reorder_point=10, home=room)
    spiky = item(manager, "Spiky", reorder_point=10, home=room)
    # each ends at 8 on hand: steady uses 60, spiky 60 plus a 40-unit spike
    for it, units in ((quiet, 8), (steady, 68), (spiky, 108)):
        stock.receive(desk, it, "L1", units, days(300))
    for ago in range(1, 90, 3):  # 30 uses of 2 over 90 days, 10 of them in the last 30
        use_on(desk, steady, 2, ago)
        use_on(desk, spiky, 2, ago)
    use_on(desk, spiky, 40, 2)  # a flu clinic
    rows = {r.name: r for r in stock.low_stock().rows}
    assert rows["Quiet"].days_left is None  # no use in 90 days: cannot say
    assert (rows["Steady"].used_30, rows["Steady"].used_90) == (20, 60)
    assert (rows["Spiky"].used_30, rows["Spiky"].used_90) == (60, 100)
    assert rows["Steady"].days_left == 12  # 8 units at 60 per 90 days
    assert rows["Spiky"].days_left == 4  # the last 30 days' rate (2 a day) wins
    assert [r.name for r in stock.low_stock().rows] == ["Spiky", "Steady", "Quiet"]
    assert stock.days_of_supply(0, 5, 5) == 0
    assert stock.days_of_supply(30, 30, 30) == 30  # 1 a day over 30 days
    assert stock.days_of_supply(30, 0, 90) == 30  # 1 a day over 90 days
    assert stock.days_of_supply(30, 60, 90) == 15
    assert stock.days_of_supply(30, 0, 0) is None


def test_low_stock_order_out_first_then_soonest_to_run_out(room, desk, manager):
    names = {}
    for name, point, have, per_day in (
        ("Out", 5, 0, 0),
        ("Slow", 50, 40, 1),
        ("Fast", 50, 40, 4),
        ("Idle", 50, 40, 0),
        ("Fine", 5, 40, 1),
    ):
        names[name] = it = item(manager, name, reorder_point=point, home=room)
        if have or per_day:
            stock.receive(desk, it, "L1", have + per_day * 10, days(300))
        for ago in range(1, 11):
            if per_day:
                use_on(desk, it, per_day, ago)
    rows = stock.low_stock().rows
    assert [r.name for r in rows] == ["Out", "Fast", "Slow", "Idle"]
    assert [r.days_left for r in rows] == [0, 30, 120, None]
    assert rows[0].flag == "out" and rows[1].flag == "low"
    # every page through the keyset gives the same rows in the same order
    got, after = [], None
    while True:
        page = stock.low_stock(after=after, limit=1)
        got += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert [r.item_id for r in got] == [r.item_id for r in rows]


def test_low_stock_per_location(database, desk, manager):
    front, second = location(manager, "Front desk"), location(manager, "Second site")
    gloves = item(manager, "Gloves", reorder_point=10, home=front)
    stock.receive(desk, gloves, "L1", 30, days(100), location_id=front)
    stock.receive(desk, gloves, "L1", 4, days(100), location_id=second)
    assert stock.low_stock().rows == []  # 34 practice-wide
    at_second = stock.low_stock(location_id=second).rows
    assert [(r.name, r.on_hand) for r in at_second] == [("Gloves", 4)]
    assert (at_second[0].transfer_from, at_second[0].suggested) == ("Front desk", 0)
    assert stock.low_stock(location_id=front).rows == []
    expiring = stock.expiring_lots(120, location_id=second).rows
    assert [(r.lot_number, r.location, r.quantity) for r in expiring] == [("L1", "Second site", 4)]


def test_usage_per_week_for_the_sparkline(room, desk, manager):
    gauze = item(manager, "Gauze", home=room)
    stock.receive(desk, gauze, "L1", 100, days(300))
    use_on(desk, gauze, 3, 0)  # this week
    use_on(desk, gauze, 5, 6)  # still this week (the last bin ends today)
    use_on(desk, gauze, 7, 7)  # last week
    use_on(desk, gauze, 11, 83)  # the oldest week shown
    use_on(desk, gauze, 13, 84)  # just before it: in the 90 days, not in the 12 weeks
    series = stock.usage(gauze)
    assert series.weeks == (11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8)
    assert series.week_starts[-1] == days(-6) and len(series.week_starts) == 12
    assert (series.used_30, series.used_90) == (15, 39)


# ------------------------------------------------------------------ reorder


def _lines():
    return [(ln.vendor, ln.sku, ln.quantity) for ln in stock.list_lines(("draft",))]


def test_purchase_list_groups_by_vendor_and_never_doubles(room, desk, manager, staff):
    a = item(
        manager,
        "Alcohol pads",
        sku="AP",
        vendor="Medline",
        reorder_point=10,
        reorder_qty=40,
        home=room,
        cost_cents=250,
    )
    item(
        manager,
        "Bandages",
        sku="BA",
        vendor="Henry Schein",
        reorder_point=5,
        reorder_qty=20,
        home=room,
    )
    c = item(
        manager, "Cotton", sku="CO", vendor="Medline", reorder_point=5, reorder_qty=0, home=room
    )
    item(manager, "Drapes", sku="DR", vendor="", reorder_point=2, reorder_qty=3, home=room)
    enough = item(
        manager, "Enough", sku="EN", vendor="Medline", reorder_point=0, reorder_qty=10, home=room
    )
    stock.receive(desk, enough, "L1", 1, days(100))
    stock.receive(desk, a, "L1", 4, days(100))
    stock.receive(desk, c, "L1", 5, days(100))
    lines = stock.build_purchase_list(desk)
    # up to reorder point + reorder quantity; Cotton at 5 of 5 with no quantity: 0, left off
    assert _lines() == [("(no vendor)", "DR", 5), ("Henry Schein", "BA", 25), ("Medline", "AP", 46)]
    assert len({ln.order_id for ln in lines}) == 3  # one draft order per vendor
    assert stock.low_stock().rows[0].on_order == 0  # a draft is not on order yet
    again = stock.build_purchase_list(desk)
    assert len(again) == 3  # nothing added twice
    medline = next(ln for ln in again if ln.sku == "AP")
    stock.set_line_quantity(desk, medline.line_id, medline.version, 50)
    with pytest.raises(StaleEdit):
        stock.set_line_quantity(desk, medline.line_id, medline.version, 60)
    stock.build_purchase_list(desk)
    assert ("Medline", "AP", 50) in _lines()  # an edit survives a rebuild
    no_vendor = next(ln for ln in stock.list_lines() if ln.sku == "DR")
    stock.set_line_quantity(desk, no_vendor.line_id, no_vendor.version, 0)
    assert [v for v, _, _ in _lines()] == ["Henry Schein", "Medline"]
    assert PurchaseOrder.select().count() == 2  # the empty draft went too
    with pytest.raises(InvalidInput):
        stock.set_line_quantity(desk, medline.line_id, medline.version + 1, -1)
    out = io.StringIO()
    assert stock.export_csv(desk, out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["vendor", "order", "status"]
    assert rows[2][0] == "Medline" and rows[2][3] == "AP" and rows[2][7] == "50"
    assert rows[2][9:] == ["2.50", "125.00"]
    with pytest.raises(PermissionDenied):
        stock.build_purchase_list(staff["billing"])


def test_order_then_partial_receipt_leaves_the_rest_open(room, desk, manager):
    gloves = item(
        manager, "Gloves", sku="GL", vendor="Medline", reorder_point=10, reorder_qty=40, home=room
    )
    stock.build_purchase_list(desk)
    draft = stock.list_orders(("draft",))[0]
    placed = stock.place_order(desk, draft.id, draft.version)
    assert placed.status == "ordered" and placed.ordered_at is not None
    low = stock.low_stock().rows[0]
    assert (low.on_order, low.suggested) == (50, 0)  # on order: nothing more to suggest
    assert stock.build_purchase_list(desk) == []  # and not put on a new draft
    first = stock.receive(desk, gloves, "G1", 20, days(400))  # finds the open line itself
    assert (first.order_id, first.order_status) == (placed.id, "partial")
    line = PurchaseOrderLine.get_by_id(first.order_line_id)
    assert (line.quantity, line.received) == (50, 20)
    assert stock.low_stock().rows == [] or stock.low_stock().rows[0].on_order == 30
    rest = stock.receive(desk, gloves, "G2", 30, days(500), order_line_id=line.id)
    assert rest.order_status == "received"
    assert stock.list_orders() == []  # nothing open any more
    with pytest.raises(InvalidInput, match="received"):
        stock.receive(desk, gloves, "G3", 1, days(500), order_line_id=line.id)
    late = stock.receive(desk, gloves, "G3", 5, days(500))  # no open order: just stock
    assert late.order_line_id is None
    receipts = StockMovement.select().where(StockMovement.order_line == line.id)
    assert sorted(m.quantity for m in receipts) == [20, 30]
    assert stock.check().ok and on_hand(gloves) == 55


def test_cancelled_orders_and_drafts_cannot_be_placed_twice(room, desk, manager):
    item(manager, "Gloves", sku="GL", vendor="Medline", reorder_point=10, home=room)
    stock.build_purchase_list(desk)
    draft = stock.list_orders(("draft",))[0]
    placed = stock.place_order(desk, draft.id, draft.version)
    with pytest.raises(InvalidInput, match="ordered"):
        stock.place_order(desk, placed.id, placed.version)
    with pytest.raises(StaleEdit):
        stock.cancel_order(desk, placed.id, draft.version)
    cancelled = stock.cancel_order(desk, placed.id, placed.version)
    assert cancelled.status == "cancelled" and cancelled.id not in [
        o.id for o in stock.list_orders()
    ]
    assert len(stock.build_purchase_list(desk)) == 1  # wanted again


def test_export_to_a_new_file_only(room, desk, manager, tmp_path):
    item(manager, "Gloves", sku="GL", vendor="Medline", reorder_point=10, home=room)
    stock.build_purchase_list(desk)
    target, count = stock.export_to_file(desk, tmp_path / "reorder.csv")
    assert count == 1 and target.read_text().count("\n") == 2
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(InvalidInput, match="exists already") as refused:
        stock.export_to_file(desk, target)
    assert refused.value.field == "path"
    with pytest.raises(InvalidInput, match="folder"):
        stock.export_to_file(desk, tmp_path / "nowhere" / "x.csv")


# -------------------------------------------------- deliveries beyond the order


def _open_order(item_id: int, quantity: int, days_ago: int, vendor: str = "Medline") -> int:
    """An order placed ``days_ago`` days ago with one line (straight through the models:
    the services never put an item on two open orders, but a practice may have placed
    two by hand before)."""
    from medoffice_tui.db.write_guard import writing_as

    with writing_as("test:fixture"):
        order_id = PurchaseOrder.insert(
            vendor=vendor,
            status="ordered",
            created_at=FROZEN_NOW - dt.timedelta(days=days_ago),
            ordered_at=FROZEN_NOW - dt.timedelta(days=days_ago),
        ).execute()
        PurchaseOrderLine.insert(order=order_id, item=item_id, quantity=quantity).execute()
    return int(order_id)


def _line_of(order_id: int) -> PurchaseOrderLine:
    """The order's first line (by id: PostgreSQL returns an updated row last otherwise)."""
    return (
        PurchaseOrderLine.select()
        .where(PurchaseOrderLine.order == order_id)
        .order_by(PurchaseOrderLine.id)
        .get()
    )


def test_over_delivery_on_a_named_line_needs_a_yes_and_is_kept_apart(room, desk, manager):
    gloves = item(manager, "Gloves", sku="GL", reorder_point=10, home=room)
    order = _open_order(gloves, 8, 3)
    line = _line_of(order)
    with pytest.raises(stock.OverDelivery) as refused:
        stock.receive(desk, gloves, "G1", 508, days(400), order_line_id=line.id)
    over = refused.value
    assert (over.open_units, over.extra, over.field) == (8, 500, "quantity")
    assert refused.value.order_ids == (order,) and "PO" in str(refused.value)
    assert on_hand(gloves) == 0 and _line_of(order).received == 0  # nothing was kept
    got = stock.receive(
        desk, gloves, "G1", 508, days(400), order_line_id=line.id, over_delivery_ok=True
    )
    assert (got.quantity, got.over_delivered, got.order_status) == (508, 500, "received")
    assert [(a.line_id, a.quantity) for a in got.applied] == [(line.id, 8)]
    assert (_line_of(order).quantity, _line_of(order).received) == (8, 8)  # never 508 of 8
    moves = list(
        StockMovement.select().where(StockMovement.item == gloves).order_by(StockMovement.id)
    )
    assert [(m.quantity, m.order_line_id, m.reason_code) for m in moves] == [
        (8, line.id, ""),
        (500, None, "over"),
    ]
    assert f"over-delivery on PO {order}" in moves[1].reason
    assert on_hand(gloves) == 508 and stock.check().ok


def test_a_delivery_with_no_line_named_spreads_over_open_lines_oldest_first(room, desk, manager):
    gloves = item(manager, "Gloves", sku="GL", reorder_point=10, home=room)
    newer, older = _open_order(gloves, 5, 1), _open_order(gloves, 10, 9)
    first = stock.receive(desk, gloves, "G1", 12, days(400))
    assert [(a.order_id, a.quantity, a.order_status) for a in first.applied] == [
        (older, 10, "received"),
        (newer, 2, "partial"),
    ]
    assert (first.order_id, first.over_delivered) == (older, 0)
    assert [(ln.order_id, ln.remaining) for ln in stock.open_lines(gloves)] == [(newer, 3)]
    with pytest.raises(stock.OverDelivery) as refused:  # 3 still open: 7 would be extra
        stock.receive(desk, gloves, "G2", 10, days(400))
    assert (refused.value.open_units, refused.value.order_ids) == (3, (newer,))
    rest = stock.receive(desk, gloves, "G2", 10, days(400), over_delivery_ok=True)
    assert [(a.order_id, a.quantity) for a in rest.applied] == [(newer, 3)]
    assert rest.over_delivered == 7 and rest.order_status == "received"
    assert [(_line_of(o).received, _line_of(o).quantity) for o in (older, newer)] == [
        (10, 10),
        (5, 5),
    ]
    plain = stock.receive(desk, gloves, "G3", 4, days(400))  # no open order: plain stock
    assert (plain.applied, plain.over_delivered, plain.order_id) == ((), 0, None)
    assert on_hand(gloves) == 26 and stock.check().ok


def test_a_fully_received_line_on_a_partial_order_takes_nothing_more_silently(room, desk, manager):
    gloves = item(manager, "Gloves", sku="GL", home=room)
    gauze = item(manager, "Gauze", sku="GZ", home=room)
    order = _open_order(gloves, 4, 2)
    from medoffice_tui.db.write_guard import writing_as

    with writing_as("test:fixture"):
        PurchaseOrderLine.insert(order=order, item=gauze, quantity=6).execute()
    gloves_line = _line_of(order)
    stock.receive(desk, gloves, "G1", 4, days(400), order_line_id=gloves_line.id)
    assert PurchaseOrder.get_by_id(order).status == "partial"  # the gauze is still to come
    with pytest.raises(stock.OverDelivery):
        stock.receive(desk, gloves, "G1", 1, days(400), order_line_id=gloves_line.id)
    extra = stock.receive(
        desk, gloves, "G1", 1, days(400), order_line_id=gloves_line.id, over_delivery_ok=True
    )
    assert (extra.applied, extra.over_delivered) == ((), 1)
    assert _line_of(order).received == 4 and stock.check().ok


# --------------------------------------- ordering practice-wide, moving per location


def test_the_purchase_list_is_practice_wide_and_a_room_short_is_a_transfer(database, desk, manager):
    front, exam = location(manager, "Front desk"), location(manager, "Exam 2")
    plenty = item(manager, "Gloves", sku="GL", reorder_point=10, reorder_qty=20, home=front)
    short = item(manager, "Gauze", sku="GZ", reorder_point=10, reorder_qty=20, home=front)
    stock.receive(desk, plenty, "L1", 30, days(100), location_id=front)
    stock.receive(desk, plenty, "L2", 2, days(100), location_id=exam)
    stock.receive(desk, short, "L1", 3, days(100), location_id=front)
    stock.receive(desk, short, "L2", 2, days(100), location_id=exam)
    at_exam = {r.sku: r for r in stock.low_stock(location_id=exam).rows}
    gloves, gauze = at_exam["GL"], at_exam["GZ"]
    # low in Exam 2, but the practice holds 32: move 30 over from the front desk, order none
    assert (gloves.on_hand, gloves.practice_on_hand, gloves.suggested) == (2, 32, 0)
    assert (gloves.transfer_from, gloves.transfer_units) == ("Front desk", 30)
    # low everywhere (5 in the practice): order up to 10 + 20 - 5, nothing to move
    assert (gauze.practice_on_hand, gauze.suggested, gauze.transfer_from) == (5, 25, "")
    assert [r.sku for r in stock.low_stock().rows] == ["GZ"]  # practice-wide: gauze only
    lines = stock.build_purchase_list(desk)
    assert [(ln.sku, ln.quantity) for ln in lines] == [("GZ", 25)]
    assert {PurchaseOrder.get_by_id(ln.order_id).location_id for ln in lines} == {None}


def test_expired_stock_elsewhere_is_no_reason_to_move(database, desk, manager):
    front, exam = location(manager, "Front desk"), location(manager, "Exam 2")
    vials = item(manager, "Vials", sku="VI", reorder_point=10, reorder_qty=10, home=front)
    stock.receive(desk, vials, "SOON", 40, days(5), location_id=front)
    stock.receive(desk, vials, "LATER", 1, days(300), location_id=exam)
    clock.pin(now=FROZEN_NOW + dt.timedelta(days=10))  # the 40 at the front desk expired
    try:
        row = stock.low_stock(location_id=exam).rows[0]
        assert (row.practice_on_hand, row.transfer_from, row.suggested) == (1, "", 19)
    finally:
        clock.pin(now=FROZEN_NOW)
