"""The base every model shares: bound to the one ``db`` proxy, snake_case table names."""

from __future__ import annotations

from peewee import Model

from medoffice_tui.db.connection import db


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
