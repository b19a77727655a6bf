"""Database layer: one DatabaseProxy, the models, migrations and engine-specific pieces.

Nothing in this package imports Textual.
"""

from medoffice_tui.db.connection import close_database, db, engine_name, open_database

__all__ = ["db", "open_database", "close_database", "engine_name"]
