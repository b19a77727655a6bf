"""Stock: receiving, FEFO use across lots and locations, counts, expiry, transfers, items."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import (
    Appointment,
    AuditEvent,
    Patient,
    Provider,
    StockMovement,
    SupplyLot,
)
from medoffice_tui.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from medoffice_tui.services import stock

from .stock_helpers import by_number, days, item, location, lots, movements, on_hand


@pytest.fixture
def rooms(database, manager):  # noqa: ANN201
    return {name: location(manager, name) for name in ("Supply room", "Exam 1", "Exam 2")}


# ------------------------------------------------------------------ receiving


def test_receive_creates_and_tops_up_lots_at_a_location(rooms, desk, manager):
    gloves = item(manager, "Gloves", home=rooms["Supply room"])
    stock.receive(desk, gloves, "L1", 10, days(100))
    stock.receive(desk, gloves, " L1 ", 5, days(100))
    stock.receive(desk, gloves, "L1", 4, days(100), location_id=rooms["Exam 1"])
    stock.receive(desk, gloves, "L2", 7, "6/2027")  # a month and year: its last day
    assert lots(gloves) == {
        ("L1", rooms["Supply room"]): 15,
        ("L1", rooms["Exam 1"]): 4,
        ("L2", rooms["Supply room"]): 7,
    }
    assert on_hand(gloves) == 26
    assert SupplyLot.get(SupplyLot.lot_number == "L2").expires_on == dt.date(2027, 6, 30)
    assert movements(gloves) == [("receive", 10), ("receive", 5), ("receive", 4), ("receive", 7)]
    assert stock.check().ok


def test_receive_refusals_name_their_field_and_change_nothing(rooms, desk, manager):
    gloves = item(manager, "Gloves", home=rooms["Supply room"])
    stock.receive(desk, gloves, "L1", 10, days(100))
    refusals = [
        (("L1", 5, days(50)), {}, "expires_on"),  # one lot number, one expiry date
        (("L3", 0, days(50)), {}, "quantity"),
        (("L3", -2, days(50)), {}, "quantity"),
        (("L3", 100_001, days(50)), {}, "quantity"),
        (("  ", 3, days(50)), {}, "lot_number"),
        (("L3", 3, None), {}, "expires_on"),  # not an item marked "no expiry"
        (("L3", 3, days(-1)), {}, "expires_on"),  # already expired
        (("L3", 3, "13/2027"), {}, "expires_on"),
        (("L3", 3, days(50)), {"location_id": 999}, "location"),
    ]
    for args, kwargs, field in refusals:
        with pytest.raises((InvalidInput, NotFound)) as refused:
            stock.receive(desk, gloves, *args, **kwargs)
        assert refused.value.field == field, args
    with pytest.raises(NotFound):
        stock.receive(desk, 9999, "L1", 1, days(10))
    assert lots(gloves) == {("L1", rooms["Supply room"]): 10}
    assert StockMovement.select().count() == 1


def test_no_expiry_only_for_items_marked_so_and_today_is_still_in_date(rooms, desk, manager):
    paper = item(manager, "Table paper", no_expiry=True, home=rooms["Supply room"])
    stock.receive(desk, paper, "P1", 12, None)
    stock.receive(desk, paper, "P2", 3, days(0))
    assert by_number(paper) == {"P1": 12, "P2": 3}


def test_a_practice_without_locations_receives_into_main_storage(database, desk, manager):
    gauze = item(manager, "Gauze")
    receipt = stock.receive(desk, gauze, "G1", 5, days(30))
    assert stock.get_location(receipt.location_id).name == "Main storage"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("6/30/2027", dt.date(2027, 6, 30)),
        ("06/27", dt.date(2027, 6, 30)),
        ("2027-02", dt.date(2027, 2, 28)),
        ("EXP 2028-02", dt.date(2028, 2, 29)),
        ("12-2026", dt.date(2026, 12, 31)),
        ("none", None),
        ("", None),
    ],
)
def test_expiry_entry_is_forgiving(typed, expected):
    assert stock.parse_expiry(typed) == expected


def test_billing_may_not_receive_and_the_refusal_is_audited(rooms, staff, manager):
    gloves = item(manager, "Gloves", home=rooms["Supply room"])
    with pytest.raises(PermissionDenied, match="Receiving stock"):
        stock.receive(staff["billing"], gloves, "L1", 1, days(10))
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (last.action, last.detail, last.success) == ("refused", "stock.receive", False)


# ---------------------------------------------------------------------- using


def test_use_is_fefo_across_lots_no_expiry_last(rooms, desk, manager):
    swabs = item(manager, "Swabs", no_expiry=True, home=rooms["Supply room"])
    stock.receive(desk, swabs, "LATE", 10, days(200))
    stock.receive(desk, swabs, "NOEXP", 10, None)
    stock.receive(desk, swabs, "SOON", 4, days(10))
    stock.receive(desk, swabs, "MID", 3, days(60))
    first = stock.use(desk, swabs, 6, reason="clinic")
    assert [(t.lot_number, t.quantity) for t in first.taken] == [("SOON", 4), ("MID", 2)]
    assert by_number(swabs) == {"SOON": 0, "MID": 1, "LATE": 10, "NOEXP": 10}
    stock.use(desk, swabs, 12)
    assert by_number(swabs) == {"SOON": 0, "MID": 0, "LATE": 0, "NOEXP": 9}
    assert on_hand(swabs) == 9
    assert [q for k, q in movements(swabs) if k == "use"] == [-4, -2, -1, -10, -1]
    assert stock.check().ok


def test_use_past_on_hand_is_refused_with_nothing_changed(rooms, desk, manager):
    swabs = item(manager, "Swabs", home=rooms["Supply room"])
    stock.receive(desk, swabs, "A", 3, days(10))
    stock.receive(desk, swabs, "B", 2, days(20))
    before = StockMovement.select().count()
    with pytest.raises(InvalidInput, match="not enough stock: 5 usable") as refused:
        stock.use(desk, swabs, 6)
    assert refused.value.field == "quantity"
    assert by_number(swabs) == {"A": 3, "B": 2} and on_hand(swabs) == 5
    assert StockMovement.select().count() == before
    for bad in (0, -1, True, "two", 2.5):
        with pytest.raises(InvalidInput):
            stock.use(desk, swabs, bad)


def test_expiry_edges_yesterday_today_tomorrow(rooms, desk, manager, fixture_writes):
    vaccine = item(manager, "Vaccine", home=rooms["Supply room"])
    stock.receive(desk, vaccine, "TODAY", 1, days(0))
    stock.receive(desk, vaccine, "TOMORROW", 1, days(1))
    stock.receive(desk, vaccine, "OLD", 5, days(5))
    SupplyLot.update(expires_on=days(-1)).where(SupplyLot.lot_number == "OLD").execute()
    with pytest.raises(stock.ExpiredStockNeeded) as refused:
        stock.use(desk, vaccine, 3)  # two in date, the third only from the expired lot
    assert (refused.value.usable, refused.value.expired, refused.value.field) == (2, 5, "quantity")
    assert by_number(vaccine) == {"TODAY": 1, "TOMORROW": 1, "OLD": 5}
    taken = stock.use(desk, vaccine, 2).taken
    assert [t.lot_number for t in taken] == ["TODAY", "TOMORROW"]  # today is still in date
    confirmed = stock.use(desk, vaccine, 1, allow_expired=True)
    assert confirmed.from_expired == 1 and confirmed.taken[0].lot_number == "OLD"
    with pytest.raises(InvalidInput, match="0 usable on hand \\(and 4 expired\\)"):
        stock.use(desk, vaccine, 5, allow_expired=True)
    low = {r.item_id: r for r in stock.low_stock().rows}
    assert low[vaccine].on_hand == 0 and low[vaccine].flag == "out"  # expired is not stock
    assert [(r.lot_number, r.days_left) for r in stock.expiring_lots(30).rows] == [("OLD", -1)]


def test_two_locations_never_make_insufficient_stock_when_the_total_serves(rooms, desk, manager):
    """OpenEMR issue 6469: lots split between places must add up."""
    gauze = item(manager, "Gauze", home=rooms["Supply room"])
    stock.receive(desk, gauze, "G1", 3, days(90), location_id=rooms["Exam 1"])
    stock.receive(desk, gauze, "G2", 4, days(30), location_id=rooms["Supply room"])
    result = stock.use(desk, gauze, 5, location_id=rooms["Exam 1"])
    # where the desk is comes first, then the rest FEFO
    assert [(t.lot_number, t.location, t.quantity) for t in result.taken] == [
        ("G1", "Exam 1", 3),
        ("G2", "Supply room", 2),
    ]
    assert on_hand(gauze) == 2 and stock.check().ok


def test_a_use_can_be_tied_to_todays_visit(rooms, desk, manager, fixture_writes):
    patient = Patient.create(
        mrn="M1",
        first_name="Ann",
        last_name="Lee",
        dob=dt.date(1970, 1, 1),
        last_norm="lee",
        first_norm="ann",
    )
    other = Patient.create(
        mrn="M2",
        first_name="Bo",
        last_name="Ng",
        dob=dt.date(1980, 1, 1),
        last_norm="ng",
        first_norm="bo",
    )
    provider = Provider.create(first_name="Jo", last_name="Doc", npi="1000000001")
    nine = dt.datetime(2026, 11, 23, 9)
    visit = Appointment.create(
        patient=patient,
        provider=provider,
        status="arrived",
        start=nine,
        end=nine + dt.timedelta(minutes=15),
    )
    tdap = item(manager, "Tdap", home=rooms["Supply room"])
    stock.receive(desk, tdap, "T1", 5, days(200))
    result = stock.use(desk, tdap, 1, patient_id=patient.id)
    assert result.appointment_id == visit.id
    move = StockMovement.select().where(StockMovement.kind == "use").get()
    assert move.appointment_id == visit.id
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert event.patient_id == patient.id and "appointment" in event.fields
    with pytest.raises(InvalidInput, match="no visit today") as refused:
        stock.use(desk, tdap, 1, patient_id=other.id)
    assert refused.value.field == "patient"


# ------------------------------------------------------------- count, expire


def test_count_sets_the_lot_with_a_reason_and_keeps_a_zero_count(rooms, desk, manager):
    gauze = item(manager, "Gauze", home=rooms["Supply room"])
    stock.receive(desk, gauze, "G1", 10, days(90))
    lot = stock.item_lots(gauze)[0].lot_id
    stock.count_lot(desk, lot, 8, "count")
    stock.count_lot(desk, lot, 8, "count")  # agrees: still on record
    stock.count_lot(desk, lot, 5, "damaged", note="water leak")
    stock.count_lot(desk, lot, 6, "returned")
    assert movements(gauze)[1:] == [("count", -2), ("count", 0), ("count", -3), ("count", 1)]
    codes = [m.reason_code for m in StockMovement.select().where(StockMovement.kind == "count")]
    assert codes == ["count", "count", "damaged", "returned"]
    assert on_hand(gauze) == 6
    for counted, code, field in (
        (-1, "count", "counted"),
        (3, "stolen", "reason"),
        ("x", "count", "counted"),
    ):
        with pytest.raises(InvalidInput) as refused:
            stock.count_lot(desk, lot, counted, code)
        assert refused.value.field == field
    with pytest.raises(NotFound):
        stock.count_lot(desk, 9999, 1)
    assert stock.check().ok


def test_expire_moves_only_an_expired_lot_out(rooms, desk, manager, fixture_writes):
    vaccine = item(manager, "Vaccine", home=rooms["Supply room"])
    stock.receive(desk, vaccine, "OLD", 5, days(3))
    stock.receive(desk, vaccine, "TODAY", 2, days(0))
    SupplyLot.update(expires_on=days(-2)).where(SupplyLot.lot_number == "OLD").execute()
    by_lot = {r.lot_number: r.lot_id for r in stock.item_lots(vaccine)}
    with pytest.raises(InvalidInput, match="has not expired"):
        stock.expire_lot(desk, by_lot["TODAY"])
    stock.expire_lot(desk, by_lot["OLD"])
    assert by_number(vaccine) == {"OLD": 0, "TODAY": 2}
    assert movements(vaccine)[-1] == ("expire", -5)
    with pytest.raises(InvalidInput, match="already empty"):
        stock.expire_lot(desk, by_lot["OLD"])
    assert stock.check().ok


def test_adjust_by_lot_number_still_works(rooms, desk, manager):
    gauze = item(manager, "Gauze", home=rooms["Supply room"])
    stock.receive(desk, gauze, "G1", 10, days(30))
    stock.adjust(desk, gauze, "G1", -3, reason="count")
    with pytest.raises(InvalidInput, match="holds only 7"):
        stock.adjust(desk, gauze, "G1", -8, reason="count")
    with pytest.raises(InvalidInput, match="needs a reason"):
        stock.adjust(desk, gauze, "G1", -1, reason=" ")
    assert on_hand(gauze) == 7


# ------------------------------------------------------------------ transfers


def test_transfer_is_a_pair_of_movements_keeping_the_lot(rooms, desk, manager):
    gloves = item(manager, "Gloves", home=rooms["Supply room"])
    stock.receive(desk, gloves, "L1", 10, days(100))
    lot = stock.item_lots(gloves)[0].lot_id
    out_id, in_id = stock.transfer(desk, lot, rooms["Exam 1"], 4, reason="restock")
    stock.transfer(desk, lot, rooms["Exam 1"], 2)
    assert lots(gloves) == {("L1", rooms["Supply room"]): 4, ("L1", rooms["Exam 1"]): 6}
    pair = list(StockMovement.select().where(StockMovement.id.in_([out_id, in_id])))
    assert [(m.kind, m.quantity, m.transfer_id) for m in pair] == [
        ("transfer", -4, out_id),
        ("transfer", 4, out_id),
    ]
    moved = stock.item_lots(gloves)
    assert {(r.location, r.expires_on) for r in moved} == {
        ("Supply room", days(100)),
        ("Exam 1", days(100)),
    }
    with pytest.raises(InvalidInput, match="holds only 4") as refused:
        stock.transfer(desk, lot, rooms["Exam 2"], 5)
    assert refused.value.field == "quantity"
    with pytest.raises(InvalidInput, match="already at that location"):
        stock.transfer(desk, lot, rooms["Supply room"], 1)
    assert on_hand(gloves) == 10 and stock.check().ok
    assert [r.item_id for r in stock.low_stock(location_id=rooms["Exam 2"]).rows] == []


# ---------------------------------------------------------------------- items


def test_items_add_edit_and_lookup_by_barcode_sku_or_name(rooms, staff, manager):
    row = stock.add_item(
        manager,
        name="Nitrile gloves, medium",
        sku="gl-m",
        barcode="0123456789012",
        vendor="Medline",
        catalog_number="MDS195085",
        cost_cents=1299,
        reorder_point=10,
        reorder_qty=40,
        category="PPE",
        home_location_id=rooms["Supply room"],
        shelf="A1",
    )
    assert (row.sku, row.home_location, row.cost_cents, row.version) == (
        "GL-M",
        "Supply room",
        1299,
        1,
    )
    item(manager, "Gloves, large", sku="GL-L")
    scanned = stock.find_items("0123456789012")
    assert scanned[0].exact and scanned[0].item.id == row.id
    assert [m.item.sku for m in stock.find_items("gloves")] == ["GL-L", "GL-M"]
    assert stock.find_items("gl-m")[0].exact
    assert stock.find_items("100%") == []  # LIKE's own characters are plain text
    with pytest.raises(InvalidInput) as clash:
        stock.add_item(manager, name="Other", sku="X1", barcode="0123456789012")
    assert clash.value.field == "barcode"
    edited = stock.update_item(manager, row.id, row.version, reorder_point=12, barcode="")
    assert (edited.reorder_point, edited.barcode, edited.version) == (12, "", 2)
    with pytest.raises(StaleEdit):
        stock.update_item(manager, row.id, row.version, reorder_point=15)
    with pytest.raises(PermissionDenied):
        stock.update_item(staff["clinical"], row.id, edited.version, name="x")


def test_locations_rename_and_retire_only_when_empty(rooms, desk, manager):
    gauze = item(manager, "Gauze", home=rooms["Exam 2"])
    stock.receive(desk, gauze, "G1", 2, days(30))
    exam2 = stock.get_location(rooms["Exam 2"])
    with pytest.raises(InvalidInput, match="still holds stock"):
        stock.update_location(manager, exam2.id, exam2.version, name="Exam 2", active=False)
    renamed = stock.update_location(manager, exam2.id, exam2.version, name="Exam 2 (peds)")
    assert renamed.name == "Exam 2 (peds)"
    with pytest.raises(InvalidInput, match="that name"):
        stock.add_location(manager, "Exam 1")
    assert [r.name for r in stock.list_locations()] == ["Exam 1", "Exam 2 (peds)", "Supply room"]


def test_expiry_window_setting(database, manager, desk):
    assert stock.get_settings().expiry_window_days == 30
    assert stock.set_expiry_window(manager, "45").expiry_window_days == 45
    assert stock.expiry_window() == 45
    with pytest.raises(InvalidInput):
        stock.set_expiry_window(manager, 0)
    with pytest.raises(PermissionDenied):
        stock.set_expiry_window(desk, 10)


def test_check_finds_a_tampered_sum(rooms, desk, manager, fixture_writes):
    gauze = item(manager, "Gauze", home=rooms["Supply room"])
    stock.receive(desk, gauze, "G1", 10, days(30))
    assert stock.check().ok
    SupplyLot.update(quantity=SupplyLot.quantity + 1).execute()
    report = stock.check()
    assert not report.ok
    assert report.lot_mismatches and report.item_mismatches == [(gauze, 10, 11, 10)]
    assert stock.on_hand_mismatches() == [gauze]
