"""Staff accounts and the four roles (what each may do: ``services/permissions.py``)."""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from medoffice_tui.db.models.base import BaseModel


class Role(BaseModel):
    """The four staff roles. What each may do is ``services/permissions.py``'s one table;
    these rows only name them (``name`` is the key that table uses)."""

    name = CharField(max_length=40, unique=True)
    description = CharField(max_length=200, default="")


#: role names, in the order screens list them
ROLE_NAMES = ("front_desk", "billing", "clinical", "manager")
#: the built-in account that system work (CLI, migrations, the demo) is recorded as
SYSTEM_USERNAME = "system"


class User(BaseModel):
    username = CharField(max_length=40, unique=True)
    full_name = CharField(max_length=120)
    role = ForeignKeyField(Role, backref="users", on_delete="RESTRICT")
    password_hash = CharField(max_length=255, default="")  # argon2id PHC string
    active = BooleanField(default=True)
    failed_logins = SmallIntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=dt.datetime.now)
    #: the built-in system account: never signs in, never listed as staff
    system = BooleanField(default=False)
    #: OS login mapped to this account when the practice turns SSH sign-in on
    os_login = CharField(max_length=40, null=True, unique=True)
    password_changed_at = DateTimeField(null=True)
    updated_at = DateTimeField(null=True)
    version = IntegerField(default=1)
