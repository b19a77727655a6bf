"""The fee schedule, claims with their lines, diagnoses and history, payments, adjustments."""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.patients import Coverage, Patient, Payer
from medoffice_tui.db.models.providers import Provider
from medoffice_tui.db.models.schedule import Appointment
from medoffice_tui.db.models.staff import User


class FeeSchedule(BaseModel):
    """The practice's own fee list (CPT descriptions are AMA-licensed: user-entered)."""

    code = CharField(max_length=10)
    code_kind = CharField(max_length=10, default="CPT")  # CPT, HCPCS, custom
    description = CharField(max_length=200, default="")
    fee_cents = IntegerField()
    effective_from = DateField()
    effective_to = DateField(null=True)

    class Meta:
        indexes = ((("code", "effective_from"), True),)


CLAIM_STATUSES = (
    "draft",
    "ready",
    "submitted",
    "rejected_ch",
    "accepted_ch",
    "rejected_payer",
    "pending",
    "paid",
    "partially_paid",
    "denied",
    "appealed",
    "corrected",
    "void",
    "written_off",
    "closed",
)
#: statuses still owed money or work
OPEN_CLAIM_STATUSES = tuple(
    s for s in CLAIM_STATUSES if s not in ("paid", "void", "closed", "written_off")
)


class Claim(BaseModel):
    claim_number = CharField(max_length=20, unique=True)  # CLM01 / CLP01
    patient = ForeignKeyField(Patient, backref="claims", on_delete="RESTRICT")
    provider = ForeignKeyField(Provider, backref="claims", on_delete="RESTRICT")
    payer = ForeignKeyField(Payer, backref="claims", on_delete="RESTRICT")
    coverage = ForeignKeyField(Coverage, null=True, on_delete="SET NULL")
    appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL")
    service_date = DateField()
    place_of_service = CharField(max_length=2, default="11")
    frequency_code = CharField(max_length=1, default="1")  # 1 original, 7 replacement, 8 void
    payer_claim_number = CharField(max_length=40, default="")  # REF*F8 for 7/8
    status = CharField(max_length=16, default="draft")
    total_charge_cents = IntegerField(default=0)
    paid_cents = IntegerField(default=0)
    adjustment_cents = IntegerField(default=0)
    patient_resp_cents = IntegerField(default=0)
    balance_cents = IntegerField(default=0)
    submitted_at = DateTimeField(null=True)
    status_changed_at = DateTimeField(default=dt.datetime.now)
    created_at = DateTimeField(default=dt.datetime.now)
    updated_at = DateTimeField(default=dt.datetime.now)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        constraints = [
            SQL("CHECK (status IN (" + ", ".join(f"'{s}'" for s in CLAIM_STATUSES) + "))"),
        ]
        indexes = (
            (("status", "service_date", "id"), False),
            (("status", "service_date", "balance_cents"), False),  # aging summary (0004)
            (("service_date", "id"), False),
            (("payer", "status"), False),
            (("patient", "service_date"), False),
        )


class ClaimDiagnosis(BaseModel):
    claim = ForeignKeyField(Claim, backref="diagnoses", on_delete="CASCADE")
    seq = SmallIntegerField(constraints=[Check("seq BETWEEN 1 AND 12")])
    code = CharField(max_length=8)  # ICD-10-CM with the dot, e.g. J06.9

    class Meta:
        indexes = ((("claim", "seq"), True),)


class ClaimLine(BaseModel):
    claim = ForeignKeyField(Claim, backref="lines", on_delete="CASCADE")
    line_no = SmallIntegerField()
    procedure_code = CharField(max_length=10)
    modifiers = CharField(max_length=11, default="")  # up to 4, comma-separated
    units = SmallIntegerField(default=1, constraints=[Check("units > 0")])
    charge_cents = IntegerField()
    dx_pointers = CharField(max_length=7, default="1")  # e.g. "1,2"
    service_date = DateField(null=True)

    class Meta:
        indexes = ((("claim", "line_no"), True),)


class ClaimStatusEvent(BaseModel):
    claim = ForeignKeyField(Claim, backref="history", on_delete="CASCADE")
    from_status = CharField(max_length=16, default="")
    to_status = CharField(max_length=16)
    at = DateTimeField(default=dt.datetime.now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("claim", "at"), False),)


class Payment(BaseModel):
    kind = CharField(max_length=10)  # insurance, patient
    claim = ForeignKeyField(Claim, null=True, backref="payments", on_delete="RESTRICT")
    patient = ForeignKeyField(Patient, null=True, backref="payments", on_delete="RESTRICT")
    payer = ForeignKeyField(Payer, null=True, on_delete="RESTRICT")
    amount_cents = IntegerField()
    method = CharField(max_length=10, default="eft")  # eft, check, card, cash
    reference = CharField(max_length=40, default="")  # check / EFT trace number
    received_on = DateField()
    posted_at = DateTimeField(default=dt.datetime.now)
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("claim",), False), (("received_on",), False))


class Adjustment(BaseModel):
    claim = ForeignKeyField(Claim, backref="adjustments", on_delete="RESTRICT")
    claim_line = ForeignKeyField(ClaimLine, null=True, on_delete="SET NULL")
    payment = ForeignKeyField(Payment, null=True, backref="adjustments", on_delete="SET NULL")
    group_code = CharField(max_length=2)  # CO, PR, OA, PI
    carc = CharField(max_length=5)  # claim adjustment reason code
    amount_cents = IntegerField()
    note = CharField(max_length=200, default="")
    posted_at = DateTimeField(default=dt.datetime.now)

    class Meta:
        indexes = ((("claim",), False),)
