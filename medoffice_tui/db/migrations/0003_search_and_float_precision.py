"""Schema version 3: typo-tolerant patient name search, and exact floats on PostgreSQL.

Engine-aware (``engines.engine_for(db)``):
- SQLite: a contentless FTS5 trigram table over "last_norm first_norm", kept in
  step by triggers on patient and filled from existing rows.
- PostgreSQL: ``COLLATE "C"`` on patient.last_norm/first_norm (prefix ranges in
  byte order, as on SQLite, served by the btree indexes), the pg_trgm extension
  and a GIN trigram index; the vital float columns become ``double precision``
  (they were 4-byte ``real``, which does not hold what SQLite holds).
"""

FLOAT_COLUMNS = [
    ("vital", "temperature_f"),
    ("vital", "weight_lb"),
    ("vital", "height_in"),
]


def up(migrator, db):
    from medoffice_tui.db.engines import engine_for

    engine = engine_for(db)
    engine.widen_float_columns(FLOAT_COLUMNS)
    engine.install_search_support()
