"""Schema version 13: an index on each of a patient's phone columns.

The duplicate check (registration and import) matches any phone of a new record
against any phone on file (mobile, home, work): ``phone_last4`` only ever held the
first phone's last digits, so a registration giving a patient's home number found no
duplicate. Three plain B-tree indexes, the same DDL on SQLite and PostgreSQL; nothing
is rebuilt. (At 1,000,000 patients each takes a few seconds to build.)
"""

COLUMNS = ("phone_mobile", "phone_home", "phone_work")


def up(migrator, db):
    migrator.migrate(*[migrator.add_index("patient", (column,), False) for column in COLUMNS])


def down(migrator, db):
    migrator.migrate(*[migrator.drop_index("patient", f"patient_{column}") for column in COLUMNS])
