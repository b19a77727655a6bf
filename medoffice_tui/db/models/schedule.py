"""Appointment types, recurring series, appointments and each appointment's history."""

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
#: what a confirmation call can come to ("" until someone called)
REMINDER_OUTCOMES = ("confirmed", "left_message", "no_answer", "wrong_number")
#: what an appointment's history records
APPOINTMENT_EVENT_KINDS = ("booked", "status", "undo", "moved", "reminder")


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
    # migration 0006: an explicit overbook (outside hours or into a block) and its reason
    overbooked = BooleanField(default=False)
    overbook_reason = CharField(max_length=200, default="")
    # the confirmation call's outcome (REMINDER_OUTCOMES), when and by whom
    reminder_outcome = CharField(max_length=12, default="")
    reminder_at = DateTimeField(null=True)
    reminder_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

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


class AppointmentEvent(BaseModel):
    """One thing that happened to an appointment: booked, a status change, its undo, a
    move (where it was and where it went), a confirmation call. Who and when, always.

    ``version`` is the appointment's version right after the event: the last status
    change can be undone only while it is still the newest thing that happened (the
    appointment's version is still this one).
    """

    appointment = ForeignKeyField(Appointment, backref="events", on_delete="CASCADE")
    at = DateTimeField()
    user = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    kind = CharField(max_length=12)
    from_status = CharField(max_length=12, default="")
    to_status = CharField(max_length=12, default="")
    from_provider = ForeignKeyField(Provider, null=True, on_delete="SET NULL", backref="+")
    from_start = DateTimeField(null=True)
    from_end = DateTimeField(null=True)
    to_provider = ForeignKeyField(Provider, null=True, on_delete="SET NULL", backref="+")
    to_start = DateTimeField(null=True)
    to_end = DateTimeField(null=True)
    #: a cancel reason, an overbook reason, a call's outcome (never patient data)
    detail = CharField(max_length=200, default="")
    version = IntegerField()
    #: on an undo: the status change it took back
    undoes = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("appointment", "id"), False),)
