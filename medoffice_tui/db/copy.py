"""Copy a whole practice from one database to another (SQLite <-> PostgreSQL).

The target is migrated to the latest schema, must be empty, and receives every
table of ``models.ALL_MODELS`` in foreign-key order with the source's ids, all
in ONE transaction: a failure anywhere leaves the target as empty as it was.
Before committing, each table's row count and checksum are compared between
source and target; any difference aborts the copy.

Not copied: the migration history (the target keeps its own) and derived
search data (SQLite's FTS table is filled by the target's own triggers).

The source is read inside one snapshot (``engine.read_snapshot``), so desks
may keep working on it meanwhile; the copy is of one moment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from peewee import Database, Model, fn, sort_models

from medoffice_tui.db.connection import make_database
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import pending, upgrade
from medoffice_tui.db.models import ALL_MODELS, AuditHead, Role, User
from medoffice_tui.db.write_guard import check_statement, writing_as
from medoffice_tui.errors import InvalidInput

Progress = Callable[[str, int, int], None]


class CopyError(InvalidInput):
    """The copy cannot be done or did not verify; the target was left unchanged."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str  # sha256 hex of the canonical row dump


@dataclass
class CopyReport:
    source: str  # URLs without passwords
    target: str
    tables: list[TableCopy] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def checksums(self) -> dict[str, str]:
        return {t.table: t.checksum for t in self.tables}

    def describe(self) -> str:
        width = max((len(t.table) for t in self.tables), default=5)
        lines = [f"copied {self.source} -> {self.target}"]
        for t in self.tables:
            lines.append(f"  {t.table:<{width}}  {t.rows:>9,} rows  sha256 {t.checksum[:16]}")
        lines.append(
            f"{self.total_rows:,} rows in {len(self.tables)} tables, verified, "
            f"in {self.seconds:.1f} s"
        )
        return "\n".join(lines)


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (safe to print)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))


def canonical(value: object) -> object:
    """One JSON-able form per value, whichever engine it came from.

    Booleans, ints, floats (shortest repr), dates/times (ISO), None and text
    each map to a distinct form, so e.g. ``True`` and ``1`` never collide.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat(sep=" ")}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"x": bytes(value).hex()}
    return {"?": str(value)}


def row_text(row: tuple) -> str:
    return json.dumps([canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))


def read_rows(database: Database, model: type[Model], batch: int) -> Iterator[list[tuple]]:
    """All rows of ``model`` in ``database`` as Python values, by id, in batches."""
    fields = model._meta.sorted_fields
    pk = model._meta.primary_key
    last: object = None
    while True:
        query = model.select(*fields).order_by(pk).limit(batch)
        if last is not None:
            query = query.where(pk > last)
        raw = database.execute(query).fetchall()
        if not raw:
            return
        rows = [tuple(f.python_value(v) for f, v in zip(fields, r, strict=True)) for r in raw]
        yield rows
        if len(raw) < batch:
            return
        last = raw[-1][fields.index(pk)]


def table_digest(database: Database, model: type[Model], batch: int = 5000) -> TableCopy:
    """Row count and checksum of one table, as ``copy_database`` verifies them."""
    digest = hashlib.sha256()
    count = 0
    for rows in read_rows(database, model, batch):
        for row in rows:
            digest.update(row_text(row).encode())
            digest.update(b"\n")
        count += len(rows)
    return TableCopy(model._meta.table_name, count, digest.hexdigest())


def database_digest(database: Database) -> list[TableCopy]:
    """Counts and checksums of every table (compare two databases with this)."""
    return [table_digest(database, m) for m in sort_models(list(ALL_MODELS))]


def _count(database: Database, model: type[Model]) -> int:
    return database.execute(model.select(fn.COUNT(model._meta.primary_key))).fetchone()[0]


#: tables a freshly migrated database fills by itself (roles, the system account, the
#: audit chain's head): the copy replaces them with the source's rows
SEEDED = (Role, User, AuditHead)


def _ensure_empty(database: Database) -> None:
    for model in ALL_MODELS:
        query = model.select(model._meta.primary_key).limit(1)
        if model is User:
            query = query.where(User.system == False)  # noqa: E712
        if model in SEEDED and model is not User:
            continue
        if database.execute(query).fetchone():
            raise CopyError(
                f"the target database already holds data (table {model._meta.table_name}); "
                "copy needs an empty target"
            )


def _drop_seeded_rows(target: Database) -> None:
    """Remove what migrating the empty target put there; the source's own rows follow."""
    for model in (AuditHead, User, Role):
        target.execute(model.delete())


def copy_database(
    source_url: str,
    target_url: str,
    progress: Progress | None = None,
    batch: int = 5000,
) -> CopyReport:
    """Copy every table from ``source_url`` into the empty ``target_url`` and verify it."""
    if source_url.strip() == target_url.strip():
        raise CopyError("source and target are the same database")
    if batch < 1:
        raise CopyError("batch must be at least 1")
    started = time.monotonic()
    source = make_database(source_url)
    target = make_database(target_url)
    report = CopyReport(redact_url(source_url), redact_url(target_url))
    try:
        source.connect()
        target.connect()
        _check_source_schema(source)
        upgrade(target)
        _ensure_empty(target)
        report.tables = _copy_all(source, target, progress, batch)
    finally:
        if not target.is_closed():
            target.close()
        if not source.is_closed():
            source.close()
    report.seconds = time.monotonic() - started
    return report


def _check_source_schema(source: Database) -> None:
    """Refuse a source that is not a practice, or one an older program left behind."""
    tables = set(source.get_tables())
    for core in ("practice", "patient", "appointment"):  # there since schema version 1
        if core not in tables:
            raise CopyError(
                f"the source is not a medoffice database (no table {core}); check --from"
            )
    if pending(source):
        raise CopyError(
            "the source schema is older than this program; run `medoffice db upgrade` on it first"
        )
    missing = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in tables]
    if missing:
        raise CopyError(
            f"the source is not a medoffice database (no table {missing[0]}); check --from"
        )


def _copy_all(
    source: Database, target: Database, progress: Progress | None, batch: int
) -> list[TableCopy]:
    models = sort_models(list(ALL_MODELS))
    results: list[TableCopy] = []
    with engine_for(source).read_snapshot(), writing_as("system:copy"), target.atomic():
        _drop_seeded_rows(target)
        totals = {m: _count(source, m) for m in models}
        for model in models:
            results.append(_copy_table(source, target, model, totals[model], progress, batch))
        engine_for(target).reset_sequences([m._meta.table_name for m in models])
        for model, copied in zip(models, results, strict=True):
            landed = table_digest(target, model, batch)
            if landed != copied:
                raise CopyError(
                    f"verification failed for table {copied.table}: "
                    f"{copied.rows} rows read, {landed.rows} rows in the target"
                    + ("" if landed.rows != copied.rows else " (checksums differ)")
                    + "; nothing was copied"
                )
    return results


def _copy_table(
    source: Database,
    target: Database,
    model: type[Model],
    total: int,
    progress: Progress | None,
    batch: int,
) -> TableCopy:
    name = model._meta.table_name
    fields = model._meta.sorted_fields
    digest = hashlib.sha256()
    done = 0
    if progress:
        progress(name, 0, total)
    # one prepared INSERT run for every row (executemany): building a multi-row INSERT's
    # SQL through the query builder cost more than the database's own work
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([target.param] * len(fields))
    sql = f'INSERT INTO "{name}" ({columns}) VALUES ({marks})'
    check_statement(sql)
    converters = [f.db_value for f in fields]
    for rows in read_rows(source, model, batch):
        params = [tuple(c(v) for c, v in zip(converters, row, strict=True)) for row in rows]
        target.cursor().executemany(sql, params)
        for row in rows:
            digest.update(row_text(row).encode())
            digest.update(b"\n")
        done += len(rows)
        if progress:
            progress(name, done, max(total, done))
    return TableCopy(name, done, digest.hexdigest())
