"""Schema version 7: the whole patient record, edits by section, merges, imports, and a
typo-tolerant name search that does not grow with the practice.

- patient: suffix, preferred language, emergency contact (name, relationship, phone),
  the id an import came from (``external_id``), the allergy state ("unknown" = not
  asked, "nka" = no known allergies, "listed"; existing patients with an active
  allergy become "listed") and when it was reviewed, the merged-into pointer (and
  when), and a version per section: ``coverage_version``, ``allergy_version``
  (``version`` stays the demographics' own), so an allergy added at one desk never
  blocks an address edited at another.
- coverage: subscriber's sex, "eligibility last checked", its own version and
  who/when changed it. allergy: its own version and who/when.
- patient_note: dated notes (who, when); a non-empty ``patient.notes`` becomes the
  first note of that patient (the column itself is kept as it was).
- name_word / name_key: the name vocabulary the misspelt-name search looks words up
  in (``db/engines/name_index.py``), filled here from every name on file. The FTS5
  trigram table and its triggers (SQLite) and the GIN trigram index (PostgreSQL) of
  schemas 3-6 are dropped: at a million patients they cost up to half a second per
  misspelt keystroke.

Every column is added in place (nullable, or NOT NULL with a constant default), so no
table is rebuilt and no row is lost.
"""

from peewee import *  # noqa: F403 (frozen migration)


def _not_null(field, default_sql):
    """A NOT NULL column with a constant default, added without rebuilding the table."""
    field.constraints = [SQL(f"DEFAULT {default_sql}")]
    return field


def _text(length, default="''"):
    return _not_null(CharField(max_length=length, default=""), default)


def up(migrator, db):
    import datetime as dt

    from medoffice_tui.db.engines import engine_for, name_index

    class User(Model):
        username = CharField(unique=True, max_length=40)

        class Meta:
            database = db
            table_name = "user"

    class Patient(Model):
        mrn = CharField(max_length=20, unique=True)
        notes = TextField(default="")
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "patient"

    class PatientNote(Model):
        patient = ForeignKeyField(Patient, backref="patient_notes", on_delete="CASCADE")
        text = TextField()
        created_at = DateTimeField(default=dt.datetime.now)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

        class Meta:
            database = db
            table_name = "patient_note"
            indexes = ((("patient", "created_at"), False),)

    class NameWord(Model):
        text = CharField(max_length=60, unique=True)
        sound = CharField(max_length=16, default="")

        class Meta:
            database = db
            table_name = "name_word"
            indexes = ((("sound",), False),)

    class NameKey(Model):
        key = CharField(max_length=30)
        word = ForeignKeyField(NameWord, backref="keys", on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "name_key"
            indexes = ((("key", "word"), True),)

    def one():
        return _not_null(IntegerField(default=1), "1")

    def user_fk():
        return ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL")

    migrator.migrate(
        migrator.add_column("patient", "suffix", _text(10), allow_not_null=True),
        migrator.add_column("patient", "preferred_language", _text(40), allow_not_null=True),
        migrator.add_column("patient", "emergency_name", _text(120), allow_not_null=True),
        migrator.add_column("patient", "emergency_relationship", _text(30), allow_not_null=True),
        migrator.add_column("patient", "emergency_phone", _text(20), allow_not_null=True),
        migrator.add_column("patient", "external_id", _text(64), allow_not_null=True),
        migrator.add_column(
            "patient",
            "allergy_status",
            _not_null(CharField(max_length=8, default="unknown"), "'unknown'"),
            allow_not_null=True,
        ),
        migrator.add_column("patient", "allergy_reviewed_on", DateField(null=True)),
        migrator.add_column(
            "patient",
            "merged_into_id",
            ForeignKeyField(Patient, field=Patient.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_column("patient", "merged_at", DateTimeField(null=True)),
        migrator.add_column("patient", "coverage_version", one(), allow_not_null=True),
        migrator.add_column("patient", "allergy_version", one(), allow_not_null=True),
        migrator.add_index("patient", ("external_id",), False),
        migrator.add_column("coverage", "subscriber_sex", _text(1), allow_not_null=True),
        migrator.add_column("coverage", "eligibility_checked_on", DateField(null=True)),
        migrator.add_column("coverage", "version", one(), allow_not_null=True),
        migrator.add_column("coverage", "updated_at", DateTimeField(null=True)),
        migrator.add_column("coverage", "updated_by_id", user_fk()),
        migrator.add_column("allergy", "version", one(), allow_not_null=True),
        migrator.add_column("allergy", "updated_at", DateTimeField(null=True)),
        migrator.add_column("allergy", "updated_by_id", user_fk()),
    )
    db.create_tables([PatientNote, NameWord, NameKey])

    db.execute_sql(
        "UPDATE patient SET allergy_status = 'listed' WHERE id IN "
        f"(SELECT patient_id FROM allergy WHERE active = {db.param})",
        (True,),
    )
    db.execute_sql(
        "INSERT INTO patient_note (patient_id, text, created_at, created_by_id) "
        "SELECT id, notes, updated_at, NULL FROM patient WHERE notes <> ''"
    )
    engine_for(db).install_search_support()
    name_index.rebuild(db)


def down(migrator, db):
    raise RuntimeError(
        "schema version 7 cannot be undone in place (SQLite cannot drop the new "
        "foreign-key columns); restore a backup taken before the upgrade instead"
    )
