"""The Stock pane driven by keys: receive (a scanned barcode), use across two lots (and
for a patient's visit), count, expire, move, items and locations, the expiry window, the
purchase list exported and ordered, a delivery against the order (and an over-delivery
asked about first)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from medoffice_tui.db.models import (
    LIVE_STATUSES,
    Appointment,
    Patient,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLocation,
    StockMovement,
    SupplyItem,
    SupplyLot,
)
from medoffice_tui.services import stock
from medoffice_tui.ui.screens.stock_forms import (
    CountForm,
    ReceiveForm,
    StrictConfirmScreen,
    UseForm,
)
from medoffice_tui.ui.screens.stock_item_forms import ExpiryWindowForm, ItemForm, LocationForm
from medoffice_tui.ui.screens.stock_orders import ReorderScreen

from .conftest import DEMO_TODAY, SIZE, demo_actor
from .test_app import list_of, settle
from .test_sign_in_and_lock import burst


def _item(sku: str) -> stock.ItemRow:
    return stock.find_items(sku)[0].item


def _two_lot_item() -> stock.ItemRow:
    """An item whose in-date stock sits in two lots (in two locations)."""
    counts: dict[int, int] = {}
    for lot in SupplyLot.select().where(SupplyLot.quantity > 0):
        if lot.expires_on is None or lot.expires_on >= dt.date(2026, 11, 23):
            counts[lot.item_id] = counts.get(lot.item_id, 0) + 1
    item_id = min(i for i, n in counts.items() if n >= 2)
    return stock.get_item(item_id)


def _moves(item_id: int, kind: str) -> list[StockMovement]:
    return list(
        StockMovement.select()
        .where((StockMovement.item == item_id) & (StockMovement.kind == kind))
        .order_by(StockMovement.id)
    )


async def test_receive_a_delivery_with_a_scanned_barcode(make_app) -> None:
    gloves = _item("MS-1007")
    before = gloves.on_hand
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        # the scanner types the code and Enter; the desk types on without waiting
        await burst(
            app, "r", *gloves.barcode, "enter", *"L9001", "tab", *"6/2028", "tab", *"24", "enter"
        )
        await settle(app, pilot)
        assert not isinstance(app.screen, ReceiveForm)
    lot = SupplyLot.get((SupplyLot.item == gloves.id) & (SupplyLot.lot_number == "L9001"))
    assert (lot.quantity, lot.expires_on, lot.location_id) == (
        24,
        dt.date(2028, 6, 30),
        gloves.home_location_id,
    )
    assert stock.get_item(gloves.id).on_hand == before + 24
    assert stock.check().ok


async def test_an_unknown_code_is_said_beside_the_item(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("r", *"999999999999", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiveForm)
        picker = app.screen.field("item_id")
        assert picker.has_class("-invalid") and app.screen.focused is picker.input


async def test_use_across_two_lots(make_app) -> None:
    item = _two_lot_item()
    lots = [r for r in stock.item_lots(item.id) if r.quantity > 0 and not r.expired]
    first = lots[0].quantity
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await burst(app, "u", *item.sku, "enter", *str(first + 1), "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, UseForm)
    taken = [(m.lot_id, -m.quantity) for m in _moves(item.id, "use")[-2:]]
    assert taken == [(lots[0].lot_id, first), (lots[1].lot_id, 1)]
    assert stock.check().ok


async def test_expired_stock_only_after_y(make_app) -> None:
    lot = stock.expiring_lots(30).rows[0]  # the demo's first expired lot
    assert lot.expired
    in_date = sum(r.quantity for r in stock.item_lots(lot.item_id) if not r.expired)
    item = stock.get_item(lot.item_id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await burst(app, "u", *item.sku, "enter", *str(in_date + 1), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StrictConfirmScreen)
        await pilot.press("enter")  # Enter is not yes here
        await settle(app, pilot)
        assert isinstance(app.screen, UseForm)
        assert stock.get_item(item.id).on_hand == item.on_hand
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, UseForm)
    used = _moves(item.id, "use")[-1]
    assert used.lot_id == lot.lot_id and used.quantity == -1


async def test_count_then_expire_a_lot_from_the_expiring_list(make_app) -> None:
    lot = stock.expiring_lots(30).rows[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("tab")
        assert list_of(app, "#stock-expiring").has_focus
        await burst(app, "c", *str(lot.quantity - 1), "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CountForm)
        count = _moves(lot.item_id, "count")[-1]
        assert (count.lot_id, count.quantity, count.reason_code) == (lot.lot_id, -1, "count")
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        rows = [r.data.lot_id for r in list_of(app, "#stock-expiring").rows]
        assert lot.lot_id not in rows
    gone = _moves(lot.item_id, "expire")[-1]
    assert (gone.lot_id, gone.quantity) == (lot.lot_id, -(lot.quantity - 1))
    assert SupplyLot.get_by_id(lot.lot_id).quantity == 0


async def test_x_is_only_for_an_expired_lot(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        pane = app.query_one("#stock")
        assert pane.check_action("expire", ()) is None  # the low-stock list
        await pilot.press("tab", "end")
        await settle(app, pilot)
        assert not list_of(app, "#stock-expiring").current.data.expired
        assert pane.check_action("expire", ()) is None
        await pilot.press("home")
        assert pane.check_action("expire", ()) is True


async def test_move_a_lot_to_another_location(make_app) -> None:
    lot = next(r for r in stock.expiring_lots(30).rows if not r.expired and r.quantity >= 5)
    target = next(x for x in stock.list_locations() if x.name == "Exam rooms")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "tab")
        await settle(app, pilot)
        index = list_of(app, "#stock-expiring").index_where(lambda r: r.lot_id == lot.lot_id)
        list_of(app, "#stock-expiring").move_cursor(index)
        # the form opens on the quantity; Shift+Tab back to "To", a letter picks Exam rooms
        await burst(app, "t")
        await settle(app, pilot)
        await pilot.press("shift+tab", "e", "tab", "3", "enter")
        await settle(app, pilot)
    moved = stock.item_lots(lot.item_id)
    there = [r for r in moved if r.location_id == target.id and r.lot_number == lot.lot_number]
    assert there and there[0].quantity == 3 and there[0].expires_on == lot.expires_on
    assert [m.quantity for m in _moves(lot.item_id, "transfer")[-2:]] == [-3, 3]


async def test_build_export_order_and_receive_against_it(make_app, tmp_path: Path) -> None:
    out = tmp_path / "reorder.csv"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, ReorderScreen)
        drafts = stock.list_lines(("draft",))
        screen = app.screen
        assert drafts and screen.list_for("draft").row_count == len(drafts)
        first = drafts[0]
        await pilot.press("e", *"12", "enter")  # the first line's quantity (typing replaces)
        await settle(app, pilot)
        assert stock.list_lines(("draft",))[0].quantity == 12
        await pilot.press("x", *str(out), "enter")
        await settle(app, pilot)
        assert out.exists() and f",{first.sku}," in out.read_text()
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        order = PurchaseOrder.get_by_id(first.order_id)
        assert order.status == "ordered"
        await pilot.press("tab")
        await settle(app, pilot)
        waiting = screen.list_for("open")
        index = waiting.index_where(lambda x: x.line_id == first.line_id)
        waiting.move_cursor(index)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiveForm)
        await burst(app, *"PO1LOT", "tab", *"12/2028", "tab", *"5", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReorderScreen)
        row = waiting.rows[waiting.index_where(lambda x: x.line_id == first.line_id)].data
        assert (row.received, row.remaining, row.status) == (5, 7, "partial")
    assert stock.check().ok


async def test_keys_follow_the_role(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        pane = app.query_one("#stock")
        for action in ("receive", "use", "count", "transfer", "reorder", "add_item"):
            assert pane.check_action(action, ()) is False, action
        assert pane.check_action("switch_list", ()) is True
        await pilot.press("r")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReceiveForm)


async def test_end_reads_the_last_page_and_up_climbs_home_goes_back(make_app, monkeypatch) -> None:
    from medoffice_tui.ui.panes import stock as pane_module

    manager = demo_actor("manager")
    for n in range(60):  # 60 more items out of stock: the list runs to several pages
        stock.add_item(manager, name=f"Zz spare part {n:02d}", sku=f"ZZ-{n:02d}", reorder_point=1)
    monkeypatch.setattr(pane_module, "PAGE_SIZE", 20)
    every = [r.item_id for r in stock.low_stock(limit=500).rows]
    assert len(every) >= 74
    reads: list[dict] = []
    real = stock.low_stock

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        page = real(*args, **kwargs)  # an inline try stopped past its budget raises here
        reads.append(kwargs)
        return page

    monkeypatch.setattr(stock, "low_stock", counted)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        low = list_of(app, "#stock-low")
        assert low.row_count == 20 and low.has_more
        reads.clear()
        await pilot.press("end")
        await settle(app, pilot)
        # one read of the last page, backwards: not every page between
        assert [r.get("from_end") for r in reads] == [True]
        assert [r.data.item_id for r in low.rows] == every[-20:]
        assert low.current.data.item_id == every[-1] and low.has_before and not low.has_more
        assert low.position_text() == "1 to end"
        # Home from there: the first page again, the cursor on its first row
        await pilot.press("home")
        await settle(app, pilot)
        assert [r.data.item_id for r in low.rows] == every[:20]
        assert low.cursor_row == 0 and low.has_more and not low.has_before
        # End again, then Up to the top: the pages above are read as the cursor climbs
        await pilot.press("end")
        await settle(app, pilot)
        assert low.current.data.item_id == every[-1]
        for step in range(1, len(every)):
            await pilot.press("up")
            if step % 10 == 0:
                await settle(app, pilot)
            assert low.current.data.item_id == every[-1 - step], step
        await settle(app, pilot)
        assert [r.data.item_id for r in low.rows] == every and not low.has_before
        assert any(r.get("before") is not None for r in reads)
        assert low.cursor_row == 0


async def test_end_in_the_expiring_list_and_the_title_while_windowed(make_app, monkeypatch) -> None:
    from medoffice_tui.ui.panes import stock as pane_module

    monkeypatch.setattr(pane_module, "PAGE_SIZE", 3)
    every = [r.lot_id for r in stock.expiring_lots(limit=500).rows]
    assert len(every) >= 8
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "tab")
        await settle(app, pilot)
        lots = list_of(app, "#stock-expiring")
        await pilot.press("end")
        await settle(app, pilot)
        assert lots.current.data.lot_id == every[-1]
        assert [r.data.lot_id for r in lots.rows] == every[-len(lots.rows) :]
        title = str(app.query_one("#stock-title").render())
        assert f"({lots.row_count}+)" in title
        for _ in range(len(every) - 1):
            await pilot.press("up")
            await settle(app, pilot)
        assert [r.data.lot_id for r in lots.rows] == every and lots.cursor_row == 0


async def test_a_write_keeps_the_cursor_on_its_row(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        low = list_of(app, "#stock-low")
        low.move_cursor(3)
        await settle(app, pilot)
        item_id = low.current.data.item_id
        app.query_one("#stock").reload()  # what every form's save does
        await settle(app, pilot)
        assert low.current.data.item_id == item_id


# ------------------------------------------------- items, locations, the window


async def test_a_adds_an_item(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ItemForm) and app.screen.existing is None
        # name, SKU, then a scanned barcode (its Enter moves on), unit; Enter saves
        await pilot.press(*"Cotton balls", "tab", *"CB-900", "tab", *"0123456789", "enter")
        await pilot.press(*"bag", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ItemForm)
    added = SupplyItem.get(SupplyItem.sku == "CB-900")
    assert (added.name, added.barcode, added.unit, added.active) == (
        "Cotton balls",
        "0123456789",
        "bag",
        True,
    )
    assert stock.find_items("0123456789")[0].item.id == added.id  # found by its barcode


async def test_e_edits_the_selected_item(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        row = list_of(app, "#stock-low").current.data
        before = stock.get_item(row.item_id)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ItemForm) and form.existing.id == row.item_id
        assert form.field("name").raw() == before.name
        # ten fields down to the reorder point; typing replaces what a field holds
        await pilot.press(*["tab"] * 10, *"99", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ItemForm)
    after = stock.get_item(row.item_id)
    assert (after.reorder_point, after.version) == (99, before.version + 1)
    assert (after.name, after.sku, after.vendor) == (before.name, before.sku, before.vendor)


async def test_n_adds_a_location(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, LocationForm)
        await pilot.press(*"Exam 9", "tab", *"North", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, LocationForm)
        pane = app.query_one("#stock")
        assert "Exam 9" in [x.name for x in pane.locations]  # l now cycles through it too
    added = StockLocation.get(StockLocation.name == "Exam 9")
    assert (added.site, added.active) == ("North", True)


async def test_w_sets_the_expiry_window(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, ExpiryWindowForm)
        await pilot.press(*"400", "enter")  # out of range: said beside the field
        await settle(app, pilot)
        assert isinstance(app.screen, ExpiryWindowForm)
        assert app.screen.field("days").has_class("-invalid")
        await pilot.press("ctrl+u", *"90", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExpiryWindowForm)
        await pilot.press("tab")
        await settle(app, pilot)
        title = str(app.query_one("#stock-title").render())
        assert "within 90 days" in title
        shown = list_of(app, "#stock-expiring").row_count
    assert stock.get_settings().expiry_window_days == 90
    assert shown == len(stock.expiring_lots(90, limit=500).rows) > 0


async def test_w_is_the_managers(make_app) -> None:
    app = make_app()  # the front desk
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.query_one("#stock").check_action("expiry_window", ()) is False
        await pilot.press("w")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExpiryWindowForm)


async def test_use_for_a_patients_visit_today(make_app) -> None:
    visit = (
        Appointment.select()
        .join(Patient)
        .where(
            (Appointment.start >= dt.datetime.combine(DEMO_TODAY, dt.time()))
            & (Appointment.start < dt.datetime.combine(DEMO_TODAY, dt.time(23, 59)))
            & (Appointment.status.in_(LIVE_STATUSES))
            & (Patient.active == True)  # noqa: E712
        )
        .order_by(Appointment.start)
        .first()
    )
    mrn = Patient.get_by_id(visit.patient_id).mrn
    item = _two_lot_item()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        # item, quantity, "Taken at" (anywhere), then "For (visit)": the MRN finds them
        await burst(app, "u", *item.sku, "enter", "1", "tab", "tab", *mrn)
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, UseForm)
        await pilot.press("enter")  # the picker takes the match
        await settle(app, pilot)
        assert form.field("patient").value() == visit.patient_id
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, UseForm)
    used = _moves(item.id, "use")[-1]
    assert (used.quantity, used.appointment_id) == (-1, stock.visit_today(visit.patient_id))


async def test_a_patient_without_a_visit_today_is_said_beside_the_field(make_app) -> None:
    today = dt.datetime.combine(DEMO_TODAY, dt.time())
    busy = Appointment.select(Appointment.patient).where(
        (Appointment.start >= today) & (Appointment.start < today + dt.timedelta(days=1))
    )
    patient = (
        Patient.select()
        .where(Patient.id.not_in(busy) & (Patient.active == True))  # noqa: E712
        .order_by(Patient.id)
        .first()
    )
    item = _two_lot_item()
    before = stock.get_item(item.id).on_hand
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await burst(app, "u", *item.sku, "enter", "1", "tab", "tab", *patient.mrn)
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, UseForm) and form.field("patient").has_class("-invalid")
    assert stock.get_item(item.id).on_hand == before


# -------------------------------------------------- over-delivery on an order


async def test_a_delivery_beyond_the_order_is_asked_about_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "o")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReorderScreen)
        first = stock.list_lines(("draft",))[0]
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.press("tab")
        await settle(app, pilot)
        waiting = screen.list_for("open")
        waiting.move_cursor(waiting.index_where(lambda x: x.line_id == first.line_id))
        await pilot.press("r")
        await settle(app, pilot)
        extra = first.quantity + 5
        await burst(app, *"OVERLOT", "tab", *"12/2028", "tab", "ctrl+u", *str(extra), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StrictConfirmScreen)
        await pilot.press("enter")  # Enter is not yes: nothing received
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiveForm)
        assert PurchaseOrderLine.get_by_id(first.line_id).received == 0
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ReorderScreen)
    line = PurchaseOrderLine.get_by_id(first.line_id)
    assert (line.received, line.quantity) == (first.quantity, first.quantity)
    moves = StockMovement.select().where(
        (StockMovement.item == first.item_id) & (StockMovement.kind == "receive")
    )
    got = sorted((m.quantity, m.reason_code) for m in moves.order_by(StockMovement.id)[-2:])
    assert got == sorted([(first.quantity, ""), (5, "over")])
    assert stock.check().ok


async def test_the_reorder_summary_counts_in_words(make_app) -> None:
    assert len({x.order_id for x in stock.list_lines(("ordered", "partial"))}) == 1  # the demo's
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "o")
        await settle(app, pilot)
        summary = str(app.screen.query_one("#orders-summary").render())
        assert "waiting: 1 order" in summary and "1 orders" not in summary
        assert " lines, " in summary and " vendors, " in summary
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert "waiting: 2 orders" in str(app.screen.query_one("#orders-summary").render())


def test_the_receipt_toast_names_the_orders_and_the_extra() -> None:
    from medoffice_tui.ui.screens.stock_forms import receipt_text

    applied = (stock.AppliedLine(7, 3, 10, "received"), stock.AppliedLine(9, 5, 2, "partial"))
    receipt = stock.Receipt(1, 2, 3, 7, 3, "received", 17, "L1", "Supply room", applied, 5)
    assert receipt_text(receipt) == (
        "Received 17 into lot L1 at Supply room, on PO 3, PO 5 (the rest stays on order); "
        "5 over the order, kept as stock"
    )
    plain = stock.Receipt(1, 2, 3, None, None, None, 4, "L2", "Lab")
    assert receipt_text(plain) == "Received 4 into lot L2 at Lab"
