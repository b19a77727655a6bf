"""The practice (one row) and its desk settings."""

from __future__ import annotations

import datetime as dt

from peewee import BooleanField, CharField, Check, DateTimeField, IntegerField, SmallIntegerField

from medoffice_tui.db.models.base import BaseModel


class Practice(BaseModel):
    """The one practice this database belongs to (a single row)."""

    name = CharField(max_length=120)
    npi = CharField(max_length=10)
    tax_id = CharField(max_length=10)
    address1 = CharField(max_length=120, default="")
    address2 = CharField(max_length=120, default="")
    city = CharField(max_length=60, default="")
    state = CharField(max_length=2, default="")
    zip = CharField(max_length=10, default="")
    phone = CharField(max_length=20, default="")
    time_zone = CharField(max_length=64, default="America/Chicago")
    slot_minutes = SmallIntegerField(default=15, constraints=[Check("slot_minutes > 0")])
    created_at = DateTimeField(default=dt.datetime.now)
    #: built by ``medoffice demo``: the sign-in screen may list the demo accounts
    is_demo = BooleanField(default=False)
    #: minutes without a key before the screen locks (HIPAA automatic logoff)
    idle_lock_minutes = SmallIntegerField(default=5)
    #: sign in the user whose ``os_login`` is the SSH session's OS login (off by default)
    ssh_login_map = BooleanField(default=False)
    #: optional OS group for a practice whose desks run as several OS users (files 0660)
    file_group = CharField(max_length=32, default="")
    version = IntegerField(default=1)
