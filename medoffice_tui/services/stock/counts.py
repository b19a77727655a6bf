"""Counting a shelf and taking expired stock out: each change a movement with its reason."""

from __future__ import annotations

from medoffice_tui import clock
from medoffice_tui.db.models import COUNT_REASONS, SupplyLot
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.stock import common, ledger

ADJUST_KINDS = ("adjust", "expire")


@writes("stock.count")
def count_lot(
    actor: Actor, lot_id: int, counted: int, reason_code: str = "count", note: str = ""
) -> int:
    """Set a lot's quantity to what was counted on the shelf.

    ``reason_code`` says why it differs: count (a plain recount), damaged, lost,
    returned. The movement carries the difference (zero when the count agrees: the
    count itself is still on record). Returns the movement id.
    """
    counted = common.quantity(counted, field="counted", allow_zero=True)
    if reason_code not in COUNT_REASONS:
        raise InvalidInput(f"the reason is one of {', '.join(COUNT_REASONS)}", field="reason")
    note = common.reason(note, field="note")
    item_id, where, _number, _cost, _expiry, _qty = ledger.lot_state(lot_id)
    ledger.lock_item(item_id)
    *_, on_lot = ledger.lot_state(lot_id)  # read again under the item's lock
    return ledger.post(
        actor, item_id=item_id, lot_id=lot_id, location_id=where, kind="count",
        delta=counted - on_lot, reason=note, reason_code=reason_code,
    )  # fmt: skip


@writes("stock.count")
def expire_lot(actor: Actor, lot_id: int, note: str = "") -> int:
    """Move an expired lot's whole quantity out (kind "expire"). Returns the movement id.

    Only a lot past its expiry date (a lot expiring today is still in date); to pull
    good stock early, count it with the reason "damaged".
    """
    note = common.reason(note, field="note")
    item_id, where, _number, _cost, expires_on, _qty = ledger.lot_state(lot_id)
    if expires_on is None or expires_on >= clock.today():
        raise InvalidInput(
            "that lot has not expired: count it as damaged to take it out early", field="lot"
        )
    ledger.lock_item(item_id)
    *_, on_lot = ledger.lot_state(lot_id)
    if on_lot == 0:
        raise InvalidInput("that lot is already empty", field="lot")
    return ledger.post(
        actor, item_id=item_id, lot_id=lot_id, location_id=where, kind="expire",
        delta=-on_lot, reason=note or "expired",
    )  # fmt: skip


@writes("stock.count")
def adjust(
    actor: Actor,
    item_id: int,
    lot_number: str,
    delta: int,
    reason: str,
    kind: str = "adjust",
    *,
    location_id: int | None = None,
) -> int:
    """Correct one lot by a signed amount (``kind="adjust"``) or write expired stock off
    (``kind="expire"``). A reason is required; never below zero. The lot is found by
    its number (at ``location_id`` when the number sits in several places)."""
    if kind not in ADJUST_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(ADJUST_KINDS)}", field="kind")
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise InvalidInput("the change must be a whole number other than zero", field="quantity")
    reason = common.reason(reason)
    if not reason:
        raise InvalidInput("an adjustment needs a reason", field="reason")
    ledger.lock_item(item_id)
    query = SupplyLot.select(SupplyLot.id, SupplyLot.location, SupplyLot.quantity).where(
        (SupplyLot.item == item_id) & (SupplyLot.lot_number == " ".join(lot_number.split()))
    )
    if location_id is not None:
        query = query.where(SupplyLot.location == location_id)
    found = list(query.order_by(SupplyLot.id).tuples())
    if not found:
        raise NotFound("that lot is not on file for this item", field="lot_number")
    if len(found) > 1:
        raise InvalidInput("that lot is in several locations: say which", field="location")
    lot_id, where, on_lot = found[0]
    if on_lot + delta < 0:
        raise InvalidInput(f"the lot holds only {on_lot}", field="quantity")
    return ledger.post(
        actor, item_id=item_id, lot_id=lot_id, location_id=where, kind=kind, delta=delta,
        reason=reason,
    )  # fmt: skip
