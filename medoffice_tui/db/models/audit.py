"""The audit trail and the end of its hash chain."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.staff import User


class AuditEvent(BaseModel):
    """Append-only, hash-chained record of who did what (HIPAA 164.312(b)).

    Written only by ``services/audit.py``, in the same transaction as the change it
    records. Ids are consecutive (1, 2, 3 ...) and each ``hash`` covers the previous
    event's hash and this event's canonical form, so an altered, inserted, deleted or
    reordered row breaks the chain. ``fields`` names what changed, never the values.
    """

    id = AutoField()
    at_utc = DateTimeField()
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT", index=False)
    action = CharField(max_length=24)  # view, create, update, sign_in, refused ...
    object_type = CharField(max_length=30)  # the entity: patient, appointment, user ...
    object_id = IntegerField(null=True)
    patient_id = IntegerField(null=True)
    success = BooleanField(default=True)
    detail = CharField(max_length=200, default="")
    prev_hash = CharField(max_length=64, default="")
    hash = CharField(max_length=64)
    fields = CharField(max_length=400, default="")  # comma-separated field names

    class Meta:
        indexes = (
            (("patient_id", "at_utc"), False),
            (("at_utc",), False),
            (("user", "id"), False),
            (("patient_id", "id"), False),
            (("action", "id"), False),
        )


class AuditHead(BaseModel):
    """The end of the audit chain (one row): the last event's id and hash.

    Lets ``audit verify`` notice events cut off the end, which a chain alone cannot.
    """

    id = IntegerField(primary_key=True)
    last_id = IntegerField(default=0)
    last_hash = CharField(max_length=64, default="")
