"""Supplies: locations, the catalogue's items, 150 days of deliveries and daily use, an
open purchase order.

Each item (and the exam-room or second-site share of a few) is simulated day by day:
weekday use drawn around a rate of its own, first-expiring lot first; a reorder
when in-date stock falls to the reorder point, delivered a few days later as a new
lot. Vaccines are used one dose per completed visit. So days of supply and the
weekly sparklines have a real history behind them.

Then a few items are made to need attention: some out, some low, some with a
forgotten expired box or a lot expiring within 30 days. One purchase order to a
vendor is open: some lines waiting, one partly delivered.

Stock on hand equals the sum of its lots, and each lot's quantity the sum of its
movements (the services' own invariant, checked by ``medoffice stock check``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.staff import FRONTDESK_USER, NURSE_USER
from medoffice_tui.demo.reference.supplies import (
    ALSO_STOCKED,
    LOCATIONS,
    NO_EXPIRY,
    SUPPLIES,
    UNIT_COST,
    VENDOR_PREFIX,
    category_of,
)
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import day_at

HISTORY_DAYS = 150
#: share of an item's use that happens at its second location
SECOND_SHARE = 0.3


@dataclass
class Lot:
    id: int
    item: int
    location: int
    number: str
    expires: dt.date | None
    received: dt.date
    cost: int
    quantity: int = 0


@dataclass
class Ledger:
    """What the simulation writes: lots, movements, in the order they happened."""

    lots: list[Lot] = field(default_factory=list)
    moves: list[tuple] = field(default_factory=list)  # (at, item, lot, location, kind, qty, ...)

    def receive(
        self, lot: Lot, qty: int, at: dt.datetime, reason: str = "", order_line: int | None = None
    ) -> None:
        lot.quantity += qty
        self.moves.append(
            (
                at,
                lot.item,
                lot.id,
                lot.location,
                "receive",
                qty,
                reason,
                "",
                FRONTDESK_USER,
                order_line,
                None,
                lot.cost,
            )
        )

    def take(
        self,
        lot: Lot,
        qty: int,
        at: dt.datetime,
        kind: str = "use",
        reason: str = "clinic use",
        appointment: int | None = None,
    ) -> None:
        lot.quantity -= qty
        self.moves.append(
            (
                at,
                lot.item,
                lot.id,
                lot.location,
                kind,
                -qty,
                reason,
                "",
                NURSE_USER,
                None,
                appointment,
                None,
            )
        )


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _gtin(rng: random.Random) -> str:
    """A 12-digit UPC-A with its check digit (what a scanner types)."""
    digits = [0, *(rng.randrange(10) for _ in range(10))]
    odd = sum(digits[0::2]) * 3 + sum(digits[1::2])
    return "".join(map(str, digits)) + str((10 - odd % 10) % 10)


class Simulation:
    def __init__(self, state: BuildState, rng: random.Random, ledger: Ledger) -> None:
        self.state, self.rng, self.ledger = state, rng, ledger
        self.today = state.today
        self.numbers: set[tuple[int, str]] = set()

    def new_lot(
        self, item: int, where: int, received: dt.date, shelf: int | None, cost: int
    ) -> Lot:
        rng = self.rng
        expires = (
            None if shelf is None else received + dt.timedelta(days=shelf + rng.randint(-20, 20))
        )
        number = ""
        while not number or (item, number) in self.numbers:  # one number, one lot
            number = f"{rng.choice('ABCDHKLMRT')}{received:%y}{rng.randrange(1000, 9999)}"
        self.numbers.add((item, number))
        lot = Lot(len(self.ledger.lots) + 1, item, where, number, expires, received, cost)
        self.ledger.lots.append(lot)
        return lot

    def in_date(self, lots: list[Lot], day: dt.date) -> list[Lot]:
        usable = [x for x in lots if x.quantity > 0 and (x.expires is None or x.expires >= day)]
        return sorted(usable, key=lambda x: (x.expires or dt.date.max, x.received, x.id))

    def use_from(
        self, lots: list[Lot], day: dt.date, wanted: int, visits: list[int] | None = None
    ) -> None:
        rng = self.rng
        for lot in self.in_date(lots, day):
            if wanted <= 0:
                return
            take = min(lot.quantity, wanted)
            at = day_at(day, rng.randint(8 * 60, 17 * 60))
            if visits:  # one dose per visit
                for _ in range(take):
                    self.ledger.take(lot, 1, at, appointment=rng.choice(visits))
            else:
                self.ledger.take(lot, take, at)
            wanted -= take

    def run(
        self,
        item: int,
        where: int,
        rate: float,
        point: int,
        qty: int,
        shelf: int | None,
        cost: int,
        *,
        dose: bool = False,
        stop_reorders_at: dt.date | None = None,
    ) -> list[Lot]:
        """Daily use and reorders at one location; returns its lots."""
        rng, today = self.rng, self.today
        start = today - dt.timedelta(days=HISTORY_DAYS)
        lots = [self.new_lot(item, where, start, shelf, cost)]
        self.ledger.receive(lots[0], point + qty, day_at(start, 9 * 60 + 30))
        due: tuple[dt.date, int] | None = None
        day = start + dt.timedelta(days=1)
        while day < today:
            if due is not None and due[0] <= day:
                lot = self.new_lot(item, where, day, shelf, cost)
                self.ledger.receive(lot, due[1], day_at(day, 9 * 60 + 30), reason="delivery")
                lots.append(lot)
                due = None
            if day.weekday() < 5:
                visits = None
                if dose:
                    visits = [v[0] for v in self.state.completed_by_day.get(day, [])] or None
                self.use_from(lots, day, _poisson(rng, rate * 7 / 5), visits)
            have = sum(x.quantity for x in self.in_date(lots, day))
            may_reorder = stop_reorders_at is None or day < stop_reorders_at
            if due is None and have <= point and may_reorder:
                due = (day + dt.timedelta(days=rng.randint(2, 5)), max(point + qty - have, qty))
            day += dt.timedelta(days=1)
        return lots


def build_supplies(state: BuildState) -> None:
    rng = state.rng("supplies")
    today = state.today
    yesterday = today - dt.timedelta(days=1)
    ledger = Ledger()
    sim = Simulation(state, rng, ledger)
    location_ids = {name: n + 1 for n, (name, _site) in enumerate(LOCATIONS)}
    order = list(range(len(SUPPLIES)))
    rng.shuffle(order)
    out_items = set(order[:4])
    low_items = set(order[4:14])
    expired_items = set(order[14:18])
    expiring_items = set(order[18:24])
    item_rows = []
    per_item: dict[int, list[Lot]] = {}
    for idx, (name, unit, shelf, vendor, home, shelf_bin, point, qty) in enumerate(SUPPLIES):
        iid = idx + 1
        low, high = UNIT_COST.get(unit, (100, 1000))
        cost = rng.randint(low, high)
        # items marked "no expiry" may be received without a date; the demo's boxes carry
        # their printed ten-year date anyway
        life = shelf
        rate = max(point, 1) / rng.uniform(9, 24)  # the reorder point lasts 1-3 weeks
        stop = today - dt.timedelta(days=rng.randint(25, 40)) if idx in out_items else None
        second = ALSO_STOCKED.get(name)
        share = SECOND_SHARE if second else 0.0
        lots = sim.run(
            iid,
            location_ids[home],
            rate * (1 - share),
            point,
            qty,
            life,
            cost,
            dose=unit == "dose",
            stop_reorders_at=stop,
        )
        if second:
            lots += sim.run(
                iid,
                location_ids[second],
                rate * share,
                max(point // 3, 1),
                max(qty // 3, 1),
                life,
                cost,
            )
        home_lots = [x for x in lots if x.location == location_ids[home]]
        usable = sum(x.quantity for x in sim.in_date(lots, today))
        if idx in out_items:  # a busy last day took the rest
            sim.use_from(lots, yesterday, usable)
        elif idx in low_items:
            if usable == 0:
                lot = sim.new_lot(iid, location_ids[home], yesterday, life, cost)
                ledger.receive(lot, point + qty, day_at(yesterday, 9 * 60 + 30), "delivery")
                lots.append(lot)
                usable = point + qty
            if usable > point:
                sim.use_from(lots, yesterday, usable - rng.randint(1, max(point, 1)))
        elif usable <= point:  # a delivery that came in yesterday
            lot = sim.new_lot(iid, location_ids[home], yesterday, life, cost)
            ledger.receive(lot, point + qty - usable, day_at(yesterday, 9 * 60 + 30), "delivery")
            lots.append(lot)
        if idx in expired_items and life is not None:  # a box forgotten at the back
            old = today - dt.timedelta(days=rng.randint(1, 45))
            lot = sim.new_lot(iid, location_ids[home], old - dt.timedelta(days=120), life, cost)
            lot.expires = old
            ledger.receive(lot, rng.randint(2, max(3, qty // 4)), day_at(lot.received, 9 * 60 + 30))
            lots.append(lot)
        if idx in expiring_items and life is not None:
            current = [x for x in home_lots if x.quantity > 0]
            if current:
                latest = max(current, key=lambda x: (x.received, x.id))
                latest.expires = today + dt.timedelta(days=rng.randint(3, 30))
        per_item[iid] = lots
        prefix = VENDOR_PREFIX.get(vendor, "V")
        item_rows.append(
            (
                iid,
                f"MS-{1000 + iid * 7}",
                name,
                unit,
                point,
                qty,
                vendor,
                shelf_bin,
                sum(x.quantity for x in lots),
                True,
                _gtin(rng),
                category_of(name, home, unit),
                f"{prefix}-{rng.randrange(100000, 999999)}",
                cost,
                name in NO_EXPIRY,
                location_ids[home],
                1,
            )
        )

    order_rows, line_rows = _open_order(state, rng, ledger, sim, per_item, item_rows, low_items)
    _write(state, ledger, location_ids, item_rows, order_rows, line_rows)


def _open_order(
    state: BuildState,
    rng: random.Random,
    ledger: Ledger,
    sim: Simulation,
    per_item: dict[int, list[Lot]],
    item_rows: list[tuple],
    low_items: set[int],
) -> tuple[list[tuple], list[tuple]]:
    """One order placed five days ago: low items waiting, one other item half delivered."""
    today = state.today
    by_vendor: dict[str, list[tuple]] = {}
    for row in item_rows:
        by_vendor.setdefault(row[6], []).append(row)
    vendor = max(by_vendor, key=lambda v: sum(1 for r in by_vendor[v] if r[0] - 1 in low_items))
    waiting = [r for r in by_vendor[vendor] if r[0] - 1 in low_items][:3]
    partial = next(r for r in by_vendor[vendor] if r[0] - 1 not in low_items and not r[14])
    ordered_at = day_at(today - dt.timedelta(days=5), 14 * 60)
    order_rows = [
        (
            1,
            vendor,
            "partial",
            None,
            ordered_at,
            FRONTDESK_USER,
            ordered_at,
            FRONTDESK_USER,
            None,
            "",
            2,
        )
    ]
    line_rows = []
    for n, row in enumerate([*waiting, partial]):
        line_rows.append([n + 1, 1, row[0], row[5], 0, row[13], 1])
    # half of the last line came yesterday, into a new lot at the item's home
    line = line_rows[-1]
    got = max(line[3] // 2, 1)
    iid, home, cost = partial[0], partial[15], partial[13]
    life = SUPPLIES[iid - 1][2]
    lot = sim.new_lot(iid, home, today - dt.timedelta(days=1), life, cost)
    ledger.receive(lot, got, day_at(today - dt.timedelta(days=1), 11 * 60), "PO 1", line[0])
    per_item[iid].append(lot)
    line[4] = got
    row_index = iid - 1
    item_rows[row_index] = (
        *item_rows[row_index][:8],
        item_rows[row_index][8] + got,
        *item_rows[row_index][9:],
    )
    return order_rows, [tuple(r) for r in line_rows]


def _write(
    state: BuildState,
    ledger: Ledger,
    location_ids: dict[str, int],
    item_rows: list[tuple],
    order_rows: list[tuple],
    line_rows: list[tuple],
) -> None:
    today = state.today
    state.progress("supplies", 0, len(item_rows))
    bulk.insert(
        m.StockLocation,
        bulk.fields(m.StockLocation, "id name site active version"),
        [(location_ids[name], name, site, True, 1) for name, site in LOCATIONS],
    )
    bulk.insert(
        m.SupplyItem,
        bulk.fields(
            m.SupplyItem,
            "id sku name unit reorder_point reorder_qty vendor shelf on_hand active barcode "
            "category catalog_number cost_cents no_expiry home_location version",
        ),
        item_rows,
    )
    bulk.insert(
        m.SupplyLot,
        bulk.fields(
            m.SupplyLot,
            "id item lot_number expires_on quantity received_on location unit_cost_cents",
        ),
        [
            (x.id, x.item, x.number, x.expires, x.quantity, x.received, x.location, x.cost)
            for x in ledger.lots
        ],
    )
    bulk.insert(
        m.PurchaseOrder,
        bulk.fields(
            m.PurchaseOrder,
            "id vendor status location created_at created_by "
            "ordered_at ordered_by closed_at note version",
        ),
        order_rows,
    )
    bulk.insert(
        m.PurchaseOrderLine,
        bulk.fields(m.PurchaseOrderLine, "id order item quantity received unit_cost_cents version"),
        line_rows,
    )
    moves = sorted(ledger.moves, key=lambda mv: (mv[0], mv[2]))
    bulk.insert(
        m.StockMovement,
        bulk.fields(
            m.StockMovement,
            "id at item lot location kind quantity reason reason_code "
            "user order_line appointment unit_cost_cents",
        ),
        [(n + 1, *mv) for n, mv in enumerate(moves)],
    )
    state.progress("supplies", len(item_rows), len(item_rows))
    soon = today + dt.timedelta(days=30)
    s = state.summary
    s.supply_items, s.supply_lots, s.stock_movements = (
        len(item_rows),
        len(ledger.lots),
        len(moves),
    )
    s.low_items = sum(1 for r in item_rows if 0 < r[8] <= r[4])
    s.out_items = sum(1 for r in item_rows if r[8] == 0)
    s.expiring_lots = sum(
        1 for x in ledger.lots if x.expires and today <= x.expires <= soon and x.quantity > 0
    )
    s.expired_lots = sum(1 for x in ledger.lots if x.expires and x.expires < today)
