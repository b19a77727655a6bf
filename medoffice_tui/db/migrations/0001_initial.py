"""Schema version 1: every table of the practice (a frozen copy of the models at v1).

Generated with playhouse.migrations.template, then the CHECK constraints added by hand.
Never edit this file once released: add a new numbered migration instead.
"""

# Generated from a schema diff on 2026-11-23 11:52.
import datetime

from peewee import *  # noqa: F403 (frozen migration)


def up(migrator, db):
    class Patient(Model):
        mrn = CharField(unique=True, max_length=20)
        first_name = CharField(max_length=60)
        middle_name = CharField(max_length=60, default="")
        last_name = CharField(max_length=60)
        preferred_name = CharField(max_length=60, default="")
        dob = DateField()
        sex = CharField(max_length=1, default="U")
        phone_home = CharField(max_length=20, default="")
        phone_mobile = CharField(max_length=20, default="")
        phone_work = CharField(max_length=20, default="")
        email = CharField(max_length=120, default="")
        address1 = CharField(max_length=120, default="")
        address2 = CharField(max_length=120, default="")
        city = CharField(max_length=60, default="")
        state = CharField(max_length=2, default="")
        zip = CharField(max_length=10, default="")
        preferred_contact = CharField(max_length=10, default="mobile")
        ssn_last4 = CharField(max_length=4, default="")
        notes = TextField(default="")
        active = BooleanField(default=True)
        last_norm = CharField(max_length=60)
        first_norm = CharField(max_length=60)
        phone_last4 = CharField(max_length=4, default="")
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "patient"
            indexes = (
                (("last_norm", "first_norm", "id"), False),
                (("first_norm", "last_norm", "id"), False),
                (("dob",), False),
                (("phone_last4",), False),
                (("ssn_last4",), False),
            )

    db.create_tables([Patient])

    class Provider(Model):
        first_name = CharField(max_length=60)
        last_name = CharField(max_length=60)
        credential = CharField(max_length=20, default="")
        npi = CharField(unique=True, max_length=10)
        taxonomy = CharField(max_length=10, default="")
        color = CharField(max_length=20, default="")
        sort_order = SmallIntegerField(default=0)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "provider"
            indexes = ((("active", "sort_order"), False),)

    db.create_tables([Provider])

    class Payer(Model):
        name = CharField(max_length=120)
        payer_id = CharField(unique=True, max_length=20)
        claim_filing_indicator = CharField(max_length=2, default="CI")
        timely_filing_days = SmallIntegerField(default=180)
        phone = CharField(max_length=20, default="")
        address1 = CharField(max_length=120, default="")
        city = CharField(max_length=60, default="")
        state = CharField(max_length=2, default="")
        zip = CharField(max_length=10, default="")
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "payer"

    db.create_tables([Payer])

    class Coverage(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        payer = ForeignKeyField(Payer, on_delete="RESTRICT")
        rank = SmallIntegerField(default=1, constraints=[Check("rank BETWEEN 1 AND 3")])
        member_id = CharField(max_length=40)
        group_number = CharField(max_length=40, default="")
        subscriber_first = CharField(max_length=60, default="")
        subscriber_last = CharField(max_length=60, default="")
        subscriber_dob = DateField(null=True)
        relationship = CharField(max_length=10, default="self")
        copay_cents = IntegerField(default=0)
        effective_from = DateField(null=True)
        effective_to = DateField(null=True)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "coverage"
            indexes = ((("patient", "rank"), False), (("member_id",), False))

    db.create_tables([Coverage])

    class AppointmentType(Model):
        name = CharField(unique=True, max_length=60)
        default_minutes = SmallIntegerField(default=15)
        color = CharField(max_length=20, default="")
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "appointment_type"

    db.create_tables([AppointmentType])

    class Role(Model):
        name = CharField(unique=True, max_length=40)
        description = CharField(max_length=200, default="")
        permissions = TextField(default="")

        class Meta:
            database = db
            table_name = "role"

    db.create_tables([Role])

    class User(Model):
        username = CharField(unique=True, max_length=40)
        full_name = CharField(max_length=120)
        role = ForeignKeyField(Role, on_delete="RESTRICT")
        password_hash = CharField(default="")
        active = BooleanField(default=True)
        failed_logins = SmallIntegerField(default=0)
        locked_until = DateTimeField(null=True)
        last_login_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])

    class RecurringSeries(Model):
        rrule = CharField(max_length=200)
        created_at = DateTimeField(default=datetime.datetime.now)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "recurring_series"

    db.create_tables([RecurringSeries])

    class Appointment(Model):
        patient = ForeignKeyField(Patient, on_delete="RESTRICT")
        provider = ForeignKeyField(Provider, on_delete="RESTRICT")
        appt_type = ForeignKeyField(AppointmentType, null=True, on_delete="SET NULL")
        start = DateTimeField()
        end = DateTimeField()
        reason = CharField(max_length=200, default="")
        status = CharField(max_length=12, default="booked")
        booked_at = DateTimeField(default=datetime.datetime.now)
        confirmed_at = DateTimeField(null=True)
        arrived_at = DateTimeField(null=True)
        roomed_at = DateTimeField(null=True)
        completed_at = DateTimeField(null=True)
        cancelled_at = DateTimeField(null=True)
        cancel_reason = CharField(max_length=200, default="")
        no_show_at = DateTimeField(null=True)
        series = ForeignKeyField(RecurringSeries, null=True, on_delete="SET NULL")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        updated_at = DateTimeField(default=datetime.datetime.now)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "appointment"
            constraints = [
                SQL('CHECK ("end" > "start")'),
                SQL(
                    "CHECK (status IN ('booked', 'confirmed', 'arrived', 'roomed', 'completed', 'cancelled', 'no_show'))"
                ),
            ]
            indexes = (
                (("provider", "start"), False),
                (("patient", "start"), False),
                (("start",), False),
            )

    db.create_tables([Appointment])

    class Claim(Model):
        claim_number = CharField(unique=True, max_length=20)
        patient = ForeignKeyField(Patient, on_delete="RESTRICT")
        provider = ForeignKeyField(Provider, on_delete="RESTRICT")
        payer = ForeignKeyField(Payer, on_delete="RESTRICT")
        coverage = ForeignKeyField(Coverage, null=True, on_delete="SET NULL")
        appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL")
        service_date = DateField()
        place_of_service = CharField(max_length=2, default="11")
        frequency_code = CharField(max_length=1, default="1")
        payer_claim_number = CharField(max_length=40, default="")
        status = CharField(max_length=16, default="draft")
        total_charge_cents = IntegerField(default=0)
        paid_cents = IntegerField(default=0)
        adjustment_cents = IntegerField(default=0)
        patient_resp_cents = IntegerField(default=0)
        balance_cents = IntegerField(default=0)
        submitted_at = DateTimeField(null=True)
        status_changed_at = DateTimeField(default=datetime.datetime.now)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "claim"
            constraints = [
                SQL(
                    "CHECK (status IN ('draft', 'ready', 'submitted', 'rejected_ch', 'accepted_ch', 'rejected_payer', 'pending', 'paid', 'partially_paid', 'denied', 'appealed', 'corrected', 'void', 'written_off', 'closed'))"
                )
            ]
            indexes = (
                (("status", "service_date", "id"), False),
                (("service_date", "id"), False),
                (("payer", "status"), False),
                (("patient", "service_date"), False),
            )

    db.create_tables([Claim])

    class ClaimLine(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        line_no = SmallIntegerField()
        procedure_code = CharField(max_length=10)
        modifiers = CharField(max_length=11, default="")
        units = SmallIntegerField(default=1, constraints=[Check("units > 0")])
        charge_cents = IntegerField()
        dx_pointers = CharField(max_length=7, default="1")
        service_date = DateField(null=True)

        class Meta:
            database = db
            table_name = "claim_line"
            indexes = ((("claim", "line_no"), True),)

    db.create_tables([ClaimLine])

    class Payment(Model):
        kind = CharField(max_length=10)
        claim = ForeignKeyField(Claim, null=True, on_delete="RESTRICT")
        patient = ForeignKeyField(Patient, null=True, on_delete="RESTRICT")
        payer = ForeignKeyField(Payer, null=True, on_delete="RESTRICT")
        amount_cents = IntegerField()
        method = CharField(max_length=10, default="eft")
        reference = CharField(max_length=40, default="")
        received_on = DateField()
        posted_at = DateTimeField(default=datetime.datetime.now)
        posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "payment"
            indexes = ((("claim",), False), (("received_on",), False))

    db.create_tables([Payment])

    class Adjustment(Model):
        claim = ForeignKeyField(Claim, on_delete="RESTRICT")
        claim_line = ForeignKeyField(ClaimLine, null=True, on_delete="SET NULL")
        payment = ForeignKeyField(Payment, null=True, on_delete="SET NULL")
        group_code = CharField(max_length=2)
        carc = CharField(max_length=5)
        amount_cents = IntegerField()
        note = CharField(max_length=200, default="")
        posted_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "adjustment"
            indexes = ((("claim",), False),)

    db.create_tables([Adjustment])

    class Allergy(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        substance = CharField(max_length=120)
        reaction = CharField(max_length=120, default="")
        severity = CharField(max_length=10, default="unknown")
        noted_on = DateField(null=True)
        noted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "allergy"
            indexes = ((("patient", "active"), False),)

    db.create_tables([Allergy])

    class AuditEvent(Model):
        at_utc = DateTimeField()
        user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        action = CharField(max_length=1)
        object_type = CharField(max_length=30)
        object_id = IntegerField(null=True)
        patient_id = IntegerField(null=True)
        success = BooleanField(default=True)
        detail = CharField(max_length=200, default="")
        prev_hash = CharField(max_length=64, default="")
        hash = CharField(max_length=64)

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("patient_id", "at_utc"), False), (("at_utc",), False))

    db.create_tables([AuditEvent])

    class ClaimDiagnosis(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        seq = SmallIntegerField(constraints=[Check("seq BETWEEN 1 AND 12")])
        code = CharField(max_length=8)

        class Meta:
            database = db
            table_name = "claim_diagnosis"
            indexes = ((("claim", "seq"), True),)

    db.create_tables([ClaimDiagnosis])

    class ClaimStatusEvent(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        from_status = CharField(max_length=16, default="")
        to_status = CharField(max_length=16)
        at = DateTimeField(default=datetime.datetime.now)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        note = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "claim_status_event"
            indexes = ((("claim", "at"), False),)

    db.create_tables([ClaimStatusEvent])

    class FeeSchedule(Model):
        code = CharField(max_length=10)
        code_kind = CharField(max_length=10, default="CPT")
        description = CharField(max_length=200, default="")
        fee_cents = IntegerField()
        effective_from = DateField()
        effective_to = DateField(null=True)

        class Meta:
            database = db
            table_name = "fee_schedule"
            indexes = ((("code", "effective_from"), True),)

    db.create_tables([FeeSchedule])

    class Practice(Model):
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
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            database = db
            table_name = "practice"

    db.create_tables([Practice])

    class ProviderBlock(Model):
        provider = ForeignKeyField(Provider, on_delete="CASCADE")
        kind = CharField(max_length=20, default="block")
        start = DateTimeField()
        end = DateTimeField()
        rrule = CharField(null=True, max_length=200)
        until = DateField(null=True)
        note = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "provider_block"
            indexes = ((("provider", "start"), False),)

    db.create_tables([ProviderBlock])

    class ProviderHours(Model):
        provider = ForeignKeyField(Provider, on_delete="CASCADE")
        weekday = SmallIntegerField(constraints=[Check("weekday BETWEEN 0 AND 6")])
        start_time = TimeField()
        end_time = TimeField()

        class Meta:
            database = db
            table_name = "provider_hours"
            indexes = ((("provider", "weekday", "start_time"), True),)

    db.create_tables([ProviderHours])

    class SupplyItem(Model):
        sku = CharField(unique=True, max_length=30)
        name = CharField(max_length=120)
        unit = CharField(max_length=20, default="each")
        reorder_point = IntegerField(default=0)
        reorder_qty = IntegerField(default=0)
        vendor = CharField(max_length=120, default="")
        location = CharField(max_length=60, default="")
        on_hand = IntegerField(default=0)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "supply_item"
            indexes = ((("active", "name"), False),)

    db.create_tables([SupplyItem])

    class SupplyLot(Model):
        item = ForeignKeyField(SupplyItem, on_delete="CASCADE")
        lot_number = CharField(max_length=40)
        expires_on = DateField(null=True)
        quantity = IntegerField(default=0, constraints=[Check("quantity >= 0")])
        received_on = DateField()

        class Meta:
            database = db
            table_name = "supply_lot"
            indexes = ((("item", "lot_number"), True), (("expires_on",), False))

    db.create_tables([SupplyLot])

    class StockMovement(Model):
        item = ForeignKeyField(SupplyItem, on_delete="CASCADE")
        lot = ForeignKeyField(SupplyLot, null=True, on_delete="SET NULL")
        kind = CharField(max_length=8)
        quantity = IntegerField()
        reason = CharField(max_length=200, default="")
        at = DateTimeField(default=datetime.datetime.now)
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "stock_movement"
            constraints = [SQL("CHECK (kind IN ('receive', 'use', 'adjust', 'expire'))")]
            indexes = ((("item", "at"), False),)

    db.create_tables([StockMovement])

    class Vital(Model):
        patient = ForeignKeyField(Patient, on_delete="CASCADE")
        taken_at = DateTimeField()
        taken_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        systolic = SmallIntegerField(null=True)
        diastolic = SmallIntegerField(null=True)
        pulse = SmallIntegerField(null=True)
        temperature_f = FloatField(null=True)
        weight_lb = FloatField(null=True)
        height_in = FloatField(null=True)

        class Meta:
            database = db
            table_name = "vital"
            indexes = ((("patient", "taken_at"), False),)

    db.create_tables([Vital])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("vital"))
    migrator.migrate(migrator.drop_table("stock_movement"))
    migrator.migrate(migrator.drop_table("supply_lot"))
    migrator.migrate(migrator.drop_table("supply_item"))
    migrator.migrate(migrator.drop_table("provider_hours"))
    migrator.migrate(migrator.drop_table("provider_block"))
    migrator.migrate(migrator.drop_table("practice"))
    migrator.migrate(migrator.drop_table("fee_schedule"))
    migrator.migrate(migrator.drop_table("claim_status_event"))
    migrator.migrate(migrator.drop_table("claim_diagnosis"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("allergy"))
    migrator.migrate(migrator.drop_table("adjustment"))
    migrator.migrate(migrator.drop_table("payment"))
    migrator.migrate(migrator.drop_table("claim_line"))
    migrator.migrate(migrator.drop_table("claim"))
    migrator.migrate(migrator.drop_table("appointment"))
    migrator.migrate(migrator.drop_table("recurring_series"))
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("role"))
    migrator.migrate(migrator.drop_table("appointment_type"))
    migrator.migrate(migrator.drop_table("coverage"))
    migrator.migrate(migrator.drop_table("payer"))
    migrator.migrate(migrator.drop_table("provider"))
    migrator.migrate(migrator.drop_table("patient"))
