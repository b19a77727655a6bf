"""Schema version 15: the foreign-key indexes another index already leads with, dropped.

Peewee gives every foreign key an index of its own; nine of them are the first column
of a wider index on the same table, which answers the same lookups (and the engine's
foreign-key checks) as well: ``claim (patient_id)`` beside ``(patient_id,
service_date)``, ``claim (payer_id)`` and ``claim (assignee_id)`` beside the queue's
``(payer_id, status, ...)`` and ``(assignee_id, status, ...)``, the claim's lines and
diagnoses beside their unique ``(claim_id, line_no)`` and ``(claim_id, seq)``, its status
events beside ``(claim_id, at)``, coverage beside ``(patient_id, rank)``, payments
beside ``(patient_id, unapplied_cents)``, the audit trail's ``(user_id)`` beside
``(user_id, id)``. Each was one more B-tree to keep up on every write, and one more
sorted pass when the demo builds its indexes (about 10 s of the 1,000,000-patient
build). The models say ``index=False`` for these keys; ``down`` builds them again.
Nothing else changes, on SQLite or PostgreSQL.
"""

#: (index, table, column) of each dropped index, as Peewee named it
DROPPED = (
    ("claim_patient_id", "claim", "patient_id"),
    ("claim_payer_id", "claim", "payer_id"),
    ("claim_assignee_id", "claim", "assignee_id"),
    ("claimdiagnosis_claim_id", "claim_diagnosis", "claim_id"),
    ("claimline_claim_id", "claim_line", "claim_id"),
    ("claimstatusevent_claim_id", "claim_status_event", "claim_id"),
    ("coverage_patient_id", "coverage", "patient_id"),
    ("payment_patient_id", "payment", "patient_id"),
    ("auditevent_user_id", "audit_event", "user_id"),
)


def up(migrator, db):
    for name, _table, _column in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def down(migrator, db):
    for name, table, column in DROPPED:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')
