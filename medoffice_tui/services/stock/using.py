"""Using (dispensing) stock: first-expiring-first-out, across lots and locations.

The lots to take from, in order: those at the desk's location first (when it names
one), then every other location; within each, the earliest expiry first (lots with
no expiry date last), then the oldest receipt. A use that one lot cannot cover
continues into the next, so stock split between two lots or two rooms never reads
as "insufficient" while the total would serve.

Expired lots are never handed out unless the desk asks (``allow_expired=True``,
after confirming): without it, a use the in-date stock cannot cover but expired
stock could is refused with :class:`~medoffice_tui.services.stock.common.ExpiredStockNeeded`,
so the screen can ask. All or nothing: a refusal changes no lot.
"""

from __future__ import annotations

import datetime as dt

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import LIVE_STATUSES, Appointment, StockLocation, SupplyLot
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.stock import common, ledger
from medoffice_tui.services.stock.rows import Taken, UseResult

#: a visit the use can be tied to: the patient is (or was) here today
_VISIT_STATUSES = ("arrived", "roomed", "completed", "confirmed", "booked")


def visit_today(patient_id: int) -> int:
    """The patient's appointment today to tie a use to (the one in the building first)."""
    today = clock.today()
    start = dt.datetime.combine(today, dt.time())
    rows = list(
        Appointment.select(Appointment.id, Appointment.status)
        .where(
            (Appointment.patient == patient_id)
            & (Appointment.start >= start)
            & (Appointment.start < start + dt.timedelta(days=1))
            & (Appointment.status.in_(LIVE_STATUSES))
        )
        .order_by(Appointment.start)
        .tuples()
    )
    if not rows:
        raise InvalidInput("that patient has no visit today", field="patient")
    rank = {status: n for n, status in enumerate(_VISIT_STATUSES)}
    return int(min(rows, key=lambda r: rank.get(r[1], len(rank)))[0])


def _lots_in_order(item_id: int, location_id: int | None) -> list[tuple]:
    rows = list(
        SupplyLot.select(
            SupplyLot.id,
            SupplyLot.lot_number,
            SupplyLot.location,
            StockLocation.name,
            SupplyLot.expires_on,
            SupplyLot.received_on,
            SupplyLot.quantity,
        )
        .join(StockLocation, JOIN.LEFT_OUTER, on=(SupplyLot.location == StockLocation.id))
        .where((SupplyLot.item == item_id) & (SupplyLot.quantity > 0))
        .tuples()
    )
    far = dt.date.max

    def order(row: tuple) -> tuple:
        lot_id, _number, where, _name, expires, received, _qty = row
        elsewhere = 0 if location_id is None or where == location_id else 1
        return (elsewhere, expires or far, received, lot_id)

    return sorted(rows, key=order)


@writes("stock.use")
def use(
    actor: Actor,
    item_id: int,
    quantity: int,
    reason: str = "",
    *,
    location_id: int | None = None,
    allow_expired: bool = False,
    patient_id: int | None = None,
    appointment_id: int | None = None,
) -> UseResult:
    """Take ``quantity`` units out (FEFO; see the module docstring). All or nothing.

    ``patient_id`` ties the use to that patient's visit today (``appointment_id`` to a
    given one).
    """
    quantity = common.quantity(quantity)
    reason = common.reason(reason)
    ledger.lock_item(item_id)
    if location_id is not None:
        ledger.require_location(location_id)
    if appointment_id is None and patient_id is not None:
        appointment_id = visit_today(patient_id)
    elif appointment_id is not None:
        patient_id = (
            Appointment.select(Appointment.patient).where(Appointment.id == appointment_id).scalar()
        )
        if patient_id is None:
            raise InvalidInput("that visit is not on file", field="patient")
    today = clock.today()
    lots = _lots_in_order(item_id, location_id)
    in_date = [r for r in lots if r[4] is None or r[4] >= today]
    expired = [r for r in lots if r[4] is not None and r[4] < today]
    usable = sum(r[6] for r in in_date)
    stale = sum(r[6] for r in expired)
    if usable < quantity:
        if usable + stale < quantity:
            more = f" (and {stale} expired)" if stale else ""
            raise InvalidInput(f"not enough stock: {usable} usable on hand{more}", field="quantity")
        if not allow_expired:
            raise common.ExpiredStockNeeded(usable, stale, quantity)
    plan = in_date + (expired if allow_expired else [])
    remaining = quantity
    taken: list[Taken] = []
    for lot_id, number, where, where_name, expires, _received, on_lot in plan:
        if remaining == 0:
            break
        take = min(on_lot, remaining)
        is_expired = expires is not None and expires < today
        ledger.post(
            actor, item_id=item_id, lot_id=lot_id, location_id=where, kind="use", delta=-take,
            reason=reason or ("expired lot, confirmed" if is_expired else ""),
            appointment_id=appointment_id, patient_id=patient_id,
        )  # fmt: skip
        taken.append(Taken(lot_id, number, where_name or "", take, is_expired))
        remaining -= take
    return UseResult(item_id, quantity, tuple(taken), appointment_id)
