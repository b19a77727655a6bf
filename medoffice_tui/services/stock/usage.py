"""How fast an item is used: per week (the sparkline), and over 30 and 90 days.

Read from the movements themselves through the covering index on
(item, kind, at, location, quantity): one item's last 90 days is a short index range.
"""

from __future__ import annotations

import datetime as dt

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import StockLocation, StockMovement, SupplyLot, User
from medoffice_tui.services.stock.rows import MovementRow, UsageSeries

WEEKS = 12


def _at(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def usage(item_id: int, *, location_id: int | None = None, weeks: int = WEEKS) -> UsageSeries:
    """Units used per week over the last ``weeks`` weeks (the last bin ends today), and the
    30- and 90-day totals the days-of-supply figure uses."""
    today = clock.today()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    span = max(weeks * 7, 90)
    start = end - dt.timedelta(days=span)
    first_week = end - dt.timedelta(days=7 * weeks)
    query = StockMovement.select(StockMovement.at, StockMovement.quantity).where(
        (StockMovement.item == item_id)
        & (StockMovement.kind == "use")
        & (StockMovement.at >= start)
    )
    if location_id is not None:
        query = query.where(StockMovement.location == location_id)
    bins = [0] * weeks
    midnight = dt.datetime.combine(today, dt.time())
    d30, d90 = midnight - dt.timedelta(days=30), midnight - dt.timedelta(days=90)
    used_30 = used_90 = 0
    for at, quantity in query.tuples():
        at = _at(at)
        units = -int(quantity)
        if at >= d90:
            used_90 += units
        if at >= d30:
            used_30 += units
        if at >= first_week:
            index = min((at - first_week).days // 7, weeks - 1)
            bins[index] += units
    starts = tuple((first_week + dt.timedelta(days=7 * k)).date() for k in range(weeks))
    return UsageSeries(item_id, tuple(bins), starts, used_30, used_90)


def days_of_supply(on_hand: int, used_30: int, used_90: int) -> int | None:
    """Whole days ``on_hand`` lasts at the higher of the 30- and 90-day daily averages
    (a recent spike shortens it; a quiet month does not stretch it); None without use."""
    if on_hand <= 0:
        return 0
    rate_90ths = max(used_30 * 3, used_90)  # units per 90 days
    if rate_90ths <= 0:
        return None
    return on_hand * 90 // rate_90ths


def recent_movements(item_id: int, limit: int = 50) -> list[MovementRow]:
    """An item's latest movements, newest first (who, when, which lot, where)."""
    query = (
        StockMovement.select(
            StockMovement.id,
            StockMovement.item,
            StockMovement.lot,
            SupplyLot.lot_number,
            StockLocation.name,
            StockMovement.kind,
            StockMovement.quantity,
            StockMovement.reason,
            StockMovement.reason_code,
            StockMovement.at,
            User.username,
        )
        .join(SupplyLot, JOIN.LEFT_OUTER, on=(StockMovement.lot == SupplyLot.id))
        .switch(StockMovement)
        .join(StockLocation, JOIN.LEFT_OUTER, on=(StockMovement.location == StockLocation.id))
        .switch(StockMovement)
        .join(User, JOIN.LEFT_OUTER, on=(StockMovement.user == User.id))
        .where(StockMovement.item == item_id)
        .order_by(StockMovement.at.desc(), StockMovement.id.desc())
        .limit(limit)
    )
    return [
        MovementRow(
            mid, item, lot, number or "", where or "", kind, qty, reason, code, _at(at), user or ""
        )  # fmt: skip
        for mid, item, lot, number, where, kind, qty, reason, code, at, user in query.tuples()
    ]
