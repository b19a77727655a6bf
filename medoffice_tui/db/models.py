"""Every table of the practice, as Peewee models bound to the one ``db`` proxy.

Conventions:
- Money is integer cents (``*_cents``): exact on every engine.
- Date-times are naive local wall time in the practice's time zone
  (``clock.now()``); audit timestamps are naive UTC (``at_utc``).
- Rows that staff edit concurrently carry ``version``: an update names the
  version it read and fails if another desk changed the row first, so an
  edit is never silently overwritten.
- ``*_norm`` columns hold lower-cased, accent-stripped text for index range
  search (see ``services/text.py``).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
    TimeField,
)

from medoffice_tui.db.connection import db


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


# --------------------------------------------------------------------- practice


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


# ------------------------------------------------------------------ users/roles


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


# -------------------------------------------------------------------- providers


class Provider(BaseModel):
    first_name = CharField(max_length=60)
    last_name = CharField(max_length=60)
    credential = CharField(max_length=20, default="")  # MD, DO, NP, PA-C ...
    npi = CharField(max_length=10, unique=True)
    taxonomy = CharField(max_length=10, default="")
    color = CharField(max_length=20, default="")
    sort_order = SmallIntegerField(default=0)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("active", "sort_order"), False),)

    @property
    def display_name(self) -> str:
        cred = f", {self.credential}" if self.credential else ""
        return f"{self.first_name[:1]}. {self.last_name}{cred}"


class ProviderHours(BaseModel):
    """Regular working hours: one row per provider, weekday (0=Mon) and span."""

    provider = ForeignKeyField(Provider, backref="hours", on_delete="CASCADE")
    weekday = SmallIntegerField(constraints=[Check("weekday BETWEEN 0 AND 6")])
    start_time = TimeField()
    end_time = TimeField()

    class Meta:
        indexes = ((("provider", "weekday", "start_time"), True),)


class ProviderBlock(BaseModel):
    """Time a provider is not bookable: lunch, meeting, out of office.

    ``rrule`` (RFC 5545 RRULE text, e.g. ``FREQ=WEEKLY;BYDAY=MO,TU``) repeats the
    block from ``start``; without it the block happens once.
    """

    provider = ForeignKeyField(Provider, backref="blocks", on_delete="CASCADE")
    kind = CharField(max_length=20, default="block")  # lunch, meeting, out, block
    start = DateTimeField()
    end = DateTimeField()
    rrule = CharField(max_length=200, null=True)
    until = DateField(null=True)
    note = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("provider", "start"), False),)


# ------------------------------------------------------------------- patients


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


# ----------------------------------------------------------------- scheduling


class AppointmentType(BaseModel):
    name = CharField(max_length=60, unique=True)
    default_minutes = SmallIntegerField(default=15)
    color = CharField(max_length=20, default="")
    active = BooleanField(default=True)


class RecurringSeries(BaseModel):
    """A recurring booking: the RRULE it was made from and who made it."""

    rrule = CharField(max_length=200)
    created_at = DateTimeField(default=dt.datetime.now)
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")


APPOINTMENT_STATUSES = (
    "booked",
    "confirmed",
    "arrived",
    "roomed",
    "completed",
    "cancelled",
    "no_show",
)
#: statuses that hold the provider's time (a no-show frees it for a walk-in)
LIVE_STATUSES = tuple(s for s in APPOINTMENT_STATUSES if s not in ("cancelled", "no_show"))


class Appointment(BaseModel):
    patient = ForeignKeyField(Patient, backref="appointments", on_delete="RESTRICT")
    provider = ForeignKeyField(Provider, backref="appointments", on_delete="RESTRICT")
    appt_type = ForeignKeyField(AppointmentType, null=True, on_delete="SET NULL")
    start = DateTimeField()
    end = DateTimeField()
    reason = CharField(max_length=200, default="")
    status = CharField(max_length=12, default="booked")
    booked_at = DateTimeField(default=dt.datetime.now)
    confirmed_at = DateTimeField(null=True)
    arrived_at = DateTimeField(null=True)
    roomed_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancel_reason = CharField(max_length=200, default="")
    no_show_at = DateTimeField(null=True)
    series = ForeignKeyField(
        RecurringSeries, null=True, backref="appointments", on_delete="SET NULL"
    )
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=dt.datetime.now)
    version = IntegerField(default=1)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        constraints = [
            SQL('CHECK ("end" > "start")'),
            SQL("CHECK (status IN (" + ", ".join(f"'{s}'" for s in APPOINTMENT_STATUSES) + "))"),
        ]
        indexes = (
            (("provider", "start"), False),
            (("patient", "start"), False),
            (("start",), False),
        )


# ------------------------------------------------------------------- billing


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


# ------------------------------------------------------------------- supplies


class SupplyItem(BaseModel):
    sku = CharField(max_length=30, unique=True)
    name = CharField(max_length=120)
    unit = CharField(max_length=20, default="each")
    reorder_point = IntegerField(default=0)
    reorder_qty = IntegerField(default=0)
    vendor = CharField(max_length=120, default="")
    location = CharField(max_length=60, default="")
    on_hand = IntegerField(default=0)  # sum of lot quantities, kept in step by services.stock
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("active", "name"), False),)


class SupplyLot(BaseModel):
    item = ForeignKeyField(SupplyItem, backref="lots", on_delete="CASCADE")
    lot_number = CharField(max_length=40)
    expires_on = DateField(null=True)
    quantity = IntegerField(default=0, constraints=[Check("quantity >= 0")])
    received_on = DateField()

    class Meta:
        indexes = (
            (("item", "lot_number"), True),
            (("expires_on",), False),
        )


class StockMovement(BaseModel):
    item = ForeignKeyField(SupplyItem, backref="movements", on_delete="CASCADE")
    lot = ForeignKeyField(SupplyLot, null=True, backref="movements", on_delete="SET NULL")
    kind = CharField(max_length=8)  # receive, use, adjust, expire
    quantity = IntegerField()  # signed: + in, - out
    reason = CharField(max_length=200, default="")
    at = DateTimeField(default=dt.datetime.now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        constraints = [SQL("CHECK (kind IN ('receive', 'use', 'adjust', 'expire'))")]
        indexes = ((("item", "at"), False),)


# ---------------------------------------------------------------------- audit


class AuditEvent(BaseModel):
    """Append-only, hash-chained record of who did what (HIPAA 164.312(b)).

    Written only by ``services/audit.py``, in the same transaction as the change it
    records. Ids are consecutive (1, 2, 3 ...) and each ``hash`` covers the previous
    event's hash and this event's canonical form, so an altered, inserted, deleted or
    reordered row breaks the chain. ``fields`` names what changed, never the values.
    """

    id = AutoField()
    at_utc = DateTimeField()
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
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


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Practice,
    Role,
    User,
    Provider,
    ProviderHours,
    ProviderBlock,
    Patient,
    Payer,
    Coverage,
    Allergy,
    Vital,
    AppointmentType,
    RecurringSeries,
    Appointment,
    FeeSchedule,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimStatusEvent,
    Payment,
    Adjustment,
    SupplyItem,
    SupplyLot,
    StockMovement,
    AuditEvent,
    AuditHead,
)
