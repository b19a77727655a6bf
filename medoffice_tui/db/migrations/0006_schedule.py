"""Schema version 6: overbooks, confirmation calls and each appointment's history.

- appointment: ``overbooked`` and ``overbook_reason`` (a booking outside the
  provider's hours or into a block, made on purpose by a role that may); the
  confirmation call's ``reminder_outcome``, ``reminder_at`` and ``reminder_by``.
- appointment_event (new): one row per thing that happened to an appointment:
  booked, a status change, the undo of one, a move (from where, to where), a call;
  who and when, and the appointment's version right after it (the undo rule).

Every column is added in place (nullable, or NOT NULL with a constant default), so no
table is rebuilt and no row is lost; existing appointments get no history rows (their
stamps stay where they were).
"""

from peewee import *  # noqa: F403 (frozen migration)


def _not_null(field, default_sql):
    """A NOT NULL column with a constant default, added without rebuilding the table."""
    field.constraints = [SQL(f"DEFAULT {default_sql}")]
    return field


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

    class Appointment(Model):
        status = CharField(max_length=12, default="booked")

        class Meta:
            database = db
            table_name = "appointment"

    migrator.migrate(
        migrator.add_column(
            "appointment",
            "overbooked",
            _not_null(BooleanField(default=False), "FALSE"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "appointment",
            "overbook_reason",
            _not_null(CharField(max_length=200, default=""), "''"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "appointment",
            "reminder_outcome",
            _not_null(CharField(max_length=12, default=""), "''"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column("appointment", "reminder_at", DateTimeField(null=True)),
        migrator.add_column(
            "appointment",
            "reminder_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
    )

    class AppointmentEvent(Model):
        appointment = ForeignKeyField(Appointment, on_delete="CASCADE")
        at = DateTimeField()
        user = ForeignKeyField(User, null=True, on_delete="SET NULL")
        kind = CharField(max_length=12)
        from_status = CharField(max_length=12, default="")
        to_status = CharField(max_length=12, default="")
        from_provider = ForeignKeyField(Provider, null=True, on_delete="SET NULL", backref="+")
        from_start = DateTimeField(null=True)
        from_end = DateTimeField(null=True)
        to_provider = ForeignKeyField(Provider, null=True, on_delete="SET NULL", backref="+")
        to_start = DateTimeField(null=True)
        to_end = DateTimeField(null=True)
        detail = CharField(max_length=200, default="")
        version = IntegerField()
        undoes = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "appointment_event"
            indexes = ((("appointment", "id"), False),)

    db.create_tables([AppointmentEvent])


def down(migrator, db):
    raise RuntimeError(
        "schema version 6 cannot be undone in place (SQLite cannot drop the new "
        "foreign-key column); restore a backup taken before the upgrade instead"
    )
