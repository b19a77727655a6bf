"""Schema version 10: claims files (X12 837P out; 835, 999, 277CA in; 270/271 eligibility).

New tables only (no existing table changes, no row touched):

- x12_partner: the clearinghouse's ids and the last interchange (ISA13) and group (GS06)
  control numbers, so every file gets the next one, unique and increasing;
- x12_file: every file written or read (kind, name, SHA-256, control numbers, who, when):
  a file read twice is found by its hash;
- x12_submission: which claim went out in which file, transaction set and segment span;
- claim_ack: what a 999 or 277CA said about a claim;
- remittance, remit_claim, plb_adjustment: an 835's checks/EFTs, each claim payment and
  what became of it, and provider-level adjustments (against the remittance);
- eligibility_check: a 270 question per coverage and its 271 answer.
"""

from peewee import *  # noqa: F403 (frozen migration)


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Claim(Model):
        class Meta:
            database = db
            table_name = "claim"

    class Payment(Model):
        class Meta:
            database = db
            table_name = "payment"

    class Payer(Model):
        class Meta:
            database = db
            table_name = "payer"

    class Coverage(Model):
        class Meta:
            database = db
            table_name = "coverage"

    class Appointment(Model):
        class Meta:
            database = db
            table_name = "appointment"

    class X12Partner(Model):
        sender_qualifier = CharField(max_length=2, default="ZZ")
        sender_id = CharField(max_length=15)
        receiver_qualifier = CharField(max_length=2, default="ZZ")
        receiver_id = CharField(max_length=15)
        receiver_name = CharField(max_length=60)
        usage = CharField(max_length=1, default="T")
        contact_name = CharField(max_length=60, default="")
        contact_phone = CharField(max_length=20, default="")
        last_interchange = BigIntegerField(default=0)
        last_group = BigIntegerField(default=0)
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "x12_partner"

    class X12File(Model):
        direction = CharField(max_length=3)
        kind = CharField(max_length=5)
        name = CharField(max_length=255)
        sha256 = CharField(max_length=64)
        interchange = CharField(max_length=9, default="")
        group_control = CharField(max_length=9, default="")
        sender_id = CharField(max_length=15, default="")
        receiver_id = CharField(max_length=15, default="")
        claims = IntegerField(default=0)
        status = CharField(max_length=8, default="done")
        resend = BooleanField(default=False)
        note = CharField(max_length=200, default="")
        at = DateTimeField()
        by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "x12_file"
            indexes = (
                (("direction", "sha256"), True),
                (("direction", "kind", "group_control"), False),
                (("at",), False),
            )

    class X12Submission(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        file = ForeignKeyField(X12File, on_delete="CASCADE")
        st_control = CharField(max_length=9)
        first_segment = IntegerField()
        last_segment = IntegerField()
        resend = BooleanField(default=False)
        rejected = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "x12_submission"
            indexes = (
                (("claim", "file"), True),
                (("file", "st_control", "first_segment"), False),
            )

    class ClaimAck(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        file = ForeignKeyField(X12File, on_delete="CASCADE")
        kind = CharField(max_length=5)
        accepted = BooleanField()
        codes = CharField(max_length=60, default="")
        reason = CharField(max_length=300, default="")
        at = DateTimeField()

        class Meta:
            database = db
            table_name = "claim_ack"
            indexes = ((("claim", "at"), False),)

    class Remittance(Model):
        file = ForeignKeyField(X12File, on_delete="CASCADE")
        st_control = CharField(max_length=9)
        key = CharField(max_length=120, unique=True)
        payer = ForeignKeyField(Payer, null=True, on_delete="SET NULL")
        payer_name = CharField(max_length=60, default="")
        payer_ident = CharField(max_length=50, default="")
        trace_number = CharField(max_length=50, default="")
        method = CharField(max_length=3, default="")
        paid_cents = BigIntegerField(default=0)
        paid_on = DateField(null=True)
        claims_cents = BigIntegerField(default=0)
        posted_cents = BigIntegerField(default=0)
        plb_cents = BigIntegerField(default=0)
        status = CharField(max_length=8, default="posting")
        at = DateTimeField()

        class Meta:
            database = db
            table_name = "remittance"

    class RemitClaim(Model):
        remittance = ForeignKeyField(Remittance, on_delete="CASCADE")
        seq = IntegerField()
        segment = IntegerField(default=0)
        patient_control = CharField(max_length=38)
        payer_claim_number = CharField(max_length=50, default="")
        status_code = CharField(max_length=2)
        charge_cents = BigIntegerField(default=0)
        paid_cents = BigIntegerField(default=0)
        patient_resp_cents = BigIntegerField(default=0)
        claim = ForeignKeyField(Claim, null=True, on_delete="SET NULL")
        payment = ForeignKeyField(Payment, null=True, on_delete="SET NULL")
        outcome = CharField(max_length=9, default="pending")
        reason = CharField(max_length=300, default="")

        class Meta:
            database = db
            table_name = "remit_claim"
            indexes = (
                (("remittance", "seq"), True),
                (("claim",), False),
            )

    class PlbAdjustment(Model):
        remittance = ForeignKeyField(Remittance, on_delete="CASCADE")
        provider_ident = CharField(max_length=50, default="")
        fiscal_period = DateField(null=True)
        reason = CharField(max_length=2)
        reference = CharField(max_length=50, default="")
        amount_cents = BigIntegerField()

        class Meta:
            database = db
            table_name = "plb_adjustment"
            indexes = ((("remittance",), False),)

    class EligibilityCheck(Model):
        coverage = ForeignKeyField(Coverage, on_delete="CASCADE")
        appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL")
        asked_file = ForeignKeyField(X12File, null=True, on_delete="SET NULL")
        trace = CharField(max_length=30, unique=True)
        for_day = DateField()
        asked_at = DateTimeField()
        answered_file = ForeignKeyField(X12File, null=True, on_delete="SET NULL")
        answered_at = DateTimeField(null=True)
        status = CharField(max_length=8, default="")
        plan = CharField(max_length=60, default="")
        copay_cents = IntegerField(null=True)
        deductible_left_cents = IntegerField(null=True)
        message = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "eligibility_check"
            indexes = ((("coverage", "asked_at"), False),)

    db.create_tables([X12Partner, X12File, X12Submission, ClaimAck, Remittance, RemitClaim,
                      PlbAdjustment, EligibilityCheck])  # fmt: skip


def down(migrator, db):
    for table in ("eligibility_check", "plb_adjustment", "remit_claim", "remittance",
                  "claim_ack", "x12_submission", "x12_file", "x12_partner"):  # fmt: skip
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
