"""Appointment types, recurring series and appointments."""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.patients import Patient
from medoffice_tui.db.models.providers import Provider
from medoffice_tui.db.models.staff import User


class AppointmentType(BaseModel):
    name = CharField(max_length=60, unique=True)
    default_minutes = SmallIntegerField(default=15)
    color = CharField(max_length=20, default="")
    active = BooleanField(default=True)


class RecurringSeries(BaseModel):
    """A recurring booking: the RRULE it was made from and who made it."""

    rrule = CharField(max_length=200)
    created_at = DateTimeField(default=dt.datetime.now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")


APPOINTMENT_STATUSES = (
    "booked",
    "confirmed",
    "arrived",
    "roomed",
    "completed",
    "cancelled",
    "no_show",
)
#: statuses that hold the provider's time (a no-show frees it for a walk-in)
LIVE_STATUSES = tuple(s for s in APPOINTMENT_STATUSES if s not in ("cancelled", "no_show"))


class Appointment(BaseModel):
    patient = ForeignKeyField(Patient, backref="appointments", on_delete="RESTRICT")
    provider = ForeignKeyField(Provider, backref="appointments", on_delete="RESTRICT")
    appt_type = ForeignKeyField(AppointmentType, null=True, on_delete="SET NULL")
    start = DateTimeField()
    end = DateTimeField()
    reason = CharField(max_length=200, default="")
    status = CharField(max_length=12, default="booked")
    booked_at = DateTimeField(default=dt.datetime.now)
    confirmed_at = DateTimeField(null=True)
    arrived_at = DateTimeField(null=True)
    roomed_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = CharField(max_length=200, default="")
    no_show_at = DateTimeField(null=True)
    series = ForeignKeyField(
        RecurringSeries, null=True, backref="appointments", on_delete="SET NULL"
    )
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=dt.datetime.now)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        constraints = [
            SQL('CHECK ("end" > "start")'),
            SQL("CHECK (status IN (" + ", ".join(f"'{s}'" for s in APPOINTMENT_STATUSES) + "))"),
        ]
        indexes = (
            (("provider", "start"), False),
            (("patient", "start"), False),
            (("start",), False),
        )
