"""Supplies: what is low, what is expiring, and receiving, using and adjusting stock by lot.

Invariant: ``SupplyItem.on_hand`` equals the sum of its lots' quantities. Every
change writes the lot(s), a ``StockMovement`` per lot and the item's on_hand in
one transaction, with ``SET x = x + n`` updates so two desks never lose each
other's counts through a read-modify-write.

``use`` takes stock first-expiring-first-out (FEFO). Lots already past their
expiry date are not handed out: they stay counted until written off with
``adjust(..., kind="expire")``, and a use that would need them is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Case, Expression, IntegrityError, Tuple, Value, fn

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.models import StockMovement, SupplyItem, SupplyLot
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.paging import Page

ADJUST_KINDS = ("adjust", "expire")


@dataclass(frozen=True)
class StockRow:
    item_id: int
    sku: str
    name: str
    unit: str
    on_hand: int
    reorder_point: int
    reorder_qty: int
    vendor: str
    location: str
    nearest_expiry: dt.date | None
    flag: str  # "out" (on_hand == 0) | "low" (on_hand <= reorder_point)


@dataclass(frozen=True)
class LotRow:
    lot_id: int
    item_id: int
    sku: str
    name: str
    lot_number: str
    expires_on: dt.date
    quantity: int
    days_left: int  # negative = expired


def _and(parts: list[Expression]) -> Expression:
    clause = parts[0]
    for part in parts[1:]:
        clause = clause & part
    return clause


# --------------------------------------------------------------------- lists


def low_stock(after: Any | None = None, limit: int = 100) -> Page[StockRow]:
    """Active items at or below their reorder point, by name; ``after`` = (name, id)."""
    if limit <= 0:
        return Page([], None)
    nearest = (
        SupplyLot.select(fn.MIN(SupplyLot.expires_on))
        .where((SupplyLot.item == SupplyItem.id) & (SupplyLot.quantity > 0))
    )  # fmt: skip
    parts = [SupplyItem.active == True, SupplyItem.on_hand <= SupplyItem.reorder_point]  # noqa: E712
    if after is not None:
        name, item_id = after
        parts.append(Tuple(SupplyItem.name, SupplyItem.id) > Tuple(name, int(item_id)))
    query = (
        SupplyItem.select(
            SupplyItem.id,
            SupplyItem.sku,
            SupplyItem.name,
            SupplyItem.unit,
            SupplyItem.on_hand,
            SupplyItem.reorder_point,
            SupplyItem.reorder_qty,
            SupplyItem.vendor,
            SupplyItem.location,
            nearest.alias("nearest_expiry"),
        )  # fmt: skip
        .where(_and(parts))
        .order_by(SupplyItem.name, SupplyItem.id)
        .limit(limit + 1)
        .tuples()
    )
    rows = []
    for item_id, sku, name, unit, on_hand, point, qty, vendor, location, nearest_exp in query:
        rows.append(
            StockRow(
                item_id,
                sku,
                name,
                unit,
                on_hand,
                point,
                qty,
                vendor,
                location,
                _as_date(nearest_exp),
                "out" if on_hand <= 0 else "low",
            )  # fmt: skip
        )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, (rows[-1].name, rows[-1].item_id) if more else None)


def _as_date(value: Any) -> dt.date | None:
    """A MIN() over a date column comes back as text on SQLite (no field converter)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def expiring_lots(
    within_days: int = 30, after: Any | None = None, limit: int = 100
) -> Page[LotRow]:
    """Lots with stock expiring by today + ``within_days`` (expired ones first, as they sort
    earliest); ``after`` = (expires_on, lot id)."""
    if limit <= 0:
        return Page([], None)
    today = clock.today()
    horizon = today + dt.timedelta(days=within_days)
    parts = [
        SupplyLot.expires_on.is_null(False),
        SupplyLot.expires_on <= horizon,
        SupplyLot.quantity > 0,
    ]
    if after is not None:
        expires_on, lot_id = after
        if isinstance(expires_on, str):
            expires_on = dt.date.fromisoformat(expires_on)
        key_date = Value(expires_on, converter=SupplyLot.expires_on.db_value)
        parts.append(Tuple(SupplyLot.expires_on, SupplyLot.id) > Tuple(key_date, int(lot_id)))
    query = (
        SupplyLot.select(
            SupplyLot.id,
            SupplyLot.item,
            SupplyItem.sku,
            SupplyItem.name,
            SupplyLot.lot_number,
            SupplyLot.expires_on,
            SupplyLot.quantity,
        )  # fmt: skip
        .join(SupplyItem, JOIN.INNER, on=(SupplyLot.item == SupplyItem.id))
        .where(_and(parts))
        .order_by(SupplyLot.expires_on, SupplyLot.id)
        .limit(limit + 1)
        .tuples()
    )
    rows = [
        LotRow(lot_id, item_id, sku, name, number, expires, qty, (expires - today).days)
        for lot_id, item_id, sku, name, number, expires, qty in query
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, (rows[-1].expires_on, rows[-1].lot_id) if more else None)


# ------------------------------------------------------------------- changes


def _require_item(item_id: int) -> None:
    if not SupplyItem.select().where(SupplyItem.id == item_id).exists():
        raise NotFound(f"supply item {item_id} not found")


def _positive(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidInput("quantity must be a whole number above zero")
    return quantity


def _reason(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > 200:
        raise InvalidInput("reason is longer than 200 characters")
    return text


def _move(
    actor: Actor, item_id: int, lot_id: int | None, kind: str, delta: int, reason: str
) -> None:
    movement_id = StockMovement.insert(
        item=item_id, lot=lot_id, kind=kind, quantity=delta, reason=reason,
        at=clock.now(), user=actor.user_id,
    ).execute()  # fmt: skip
    SupplyItem.update(on_hand=SupplyItem.on_hand + delta).where(SupplyItem.id == item_id).execute()
    audit.record(actor, "create", "stock_movement", movement_id,
                 fields=("item", "lot", "quantity"), detail=f"{kind} {delta:+d}")  # fmt: skip


@writes("stock.receive")
def receive(
    actor: Actor,
    item_id: int,
    lot_number: str,
    quantity: int,
    expires_on: dt.date | None,
) -> None:
    """Add ``quantity`` to a lot (created on first receipt); the lot's expiry must agree."""
    quantity = _positive(quantity)
    lot_number = " ".join((lot_number or "").split())
    if not lot_number:
        raise InvalidInput("lot number is required")
    if len(lot_number) > 40:
        raise InvalidInput("lot number is longer than 40 characters")
    with db.atomic():
        _require_item(item_id)
        # insert-or-add in one statement: two desks receiving a new lot at once both count
        SupplyLot.insert(
            item=item_id, lot_number=lot_number, expires_on=expires_on, quantity=quantity,
            received_on=clock.today(),
        ).on_conflict(
            conflict_target=[SupplyLot.item, SupplyLot.lot_number],
            update={SupplyLot.quantity: SupplyLot.quantity + quantity},
        ).execute()  # fmt: skip
        lot_id, on_file = (
            SupplyLot.select(SupplyLot.id, SupplyLot.expires_on)
            .where((SupplyLot.item == item_id) & (SupplyLot.lot_number == lot_number))
            .tuples()
            .get()
        )
        if expires_on is not None and on_file != expires_on:
            raise InvalidInput("that lot is already on file with a different expiry date")
        _move(actor, item_id, lot_id, "receive", quantity, "")


@writes("stock.use")
def use(actor: Actor, item_id: int, quantity: int, reason: str = "") -> None:
    """Take ``quantity`` out, earliest-expiring unexpired lot first; all or nothing."""
    quantity = _positive(quantity)
    reason = _reason(reason)
    today = clock.today()
    with db.atomic():
        _require_item(item_id)
        usable = (SupplyLot.expires_on.is_null()) | (SupplyLot.expires_on >= today)
        no_expiry_last = Case(None, [(SupplyLot.expires_on.is_null(), 1)], 0)
        lots = list(
            SupplyLot.select(SupplyLot.id, SupplyLot.quantity)
            .where((SupplyLot.item == item_id) & (SupplyLot.quantity > 0) & usable)
            .order_by(no_expiry_last, SupplyLot.expires_on, SupplyLot.received_on, SupplyLot.id)
            .tuples()
        )
        available = sum(q for _, q in lots)
        if available < quantity:
            raise InvalidInput(f"not enough stock: {available} usable on hand")
        remaining = quantity
        for lot_id, on_lot in lots:
            take = min(on_lot, remaining)
            _take_from_lot(lot_id, take)
            _move(actor, item_id, lot_id, "use", -take, reason)
            remaining -= take
            if remaining == 0:
                break


def _take_from_lot(lot_id: int, take: int) -> None:
    changed = (
        SupplyLot.update(quantity=SupplyLot.quantity - take)
        .where((SupplyLot.id == lot_id) & (SupplyLot.quantity >= take))
        .execute()
    )
    if changed == 0:  # another desk took from this lot after it was read (PostgreSQL)
        raise StaleEdit("stock changed while this was being recorded; try again")


@writes("stock.count")
def adjust(
    actor: Actor,
    item_id: int,
    lot_number: str,
    delta: int,
    reason: str,
    kind: str = "adjust",
) -> None:
    """Correct one lot's count after a physical count (``kind="adjust"``) or write off
    expired stock (``kind="expire"``). A reason is required; never below zero."""
    if kind not in ADJUST_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(ADJUST_KINDS)}")
    if not isinstance(delta, int) or isinstance(delta, bool) or delta == 0:
        raise InvalidInput("the change must be a whole number other than zero")
    reason = _reason(reason)
    if not reason:
        raise InvalidInput("an adjustment needs a reason")
    with db.atomic():
        _require_item(item_id)
        lot = (
            SupplyLot.select(SupplyLot.id, SupplyLot.quantity)
            .where((SupplyLot.item == item_id) & (SupplyLot.lot_number == lot_number.strip()))
            .tuples()
            .first()
        )
        if lot is None:
            raise NotFound("that lot is not on file for this item")
        lot_id, on_lot = lot
        if on_lot + delta < 0:
            raise InvalidInput(f"the lot holds only {on_lot}")
        try:
            changed = (
                SupplyLot.update(quantity=SupplyLot.quantity + delta)
                .where((SupplyLot.id == lot_id) & (SupplyLot.quantity + delta >= 0))
                .execute()
            )
        except IntegrityError:  # the CHECK (quantity >= 0) caught a concurrent change
            changed = 0
        if changed == 0:
            raise StaleEdit("stock changed while this was being recorded; try again")
        _move(actor, item_id, lot_id, kind, delta, reason)


def on_hand_mismatches() -> list[int]:
    """Items whose on_hand differs from the sum of their lots (should always be empty)."""
    lot_sum = (
        SupplyLot.select(fn.COALESCE(fn.SUM(SupplyLot.quantity), 0))
        .where(SupplyLot.item == SupplyItem.id)
    )  # fmt: skip
    query = SupplyItem.select(SupplyItem.id).where(SupplyItem.on_hand != lot_sum)
    return [item_id for (item_id,) in query.order_by(SupplyItem.id).tuples()]
