"""Providers, their weekly hours and the time they are not bookable."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    SmallIntegerField,
    TimeField,
)

from medoffice_tui.db.models.base import BaseModel


class Provider(BaseModel):
    first_name = CharField(max_length=60)
    last_name = CharField(max_length=60)
    credential = CharField(max_length=20, default="")  # MD, DO, NP, PA-C ...
    npi = CharField(max_length=10, unique=True)
    taxonomy = CharField(max_length=10, default="")
    color = CharField(max_length=20, default="")
    sort_order = SmallIntegerField(default=0)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("active", "sort_order"), False),)

    @property
    def display_name(self) -> str:
        cred = f", {self.credential}" if self.credential else ""
        return f"{self.first_name[:1]}. {self.last_name}{cred}"


class ProviderHours(BaseModel):
    """Regular working hours: one row per provider, weekday (0=Mon) and span."""

    provider = ForeignKeyField(Provider, backref="hours", on_delete="CASCADE")
    weekday = SmallIntegerField(constraints=[Check("weekday BETWEEN 0 AND 6")])
    start_time = TimeField()
    end_time = TimeField()

    class Meta:
        indexes = ((("provider", "weekday", "start_time"), True),)


class ProviderBlock(BaseModel):
    """Time a provider is not bookable: lunch, meeting, out of office.

    ``rrule`` (RFC 5545 RRULE text, e.g. ``FREQ=WEEKLY;BYDAY=MO,TU``) repeats the
    block from ``start``; without it the block happens once.
    """

    provider = ForeignKeyField(Provider, backref="blocks", on_delete="CASCADE")
    kind = CharField(max_length=20, default="block")  # lunch, meeting, out, block
    start = DateTimeField()
    end = DateTimeField()
    rrule = CharField(max_length=200, null=True)
    until = DateField(null=True)
    note = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("provider", "start"), False),)
