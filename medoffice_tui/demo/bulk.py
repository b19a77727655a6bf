"""Multi-row INSERTs: how the demo writes tens of thousands of rows quickly.

Rows are built as plain tuples with ids assigned by the builder, then written
with multi-row ``INSERT`` statements in chunks (under SQLite's 32766 bound
parameter limit) inside ONE transaction. Per-row ORM saves would take minutes
for 100,000 patients. The SQL is portable (quoted identifiers and the driver's
own placeholder), so PostgreSQL takes the same path; its sequences are moved
past the explicit ids afterwards (see ``builder.build_demo``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from peewee import Field

from medoffice_tui.db import models as m
from medoffice_tui.db.connection import db

#: bound parameters per INSERT statement (SQLite >= 3.32 allows 32766)
MAX_PARAMS = 30000


def insert(model: type[m.BaseModel], fields: Sequence[Field], rows: Sequence[tuple]) -> None:
    """Multi-row INSERT of ``rows`` (tuples in ``fields`` order) in parameter-bounded chunks.

    Values go to the driver as Python objects (date, datetime, bool ...), never as
    engine-specific strings; tables with ``time`` columns use ``insert_orm``.
    """
    if not rows:
        return
    table = model._meta.table_name
    ncols = len(fields)
    per = max(1, MAX_PARAMS // ncols)
    head = f'INSERT INTO "{table}" (' + ", ".join(f'"{f.column_name}"' for f in fields)
    head += ") VALUES "
    one = "(" + ", ".join([db.obj.param] * ncols) + ")"
    full_sql = head + ", ".join([one] * per)
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = full_sql if len(chunk) == per else head + ", ".join([one] * len(chunk))
        db.execute_sql(sql, list(itertools.chain.from_iterable(chunk)))


def insert_orm(model: type[m.BaseModel], fields: Sequence[Field], rows: Sequence[tuple]) -> None:
    """Small tables through Peewee, which converts every field type (e.g. ``time``)."""
    if rows:
        model.insert_many(list(rows), fields=list(fields)).execute()


def fields(model: type[m.BaseModel], names: str) -> tuple[Field, ...]:
    """The model's fields named in ``names`` (space-separated), in that order."""
    return tuple(getattr(model, name) for name in names.split())
