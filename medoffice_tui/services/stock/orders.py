"""Reordering: a purchase list from the low-stock items, grouped by vendor, then orders.

The purchase list is kept as *draft* purchase orders, one per vendor, so nothing the
desk edits is lost when it leaves the screen:

1. :func:`build_purchase_list` adds every item low *practice-wide* with a suggested
   quantity to its vendor's draft (items already on a draft or an open order are left
   alone, so running it again never doubles a line or undoes an edit). The need is
   the practice's in-date stock against the item's reorder point, whatever location
   the desk is looking at: a room short of an item another location holds plenty of
   is a transfer (the low list at that location says from where), not an order;
2. :func:`set_line_quantity` edits a line (0 takes it off);
3. :func:`export_csv` writes the lines as CSV (also ``medoffice stock reorder --out``);
4. :func:`place_order` marks a vendor's draft as ordered; deliveries are then received
   against its lines (``receiving.receive``), a partial one leaving the order open;
   :func:`cancel_order` closes one (the rest is not coming).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO

from peewee import JOIN, IntegrityError, fn

from medoffice_tui import clock, files
from medoffice_tui.db.models import (
    OPEN_ORDER_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLocation,
    SupplyItem,
)
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.money import format_money
from medoffice_tui.services.stock import common, lists
from medoffice_tui.services.stock.rows import OrderLineRow, OrderRow

NO_VENDOR = "(no vendor)"
CSV_COLUMNS = (
    "vendor",
    "order",
    "status",
    "sku",
    "vendor_catalog_number",
    "item",
    "unit",
    "quantity",
    "received",
    "unit_cost",
    "line_total",
)


# --------------------------------------------------------------------- reading


def _line_select():  # noqa: ANN202 - a peewee query
    return (
        PurchaseOrderLine.select(
            PurchaseOrderLine.id,
            PurchaseOrderLine.order,
            PurchaseOrderLine.item,
            SupplyItem.sku,
            SupplyItem.name,
            SupplyItem.unit,
            SupplyItem.catalog_number,
            PurchaseOrderLine.quantity,
            PurchaseOrderLine.received,
            PurchaseOrderLine.unit_cost_cents,
            PurchaseOrderLine.version,
            PurchaseOrder.version,
            PurchaseOrder.vendor,
            PurchaseOrder.status,
        )
        .join(PurchaseOrder, on=(PurchaseOrderLine.order == PurchaseOrder.id))
        .switch(PurchaseOrderLine)
        .join(SupplyItem, on=(PurchaseOrderLine.item == SupplyItem.id))
    )


def list_lines(
    statuses: tuple[str, ...] = ("draft",),
    *,
    order_ids: list[int] | None = None,
    location_id: int | None = None,
) -> list[OrderLineRow]:
    """Order lines by vendor, order and item name (drafts: the purchase list)."""
    query = _line_select().where(PurchaseOrder.status.in_(statuses))
    if order_ids is not None:
        query = query.where(PurchaseOrder.id.in_(order_ids))
    if location_id is not None:
        query = query.where(PurchaseOrder.location == location_id)
    query = query.order_by(PurchaseOrder.vendor, PurchaseOrder.id, SupplyItem.name)
    return [OrderLineRow(*row) for row in query.tuples()]


def list_orders(statuses: tuple[str, ...] = OPEN_ORDER_STATUSES) -> list[OrderRow]:
    """Orders with their line counts and totals, oldest first."""
    totals = (
        PurchaseOrder.select(
            PurchaseOrder.id,
            PurchaseOrder.vendor,
            PurchaseOrder.status,
            PurchaseOrder.created_at,
            PurchaseOrder.ordered_at,
            StockLocation.name,
            fn.COUNT(PurchaseOrderLine.id),
            fn.COALESCE(fn.SUM(PurchaseOrderLine.quantity), 0),
            fn.COALESCE(fn.SUM(PurchaseOrderLine.received), 0),
            fn.COALESCE(
                fn.SUM(PurchaseOrderLine.quantity * PurchaseOrderLine.unit_cost_cents), 0
            ),
            PurchaseOrder.version,
        )
        .join(PurchaseOrderLine, JOIN.LEFT_OUTER,
              on=(PurchaseOrderLine.order == PurchaseOrder.id))
        .switch(PurchaseOrder)
        .join(StockLocation, JOIN.LEFT_OUTER, on=(PurchaseOrder.location == StockLocation.id))
        .where(PurchaseOrder.status.in_(statuses))
        .group_by(PurchaseOrder.id, StockLocation.name)
        .order_by(PurchaseOrder.id)
    )  # fmt: skip
    return [
        OrderRow(
            oid,
            vendor,
            status,
            created,
            ordered,
            where or "",
            int(n),
            int(units),
            int(got),
            int(total),
            version,
        )  # fmt: skip
        for oid, vendor, status, created, ordered, where, n, units, got, total, version in (
            totals.tuples()
        )
    ]


def open_line(item_id: int) -> OrderLineRow | None:
    """The open order line a delivery of this item counts against first, if any."""
    lines = open_lines(item_id)
    return lines[0] if lines else None


def open_lines(item_id: int) -> list[OrderLineRow]:
    """The open order lines a delivery of this item counts against, oldest order first."""
    from medoffice_tui.services.stock.receiving import open_lines_for

    ids = [line_id for line_id, _left in open_lines_for(item_id)]
    if not ids:
        return []
    query = _line_select().where(PurchaseOrderLine.id.in_(ids))
    rows = {r[0]: OrderLineRow(*r) for r in query.tuples()}
    return [rows[i] for i in ids if i in rows]


def get_order(order_id: int) -> OrderRow:
    for row in list_orders(statuses=("draft", "ordered", "partial", "received", "cancelled")):
        if row.id == order_id:
            return row
    raise NotFound("that purchase order is not on file", field="order")


# --------------------------------------------------------------------- writing


def _draft_for(actor: Actor, vendor: str, location_id: int | None) -> int:
    query = PurchaseOrder.select(PurchaseOrder.id).where(
        (PurchaseOrder.status == "draft") & (PurchaseOrder.vendor == vendor)
    )
    query = query.where(
        PurchaseOrder.location.is_null()
        if location_id is None
        else PurchaseOrder.location == location_id
    )
    found = query.order_by(PurchaseOrder.id).tuples().first()
    if found:
        return int(found[0])
    order_id = int(
        PurchaseOrder.insert(
            vendor=vendor,
            status="draft",
            location=location_id,
            created_at=clock.now(),
            created_by=actor.user_id,
        ).execute()
    )
    audit.record(actor, "create", "purchase_order", order_id, fields=("vendor", "status"))
    return order_id


def _waiting_items() -> set[int]:
    """Items already on a draft or an open order (not received in full)."""
    query = (
        PurchaseOrderLine.select(PurchaseOrderLine.item)
        .join(PurchaseOrder)
        .where(
            (PurchaseOrder.status == "draft")
            | (
                PurchaseOrder.status.in_(OPEN_ORDER_STATUSES)
                & (PurchaseOrderLine.received < PurchaseOrderLine.quantity)
            )
        )
    )
    return {item for (item,) in query.tuples()}


def _add_line(actor: Actor, order_id: int, item_id: int, quantity: int) -> int:
    cost = SupplyItem.select(SupplyItem.cost_cents).where(SupplyItem.id == item_id).scalar()
    try:
        line_id = int(
            PurchaseOrderLine.insert(
                order=order_id, item=item_id, quantity=quantity, unit_cost_cents=cost or 0
            ).execute()
        )
    except IntegrityError:
        raise InvalidInput("that item is on this order already", field="item") from None
    audit.record(actor, "create", "purchase_order_line", line_id,
                 fields=("order", "item", "quantity"))  # fmt: skip
    return line_id


@writes("stock.order")
def build_purchase_list(actor: Actor) -> list[OrderLineRow]:
    """Add every item low practice-wide to its vendor's draft order (see the module
    docstring). Returns the purchase list (every draft line)."""
    waiting = _waiting_items()
    after = None
    while True:
        page = lists.low_stock(after=after, limit=500)
        for row in page.rows:
            if row.suggested <= 0 or row.item_id in waiting:
                continue
            vendor = row.vendor.strip() or NO_VENDOR
            _add_line(actor, _draft_for(actor, vendor, None), row.item_id, row.suggested)
            waiting.add(row.item_id)
        if page.next_after is None:
            break
        after = page.next_after
    return list_lines(("draft",))


def _line(line_id: int) -> OrderLineRow:
    row = _line_select().where(PurchaseOrderLine.id == line_id).tuples().first()
    if row is None:
        raise NotFound("that order line is not on file", field="quantity")
    return OrderLineRow(*row)


@writes("stock.order")
def set_line_quantity(actor: Actor, line_id: int, version: int, quantity: int) -> int:
    """Change a draft line's quantity (0 takes the line off; an empty draft goes too).
    Returns the new quantity."""
    quantity = common.quantity(quantity, allow_zero=True)
    line = _line(line_id)
    if line.status != "draft":
        raise InvalidInput(f"that order is {line.status}: only a draft can change",
                           field="quantity")  # fmt: skip
    where = (PurchaseOrderLine.id == line_id) & (PurchaseOrderLine.version == version)
    if quantity == 0:
        changed = PurchaseOrderLine.delete().where(where).execute()
        action = "delete"
    else:
        changed = (
            PurchaseOrderLine.update(quantity=quantity, version=PurchaseOrderLine.version + 1)
            .where(where)
            .execute()
        )
        action = "update"
    if not changed:
        raise StaleEdit(changed_fields=("quantity",))
    audit.record(actor, action, "purchase_order_line", line_id, fields=("quantity",))
    if quantity == 0:
        left = PurchaseOrderLine.select().where(PurchaseOrderLine.order == line.order_id)
        if not left.exists():
            PurchaseOrder.delete().where(PurchaseOrder.id == line.order_id).execute()
            audit.record(actor, "delete", "purchase_order", line.order_id, fields=("status",))
    return quantity


def _set_status(actor: Actor, order_id: int, version: int, allowed: tuple[str, ...],
                status: str, **stamps: object) -> OrderRow:  # fmt: skip
    current = get_order(order_id)
    if current.status not in allowed:
        raise InvalidInput(f"that order is {current.status}", field="order")
    changed = (
        PurchaseOrder.update(status=status, version=PurchaseOrder.version + 1, **stamps)
        .where((PurchaseOrder.id == order_id) & (PurchaseOrder.version == version))
        .execute()
    )
    if not changed:
        raise StaleEdit(changed_fields=("status",))
    audit.record(actor, "update", "purchase_order", order_id, fields=("status", *stamps),
                 detail=f"{current.status} -> {status}")  # fmt: skip
    return get_order(order_id)


@writes("stock.order")
def place_order(actor: Actor, order_id: int, version: int) -> OrderRow:
    """A draft becomes an order sent to its vendor: its units now count as on order."""
    if not PurchaseOrderLine.select().where(PurchaseOrderLine.order == order_id).exists():
        raise InvalidInput("that order has no lines", field="order")
    return _set_status(actor, order_id, version, ("draft",), "ordered",
                       ordered_at=clock.now(), ordered_by=actor.user_id)  # fmt: skip


@writes("stock.order")
def cancel_order(actor: Actor, order_id: int, version: int) -> OrderRow:
    """Close a draft or an open order: what was not received is not coming."""
    return _set_status(actor, order_id, version, ("draft", *OPEN_ORDER_STATUSES), "cancelled",
                       closed_at=clock.now())  # fmt: skip


# ---------------------------------------------------------------------- export


def check_new_file(path: str | Path) -> Path:
    """Where an export may go: a new file in a folder that exists."""
    target = Path(path).expanduser()
    if target.exists():
        raise InvalidInput("that file exists already: choose a new name", field="path")
    if not target.parent.is_dir():
        raise InvalidInput("that folder does not exist", field="path")
    return target


def csv_row(line: OrderLineRow) -> list[str]:
    return [
        line.vendor,
        f"PO {line.order_id}",
        line.status,
        line.sku,
        line.catalog_number,
        line.name,
        line.unit,
        str(line.quantity),
        str(line.received),
        format_money(line.unit_cost_cents).replace(",", ""),
        format_money(line.total_cents).replace(",", ""),
    ]


@reads("stock.order")
def export_csv(
    actor: Actor,
    out: IO[str],
    statuses: tuple[str, ...] = ("draft",),
    *,
    order_ids: list[int] | None = None,
) -> int:
    """Write the order lines (the purchase list, by default) as CSV; returns how many."""
    lines = list_lines(statuses, order_ids=order_ids)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(csv_row(line))
    audit.record(actor, "export", "purchase_order", detail=f"{len(lines)} order lines as CSV")
    return len(lines)


def export_to_file(
    actor: Actor, path: str | Path, statuses: tuple[str, ...] = ("draft",)
) -> tuple[Path, int]:
    """:func:`export_csv` into a new file (owner-only, like every export)."""
    target = check_new_file(path)
    files.secure_file(target)
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            count = export_csv(actor, out, statuses)
    except BaseException:
        target.unlink(missing_ok=True)  # a refusal leaves no half-written file behind
        raise
    return target, count


def today_stamp() -> str:
    return dt.date.isoformat(clock.today())
