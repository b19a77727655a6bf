"""Schema version 12: the audit trail is append-only in the database, not only by habit.

``audit_event`` refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) from any
connection: SQLite gets two ``BEFORE UPDATE``/``BEFORE DELETE`` triggers that abort,
PostgreSQL a trigger function in the practice's schema with a row trigger and a
statement trigger (``db/engines/{sqlite,postgres}.py``). Rows are still added as
before; the hash chain still finds anyone who drops the guard and edits rows.

The one sanctioned deletion is wiping a whole practice for a new demo
(``medoffice demo --force`` -> ``demo.builder.clear_all``): it lifts the guard inside
its own transaction (``Engine.lifted_audit_guard``: drop the triggers, delete, create
them again, commit), so no other session ever sees the table unguarded and a failed
wipe leaves the guard where it was. ``db copy`` only inserts audit rows into an empty
target, which the guard allows. No table changes, no row is touched.
"""


def up(migrator, db):
    from medoffice_tui.db.engines import engine_for

    engine_for(db).install_audit_guard()


def down(migrator, db):
    from medoffice_tui.db.engines import engine_for

    engine_for(db).drop_audit_guard()
