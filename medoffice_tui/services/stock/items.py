"""Supply items: adding and editing them, and finding one by name, SKU or barcode.

A USB barcode scanner types the code and Enter, so :func:`find_items` puts an exact
barcode or SKU match first (``exact=True`` on the row), then names and SKUs that
contain what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import JOIN, IntegrityError, fn

from medoffice_tui import clock
from medoffice_tui.db.models import StockLocation, SupplyItem
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.stock import ledger
from medoffice_tui.services.stock.rows import ItemRow

#: what an item's form sends, with each text field's length limit
TEXT_LIMITS = {
    "name": 120,
    "sku": 30,
    "barcode": 64,
    "unit": 20,
    "category": 40,
    "vendor": 120,
    "catalog_number": 40,
    "shelf": 60,
}
REQUIRED = ("name", "sku")
MAX_REORDER = 100_000


@dataclass(frozen=True)
class ItemMatch:
    item: ItemRow
    exact: bool  # the typed text is this item's barcode or SKU


def _select() -> Any:
    return (
        SupplyItem.select(SupplyItem, StockLocation.name.alias("home_name"))
        .join(StockLocation, JOIN.LEFT_OUTER, on=(SupplyItem.home_location == StockLocation.id))
        .objects()  # every column on the item row, the location's name as ``home_name``
    )


def _row(row: SupplyItem) -> ItemRow:
    return ItemRow(
        id=row.id,
        sku=row.sku,
        name=row.name,
        unit=row.unit,
        barcode=row.barcode or "",
        category=row.category,
        vendor=row.vendor,
        catalog_number=row.catalog_number,
        cost_cents=row.cost_cents,
        reorder_point=row.reorder_point,
        reorder_qty=row.reorder_qty,
        home_location_id=row.home_location_id,
        home_location=getattr(row, "home_name", None) or "",
        shelf=row.shelf,
        no_expiry=bool(row.no_expiry),
        active=bool(row.active),
        on_hand=row.on_hand,
        version=row.version,
    )


def get_item(item_id: int) -> ItemRow:
    row = _select().where(SupplyItem.id == item_id).first()
    if row is None:
        raise NotFound("that supply item is not on file", field="item")
    return _row(row)


def _like(text: str) -> str:
    """``%text%`` with LIKE's own characters made harmless (each matches one character)."""
    for special in ("\\", "%"):
        text = text.replace(special, "_")
    return f"%{text}%"


def find_items(text: str, limit: int = 6, *, include_inactive: bool = False) -> list[ItemMatch]:
    """Items for what was typed or scanned: an exact barcode/SKU first, then by name."""
    typed = " ".join((text or "").split())
    if not typed or limit <= 0:
        return []
    active = SupplyItem.active == True  # noqa: E712
    exact = (SupplyItem.barcode == typed) | (fn.LOWER(SupplyItem.sku) == typed.lower())
    exact_rows = list(
        _select()
        .where(exact if include_inactive else (exact & active))
        .order_by(SupplyItem.id)
        .limit(2)
    )
    matches = [ItemMatch(_row(r), True) for r in exact_rows]
    seen = {m.item.id for m in matches}
    pattern = _like(typed.lower())
    contains = (fn.LOWER(SupplyItem.name) ** pattern) | (fn.LOWER(SupplyItem.sku) ** pattern)
    query = _select().where(contains if include_inactive else (contains & active))
    for row in query.order_by(SupplyItem.name, SupplyItem.id).limit(limit + len(seen)):
        if row.id not in seen and len(matches) < limit:
            matches.append(ItemMatch(_row(row), False))
            seen.add(row.id)
    return matches[:limit]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        if name not in values:
            continue
        text = " ".join(str(values[name] or "").split())
        if name in REQUIRED and not text:
            raise InvalidInput(f"the {name} is required", field=name)
        if len(text) > limit:
            raise InvalidInput(f"the {name.replace('_', ' ')} is longer than {limit}", field=name)
        out[name] = text
    if "sku" in out:
        out["sku"] = out["sku"].upper()
    if "barcode" in out:
        out["barcode"] = out["barcode"] or None
    if "unit" in out and not out["unit"]:
        out["unit"] = "each"
    for name in ("reorder_point", "reorder_qty", "cost_cents"):
        if name in values:
            value = values[name]
            value = 0 if value in (None, "") else value
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInput("enter a whole number, 0 or more", field=name)
            if name != "cost_cents" and value > MAX_REORDER:
                raise InvalidInput(f"that is more than {MAX_REORDER:,}", field=name)
            out[name] = value
    for name in ("no_expiry", "active"):
        if name in values:
            out[name] = bool(values[name])
    if "home_location_id" in values:
        location_id = values["home_location_id"]
        out["home_location"] = (
            ledger.require_location(location_id, field="home_location_id")
            if location_id is not None
            else None
        )
    return out


def _unique_clash(values: dict[str, Any], item_id: int | None) -> None:
    for name in ("sku", "barcode"):
        value = values.get(name)
        if not value:
            continue
        column = getattr(SupplyItem, name)
        query = SupplyItem.select().where(column == value)
        if item_id is not None:
            query = query.where(SupplyItem.id != item_id)
        if query.exists():
            raise InvalidInput(f"another item already has that {name}", field=name)


@writes("stock.item.edit")
def add_item(actor: Actor, **values: Any) -> ItemRow:
    """A new supply item: name and SKU required; see ``TEXT_LIMITS`` for the rest."""
    cleaned = _clean({"unit": "each", **values})
    for name in REQUIRED:
        if name not in cleaned:
            raise InvalidInput(f"the {name} is required", field=name)
    _unique_clash(cleaned, None)
    try:
        item_id = SupplyItem.insert(
            **cleaned, on_hand=0, updated_by=actor.user_id, updated_at=clock.now()
        ).execute()
    except IntegrityError:  # another desk added the same SKU or barcode a moment ago
        raise InvalidInput("another item already has that SKU or barcode", field="sku") from None
    audit.record(actor, "create", "supply_item", item_id, fields=sorted(cleaned))
    return get_item(item_id)


@writes("stock.item.edit")
def update_item(actor: Actor, item_id: int, version: int, **values: Any) -> ItemRow:
    """Change an item's details; ``version`` is the one the desk read (never overwrite)."""
    current = get_item(item_id)
    cleaned = _clean(values)
    _unique_clash(cleaned, item_id)
    was = {
        "home_location": current.home_location_id,
        "barcode": current.barcode or None,
        **{k: getattr(current, k) for k in cleaned if k not in ("home_location", "barcode")},
    }
    changed_fields = sorted(k for k, v in cleaned.items() if was.get(k) != v)
    if not changed_fields:
        return current
    try:
        changed = (
            SupplyItem.update(
                **cleaned,
                version=SupplyItem.version + 1,
                updated_by=actor.user_id,
                updated_at=clock.now(),
            )
            .where((SupplyItem.id == item_id) & (SupplyItem.version == version))
            .execute()
        )
    except IntegrityError:
        raise InvalidInput("another item already has that SKU or barcode", field="sku") from None
    if not changed:
        _stale(item_id)
    audit.record(actor, "update", "supply_item", item_id, fields=changed_fields)
    return get_item(item_id)


def _stale(item_id: int) -> None:
    from medoffice_tui.db.models import User

    row = (
        SupplyItem.select(User.full_name)
        .join(User, JOIN.LEFT_OUTER, on=(SupplyItem.updated_by == User.id))
        .where(SupplyItem.id == item_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound("that supply item is not on file", field="item")
    raise StaleEdit(changed_by=row[0] or "")
