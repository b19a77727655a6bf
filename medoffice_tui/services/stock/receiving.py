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
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.money import MAX_CENTS
from medoffice_tui.services.stock import common, ledger

#: ``reason_code`` of the receipt movement for units beyond what was on order
OVER_DELIVERY = "over"


class OverDelivery(InvalidInput):
    """A delivery larger than what is still open on its order line(s): the desk must say
    it keeps the extra (``over_delivery_ok=True``), or receive what was ordered."""

    def __init__(self, open_units: int, delivered: int, order_ids: tuple[int, ...]) -> None:
        orders = ", ".join(f"PO {o}" for o in order_ids) or "the order"
        super().__init__(
            f"{delivered} delivered but only {open_units} still open on {orders}: "
            f"{delivered - open_units} would be over-delivery",
            field="quantity",
        )
        self.open_units = open_units
        self.delivered = delivered
        self.order_ids = order_ids

    @property
    def extra(self) -> int:
        return self.delivered - self.open_units


@dataclass(frozen=True)
class AppliedLine:
    """The part of a delivery counted against one purchase-order line."""

    line_id: int
    order_id: int
    quantity: int
    #: the order's status after this receipt ("partial" leaves the rest open)
    order_status: str


@dataclass(frozen=True)
class Receipt:
    #: the first movement of the receipt (one per order line counted against, and one
    #: for any over-delivery)
    movement_id: int
    lot_id: int
    location_id: int
    #: the first (oldest) order line counted against, if any
    order_line_id: int | None
    order_id: int | None
    #: that order's status after this receipt ("partial" leaves the rest open)
    order_status: str | None
    quantity: int = 0
    lot_number: str = ""
    location: str = ""
    #: every order line the delivery counted against, oldest first
    applied: tuple[AppliedLine, ...] = ()
    #: units beyond what was open on those lines, received as over-delivery (confirmed);
    #: with no open order at all a delivery is plain stock and this stays 0
    over_delivered: int = 0


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


def _open_lines_query(item_id: int):  # noqa: ANN202 - a peewee query
    return (
        PurchaseOrderLine.select(
            PurchaseOrderLine.id, PurchaseOrderLine.quantity - PurchaseOrderLine.received
        )
        .join(PurchaseOrder)
        .where(
            (PurchaseOrderLine.item == item_id)
            & (PurchaseOrder.status.in_(OPEN_ORDER_STATUSES))
            & (PurchaseOrderLine.received < PurchaseOrderLine.quantity)
        )
        .order_by(PurchaseOrder.ordered_at, PurchaseOrder.id, PurchaseOrderLine.id)
    )


def open_line_for(item_id: int) -> int | None:
    """The oldest open purchase-order line of this item still waiting for units."""
    row = _open_lines_query(item_id).tuples().first()
    return int(row[0]) if row else None


def open_lines_for(item_id: int) -> list[tuple[int, int]]:
    """(line id, units still to come) of every open order line of this item, oldest
    order first: where a delivery with no line named is counted."""
    return [(int(line), int(left)) for line, left in _open_lines_query(item_id).tuples()]


def _named_line(line_id: int, item_id: int) -> tuple[int, int]:
    """(order id, units still open) of the order line a delivery names."""
    line = (
        PurchaseOrderLine.select(
            PurchaseOrderLine.order,
            PurchaseOrderLine.item,
            PurchaseOrder.status,
            PurchaseOrderLine.quantity - PurchaseOrderLine.received,
        )
        .join(PurchaseOrder)
        .where(PurchaseOrderLine.id == line_id)
        .tuples()
        .first()
    )
    if line is None:
        raise NotFound("that order line is not on file", field="order")
    order_id, line_item, status, left = line
    if line_item != item_id:
        raise InvalidInput("that order line is for another item", field="order")
    if status not in OPEN_ORDER_STATUSES:
        raise InvalidInput(f"that order is {status}, not waiting for a delivery", field="order")
    return int(order_id), max(int(left), 0)


def _order_of(line_id: int) -> int:
    return int(
        PurchaseOrderLine.select(PurchaseOrderLine.order)
        .where(PurchaseOrderLine.id == line_id)
        .scalar()
    )


def _apply_to_order(actor: Actor, line_id: int, quantity: int) -> tuple[int, str]:
    """Count ``quantity`` units (never more than the line still waits for) against an
    order line; the order becomes partial, or received once no line waits."""
    order_id = _order_of(line_id)
    changed = (
        PurchaseOrderLine.update(
            received=PurchaseOrderLine.received + quantity, version=PurchaseOrderLine.version + 1
        )
        .where(
            (PurchaseOrderLine.id == line_id)
            & (PurchaseOrderLine.received + quantity <= PurchaseOrderLine.quantity)
        )
        .execute()
    )
    if not changed:  # the caller read what was open in this transaction: cannot happen
        raise StaleEdit(changed_fields=("received",))
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


def _plan(
    item_id: int, quantity: int, order_line_id: int | None, against_open_order: bool
) -> tuple[list[tuple[int, int, int]], int, bool]:
    """Where a delivery goes: ([(line id, order id, units)], the rest, whether the rest is
    over-delivery on an order rather than plain unordered stock)."""
    if order_line_id is not None:
        order_id, left = _named_line(order_line_id, item_id)
        take = min(left, quantity)
        return ([(order_line_id, order_id, take)] if take else []), quantity - take, True
    if not against_open_order:
        return [], quantity, False
    plan, rest = [], quantity
    lines = open_lines_for(item_id)
    for line_id, left in lines:
        if rest == 0:
            break
        take = min(left, rest)
        plan.append((line_id, _order_of(line_id), take))
        rest -= take
    return plan, rest, bool(lines)


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
    over_delivery_ok: bool = False,
) -> Receipt:
    """Add a delivery to a lot (created on its first receipt) at a location.

    ``expires_on`` may be None only for an item marked "no expiry". A delivery counts
    against ``order_line_id`` when given; else (with ``against_open_order``, the
    default) against the item's open order lines, oldest order first, each up to what
    it still waits for; a partial delivery leaves the rest on order. Units beyond what
    is open on those lines are over-delivery: refused with :class:`OverDelivery` unless
    ``over_delivery_ok``, then received as stock of their own (a movement with reason
    code ``over``) and never counted on an order line. An item with no open order is
    plain stock.
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
    plan, rest, on_an_order = _plan(item_id, quantity, order_line_id, against_open_order)
    over = rest if on_an_order else 0
    if over and not over_delivery_ok:
        orders = tuple(dict.fromkeys(order for _line, order, _n in plan))
        if not orders and order_line_id is not None:
            orders = (_order_of(order_line_id),)
        raise OverDelivery(quantity - over, quantity, orders)
    first_line = plan[0][0] if plan else order_line_id
    if unit_cost_cents is None and first_line is not None:
        unit_cost_cents = (
            PurchaseOrderLine.select(PurchaseOrderLine.unit_cost_cents)
            .where(PurchaseOrderLine.id == first_line)
            .scalar()
        ) or None
    lot_id = ledger.lot_at(item_id, number, where, expires_on, unit_cost_cents=unit_cost_cents)
    applied: list[AppliedLine] = []
    movements: list[int] = []
    for line_id, order_id, units in plan:
        order_id, status = _apply_to_order(actor, line_id, units)
        applied.append(AppliedLine(line_id, order_id, units, status))
        movements.append(
            ledger.post(
                actor,
                item_id=item_id,
                lot_id=lot_id,
                location_id=where,
                kind="receive",
                delta=units,
                order_line_id=line_id,
                unit_cost_cents=unit_cost_cents,
                reason=f"PO {order_id}",
            )
        )
    if rest:
        orders = ", ".join(f"PO {o}" for o in dict.fromkeys(a.order_id for a in applied))
        if not orders and order_line_id is not None:
            orders = f"PO {_order_of(order_line_id)}"
        movements.append(
            ledger.post(
                actor,
                item_id=item_id,
                lot_id=lot_id,
                location_id=where,
                kind="receive",
                delta=rest,
                unit_cost_cents=unit_cost_cents,
                reason=f"over-delivery on {orders}" if over else "",
                reason_code=OVER_DELIVERY if over else "",
            )
        )
    if unit_cost_cents is not None and unit_cost_cents != cost_on_file:
        SupplyItem.update(cost_cents=unit_cost_cents, version=SupplyItem.version + 1).where(
            SupplyItem.id == item_id
        ).execute()
        audit.record(actor, "update", "supply_item", item_id, fields=("cost_cents",))
    where_name = StockLocation.select(StockLocation.name).where(StockLocation.id == where).scalar()
    first = applied[0] if applied else None
    return Receipt(
        movements[0],
        lot_id,
        where,
        first.line_id if first else None,
        first.order_id if first else None,
        first.order_status if first else None,
        quantity,
        number,
        where_name or "",
        tuple(applied),
        over,
    )
