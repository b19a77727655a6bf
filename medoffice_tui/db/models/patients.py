"""Patients and what the record holds: insurance, allergies, vitals, notes; and the
name vocabulary the typo-tolerant search looks names up in.

A patient's record is edited in sections (demographics, insurance, allergies), each
with its own version, so two desks editing different sections never block each other:
``Patient.version`` guards the demographics, ``coverage_version`` the set of coverages
(each ``Coverage`` row has its own ``version`` too), ``allergy_version`` the allergy
list and its "no known allergies" state. Vitals and notes are only ever added.
"""

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

#: allergy_status: not asked yet, "no known allergies" (NKA) recorded, or a list on file
ALLERGY_STATUSES = ("unknown", "nka", "listed")


class Patient(BaseModel):
    mrn = CharField(max_length=20, unique=True)
    first_name = CharField(max_length=60)
    middle_name = CharField(max_length=60, default="")
    last_name = CharField(max_length=60)
    suffix = CharField(max_length=10, default="")  # Jr, Sr, III
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
    preferred_contact = CharField(
        max_length=10, default="mobile"
    )  # mobile, home, work, email, mail
    preferred_language = CharField(max_length=40, default="")
    emergency_name = CharField(max_length=120, default="")
    emergency_relationship = CharField(max_length=30, default="")
    emergency_phone = CharField(max_length=20, default="")
    ssn_last4 = CharField(max_length=4, default="")
    #: before schema 7 the record had one free-text note; 0007 moved it to PatientNote
    notes = TextField(default="")
    active = BooleanField(default=True)
    # search support, kept in step by services.patients
    last_norm = CharField(max_length=60)
    first_norm = CharField(max_length=60)
    phone_last4 = CharField(max_length=4, default="")
    #: the id this patient had in the system an import came from (e.g. Synthea's Id)
    external_id = CharField(max_length=64, default="")
    allergy_status = CharField(max_length=8, default="unknown")
    allergy_reviewed_on = DateField(null=True)
    #: a merged duplicate points at the record it was merged into (and is inactive)
    merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    merged_at = DateTimeField(null=True)
    created_at = DateTimeField(default=dt.datetime.now)
    updated_at = DateTimeField(default=dt.datetime.now)
    version = IntegerField(default=1)
    coverage_version = IntegerField(default=1)
    allergy_version = IntegerField(default=1)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = (
            (("last_norm", "first_norm", "id"), False),
            (("first_norm", "last_norm", "id"), False),
            (("dob",), False),
            (("phone_last4",), False),
            # the duplicate check: any phone of a new record against any phone on file
            (("phone_mobile",), False),
            (("phone_home",), False),
            (("phone_work",), False),
            (("ssn_last4",), False),
            (("external_id",), False),
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

    patient = ForeignKeyField(Patient, backref="coverages", on_delete="CASCADE", index=False)
    payer = ForeignKeyField(Payer, backref="coverages", on_delete="RESTRICT")
    rank = SmallIntegerField(default=1, constraints=[Check("rank BETWEEN 1 AND 3")])
    member_id = CharField(max_length=40)
    group_number = CharField(max_length=40, default="")
    subscriber_first = CharField(max_length=60, default="")
    subscriber_last = CharField(max_length=60, default="")
    subscriber_dob = DateField(null=True)
    subscriber_sex = CharField(max_length=1, default="")
    relationship = CharField(max_length=10, default="self")  # self, spouse, child, other
    copay_cents = IntegerField(default=0)
    effective_from = DateField(null=True)
    effective_to = DateField(null=True)
    eligibility_checked_on = DateField(null=True)
    active = BooleanField(default=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

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
    version = IntegerField(default=1)
    updated_at = DateTimeField(null=True)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

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


class PatientNote(BaseModel):
    """A dated note on the record (who wrote it, when); notes are added, never edited."""

    patient = ForeignKeyField(Patient, backref="patient_notes", on_delete="CASCADE")
    text = TextField()
    created_at = DateTimeField(default=dt.datetime.now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "patient_note"
        indexes = ((("patient", "created_at"), False),)


class NameWord(BaseModel):
    """One distinct name part as stored in ``last_norm`` / ``first_norm`` ("smith",
    "de la cruz"), with its sound-alike key. The typo-tolerant search looks query words
    up here (a few thousand rows even at a million patients), never in ``patient``."""

    text = CharField(max_length=60, unique=True)
    sound = CharField(max_length=16, default="")

    class Meta:
        table_name = "name_word"
        indexes = ((("sound",), False),)


class NameKey(BaseModel):
    """A spelling key of a name word: the word with one letter deleted (and the word
    itself): two spellings one typo apart share one (symmetric delete)."""

    key = CharField(max_length=30)
    word = ForeignKeyField(NameWord, backref="keys", on_delete="CASCADE")

    class Meta:
        table_name = "name_key"
        indexes = ((("key", "word"), True),)
