"""The fee schedule, claims with their lines, diagnoses and history, payments, adjustments,
the code sets claims are checked against, and the claims summary kept by the write path.

Money on a line (``ClaimLine``): once the payer has adjudicated it, charge = paid +
contractual (CO) + patient responsibility (PR) + other adjustments (OA/PI); the line's
balance is charge - paid - CO - OA - patient payments - write-offs.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
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
    patient = ForeignKeyField(Patient, backref="claims", on_delete="RESTRICT", index=False)
    provider = ForeignKeyField(Provider, backref="claims", on_delete="RESTRICT")
    payer = ForeignKeyField(Payer, backref="claims", on_delete="RESTRICT", index=False)
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
    # 0009: who works it, when to look again, who bills, the payer's order, prior auth
    assignee = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+", index=False)
    follow_up_on = DateField(null=True)
    #: the billing provider when it is one provider (solo); None = the practice (group NPI)
    billing_provider = ForeignKeyField(Provider, null=True, on_delete="RESTRICT", backref="+")
    prior_auth_number = CharField(max_length=30, default="")
    payer_seq = CharField(max_length=1, default="P")  # SBR01: P primary, S secondary, T
    #: the claim this one follows: the primary claim of a secondary, the original of a 7/8
    prior_claim = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        constraints = [
            SQL("CHECK (status IN (" + ", ".join(f"'{s}'" for s in CLAIM_STATUSES) + "))"),
        ]
        indexes = (
            (("status", "service_date", "id"), False),
            (("status", "service_date", "balance_cents"), False),  # aging summary (0004)
            (("service_date", "id"), False),
            (("patient", "service_date"), False),
            # the work queue's sorts and filters, each an index range per status (0009)
            (("status", "balance_cents", "id"), False),
            (("payer", "status", "service_date", "id"), False),
            (("assignee", "status", "service_date", "id"), False),
            # most urgent first with an owner filter: each payer's range (0014)
            (("payer", "status", "assignee", "service_date", "id"), False),
            (("status", "follow_up_on", "id"), False),
        )


class ClaimDiagnosis(BaseModel):
    claim = ForeignKeyField(Claim, backref="diagnoses", on_delete="CASCADE", index=False)
    seq = SmallIntegerField(constraints=[Check("seq BETWEEN 1 AND 12")])
    code = CharField(max_length=8)  # ICD-10-CM with the dot, e.g. J06.9

    class Meta:
        indexes = ((("claim", "seq"), True),)


class ClaimLine(BaseModel):
    claim = ForeignKeyField(Claim, backref="lines", on_delete="CASCADE", index=False)
    line_no = SmallIntegerField()
    procedure_code = CharField(max_length=10)
    modifiers = CharField(max_length=11, default="")  # up to 4, comma-separated
    units = SmallIntegerField(default=1, constraints=[Check("units > 0")])
    charge_cents = IntegerField()
    dx_pointers = CharField(max_length=7, default="1")  # e.g. "1,2"
    service_date = DateField(null=True)
    # 0009: what the payer decided and what was paid, per line
    description = CharField(max_length=80, default="")
    allowed_cents = IntegerField(default=0)
    paid_cents = IntegerField(default=0)  # by the payer
    co_cents = IntegerField(default=0)  # contractual adjustments
    pr_cents = IntegerField(default=0)  # patient responsibility (copay + coinsurance + deductible)
    oa_cents = IntegerField(default=0)  # other and payer-initiated adjustments (OA, PI)
    patient_paid_cents = IntegerField(default=0)
    write_off_cents = IntegerField(default=0)
    adjudicated = BooleanField(default=False)

    class Meta:
        indexes = ((("claim", "line_no"), True),)


class ClaimStatusEvent(BaseModel):
    claim = ForeignKeyField(Claim, backref="history", on_delete="CASCADE", index=False)
    from_status = CharField(max_length=16, default="")
    to_status = CharField(max_length=16)
    at = DateTimeField(default=dt.datetime.now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = CharField(max_length=200, default="")
    #: status, note, assign, follow_up, charges, payment, adjustment (0009)
    kind = CharField(max_length=12, default="status")

    class Meta:
        indexes = ((("claim", "at"), False),)


class Payment(BaseModel):
    kind = CharField(max_length=10)  # insurance, patient
    claim = ForeignKeyField(Claim, null=True, backref="payments", on_delete="RESTRICT")
    patient = ForeignKeyField(
        Patient, null=True, backref="payments", on_delete="RESTRICT", index=False
    )
    payer = ForeignKeyField(Payer, null=True, on_delete="RESTRICT")
    amount_cents = IntegerField()
    method = CharField(max_length=10, default="eft")  # eft, check, card, cash
    reference = CharField(max_length=40, default="")  # check / EFT trace number
    received_on = DateField()
    posted_at = DateTimeField(default=dt.datetime.now)
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    #: a patient's money beyond what they owed: held as a credit on their account (0009)
    unapplied_cents = IntegerField(default=0)

    class Meta:
        indexes = (
            (("claim",), False),
            (("received_on",), False),
            (("patient", "unapplied_cents"), False),
        )


class Adjustment(BaseModel):
    claim = ForeignKeyField(Claim, backref="adjustments", on_delete="RESTRICT")
    claim_line = ForeignKeyField(ClaimLine, null=True, on_delete="SET NULL")
    payment = ForeignKeyField(Payment, null=True, backref="adjustments", on_delete="SET NULL")
    group_code = CharField(max_length=2)  # CO, PR, OA, PI; WO = the practice's write-off
    carc = CharField(max_length=5)  # claim adjustment reason code
    amount_cents = IntegerField()
    note = CharField(max_length=200, default="")
    posted_at = DateTimeField(default=dt.datetime.now)
    rarc = CharField(max_length=8, default="")  # remark code (0009)
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("claim",), False),)


class PaymentAllocation(BaseModel):
    """How much of one payment went to one claim line (a check pays many claims)."""

    payment = ForeignKeyField(Payment, backref="allocations", on_delete="CASCADE")
    claim = ForeignKeyField(Claim, backref="allocations", on_delete="RESTRICT")
    claim_line = ForeignKeyField(ClaimLine, null=True, on_delete="SET NULL")
    amount_cents = IntegerField()

    class Meta:
        indexes = ((("claim",), False), (("payment",), False))


class PayerRule(BaseModel):
    """What one payer asks of a claim beyond the 837P itself."""

    payer = ForeignKeyField(Payer, unique=True, backref="+", on_delete="CASCADE")
    prior_auth_required = BooleanField(default=False)
    appeal_days = SmallIntegerField(default=120)


#: the summary key's date for claims no longer open (their age no longer matters)
SETTLED_DAY = dt.date(1900, 1, 1)


class ClaimSummary(BaseModel):
    """Claims and open balance per (status, date of service), kept in the same transaction
    as every change by ``services/claims/summaries.py``: the queue's summary lines read a
    few hundred of these rows instead of every claim. Closed statuses share one day."""

    status = CharField(max_length=16)
    service_date = DateField()
    claims = IntegerField(default=0)
    balance_cents = BigIntegerField(default=0)
    charge_cents = BigIntegerField(default=0)

    class Meta:
        indexes = ((("status", "service_date"), True),)


class CodeSetRelease(BaseModel):
    """Which release of a code set is loaded: ICD-10-CM, HCPCS, CARC/RARC."""

    code_set = CharField(max_length=16, unique=True)  # icd10cm, hcpcs, carc_rarc
    release = CharField(max_length=60)
    loaded_at = DateTimeField(default=dt.datetime.now)
    codes = IntegerField(default=0)
    source = CharField(max_length=200, default="")


class DxCode(BaseModel):
    """ICD-10-CM categories and subcategories; only billable (leaf) codes go on a claim."""

    code = CharField(max_length=8, unique=True)  # with the dot: J06.9
    billable = BooleanField(default=False)
    description = CharField(max_length=250)
    release = CharField(max_length=60, default="")


class DxWord(BaseModel):
    """Each word of each code's description, for lookup by words as they are typed."""

    word = CharField(max_length=30)
    code = CharField(max_length=8)

    class Meta:
        indexes = ((("word", "code"), True),)


class HcpcsCode(BaseModel):
    """HCPCS Level II codes and modifiers from the CMS Alpha-Numeric file."""

    code = CharField(max_length=5, unique=True)
    is_modifier = BooleanField(default=False)
    short_description = CharField(max_length=40, default="")
    description = TextField(default="")
    added_on = DateField(null=True)
    terminated_on = DateField(null=True)
    release = CharField(max_length=60, default="")


class ReasonCode(BaseModel):
    """Claim adjustment reason codes (CARC) and remark codes (RARC), in plain words."""

    kind = CharField(max_length=4)  # CARC, RARC
    code = CharField(max_length=8)
    text = CharField(max_length=300)

    class Meta:
        indexes = ((("kind", "code"), True),)
