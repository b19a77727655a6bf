"""Patients and what the record holds: insurance, allergies, vitals."""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.staff import User


class Patient(BaseModel):
    mrn = CharField(max_length=20, unique=True)
    first_name = CharField(max_length=60)
    middle_name = CharField(max_length=60, default="")
    last_name = CharField(max_length=60)
    preferred_name = CharField(max_length=60, default="")
    dob = DateField()
    sex = CharField(max_length=1, default="U")  # F, M, X, U
    phone_home = CharField(max_length=20, default="")
    phone_mobile = CharField(max_length=20, default="")
    phone_work = CharField(max_length=20, default="")
    email = CharField(max_length=120, default="")
    address1 = CharField(max_length=120, default="")
    address2 = CharField(max_length=120, default="")
    city = CharField(max_length=60, default="")
    state = CharField(max_length=2, default="")
    zip = CharField(max_length=10, default="")
    preferred_contact = CharField(max_length=10, default="mobile")  # mobile, home, email, mail
    ssn_last4 = CharField(max_length=4, default="")
    notes = TextField(default="")
    active = BooleanField(default=True)
    # search support, kept in step by services.patients
    last_norm = CharField(max_length=60)
    first_norm = CharField(max_length=60)
    phone_last4 = CharField(max_length=4, default="")
    created_at = DateTimeField(default=dt.datetime.now)
    updated_at = DateTimeField(default=dt.datetime.now)
    version = IntegerField(default=1)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = (
            (("last_norm", "first_norm", "id"), False),
            (("first_norm", "last_norm", "id"), False),
            (("dob",), False),
            (("phone_last4",), False),
            (("ssn_last4",), False),
        )


class Payer(BaseModel):
    name = CharField(max_length=120)
    payer_id = CharField(max_length=20, unique=True)  # X12 payer identifier
    claim_filing_indicator = CharField(max_length=2, default="CI")  # SBR09
    timely_filing_days = SmallIntegerField(default=180)
    phone = CharField(max_length=20, default="")
    address1 = CharField(max_length=120, default="")
    city = CharField(max_length=60, default="")
    state = CharField(max_length=2, default="")
    zip = CharField(max_length=10, default="")
    active = BooleanField(default=True)


class Coverage(BaseModel):
    """A patient's insurance: rank 1 primary, 2 secondary, 3 tertiary."""

    patient = ForeignKeyField(Patient, backref="coverages", on_delete="CASCADE")
    payer = ForeignKeyField(Payer, backref="coverages", on_delete="RESTRICT")
    rank = SmallIntegerField(default=1, constraints=[Check("rank BETWEEN 1 AND 3")])
    member_id = CharField(max_length=40)
    group_number = CharField(max_length=40, default="")
    subscriber_first = CharField(max_length=60, default="")
    subscriber_last = CharField(max_length=60, default="")
    subscriber_dob = DateField(null=True)
    relationship = CharField(max_length=10, default="self")  # self, spouse, child, other
    copay_cents = IntegerField(default=0)
    effective_from = DateField(null=True)
    effective_to = DateField(null=True)
    active = BooleanField(default=True)

    class Meta:
        indexes = (
            (("patient", "rank"), False),
            (("member_id",), False),
        )


class Allergy(BaseModel):
    patient = ForeignKeyField(Patient, backref="allergies", on_delete="CASCADE")
    substance = CharField(max_length=120)
    reaction = CharField(max_length=120, default="")
    severity = CharField(max_length=10, default="unknown")  # mild, moderate, severe
    noted_on = DateField(null=True)
    noted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("patient", "active"), False),)


class Vital(BaseModel):
    patient = ForeignKeyField(Patient, backref="vitals", on_delete="CASCADE")
    taken_at = DateTimeField()
    taken_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    systolic = SmallIntegerField(null=True)
    diastolic = SmallIntegerField(null=True)
    pulse = SmallIntegerField(null=True)
    temperature_f = DoubleField(null=True)
    weight_lb = DoubleField(null=True)
    height_in = DoubleField(null=True)

    class Meta:
        indexes = ((("patient", "taken_at"), False),)
