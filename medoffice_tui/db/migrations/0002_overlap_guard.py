"""Schema version 2: the database itself refuses overlapping live appointments.

SQLite: BEFORE INSERT/UPDATE triggers. PostgreSQL: an EXCLUDE USING gist constraint.
"""


def up(migrator, db):
    from medoffice_tui.db.engines import engine_for

    engine_for(db).install_guards()
