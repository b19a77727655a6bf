"""Receiving a delivery: into a lot at a location, against an open purchase order if any."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import (
    OPEN_ORDER_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLocation,
    SupplyItem,
)
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.money import MAX_CENTS
from medoffice_tui.services.stock import common, ledger


@dataclass(frozen=True)
class Receipt:
    movement_id: int
    lot_id: int
    location_id: int
    order_line_id: int | None
    order_id: int | None
    #: the order's status after this receipt ("partial" leaves the rest open)
    order_status: str | None
    quantity: int = 0
    lot_number: str = ""
    location: str = ""


def default_location(actor: Actor, item_home: int | None) -> int:
    """Where a delivery goes when the desk does not say: the item's home, else the first
    location (a practice with none yet gets "Main storage")."""
    if item_home is not None:
        return item_home
    first = (
        StockLocation.select(StockLocation.id)
        .where(StockLocation.active == True)  # noqa: E712
        .order_by(StockLocation.name, StockLocation.id)
        .tuples()
        .first()
    )
    if first is not None:
        return int(first[0])
    from medoffice_tui.services.stock.locations import ensure_default_location

    return ensure_default_location(actor)


def open_line_for(item_id: int) -> int | None:
    """The oldest open purchase-order line of this item still waiting for units."""
    row = (
        PurchaseOrderLine.select(PurchaseOrderLine.id)
        .join(PurchaseOrder)
        .where(
            (PurchaseOrderLine.item == item_id)
            & (PurchaseOrder.status.in_(OPEN_ORDER_STATUSES))
            & (PurchaseOrderLine.received < PurchaseOrderLine.quantity)
        )
        .order_by(PurchaseOrder.ordered_at, PurchaseOrder.id)
        .tuples()
        .first()
    )
    return int(row[0]) if row else None


def _apply_to_order(actor: Actor, line_id: int, item_id: int, quantity: int) -> tuple[int, str]:
    line = (
        PurchaseOrderLine.select(
            PurchaseOrderLine.order, PurchaseOrderLine.item, PurchaseOrder.status
        )
        .join(PurchaseOrder)
        .where(PurchaseOrderLine.id == line_id)
        .tuples()
        .first()
    )
    if line is None:
        raise NotFound("that order line is not on file", field="order")
    order_id, line_item, status = line
    if line_item != item_id:
        raise InvalidInput("that order line is for another item", field="order")
    if status not in OPEN_ORDER_STATUSES:
        raise InvalidInput(f"that order is {status}, not waiting for a delivery", field="order")
    PurchaseOrderLine.update(
        received=PurchaseOrderLine.received + quantity, version=PurchaseOrderLine.version + 1
    ).where(PurchaseOrderLine.id == line_id).execute()
    waiting = (
        PurchaseOrderLine.select()
        .where(
            (PurchaseOrderLine.order == order_id)
            & (PurchaseOrderLine.received < PurchaseOrderLine.quantity)
        )
        .exists()
    )
    new_status = "partial" if waiting else "received"
    PurchaseOrder.update(
        status=new_status,
        closed_at=None if waiting else clock.now(),
        version=PurchaseOrder.version + 1,
    ).where(PurchaseOrder.id == order_id).execute()
    audit.record(
        actor,
        "update",
        "purchase_order",
        order_id,
        fields=("received", "status"),
        detail=f"received {quantity} on line {line_id}",
    )
    return order_id, new_status


@writes("stock.receive")
def receive(
    actor: Actor,
    item_id: int,
    lot_number: str,
    quantity: int,
    expires_on: dt.date | str | None,
    *,
    location_id: int | None = None,
    unit_cost_cents: int | None = None,
    order_line_id: int | None = None,
    against_open_order: bool = True,
) -> Receipt:
    """Add a delivery to a lot (created on its first receipt) at a location.

    ``expires_on`` may be None only for an item marked "no expiry". With
    ``against_open_order`` (the default) and no ``order_line_id``, the receipt counts
    against the oldest open order line for the item, if there is one; a partial
    delivery leaves that order open for the rest.
    """
    quantity = common.quantity(quantity)
    number = common.lot_number(lot_number)
    if isinstance(expires_on, str):
        expires_on = common.parse_expiry(expires_on)
    if unit_cost_cents is not None and (
        not isinstance(unit_cost_cents, int) or not 0 <= unit_cost_cents <= MAX_CENTS
    ):
        raise InvalidInput("the unit cost must be an amount of 0 or more", field="unit_cost")
    ledger.lock_item(item_id)
    item = (
        SupplyItem.select(SupplyItem.no_expiry, SupplyItem.home_location, SupplyItem.cost_cents)
        .where(SupplyItem.id == item_id)
        .tuples()
        .get()
    )
    no_expiry, home, cost_on_file = item
    if expires_on is None and not no_expiry:
        raise InvalidInput(
            "enter the expiry date (only items marked 'no expiry' may go without)",
            field="expires_on",
        )
    if expires_on is not None and expires_on < clock.today():
        raise InvalidInput(
            "that expiry date has passed: expired stock is not received", field="expires_on"
        )
    where = ledger.require_location(
        location_id if location_id is not None else default_location(actor, home)
    )
    if order_line_id is None and against_open_order:
        order_line_id = open_line_for(item_id)
    if unit_cost_cents is None and order_line_id is not None:
        unit_cost_cents = (
            PurchaseOrderLine.select(PurchaseOrderLine.unit_cost_cents)
            .where(PurchaseOrderLine.id == order_line_id)
            .scalar()
        ) or None
    order_id = status = None
    if order_line_id is not None:
        order_id, status = _apply_to_order(actor, order_line_id, item_id, quantity)
    lot_id = ledger.lot_at(item_id, number, where, expires_on, unit_cost_cents=unit_cost_cents)
    movement_id = ledger.post(
        actor,
        item_id=item_id,
        lot_id=lot_id,
        location_id=where,
        kind="receive",
        delta=quantity,
        order_line_id=order_line_id,
        unit_cost_cents=unit_cost_cents,
        reason=f"PO {order_id}" if order_id else "",
    )
    if unit_cost_cents is not None and unit_cost_cents != cost_on_file:
        SupplyItem.update(cost_cents=unit_cost_cents, version=SupplyItem.version + 1).where(
            SupplyItem.id == item_id
        ).execute()
        audit.record(actor, "update", "supply_item", item_id, fields=("cost_cents",))
    where_name = StockLocation.select(StockLocation.name).where(StockLocation.id == where).scalar()
    return Receipt(
        movement_id,
        lot_id,
        where,
        order_line_id,
        order_id,
        status,
        quantity,
        number,
        where_name or "",
    )
