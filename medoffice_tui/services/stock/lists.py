"""The stock lists: what to reorder (low stock), what expires, and one item's lots.

Low stock counts only in-date lots (a shelf of expired vials is not stock), per
location or practice-wide. It is sorted the way a desk works through it: items that
are out first, then by how soon each runs out at its recent use rate (days of
supply: in-date units over the higher of the 30- and 90-day average daily use),
items without use in 90 days last; then by name. The whole order is computed in
one SQL statement and paged by keyset, so opening the list reads only the items at
or below their reorder point and the last 90 days of their movements (through the
covering index on stock_movement), never the whole ledger.

Reordering is judged practice-wide: an item is ordered when the practice's in-date
stock is at or below its reorder point. At one location the list shows what is low
*there*; when the rest of the practice holds enough (its in-date total is above the
reorder point) the row suggests no order and names where to move stock from
(``transfer_from``, the location holding the most in date) instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from peewee import JOIN, Tuple, Value, fn

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.models import OPEN_ORDER_STATUSES, StockLocation, SupplyItem, SupplyLot
from medoffice_tui.services.paging import Page
from medoffice_tui.services.stock.rows import LotRow, StockRow

#: sort key for an item with stock but no use in 90 days (runs out "never")
NO_USE = 10**12


def as_date(value: Any) -> dt.date | None:
    """A MIN() over a date column comes back as text on SQLite (no field converter)."""
    if value is None or isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _sql(text: str) -> str:
    return text.replace("?", db.obj.param)


#: expired units per item (the few expired lots, found by the expiry index)
_STALE = """
WITH stale AS (
    SELECT l.item_id AS item_id, SUM(l.quantity) AS qty
    FROM supply_lot l
    WHERE l.expires_on < ? AND l.quantity > 0
    GROUP BY l.item_id
)"""
#: in-date stock per item, practice-wide: the stored on-hand (the sum of every lot)
#: less the expired units
_PRACTICE_WIDE = (
    _STALE
    + """, cand AS (
    SELECT i.id AS id, i.sku AS sku, i.name AS name, i.unit AS unit, i.vendor AS vendor,
           i.reorder_point AS rop, i.reorder_qty AS roq, i.on_hand - COALESCE(s.qty, 0) AS qty,
           COALESCE(h.name, '') AS home, i.on_hand - COALESCE(s.qty, 0) AS total
    FROM supply_item i
    LEFT JOIN stale s ON s.item_id = i.id
    LEFT JOIN stock_location h ON h.id = i.home_location_id
    WHERE i.active = ? AND i.on_hand - COALESCE(s.qty, 0) <= i.reorder_point
"""
)
#: in-date stock per item at one location (its lots there, covering index on lots),
#: and practice-wide beside it
_AT_LOCATION = (
    _STALE
    + """, usable AS (
    SELECT l.item_id AS item_id, SUM(l.quantity) AS qty
    FROM supply_lot l
    WHERE l.quantity > 0 AND (l.expires_on IS NULL OR l.expires_on >= ?) AND l.location_id = ?
    GROUP BY l.item_id
), cand AS (
    SELECT i.id AS id, i.sku AS sku, i.name AS name, i.unit AS unit, i.vendor AS vendor,
           i.reorder_point AS rop, i.reorder_qty AS roq, COALESCE(u.qty, 0) AS qty,
           COALESCE(h.name, '') AS home, i.on_hand - COALESCE(s.qty, 0) AS total
    FROM supply_item i
    LEFT JOIN usable u ON u.item_id = i.id
    LEFT JOIN stale s ON s.item_id = i.id
    LEFT JOIN stock_location h ON h.id = i.home_location_id
    WHERE i.active = ? AND COALESCE(u.qty, 0) <= i.reorder_point
      AND (i.home_location_id = ? OR EXISTS (SELECT 1 FROM supply_lot sl
                                             WHERE sl.item_id = i.id AND sl.location_id = ?))
"""
)
_LOW_SQL = """{start}), used AS (
    SELECT m.item_id AS item_id,
           SUM(CASE WHEN m.at >= ? THEN -m.quantity ELSE 0 END) AS u30,
           SUM(-m.quantity) AS u90
    FROM stock_movement m
    WHERE m.item_id IN (SELECT id FROM cand) AND m.kind = 'use' AND m.at >= ? {move_where}
    GROUP BY m.item_id
), ordered AS (
    SELECT ol.item_id AS item_id, SUM(ol.quantity - ol.received) AS units
    FROM purchase_order_line ol JOIN purchase_order o ON o.id = ol.order_id
    WHERE o.status IN ({open_statuses}) AND ol.received < ol.quantity
      AND ol.item_id IN (SELECT id FROM cand)
    GROUP BY ol.item_id
), ranked AS (
    SELECT c.id, c.sku, c.name, c.unit, c.vendor, c.rop, c.roq, c.qty, c.home, c.total,
           COALESCE(x.u30, 0) AS u30, COALESCE(x.u90, 0) AS u90,
           COALESCE(o.units, 0) AS on_order,
           CASE WHEN c.qty > 0 THEN 1 ELSE 0 END AS has_stock,
           CASE WHEN c.qty <= 0 THEN 0
                WHEN COALESCE(x.u30, 0) <= 0 AND COALESCE(x.u90, 0) <= 0 THEN ?
                WHEN COALESCE(x.u30, 0) * 3 >= COALESCE(x.u90, 0)
                    THEN (c.qty * 900) / (COALESCE(x.u30, 0) * 3)
                ELSE (c.qty * 900) / COALESCE(x.u90, 0)
           END AS tenths
    FROM cand c
    LEFT JOIN used x ON x.item_id = c.id
    LEFT JOIN ordered o ON o.item_id = c.id
)
SELECT id, sku, name, unit, vendor, rop, roq, qty, home, u30, u90, on_order, has_stock, tenths,
       total
FROM ranked
{key_where}
ORDER BY has_stock {way}, tenths {way}, name {way}, id {way}
LIMIT ?
"""


def suggested_quantity(on_hand: int, point: int, qty: int, on_order: int) -> int:
    """Order up to reorder point + reorder quantity, less what is already on order."""
    return max(point + qty - on_hand - on_order, 0)


def _low_key(key: Any) -> list[Any]:
    """A low-stock row's sort key as statement parameters: (has_stock, tenths, name, id)."""
    has_stock, tenths, name, item_id = key
    return [int(has_stock), int(tenths), str(name), int(item_id)]


def low_stock_sql(
    after: Any | None = None,
    limit: int = 100,
    *,
    location_id: int | None = None,
    before: Any | None = None,
    from_end: bool = False,
) -> tuple[str, list[Any]]:
    """The one statement :func:`low_stock` runs, and its parameters (the bench shows its
    query plan). ``from_end``/``before`` read the order backwards (see :func:`low_stock`)."""
    today = clock.today()
    midnight = dt.datetime.combine(today, dt.time())
    move_where = ""
    params_move: list[Any] = [midnight - dt.timedelta(days=30), midnight - dt.timedelta(days=90)]
    if location_id is None:
        start, params_start = _PRACTICE_WIDE, [today, True]
    else:
        start = _AT_LOCATION
        params_start = [today, today, location_id, True, location_id, location_id]
        move_where = "AND m.location_id = ?"
        params_move.append(location_id)
    keys: list[str] = []
    params_key: list[Any] = []
    if after is not None:
        keys.append("(has_stock, tenths, name, id) > (?, ?, ?, ?)")
        params_key += _low_key(after)
    if before is not None:
        keys.append("(has_stock, tenths, name, id) < (?, ?, ?, ?)")
        params_key += _low_key(before)
    sql = _LOW_SQL.format(
        start=start.strip(),
        move_where=move_where,
        open_statuses=", ".join("?" for _ in OPEN_ORDER_STATUSES),
        key_where=("WHERE " + " AND ".join(keys)) if keys else "",
        way="DESC" if from_end or before is not None else "ASC",
    )
    params = [*params_start, *params_move, *OPEN_ORDER_STATUSES, NO_USE, *params_key, limit + 1]
    return _sql(sql), params


def low_stock(
    after: Any | None = None,
    limit: int = 100,
    *,
    location_id: int | None = None,
    before: Any | None = None,
    from_end: bool = False,
) -> Page[StockRow]:
    """Active items at or below their reorder point (in-date stock only), see the module
    docstring for the order. ``location_id`` narrows it to one location: the stock
    there, against the reorder point, for items kept there; what to order is still
    judged practice-wide (``suggested`` is 0 and ``transfer_from`` names a location
    when the rest of the practice holds enough).

    Paging is by the row's ``sort_key`` (has_stock, tenths, name, item id: exact and
    unique): ``after`` reads the page below a key; ``from_end`` reads the last page
    (the list's End) and ``before`` the page above a key, each returned in list order
    with ``prev_before`` set while rows lie above it."""
    if limit <= 0:
        return Page([], None)
    today = clock.today()
    upward = from_end or before is not None
    sql, params = low_stock_sql(
        after, limit, location_id=location_id, before=before, from_end=from_end
    )
    rows = []
    for found in db.execute_sql(sql, params).fetchall():
        item_id, sku, name, unit, vendor, point, qty, on_hand, home, u30, u90 = found[:11]
        on_order, has_stock, tenths = int(found[11]), int(found[12]), int(found[13])
        total = int(found[14])
        rows.append(
            StockRow(
                item_id=item_id,
                sku=sku,
                name=name,
                unit=unit,
                on_hand=int(on_hand),
                reorder_point=point,
                reorder_qty=qty,
                vendor=vendor,
                location=home,
                nearest_expiry=None,
                flag="out" if on_hand <= 0 else "low",
                on_order=on_order,
                suggested=(
                    suggested_quantity(total, point, qty, on_order) if total <= point else 0
                ),
                used_30=int(u30),
                used_90=int(u90),
                days_left=None if tenths >= NO_USE else tenths // 10,
                sort_key=(has_stock, tenths, name, item_id),
                practice_on_hand=total,
            )
        )
    more = len(rows) > limit
    rows = rows[:limit]
    if upward:
        rows.reverse()
    nearest = _nearest_expiry([r.item_id for r in rows], today, location_id)
    rows = [replace(r, nearest_expiry=nearest.get(r.item_id)) for r in rows]
    if location_id is not None:
        sources = _transfer_sources(
            [r.item_id for r in rows if r.practice_on_hand > r.reorder_point], today, location_id
        )
        rows = [
            replace(r, transfer_from=sources[r.item_id][0], transfer_units=sources[r.item_id][1])
            if r.item_id in sources
            else r
            for r in rows
        ]
    if upward:
        return Page(rows, None, rows[0].sort_key if more and rows else None)
    return Page(rows, rows[-1].sort_key if more else None)


def _transfer_sources(
    item_ids: list[int], today: dt.date, location_id: int
) -> dict[int, tuple[str, int]]:
    """For items the rest of the practice holds enough of: the other location with the
    most in-date units of each, and how many it holds (one query for the page)."""
    if not item_ids:
        return {}
    query = (
        SupplyLot.select(SupplyLot.item, StockLocation.name, fn.SUM(SupplyLot.quantity))
        .join(StockLocation, on=(SupplyLot.location == StockLocation.id))
        .where(
            SupplyLot.item.in_(item_ids)
            & (SupplyLot.location != location_id)
            & (SupplyLot.quantity > 0)
            & (SupplyLot.expires_on.is_null() | (SupplyLot.expires_on >= today))
        )
        .group_by(SupplyLot.item, StockLocation.name)
    )
    best: dict[int, tuple[str, int]] = {}
    for item_id, where, units in query.tuples():
        units = int(units)
        if item_id not in best or (units, where) > (best[item_id][1], best[item_id][0]):
            best[item_id] = (where, units)
    return best


def _nearest_expiry(
    item_ids: list[int], today: dt.date, location_id: int | None
) -> dict[int, dt.date | None]:
    """The first in-date expiry of each item on a page (one index range per item)."""
    if not item_ids:
        return {}
    query = SupplyLot.select(SupplyLot.item, fn.MIN(SupplyLot.expires_on)).where(
        SupplyLot.item.in_(item_ids) & (SupplyLot.quantity > 0) & (SupplyLot.expires_on >= today)
    )
    if location_id is not None:
        query = query.where(SupplyLot.location == location_id)
    return {item: as_date(day) for item, day in query.group_by(SupplyLot.item).tuples()}


def _lot_row(row: tuple, today: dt.date) -> LotRow:
    lot_id, item_id, sku, name, number, expires, qty, location_id, location = row
    expires = as_date(expires)
    left = (expires - today).days if expires is not None else None
    return LotRow(lot_id, item_id, sku, name, number, expires, qty, left, location_id,
                  location or "")  # fmt: skip


def _lot_select() -> Any:
    return (
        SupplyLot.select(
            SupplyLot.id,
            SupplyLot.item,
            SupplyItem.sku,
            SupplyItem.name,
            SupplyLot.lot_number,
            SupplyLot.expires_on,
            SupplyLot.quantity,
            SupplyLot.location,
            StockLocation.name,
        )
        .join(SupplyItem, JOIN.INNER, on=(SupplyLot.item == SupplyItem.id))
        .switch(SupplyLot)
        .join(StockLocation, JOIN.LEFT_OUTER, on=(SupplyLot.location == StockLocation.id))
    )


def expiry_window() -> int:
    from medoffice_tui.services.stock.settings import get_settings

    return get_settings().expiry_window_days


def _lot_key(key: Any) -> Any:
    """(expires_on, lot id) as a row value to compare with (expires_on, id)."""
    expires_on, lot_id = key
    if isinstance(expires_on, str):
        expires_on = dt.date.fromisoformat(expires_on)
    key_date = Value(expires_on, converter=SupplyLot.expires_on.db_value)
    return Tuple(key_date, int(lot_id))


def expiring_lots(
    within_days: int | None = None,
    after: Any | None = None,
    limit: int = 100,
    *,
    location_id: int | None = None,
    before: Any | None = None,
    from_end: bool = False,
) -> Page[LotRow]:
    """Lots with stock expiring by today + ``within_days`` (the practice's window when
    None), expired ones included (they sort first), soonest first, by (expires_on, lot
    id). ``after`` = a row's (expires_on, lot id): the page below it; ``from_end`` the
    last page and ``before`` the page above a key, in list order with ``prev_before``
    set while rows lie above it."""
    if limit <= 0:
        return Page([], None)
    if within_days is None:
        within_days = expiry_window()
    today = clock.today()
    horizon = today + dt.timedelta(days=within_days)
    query = _lot_select().where(
        SupplyLot.expires_on.is_null(False)
        & (SupplyLot.expires_on <= horizon)
        & (SupplyLot.quantity > 0)
    )
    if location_id is not None:
        query = query.where(SupplyLot.location == location_id)
    key = Tuple(SupplyLot.expires_on, SupplyLot.id)
    if after is not None:
        query = query.where(key > _lot_key(after))
    if before is not None:
        query = query.where(key < _lot_key(before))
    upward = from_end or before is not None
    if upward:
        query = query.order_by(SupplyLot.expires_on.desc(), SupplyLot.id.desc())
    else:
        query = query.order_by(SupplyLot.expires_on, SupplyLot.id)
    rows = [_lot_row(r, today) for r in query.limit(limit + 1).tuples()]
    more = len(rows) > limit
    rows = rows[:limit]
    if upward:
        rows.reverse()
        return Page(rows, None, (rows[0].expires_on, rows[0].lot_id) if more and rows else None)
    return Page(rows, (rows[-1].expires_on, rows[-1].lot_id) if more else None)


def item_lots(item_id: int, *, include_empty_days: int = 180, limit: int = 50) -> list[LotRow]:
    """An item's lots in every location, first to be used first: those holding stock,
    then recently emptied ones (so a count can find stock that turned up again)."""
    today = clock.today()
    since = today - dt.timedelta(days=include_empty_days)
    query = _lot_select().where(
        (SupplyLot.item == item_id) & ((SupplyLot.quantity > 0) | (SupplyLot.received_on >= since))
    )
    rows = [_lot_row(r, today) for r in query.limit(limit * 4).tuples()]
    far = dt.date.max
    rows.sort(key=lambda r: (r.quantity == 0, r.expires_on or far, r.location, r.lot_id))
    return rows[:limit]


def get_lot(lot_id: int) -> LotRow:
    from medoffice_tui.errors import NotFound

    row = _lot_select().where(SupplyLot.id == lot_id).tuples().first()
    if row is None:
        raise NotFound("that lot is not on file", field="lot")
    return _lot_row(row, clock.today())
