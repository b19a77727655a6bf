"""Schema version 9: claims worked end to end, and a summary that does not scan.

- claim: ``assignee``, ``follow_up_on``, ``billing_provider`` (None = the practice's
  group NPI), ``prior_auth_number``, ``payer_seq`` (P/S/T), ``prior_claim`` (the primary
  of a secondary claim, the original of a replacement), ``created_by``; indexes for the
  work queue's sorts and filters (amount, payer, assignee, follow-up), each a range per
  status; (payer, status) gives way to (payer, status, service_date, id).
- claim_line: the payer's decision per line (allowed, paid, CO, PR, OA), patient
  payments and write-offs per line, ``adjudicated``, and the fee schedule's description.
- claim_status_event: ``kind`` (status, note, assign, follow_up, charges, payment ...),
  so the claim's history is one list.
- payment: ``unapplied_cents`` (a patient's credit); adjustment: ``rarc``, ``posted_by``.
- new tables: payment_allocation (a payment's split over claim lines), payer_rule (prior
  authorization, appeal days), claim_summary (claims and open balance per status and
  date of service, filled here from the claims that exist), code_set_release, dx_code and
  dx_word (ICD-10-CM, loaded on first use), hcpcs_code (CMS file import), reason_code
  (CARC/RARC text refreshed from a CSV; the app ships its own common ones).

Every column is added in place (nullable, or NOT NULL with a constant default), so no
table is rebuilt and no row is lost. Claims posted before this version keep their
claim-level totals; the per-line split starts with the postings made after it.
"""

import datetime as dt

from peewee import *  # noqa: F403 (frozen migration)

SETTLED_DAY = dt.date(1900, 1, 1)
OPEN = (
    "draft",
    "ready",
    "submitted",
    "rejected_ch",
    "accepted_ch",
    "rejected_payer",
    "pending",
    "partially_paid",
    "denied",
    "appealed",
    "corrected",
)


def _not_null(field, default_sql):
    """A NOT NULL column with a constant default, added without rebuilding the table."""
    field.constraints = [SQL(f"DEFAULT {default_sql}")]
    return field


def _zero():
    return _not_null(IntegerField(default=0), "0")


def up(migrator, db):
    class User(Model):
        username = CharField(unique=True, max_length=40)

        class Meta:
            database = db
            table_name = "user"

    class Provider(Model):
        npi = CharField(unique=True, max_length=10)

        class Meta:
            database = db
            table_name = "provider"

    class Payer(Model):
        payer_id = CharField(unique=True, max_length=20)

        class Meta:
            database = db
            table_name = "payer"

    class Claim(Model):
        status = CharField(max_length=16)
        service_date = DateField()
        balance_cents = IntegerField(default=0)
        total_charge_cents = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "claim"

    class ClaimLine(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "claim_line"

    class Payment(Model):
        amount_cents = IntegerField()

        class Meta:
            database = db
            table_name = "payment"

    migrator.migrate(
        migrator.add_column(
            "claim", "assignee_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column("claim", "follow_up_on", DateField(null=True)),
        migrator.add_column(
            "claim", "billing_provider_id",
            ForeignKeyField(Provider, field=Provider.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column(
            "claim", "prior_auth_number",
            _not_null(CharField(max_length=30, default=""), "''"), allow_not_null=True,
        ),
        migrator.add_column(
            "claim", "payer_seq",
            _not_null(CharField(max_length=1, default="P"), "'P'"), allow_not_null=True,
        ),
        migrator.add_column(
            "claim", "prior_claim_id",
            ForeignKeyField(Claim, field=Claim.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column(
            "claim", "created_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.drop_index("claim", "claim_payer_id_status"),
        migrator.add_index("claim", ("status", "balance_cents", "id"), False),
        migrator.add_index("claim", ("payer_id", "status", "service_date", "id"), False),
        migrator.add_index("claim", ("assignee_id", "status", "service_date", "id"), False),
        migrator.add_index("claim", ("status", "follow_up_on", "id"), False),
        migrator.add_column(
            "claim_line", "description",
            _not_null(CharField(max_length=80, default=""), "''"), allow_not_null=True,
        ),
        *[
            migrator.add_column("claim_line", column, _zero(), allow_not_null=True)
            for column in ("allowed_cents", "paid_cents", "co_cents", "pr_cents", "oa_cents",
                           "patient_paid_cents", "write_off_cents")
        ],
        migrator.add_column(
            "claim_line", "adjudicated",
            _not_null(BooleanField(default=False), "FALSE"), allow_not_null=True,
        ),
        migrator.add_column(
            "claim_status_event", "kind",
            _not_null(CharField(max_length=12, default="status"), "'status'"),
            allow_not_null=True,
        ),
        migrator.add_column("payment", "unapplied_cents", _zero(), allow_not_null=True),
        migrator.add_index("payment", ("patient_id", "unapplied_cents"), False),
        migrator.add_column(
            "adjustment", "rarc",
            _not_null(CharField(max_length=8, default=""), "''"), allow_not_null=True,
        ),
        migrator.add_column(
            "adjustment", "posted_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
    )  # fmt: skip

    class PaymentAllocation(Model):
        payment = ForeignKeyField(Payment, on_delete="CASCADE")
        claim = ForeignKeyField(Claim, on_delete="RESTRICT")
        claim_line = ForeignKeyField(ClaimLine, null=True, on_delete="SET NULL")
        amount_cents = IntegerField()

        class Meta:
            database = db
            table_name = "payment_allocation"
            indexes = ((("claim",), False), (("payment",), False))

    class PayerRule(Model):
        payer = ForeignKeyField(Payer, unique=True, on_delete="CASCADE")
        prior_auth_required = BooleanField(default=False)
        appeal_days = SmallIntegerField(default=120)

        class Meta:
            database = db
            table_name = "payer_rule"

    class ClaimSummary(Model):
        status = CharField(max_length=16)
        service_date = DateField()
        claims = IntegerField(default=0)
        balance_cents = BigIntegerField(default=0)
        charge_cents = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = "claim_summary"
            indexes = ((("status", "service_date"), True),)

    class CodeSetRelease(Model):
        code_set = CharField(max_length=16, unique=True)
        release = CharField(max_length=60)
        loaded_at = DateTimeField()
        codes = IntegerField(default=0)
        source = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "code_set_release"

    class DxCode(Model):
        code = CharField(max_length=8, unique=True)
        billable = BooleanField(default=False)
        description = CharField(max_length=250)
        release = CharField(max_length=60, default="")

        class Meta:
            database = db
            table_name = "dx_code"

    class DxWord(Model):
        word = CharField(max_length=30)
        code = CharField(max_length=8)

        class Meta:
            database = db
            table_name = "dx_word"
            indexes = ((("word", "code"), True),)

    class HcpcsCode(Model):
        code = CharField(max_length=5, unique=True)
        is_modifier = BooleanField(default=False)
        short_description = CharField(max_length=40, default="")
        description = TextField(default="")
        added_on = DateField(null=True)
        terminated_on = DateField(null=True)
        release = CharField(max_length=60, default="")

        class Meta:
            database = db
            table_name = "hcpcs_code"

    class ReasonCode(Model):
        kind = CharField(max_length=4)
        code = CharField(max_length=8)
        text = CharField(max_length=300)

        class Meta:
            database = db
            table_name = "reason_code"
            indexes = ((("kind", "code"), True),)

    db.create_tables([PaymentAllocation, PayerRule, ClaimSummary, CodeSetRelease, DxCode,
                      DxWord, HcpcsCode, ReasonCode])  # fmt: skip

    # the summary of the claims already there (one grouped read; a few hundred rows)
    totals: dict[tuple[str, dt.date], list[int]] = {}
    query = (
        Claim.select(Claim.status, Claim.service_date, fn.COUNT(Claim.id),
                     fn.SUM(Claim.balance_cents), fn.SUM(Claim.total_charge_cents))
        .group_by(Claim.status, Claim.service_date)
        .tuples()
    )  # fmt: skip
    for status, day, count, balance, charge in query:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        key = (status, day if status in OPEN else SETTLED_DAY)
        row = totals.setdefault(key, [0, 0, 0])
        row[0] += int(count)
        row[1] += int(balance or 0)
        row[2] += int(charge or 0)
    rows = [
        {"status": s, "service_date": d, "claims": n, "balance_cents": b, "charge_cents": c}
        for (s, d), (n, b, c) in totals.items()
    ]
    for start in range(0, len(rows), 500):
        ClaimSummary.insert_many(rows[start : start + 500]).execute()


def down(migrator, db):
    raise RuntimeError(
        "schema version 9 cannot be undone in place (SQLite cannot drop the new "
        "foreign-key columns); restore a backup taken before the upgrade instead"
    )
