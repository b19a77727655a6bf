"""Claims files: the X12 interchanges the practice sends (837P, 270) and reads (835, 999,
277CA, 271), and what each one did.

- ``X12Partner``: the one clearinghouse the practice exchanges files with, its ids, and
  the interchange / group control numbers last used (kept here so every file gets the
  next one, unique and increasing, however many desks export at once).
- ``X12File``: one row per file written or read (kind, name, SHA-256, control numbers,
  who, when, what it did). A file read twice is found by its hash and does nothing the
  second time.
- ``X12Submission``: which claim went out in which file, in which transaction set, and
  between which segment positions (so a 999 that names a segment names the claim).
- ``ClaimAck``: what a 999 or 277CA said about a claim (accepted / rejected, the codes
  and their plain words), for the list of rejected claims to fix and resend.
- ``Remittance``, ``RemitClaim``, ``PlbAdjustment``: an 835 transaction set (one check
  or EFT), each claim payment in it with what became of it (posted, not matched and
  why), and the provider-level adjustments that belong to the remittance, not a claim.
- ``EligibilityCheck``: one 270 question about one coverage and the 271 answer to it.

Money is integer cents.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.billing import Claim, Payment
from medoffice_tui.db.models.patients import Coverage, Payer
from medoffice_tui.db.models.schedule import Appointment
from medoffice_tui.db.models.staff import User

#: what a file is
X12_FILE_KINDS = ("837P", "835", "999", "277CA", "270", "271")
#: what became of one claim payment of an 835
REMIT_OUTCOMES = ("pending", "posted", "reversed", "unmatched", "refused", "info")


class X12Partner(BaseModel):
    """The clearinghouse (one row): who the practice is to it, and the last control numbers."""

    sender_qualifier = CharField(max_length=2, default="ZZ")  # ISA05
    sender_id = CharField(max_length=15)  # ISA06 / GS02 / 1000A submitter id
    receiver_qualifier = CharField(max_length=2, default="ZZ")  # ISA07
    receiver_id = CharField(max_length=15)  # ISA08 / GS03 / 1000B receiver id
    receiver_name = CharField(max_length=60)
    usage = CharField(max_length=1, default="T")  # ISA15: T test, P production
    contact_name = CharField(max_length=60, default="")
    contact_phone = CharField(max_length=20, default="")
    last_interchange = BigIntegerField(default=0)  # ISA13
    last_group = BigIntegerField(default=0)  # GS06
    updated_at = DateTimeField(default=dt.datetime.now)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "x12_partner"


class X12File(BaseModel):
    """A file written (``out``) or read (``in``)."""

    direction = CharField(max_length=3)  # out, in
    kind = CharField(max_length=5)  # X12_FILE_KINDS
    name = CharField(max_length=255)
    sha256 = CharField(max_length=64)
    interchange = CharField(max_length=9, default="")  # ISA13
    group_control = CharField(max_length=9, default="")  # GS06
    sender_id = CharField(max_length=15, default="")
    receiver_id = CharField(max_length=15, default="")
    claims = IntegerField(default=0)
    #: writing / done (out); posting / done (in)
    status = CharField(max_length=8, default="done")
    resend = BooleanField(default=False)
    note = CharField(max_length=200, default="")
    at = DateTimeField(default=dt.datetime.now)
    by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "x12_file"
        indexes = (
            (("direction", "sha256"), True),
            (("direction", "kind", "group_control"), False),
            (("at",), False),
        )


class X12Submission(BaseModel):
    """One claim in one 837P file: its transaction set and segment span."""

    claim = ForeignKeyField(Claim, backref="+", on_delete="CASCADE")
    file = ForeignKeyField(X12File, backref="submissions", on_delete="CASCADE")
    st_control = CharField(max_length=9)  # ST02
    first_segment = IntegerField()  # position in the transaction set, ST = 1
    last_segment = IntegerField()
    resend = BooleanField(default=False)
    #: set when a 999/277CA rejected this sending (it may then go out again as new)
    rejected = BooleanField(default=False)

    class Meta:
        table_name = "x12_submission"
        indexes = (
            (("claim", "file"), True),
            (("file", "st_control", "first_segment"), False),
        )


class ClaimAck(BaseModel):
    """What a 999 or 277CA said about one claim."""

    claim = ForeignKeyField(Claim, backref="+", on_delete="CASCADE")
    file = ForeignKeyField(X12File, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=5)  # 999, 277CA
    accepted = BooleanField()
    codes = CharField(max_length=60, default="")  # e.g. "A7:562:85" or "IK5 R, IK3 NM1 8"
    reason = CharField(max_length=300, default="")
    at = DateTimeField(default=dt.datetime.now)

    class Meta:
        table_name = "claim_ack"
        indexes = ((("claim", "at"), False),)


class Remittance(BaseModel):
    """One 835 transaction set: one check or EFT from one payer."""

    file = ForeignKeyField(X12File, backref="remittances", on_delete="CASCADE")
    st_control = CharField(max_length=9)
    #: payer id (TRN03) + trace (TRN02) + amount + date: the same remittance read again
    #: from another file is found by it and posted once
    key = CharField(max_length=120, unique=True)
    payer = ForeignKeyField(Payer, null=True, on_delete="SET NULL", backref="+")
    payer_name = CharField(max_length=60, default="")
    payer_ident = CharField(max_length=50, default="")  # TRN03 (or N1*PR id)
    trace_number = CharField(max_length=50, default="")  # TRN02: check / EFT number
    method = CharField(max_length=3, default="")  # BPR04: ACH, CHK, NON ...
    paid_cents = BigIntegerField(default=0)  # BPR02
    paid_on = DateField(null=True)  # BPR16
    claims_cents = BigIntegerField(default=0)  # sum of CLP04 in the file
    posted_cents = BigIntegerField(default=0)  # sum of CLP04 of the claims posted
    plb_cents = BigIntegerField(default=0)  # sum of PLB amounts
    status = CharField(max_length=8, default="posting")  # posting, done
    at = DateTimeField(default=dt.datetime.now)

    class Meta:
        table_name = "remittance"


class RemitClaim(BaseModel):
    """One CLP of an 835 and what became of it."""

    remittance = ForeignKeyField(Remittance, backref="claims", on_delete="CASCADE")
    seq = IntegerField()  # its order in the transaction set
    segment = IntegerField(default=0)  # the CLP's segment number in the file
    patient_control = CharField(max_length=38)  # CLP01
    payer_claim_number = CharField(max_length=50, default="")  # CLP07
    status_code = CharField(max_length=2)  # CLP02
    charge_cents = BigIntegerField(default=0)  # CLP03
    paid_cents = BigIntegerField(default=0)  # CLP04
    patient_resp_cents = BigIntegerField(default=0)  # CLP05
    claim = ForeignKeyField(Claim, null=True, on_delete="SET NULL", backref="+")
    payment = ForeignKeyField(Payment, null=True, on_delete="SET NULL", backref="+")
    outcome = CharField(max_length=9, default="pending")  # REMIT_OUTCOMES
    reason = CharField(max_length=300, default="")

    class Meta:
        table_name = "remit_claim"
        indexes = (
            (("remittance", "seq"), True),
            (("claim",), False),
        )


class PlbAdjustment(BaseModel):
    """A provider-level adjustment (PLB): against the remittance, never a claim."""

    remittance = ForeignKeyField(Remittance, backref="plb", on_delete="CASCADE")
    provider_ident = CharField(max_length=50, default="")  # PLB01
    fiscal_period = DateField(null=True)  # PLB02
    reason = CharField(max_length=2)  # PLB03-1: WO, L6, FB, 72 ...
    reference = CharField(max_length=50, default="")  # PLB03-2
    amount_cents = BigIntegerField()  # positive: taken back from the payment

    class Meta:
        table_name = "plb_adjustment"
        indexes = ((("remittance",), False),)


class EligibilityCheck(BaseModel):
    """A 270 question about one coverage, and the 271 answer once it is read."""

    coverage = ForeignKeyField(Coverage, backref="+", on_delete="CASCADE")
    appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL", backref="+")
    asked_file = ForeignKeyField(X12File, null=True, on_delete="SET NULL", backref="+")
    trace = CharField(max_length=30, unique=True)  # TRN02 we sent, echoed in the 271
    for_day = DateField()  # the date of service asked about
    asked_at = DateTimeField(default=dt.datetime.now)
    answered_file = ForeignKeyField(X12File, null=True, on_delete="SET NULL", backref="+")
    answered_at = DateTimeField(null=True)
    #: "" (no answer yet), active, inactive, error
    status = CharField(max_length=8, default="")
    plan = CharField(max_length=60, default="")
    copay_cents = IntegerField(null=True)
    deductible_left_cents = IntegerField(null=True)
    message = CharField(max_length=200, default="")

    class Meta:
        table_name = "eligibility_check"
        indexes = ((("coverage", "asked_at"), False),)


__all__ = [
    "REMIT_OUTCOMES",
    "X12_FILE_KINDS",
    "ClaimAck",
    "EligibilityCheck",
    "PlbAdjustment",
    "RemitClaim",
    "Remittance",
    "X12File",
    "X12Partner",
    "X12Submission",
]
