"""Supplies: items, lots and every movement of stock."""

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
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.staff import User


class SupplyItem(BaseModel):
    sku = CharField(max_length=30, unique=True)
    name = CharField(max_length=120)
    unit = CharField(max_length=20, default="each")
    reorder_point = IntegerField(default=0)
    reorder_qty = IntegerField(default=0)
    vendor = CharField(max_length=120, default="")
    location = CharField(max_length=60, default="")
    on_hand = IntegerField(default=0)  # sum of lot quantities, kept in step by services.stock
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("active", "name"), False),)


class SupplyLot(BaseModel):
    item = ForeignKeyField(SupplyItem, backref="lots", on_delete="CASCADE")
    lot_number = CharField(max_length=40)
    expires_on = DateField(null=True)
    quantity = IntegerField(default=0, constraints=[Check("quantity >= 0")])
    received_on = DateField()

    class Meta:
        indexes = (
            (("item", "lot_number"), True),
            (("expires_on",), False),
        )


class StockMovement(BaseModel):
    item = ForeignKeyField(SupplyItem, backref="movements", on_delete="CASCADE")
    lot = ForeignKeyField(SupplyLot, null=True, backref="movements", on_delete="SET NULL")
    kind = CharField(max_length=8)  # receive, use, adjust, expire
    quantity = IntegerField()  # signed: + in, - out
    reason = CharField(max_length=200, default="")
    at = DateTimeField(default=dt.datetime.now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        constraints = [SQL("CHECK (kind IN ('receive', 'use', 'adjust', 'expire'))")]
        indexes = ((("item", "at"), False),)
