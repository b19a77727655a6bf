"""Schema version 5: staff sign-in, roles by name, who-changed-what stamps, the audit chain.

- role: the four roles by the names ``services/permissions.py`` uses (front_desk,
  billing, clinical, manager); earlier demo names are renamed (frontdesk ->
  front_desk, admin -> manager) and the unused ``permissions`` text column goes
  (what a role may do lives in one table in code).
- user: the built-in ``system`` account (CLI work, migrations and the demo are
  recorded as it; it can never sign in), an optional OS login for SSH sign-in,
  password change time, ``version`` for safe concurrent edits.
- practice: demo flag, idle-lock minutes, SSH sign-in switch, file group, version.
- patient/appointment/claim: ``updated_by`` (and ``created_by`` on patient).
- audit_event: ``fields`` (names of the fields changed), room for word actions,
  indexes for the audit view's filters; audit_head holds the end of the chain.

Every column is added in place (nullable, or NOT NULL with a constant default), so
no table is rebuilt and no row is lost.
"""

from peewee import *  # noqa: F403 (frozen migration)

RENAMED = {"frontdesk": "front_desk", "admin": "manager"}


def _not_null(field, default_sql):
    """A NOT NULL column with a constant default, added without rebuilding the table."""
    field.constraints = [SQL(f"DEFAULT {default_sql}")]
    return field


def up(migrator, db):
    from medoffice_tui.db.audit_chain import rechain_all
    from medoffice_tui.db.engines import engine_for
    from medoffice_tui.db.seed import ROLES, ensure_roles, ensure_system_user

    class Role(Model):
        name = CharField(unique=True, max_length=40)
        description = CharField(max_length=200, default="")

        class Meta:
            database = db
            table_name = "role"

    class User(Model):
        username = CharField(unique=True, max_length=40)

        class Meta:
            database = db
            table_name = "user"

    migrator.migrate(
        migrator.drop_column("role", "permissions"),
        migrator.add_column(
            "user", "system", _not_null(BooleanField(default=False), "FALSE"), allow_not_null=True
        ),
        migrator.add_column("user", "os_login", CharField(max_length=40, null=True)),
        migrator.add_column("user", "password_changed_at", DateTimeField(null=True)),
        migrator.add_column("user", "updated_at", DateTimeField(null=True)),
        migrator.add_column(
            "user", "version", _not_null(IntegerField(default=1), "1"), allow_not_null=True
        ),
        migrator.add_index("user", ("os_login",), True),
        migrator.add_column(
            "practice",
            "is_demo",
            _not_null(BooleanField(default=False), "FALSE"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "practice",
            "idle_lock_minutes",
            _not_null(SmallIntegerField(default=5), "5"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "practice",
            "ssh_login_map",
            _not_null(BooleanField(default=False), "FALSE"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "practice",
            "file_group",
            _not_null(CharField(max_length=32, default=""), "''"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_column(
            "practice", "version", _not_null(IntegerField(default=1), "1"), allow_not_null=True
        ),
        migrator.add_column(
            "patient",
            "created_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column(
            "patient",
            "updated_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column(
            "appointment",
            "updated_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column(
            "claim",
            "updated_by_id",
            ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column(
            "audit_event",
            "fields",
            _not_null(CharField(max_length=400, default=""), "''"),
            allow_not_null=True,
        ),  # fmt: skip
        migrator.add_index("audit_event", ("user_id", "id"), False),
        migrator.add_index("audit_event", ("patient_id", "id"), False),
        migrator.add_index("audit_event", ("action", "id"), False),
    )
    engine_for(db).widen_text_column("audit_event", "action", 24)

    class AuditHead(Model):
        id = IntegerField(primary_key=True)
        last_id = IntegerField(default=0)
        last_hash = CharField(max_length=64, default="")

        class Meta:
            database = db
            table_name = "audit_head"

    db.create_tables([AuditHead])

    for old, new in RENAMED.items():
        if not Role.select().where(Role.name == new).exists():
            Role.update(name=new).where(Role.name == old).execute()
    ensure_roles(db)
    for name, description in ROLES:
        Role.update(description=description).where(Role.name == name).execute()
    ensure_system_user(db)

    # The chain's start: rows written before the chain existed are chained now, in id
    # order, exactly as services/audit.py would have written them.
    last_id, last_hash = rechain_all(db)
    AuditHead.insert(id=1, last_id=last_id, last_hash=last_hash).execute()


def down(migrator, db):
    raise RuntimeError(
        "schema version 5 cannot be undone in place (SQLite cannot drop the new "
        "foreign-key columns); restore a backup taken before the upgrade instead"
    )
