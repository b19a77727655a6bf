"""Small builders the stock service tests share (through the services, never the models)."""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db.models import StockMovement, SupplyItem, SupplyLot
from medoffice_tui.services import stock

TODAY = dt.date(2026, 11, 23)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def location(actor, name: str) -> int:  # noqa: ANN001 - an Actor
    return stock.add_location(actor, name).id


def item(
    actor,  # noqa: ANN001
    name: str,
    *,
    sku: str | None = None,
    reorder_point: int = 5,
    reorder_qty: int = 20,
    vendor: str = "Acme",
    home: int | None = None,
    no_expiry: bool = False,
    barcode: str = "",
    cost_cents: int = 0,
) -> int:
    return stock.add_item(
        actor, name=name, sku=sku or name.upper().replace(" ", "")[:10], unit="each",
        reorder_point=reorder_point, reorder_qty=reorder_qty, vendor=vendor,
        home_location_id=home, no_expiry=no_expiry, barcode=barcode, cost_cents=cost_cents,
    ).id  # fmt: skip


def lots(item_id: int) -> dict[tuple[str, int | None], int]:
    """(lot number, location id) -> quantity."""
    return {
        (number, where): qty
        for number, where, qty in SupplyLot.select(
            SupplyLot.lot_number, SupplyLot.location, SupplyLot.quantity
        )
        .where(SupplyLot.item == item_id)
        .tuples()
    }


def by_number(item_id: int) -> dict[str, int]:
    """lot number -> quantity over every location."""
    out: dict[str, int] = {}
    for (number, _where), qty in lots(item_id).items():
        out[number] = out.get(number, 0) + qty
    return out


def on_hand(item_id: int) -> int:
    return SupplyItem.get_by_id(item_id).on_hand


def movements(item_id: int) -> list[tuple[str, int]]:
    return [
        (m.kind, m.quantity)
        for m in StockMovement.select()
        .where(StockMovement.item == item_id)
        .order_by(StockMovement.id)
    ]
