"""Supplies: the catalogue's items with lots and the stock movements that filled and used them.

Stock on hand equals the sum of its lots, and each lot's quantity equals the sum of its
stock movements. A few items are out or below their reorder point, and a few lots are
expired or expire within 30 days, so the stock screens have something to flag.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.reference.staff import NURSE_USER
from medoffice_tui.demo.reference.supplies import SUPPLIES
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import day_at


def build_supplies(state: BuildState) -> None:
    rng = state.rng("supplies")
    today = state.today
    order = list(range(len(SUPPLIES)))
    rng.shuffle(order)
    out_items = set(order[:4])
    low_items = set(order[4:14])
    expired_items = set(order[14:18])
    expiring_items = set(order[18:24])
    item_rows, lot_rows, moves = [], [], []
    expiring = expired = 0
    for idx, (name, unit, shelf, vendor, location, point, qty) in enumerate(SUPPLIES):
        iid = idx + 1
        n_lots = weighted(rng, (1, 2, 3), (50, 35, 15))
        if idx in out_items:
            targets = [0]
        elif idx in low_items:
            targets = [rng.randint(1, point)]
        else:
            targets = [rng.randint(point // 2 + 1, point + qty) for _ in range(n_lots)]
            if sum(targets) <= point:
                targets[0] += point + 1
        for k, quantity in enumerate(targets):
            received = today - dt.timedelta(days=rng.randint(10, min(300, shelf - 40)))
            expires = received + dt.timedelta(days=shelf)
            if idx in expired_items and k == 0:
                expires = today - dt.timedelta(days=rng.randint(1, 45))
                received = min(received, expires - dt.timedelta(days=60))
                quantity = max(quantity, 1)
            elif idx in expiring_items and k == 0:
                expires = today + dt.timedelta(days=rng.randint(3, 30))
                received = min(received, today - dt.timedelta(days=20))
                quantity = max(quantity, 1)
            if expires < today:
                expired += 1
            elif expires <= today + dt.timedelta(days=30) and quantity > 0:
                expiring += 1
            lot_id = len(lot_rows) + 1
            lot_number = (
                f"{rng.choice('ABCDHKLMRT')}{received:%y}{rng.randrange(1000, 9999)}-{k + 1}"
            )
            lot_rows.append((lot_id, iid, lot_number, expires, quantity, received))
            got = max(quantity + rng.randint(0, qty), quantity, 1)
            moves.append(
                (
                    len(moves) + 1,
                    iid,
                    lot_id,
                    "receive",
                    got,
                    f"PO {rng.randrange(10000, 99999)}",
                    day_at(received, 9 * 60 + 30),
                    NURSE_USER,
                )
            )
            used = got - quantity
            span = max(1, (min(today, expires) - received).days - 1)
            uses = min(used, rng.randint(1, 4))
            for u in range(uses):
                amount = used - (uses - 1) if u == 0 else 1
                day = received + dt.timedelta(days=rng.randint(1, span))
                day = min(day, today - dt.timedelta(days=1)) if day >= today else day
                moves.append(
                    (
                        len(moves) + 1,
                        iid,
                        lot_id,
                        "use",
                        -amount,
                        "clinic use",
                        day_at(max(day, received), rng.randint(8 * 60, 17 * 60)),
                        NURSE_USER,
                    )
                )
        on_hand = sum(r[4] for r in lot_rows if r[1] == iid)
        sku = f"MS-{1000 + iid * 7}"
        item_rows.append((iid, sku, name, unit, point, qty, vendor, location, on_hand, True))
    state.progress("supplies", 0, len(item_rows))
    bulk.insert(
        m.SupplyItem,
        bulk.fields(
            m.SupplyItem,
            "id sku name unit reorder_point reorder_qty vendor location on_hand active",
        ),
        item_rows,
    )
    bulk.insert(
        m.SupplyLot,
        bulk.fields(m.SupplyLot, "id item lot_number expires_on quantity received_on"),
        lot_rows,
    )
    bulk.insert(
        m.StockMovement,
        bulk.fields(m.StockMovement, "id item lot kind quantity reason at user"),
        moves,
    )
    state.progress("supplies", len(item_rows), len(item_rows))
    s = state.summary
    s.supply_items, s.supply_lots, s.stock_movements = len(item_rows), len(lot_rows), len(moves)
    s.low_items = sum(1 for r in item_rows if 0 < r[8] <= r[4])
    s.out_items = sum(1 for r in item_rows if r[8] == 0)
    s.expiring_lots, s.expired_lots = expiring, expired
