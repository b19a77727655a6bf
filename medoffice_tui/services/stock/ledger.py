"""The stock ledger: the one place quantities change, and the check that proves it.

Every change of stock is a :class:`StockMovement` row. :func:`post` is the only code
that writes one, and in the same statement group it moves the two running sums kept
for speed, the lot's ``quantity`` and the item's ``on_hand``, by the same signed
amount. So, by construction and in one transaction:

    lot.quantity  == sum of that lot's movements
    item.on_hand  == sum of its lots == sum of its movements

:func:`check` recomputes all of it from the movements (``medoffice stock check``).

Concurrency: every write first takes its item's row lock (:func:`lock_item`), then
reads the lots and decides. On SQLite the write transaction already holds the
database's write lock; on PostgreSQL the row lock makes a second desk working on the
same item wait until the first commits, and its reads then see the first desk's
result. A lot is never driven below zero (also a CHECK in the database), and no
movement is lost to a read-modify-write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from peewee import JOIN, fn

from medoffice_tui import clock
from medoffice_tui.db.models import (
    PurchaseOrderLine,
    StockLocation,
    StockMovement,
    SupplyItem,
    SupplyLot,
)
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write
from medoffice_tui.services.stock.rows import CheckResult


@inside_write
def lock_item(item_id: int) -> None:
    """Take ``item_id``'s row lock for the rest of this write transaction (see above)."""
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise NotFound("that supply item is not on file", field="item")
    locked = SupplyItem.update(on_hand=SupplyItem.on_hand).where(SupplyItem.id == item_id).execute()
    if not locked:
        raise NotFound("that supply item is not on file", field="item")


def require_location(location_id: int | None, *, field: str = "location") -> int:
    if location_id is None:
        raise InvalidInput("choose a location", field=field)
    found = (
        StockLocation.select(StockLocation.active)
        .where(StockLocation.id == location_id)
        .tuples()
        .first()
    )
    if found is None:
        raise NotFound("that location is not on file", field=field)
    if not found[0]:
        raise InvalidInput("that location is no longer in use", field=field)
    return location_id


@inside_write
def lot_at(
    item_id: int,
    number: str,
    location_id: int,
    expires_on: dt.date | None,
    *,
    received_on: dt.date | None = None,
    unit_cost_cents: int | None = None,
) -> int:
    """The id of lot ``number`` of this item at ``location_id``, created empty if new.

    One lot number means one expiry date wherever it sits: a different date for a
    number already on file is refused (a typo, or a different lot).
    """
    on_file = list(
        SupplyLot.select(SupplyLot.id, SupplyLot.location, SupplyLot.expires_on)
        .where((SupplyLot.item == item_id) & (SupplyLot.lot_number == number))
        .tuples()
    )
    for _lot_id, _where, expiry in on_file:
        if expiry != expires_on:
            raise InvalidInput(
                "that lot is already on file with a different expiry date", field="expires_on"
            )
    for lot_id, where, _expiry in on_file:
        if where == location_id:
            if unit_cost_cents is not None:
                SupplyLot.update(unit_cost_cents=unit_cost_cents).where(
                    SupplyLot.id == lot_id
                ).execute()
            return int(lot_id)
    return int(
        SupplyLot.insert(
            item=item_id,
            lot_number=number,
            expires_on=expires_on,
            quantity=0,
            received_on=received_on or clock.today(),
            location=location_id,
            unit_cost_cents=unit_cost_cents,
        ).execute()
    )


@inside_write
def post(
    actor: Actor,
    *,
    item_id: int,
    lot_id: int,
    location_id: int,
    kind: str,
    delta: int,
    reason: str = "",
    reason_code: str = "",
    transfer_id: int | None = None,
    order_line_id: int | None = None,
    appointment_id: int | None = None,
    patient_id: int | None = None,
    unit_cost_cents: int | None = None,
) -> int:
    """Write one movement and move the lot's and the item's sums with it. Returns its id.

    Call inside a ``@writes`` service after :func:`lock_item`. A change that would
    take the lot below zero raises (nothing of the call is kept).
    """
    if delta:
        moved = (
            SupplyLot.update(quantity=SupplyLot.quantity + delta)
            .where((SupplyLot.id == lot_id) & (SupplyLot.quantity + delta >= 0))
            .execute()
        )
        if not moved:
            raise StaleEdit("stock changed while this was being recorded; nothing was saved")
        SupplyItem.update(on_hand=SupplyItem.on_hand + delta).where(
            SupplyItem.id == item_id
        ).execute()
    movement_id = int(
        StockMovement.insert(
            item=item_id,
            lot=lot_id,
            location=location_id,
            kind=kind,
            quantity=delta,
            reason=reason,
            reason_code=reason_code,
            at=clock.now(),
            user=actor.user_id,
            transfer_id=transfer_id,
            order_line=order_line_id,
            appointment=appointment_id,
            unit_cost_cents=unit_cost_cents,
        ).execute()
    )
    fields = ["item", "lot", "location", "quantity"]
    if reason:
        fields.append("reason")
    if appointment_id is not None:
        fields.append("appointment")
    if order_line_id is not None:
        fields.append("order_line")
    audit.record(
        actor,
        "create",
        "stock_movement",
        movement_id,
        patient_id=patient_id,
        fields=fields,
        detail=f"{kind} {delta:+d}" + (f" ({reason_code})" if reason_code else ""),
    )
    return movement_id


@inside_write
def link_transfer(out_id: int) -> None:
    """The outgoing half of a transfer carries its own id, as the incoming half does."""
    StockMovement.update(transfer_id=out_id).where(StockMovement.id == out_id).execute()


def lot_state(lot_id: int) -> tuple[int, int, str, int | None, dt.date | None, int]:
    """(item id, location id, lot number, unit cost, expiry, quantity) of one lot."""
    row = (
        SupplyLot.select(
            SupplyLot.item,
            SupplyLot.location,
            SupplyLot.lot_number,
            SupplyLot.unit_cost_cents,
            SupplyLot.expires_on,
            SupplyLot.quantity,
        )
        .where(SupplyLot.id == lot_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound("that lot is not on file", field="lot")
    return row


# ---------------------------------------------------------------------- check


def check(progress: Callable[[str, int, int], None] | None = None) -> CheckResult:
    """Recompute every running sum from the movements and list what disagrees.

    ``progress(step, done, total)`` hears of each of its four passes (a big ledger
    takes seconds)."""
    report = progress or (lambda step, done, total: None)
    report("items", 0, 1)
    moved_per_item = dict(
        StockMovement.select(StockMovement.item, fn.SUM(StockMovement.quantity))
        .group_by(StockMovement.item)
        .tuples()
    )
    lots_per_item = dict(
        SupplyLot.select(SupplyLot.item, fn.SUM(SupplyLot.quantity))
        .group_by(SupplyLot.item)
        .tuples()
    )
    items = list(SupplyItem.select(SupplyItem.id, SupplyItem.on_hand).tuples())
    item_bad = []
    for item_id, on_hand in items:
        lots = int(lots_per_item.get(item_id) or 0)
        moved = int(moved_per_item.get(item_id) or 0)
        if not on_hand == lots == moved:
            item_bad.append((item_id, on_hand, lots, moved))
    report("items", 1, 1)
    report("lots", 0, 1)
    moved_per_lot = (
        SupplyLot.select(
            SupplyLot.id,
            SupplyLot.quantity,
            fn.COALESCE(fn.SUM(StockMovement.quantity), 0),
        )
        .join(StockMovement, JOIN.LEFT_OUTER, on=(StockMovement.lot == SupplyLot.id))
        .group_by(SupplyLot.id, SupplyLot.quantity)
        .tuples()
    )
    lot_bad = [(lot, qty, int(moved)) for lot, qty, moved in moved_per_lot if qty != int(moved)]
    report("lots", 1, 1)
    report("orders", 0, 1)
    negative = [
        lot_id
        for (lot_id,) in SupplyLot.select(SupplyLot.id).where(SupplyLot.quantity < 0).tuples()
    ]
    homeless = [
        lot_id
        for (lot_id,) in SupplyLot.select(SupplyLot.id).where(SupplyLot.location.is_null()).tuples()
    ]
    received = (
        PurchaseOrderLine.select(
            PurchaseOrderLine.id,
            PurchaseOrderLine.received,
            fn.COALESCE(fn.SUM(StockMovement.quantity), 0),
        )
        .join(
            StockMovement,
            JOIN.LEFT_OUTER,
            on=(
                (StockMovement.order_line == PurchaseOrderLine.id)
                & (StockMovement.kind == "receive")
            ),
        )
        .group_by(PurchaseOrderLine.id, PurchaseOrderLine.received)
        .tuples()
    )
    order_bad = [(line, got, int(moved)) for line, got, moved in received if got != int(moved)]
    report("orders", 1, 1)
    return CheckResult(
        items=len(items),
        lots=SupplyLot.select().count(),
        movements=StockMovement.select().count(),
        item_mismatches=item_bad,
        lot_mismatches=lot_bad,
        negative_lots=negative,
        lots_without_location=homeless,
        order_mismatches=order_bad,
    )


def on_hand_mismatches() -> list[int]:
    """Items whose on_hand differs from the sum of their lots or of their movements
    (always empty; kept for callers of the earlier module)."""
    return [item_id for item_id, *_ in check().item_mismatches]
