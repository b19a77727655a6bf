"""PostgreSQL-only SQL: the overlap guard as an exclusion constraint, migration lock, backups."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from peewee import Database, IntegrityError

OVERLAP_CONSTRAINT = "appointment_no_overlap"
_MIGRATION_LOCK_KEY = 0x6D65646F  # 'medo'


def install_guards(database: Database) -> None:
    database.execute_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
    exists = database.execute_sql(
        "SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE c.conname = %s AND t.relname = 'appointment' "
        "AND t.relnamespace = to_regnamespace(current_schema())::oid",
        (OVERLAP_CONSTRAINT,),
    ).fetchone()
    if exists:
        return
    database.execute_sql(
        f"ALTER TABLE appointment ADD CONSTRAINT {OVERLAP_CONSTRAINT} "
        'EXCLUDE USING gist (provider_id WITH =, tsrange("start", "end") WITH &&) '
        "WHERE (status NOT IN ('cancelled', 'no_show'))"
    )


def restore_after_migration(database: Database) -> list[str]:
    """PostgreSQL keeps constraints across ALTER TABLE; nothing to restore."""
    return []


def guard_names(database: Database) -> set[str]:
    rows = database.execute_sql(
        "SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "WHERE t.relname = 'appointment' "
        "AND t.relnamespace = to_regnamespace(current_schema())::oid"
    ).fetchall()
    return {r[0] for r in rows} & {OVERLAP_CONSTRAINT}


def is_overlap_error(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityError) and OVERLAP_CONSTRAINT in str(exc)


@contextlib.contextmanager
def lock_for_migrations(database: Database) -> Iterator[None]:
    """A session-level advisory lock: one upgrader at a time per database."""
    database.execute_sql("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK_KEY,))
    try:
        yield
    finally:
        database.execute_sql("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK_KEY,))


def backup(database: Database, dest: Path) -> None:
    """pg_dump in custom format, to a temp name then renamed."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise RuntimeError(
            "backups on PostgreSQL need pg_dump on PATH (Debian: apt-get install postgresql-client)"
        )
    params = database.connect_params
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    cmd = [exe, "--format=custom", "--no-owner", f"--dbname={database.database}"]
    for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
        if params.get(key):
            cmd.append(f"{flag}={params[key]}")
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    cmd.append(f"--file={tmp}")
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    tmp.replace(dest)


def reset_sequences(database: Database, tables: list[str]) -> None:
    """After inserting explicit ids, move each table's id sequence past max(id)."""
    for table in tables:
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )
