"""Eight desks using the same item at the same moment: never below zero, nothing lost.

The item's stock is split between two lots in two locations (OpenEMR issue 6469: a
use the total can serve must never read as "insufficient"). Eight fresh processes
use it (most attempts), receive small deliveries and move stock between the places,
all at once, through the real services. Afterwards every lot is at or above zero,
on hand is the sum of the movements, every success a desk was told about is in the
ledger exactly once, and every refusal is the domain error ("not enough stock"),
never "database is locked" or a lost update.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pytest
from peewee import fn

from medoffice_tui.db.models import StockMovement, SupplyItem, SupplyLot
from medoffice_tui.services import staff, stock
from tests.db.stock_workers import stock_desk_worker

PROCESSES = 8
ATTEMPTS = 40
START_UNITS = (45, 75)


@pytest.mark.slow
def test_eight_desks_on_one_item(database, migrated_url, engine, capsys) -> None:
    system = staff.system_actor(via="test")
    rooms = [stock.add_location(system, name).id for name in ("Supply room", "Exam 1")]
    item = stock.add_item(
        system,
        name="Gauze 4x4",
        sku="GZ-44",
        home_location_id=rooms[0],
        reorder_point=10,
        reorder_qty=50,
    )
    expiries = (dt.date(2027, 1, 31), dt.date(2027, 3, 31))
    for number, units, where, expires in zip(
        ("A1", "B1"), START_UNITS, rooms, expiries, strict=True
    ):
        stock.receive(system, item.id, number, units, expires, location_id=where)
    before = StockMovement.select().count()

    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
        barrier = manager.Barrier(PROCESSES)
        jobs = [(migrated_url, barrier, w, item.id, rooms, ATTEMPTS) for w in range(PROCESSES)]
        began = time.perf_counter()
        results = pool.starmap(stock_desk_worker, jobs)
        wall = time.perf_counter() - began

    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors
    refusals: dict[str, int] = {}
    for r in results:
        for name, count in r["refusals"].items():
            refusals[name] = refusals.get(name, 0) + count
    assert set(refusals) <= {"InvalidInput", "nothing to move"}, refusals
    done = [d for r in results for d in r["done"]]
    used = sum(units for kind, units, _ in done if kind == "use")
    received = sum(units for kind, units, _ in done if kind == "receive")
    written = sum(moves for _, _, moves in done)
    assert used > 0 and refusals.get("InvalidInput", 0) > 0  # it really ran dry under load

    # nothing lost, nothing doubled: the ledger holds exactly what the desks were told
    assert StockMovement.select().count() - before == written
    uses = (
        -StockMovement.select(fn.SUM(StockMovement.quantity))
        .where(StockMovement.kind == "use")
        .scalar()
    )
    assert uses == used
    on_hand = SupplyItem.get_by_id(item.id).on_hand
    assert on_hand == sum(START_UNITS) + received - used
    assert SupplyLot.select().where(SupplyLot.quantity < 0).count() == 0
    report = stock.check()
    assert report.ok, report

    with capsys.disabled():
        busiest = max(r["seconds"] for r in results)
        print(
            f"\n[{engine}] {PROCESSES} desks x {ATTEMPTS} on one item: {len(done)} done "
            f"({used} used, {received} received), refusals {refusals}, {busiest:.2f} s "
            f"({PROCESSES * ATTEMPTS / busiest:.0f} attempts/s), {wall:.2f} s with start-up"
        )
