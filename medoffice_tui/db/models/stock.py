"""Supplies: locations, items, lots per location, every movement of stock, purchase orders.

The ledger is :class:`StockMovement`: one signed row per change, with who and when.
The quantities on :class:`SupplyLot` (one row per lot *per location*) and the item's
``on_hand`` are running sums of those rows, moved only by ``services/stock/ledger.py``
in the same transaction as the movement (``medoffice stock check`` proves they agree).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.schedule import Appointment
from medoffice_tui.db.models.staff import User

#: every kind of stock movement (the CHECK on stock_movement.kind)
MOVEMENT_KINDS = ("receive", "use", "adjust", "expire", "transfer", "count")
#: why a counted quantity differs (stock_movement.reason_code for kind "count")
COUNT_REASONS = ("count", "damaged", "lost", "returned")
#: a purchase order's life: draft (being built), ordered, partial (some received),
#: received (all), cancelled (closed with nothing or the rest not coming)
ORDER_STATUSES = ("draft", "ordered", "partial", "received", "cancelled")
#: orders still waiting for (some of) their delivery
OPEN_ORDER_STATUSES = ("ordered", "partial")


def _in(column: str, values: tuple[str, ...]) -> SQL:
    return SQL(f"CHECK ({column} IN (" + ", ".join(f"'{v}'" for v in values) + "))")


class StockLocation(BaseModel):
    """A place stock is kept: the supply room, an exam room, the vaccine fridge, a second site."""

    name = CharField(max_length=60, unique=True)
    site = CharField(max_length=60, default="")
    active = BooleanField(default=True)
    version = IntegerField(default=1)


class SupplyItem(BaseModel):
    sku = CharField(max_length=30, unique=True)
    name = CharField(max_length=120)
    unit = CharField(max_length=20, default="each")
    reorder_point = IntegerField(default=0)
    reorder_qty = IntegerField(default=0)
    vendor = CharField(max_length=120, default="")
    #: shelf or bin within the storage location ("A1"); the column was the free-text
    #: location before schema version 8 moved that into real locations
    shelf = CharField(max_length=60, default="", column_name="location")
    on_hand = IntegerField(default=0)  # sum of its lots' quantities (services/stock/ledger.py)
    active = BooleanField(default=True)
    barcode = CharField(max_length=64, null=True, unique=True)
    category = CharField(max_length=40, default="")
    catalog_number = CharField(max_length=40, default="")  # the vendor's number for it
    cost_cents = IntegerField(default=0)  # last known unit cost
    #: lots of this item carry no expiry date (exam table paper, sharps containers)
    no_expiry = BooleanField(default=False)
    #: where it is stored (and received into, unless the desk says otherwise)
    home_location = ForeignKeyField(StockLocation, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
    updated_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("active", "name"), False),)


class SupplyLot(BaseModel):
    """One lot of an item at one location (the same lot number in two places is two rows)."""

    item = ForeignKeyField(SupplyItem, backref="lots", on_delete="CASCADE")
    lot_number = CharField(max_length=40)
    expires_on = DateField(null=True)
    quantity = IntegerField(default=0, constraints=[Check("quantity >= 0")])
    received_on = DateField()
    #: never NULL once written by the services (the column was added to existing rows)
    location = ForeignKeyField(StockLocation, null=True, on_delete="RESTRICT")
    unit_cost_cents = IntegerField(null=True)

    class Meta:
        indexes = (
            (("item", "lot_number", "location"), True),
            (("expires_on",), False),
            # the low-stock list sums every item's in-date lots from this index alone
            (("item", "expires_on", "quantity", "location"), False),
        )


class PurchaseOrder(BaseModel):
    """One order to one vendor: a draft while the desk edits it, then ordered and received."""

    vendor = CharField(max_length=120)
    status = CharField(max_length=10, default="draft")
    location = ForeignKeyField(StockLocation, null=True, on_delete="SET NULL", index=False)
    created_at = DateTimeField(default=dt.datetime.now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
    ordered_at = DateTimeField(null=True)
    ordered_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
    closed_at = DateTimeField(null=True)
    note = CharField(max_length=200, default="")
    version = IntegerField(default=1)

    class Meta:
        table_name = "purchase_order"
        constraints = [_in("status", ORDER_STATUSES)]
        indexes = ((("status", "vendor"), False),)


class PurchaseOrderLine(BaseModel):
    order = ForeignKeyField(PurchaseOrder, backref="lines", on_delete="CASCADE")
    item = ForeignKeyField(SupplyItem, on_delete="RESTRICT")
    quantity = IntegerField(constraints=[Check("quantity > 0")])
    received = IntegerField(default=0, constraints=[Check("received >= 0")])
    unit_cost_cents = IntegerField(default=0)
    version = IntegerField(default=1)

    class Meta:
        table_name = "purchase_order_line"
        indexes = ((("order", "item"), True),)


class StockMovement(BaseModel):
    """One signed change to one lot at one location: the ledger everything else sums."""

    item = ForeignKeyField(SupplyItem, backref="movements", on_delete="CASCADE")
    lot = ForeignKeyField(SupplyLot, null=True, backref="movements", on_delete="SET NULL")
    #: never NULL once written by the services (``stock check`` reports any that is)
    location = ForeignKeyField(StockLocation, null=True, on_delete="RESTRICT", index=False)
    kind = CharField(max_length=8)  # MOVEMENT_KINDS
    quantity = IntegerField()  # signed: + in, - out
    reason = CharField(max_length=200, default="")
    reason_code = CharField(max_length=10, default="")  # COUNT_REASONS for a count
    at = DateTimeField(default=dt.datetime.now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
    #: both halves of a transfer carry the id of its outgoing movement
    transfer_id = IntegerField(null=True)
    order_line = ForeignKeyField(PurchaseOrderLine, null=True, on_delete="SET NULL", index=False)
    #: the patient visit a use was for (optional)
    appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL", index=False)
    unit_cost_cents = IntegerField(null=True)

    class Meta:
        constraints = [_in("kind", MOVEMENT_KINDS)]
        indexes = (
            (("item", "at"), False),
            # the use rate (days of supply, the weekly sparkline) reads this index alone
            (("item", "kind", "at", "location", "quantity"), False),
        )


class StockSetting(BaseModel):
    """The practice's stock settings (one row)."""

    #: the expiring-lots list shows lots expiring within this many days
    expiry_window_days = SmallIntegerField(default=30)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=False)
    updated_at = DateTimeField(null=True)
