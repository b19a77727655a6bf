"""PostgreSQL-only SQL: the overlap guard as an exclusion constraint, "C" collation for
prefix ranges, migration lock, backups."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from peewee import IntegrityError

from medoffice_tui import files
from medoffice_tui.db.engines import name_index
from medoffice_tui.db.engines.base import Engine
from medoffice_tui.errors import DomainError

OVERLAP_CONSTRAINT = "appointment_no_overlap"
_MIGRATION_LOCK_KEY = 0x6D65646F  # 'medo': (this key, the schema) = one upgrader per practice
_EXTENSIONS_LOCK_KEY = 0x6D656478  # 'medx': one extension change at a time, database-wide
_PATIENT_BOOKING_LOCK_KEY = 0x6D656470  # 'medp': one booking per patient at a time
_AUDIT_CHAIN_LOCK_KEY = 0x61756474  # 'audt'


#: the GIN trigram name index of schemas 3-6: migration 0007 drops it (typo search now
#: looks names up in the name vocabulary, name_index.py, the same on both engines)
LEGACY_SEARCH_INDEX = "patient_name_trgm"

#: audit_event is append-only (migration 0012): a trigger function in the practice's own
#: schema, a row trigger refusing UPDATE and DELETE, a statement trigger refusing TRUNCATE
AUDIT_GUARD_FUNCTION = "audit_event_append_only"
AUDIT_GUARD_TRIGGER = "audit_event_append_only"
AUDIT_TRUNCATE_TRIGGER = "audit_event_no_truncate"
AUDIT_GUARD_MESSAGE = "audit_event is append-only"

#: every engine-only object the latest schema has on PostgreSQL
ENGINE_OBJECTS = frozenset({OVERLAP_CONSTRAINT, AUDIT_GUARD_TRIGGER, AUDIT_TRUNCATE_TRIGGER})


def _search_path_schema(options: str) -> str | None:
    """The schema named by ``-c search_path=NAME`` in libpq options (set from ?schema=)."""
    prefix = "-c search_path="
    if options.startswith(prefix):
        return options[len(prefix) :].split()[0] or None
    return None


class PostgresEngine(Engine):
    """PostgreSQL: an exclusion constraint, "C" collation, advisory locks, pg_dump."""

    name = "postgres"
    ENGINE_OBJECTS = ENGINE_OBJECTS

    def install_guards(self) -> None:
        self.shared_extensions()
        exists = self.database.execute_sql(
            "SELECT 1 FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.conname = %s AND t.relname = 'appointment' "
            "AND t.relnamespace = to_regnamespace(current_schema())::oid",
            (OVERLAP_CONSTRAINT,),
        ).fetchone()
        if exists:
            return
        self.database.execute_sql(
            f"ALTER TABLE appointment ADD CONSTRAINT {OVERLAP_CONSTRAINT} "
            'EXCLUDE USING gist (provider_id WITH =, tsrange("start", "end") WITH &&) '
            "WHERE (status NOT IN ('cancelled', 'no_show'))"
        )

    def install_audit_guard(self) -> None:
        """Created in the current (the practice's) schema, so dropping one practice's
        schema drops its guard and no other's."""
        self.database.execute_sql(
            f"CREATE OR REPLACE FUNCTION {AUDIT_GUARD_FUNCTION}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{AUDIT_GUARD_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
            "END $$"
        )
        self.database.execute_sql(f'DROP TRIGGER IF EXISTS {AUDIT_GUARD_TRIGGER} ON "audit_event"')
        self.database.execute_sql(
            f'CREATE TRIGGER {AUDIT_GUARD_TRIGGER} BEFORE UPDATE OR DELETE ON "audit_event" '
            f"FOR EACH ROW EXECUTE FUNCTION {AUDIT_GUARD_FUNCTION}()"
        )
        self.database.execute_sql(
            f'DROP TRIGGER IF EXISTS {AUDIT_TRUNCATE_TRIGGER} ON "audit_event"'
        )
        self.database.execute_sql(
            f'CREATE TRIGGER {AUDIT_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON "audit_event" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {AUDIT_GUARD_FUNCTION}()"
        )

    def drop_audit_guard(self) -> None:
        for name in (AUDIT_GUARD_TRIGGER, AUDIT_TRUNCATE_TRIGGER):
            self.database.execute_sql(f'DROP TRIGGER IF EXISTS {name} ON "audit_event"')

    def shared_extensions(self) -> list[str]:
        """btree_gist and pg_trgm live in ``public``, never in one practice's schema.

        Created with a practice's schema first on the search path, an extension would
        be installed into that schema, and ``DROP SCHEMA that_practice CASCADE`` would
        then drop every other practice's overlap guard with it. New extensions go to
        ``public``; ones found in another schema are moved there. Returns the names
        moved. (Without CREATE on ``public``, they stay where the server puts them.)
        """
        moved = []
        # extensions are shared by every practice in the database: upgrades of two
        # practices at once take turns here (to the migration's commit), not overall
        self.database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_EXTENSIONS_LOCK_KEY,))
        if not self._public_is_writable():
            self.database.execute_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
            return moved
        for name in ("btree_gist", "pg_trgm"):
            row = self.database.execute_sql(
                "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = %s",
                (name,),
            ).fetchone()
            if row is None:
                if name == "btree_gist":
                    self.database.execute_sql(
                        "CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public"
                    )
            elif row[0] != "public":
                self.database.execute_sql(f"ALTER EXTENSION {name} SET SCHEMA public")
                moved.append(name)
        return moved

    def restore_after_migration(self) -> list[str]:
        """PostgreSQL keeps constraints and indexes across ALTER TABLE; nothing to restore."""
        return []

    def _public_is_writable(self) -> bool:
        """pg_trgm goes to ``public`` when allowed: it then outlives any one app schema."""
        row = self.database.execute_sql(
            "SELECT to_regnamespace('public') IS NOT NULL "
            "AND has_schema_privilege('public', 'CREATE')"
        ).fetchone()
        return bool(row and row[0])

    def install_search_support(self) -> None:
        """Byte-order collation on the search keys; the old trigram index goes.

        ``COLLATE "C"`` makes ``last_norm >= 'smi' AND last_norm < 'smj'`` mean the
        same as on SQLite and lets the btree indexes serve it (the indexes on those
        columns are rebuilt by the ALTER). Typo-tolerant search is plain tables now
        (``name_word``/``name_key``, migration 0007): the GIN trigram index of schemas
        3-6 is dropped (pg_trgm itself is left alone; nothing of the app needs it).
        """
        self.database.execute_sql(
            'ALTER TABLE patient ALTER COLUMN last_norm TYPE varchar(60) COLLATE "C", '
            'ALTER COLUMN first_norm TYPE varchar(60) COLLATE "C"'
        )
        self.database.execute_sql(f"DROP INDEX IF EXISTS {LEGACY_SEARCH_INDEX}")

    def widen_float_columns(self, columns: list[tuple[str, str]]) -> None:
        """Make ``(table, column)`` float columns 8-byte ``double precision``.

        Peewee's FloatField is ``REAL`` (4 bytes) on PostgreSQL, so 98.6 came back as
        98.5999984741211 and a copy from SQLite (8-byte REAL) would not verify.
        """
        for table, column in columns:
            self.database.execute_sql(
                f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE double precision'
            )

    def widen_text_column(self, table: str, column: str, length: int) -> None:
        """Let a ``varchar`` column hold ``length`` characters (done in place)."""
        self.database.execute_sql(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar({int(length)})'
        )

    def engine_objects(self) -> set[str]:
        """Which of ENGINE_OBJECTS exist in the current schema right now."""
        rows = self.database.execute_sql(
            "SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE t.relname = 'appointment' "
            "AND t.relnamespace = to_regnamespace(current_schema())::oid "
            "UNION SELECT i.relname FROM pg_class i "
            "WHERE i.relkind = 'i' AND i.relnamespace = to_regnamespace(current_schema())::oid "
            "UNION SELECT g.tgname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
            "WHERE NOT g.tgisinternal "
            "AND t.relnamespace = to_regnamespace(current_schema())::oid"
        ).fetchall()
        return {r[0] for r in rows} & ENGINE_OBJECTS

    def fuzzy_patient_ids(self, text: str, limit: int = 50) -> list[int]:
        """Typo-tolerant name match, best first: the portable name vocabulary
        (``name_index.py``), the same queries and ranking as on SQLite."""
        return name_index.fuzzy_patient_ids(self.database, text, limit)

    @contextlib.contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """One REPEATABLE READ transaction: every statement sees the same snapshot."""
        with self.database.transaction(isolation_level="REPEATABLE READ"):
            yield

    def is_overlap_error(self, exc: BaseException) -> bool:
        return isinstance(exc, IntegrityError) and OVERLAP_CONSTRAINT in str(exc)

    def lock_audit_chain(self) -> None:
        """Order the audit chain across sessions: a transaction-level advisory lock, held to
        commit. Per schema, so two practices in one self.database never wait on each other."""
        self.database.execute_sql(
            "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (_AUDIT_CHAIN_LOCK_KEY,)
        )

    def lock_patient_bookings(self, patient_id: int) -> None:
        """A transaction-level advisory lock on (bookings, patient id), held to commit: a
        second desk booking the same patient waits, then sees the first desk's booking."""
        self.database.execute_sql(
            "SELECT pg_advisory_xact_lock(%s, %s)", (_PATIENT_BOOKING_LOCK_KEY, patient_id)
        )

    @contextlib.contextmanager
    def lock_for_migrations(self) -> Iterator[None]:
        """A session-level advisory lock on (upgrades, this schema): one upgrader at a time
        per practice, while practices in other schemas upgrade side by side (the shared
        extensions take a lock of their own, ``shared_extensions``). The schema's key is
        worked out once, so the unlock always names the lock taken."""
        (schema_key,) = self.database.execute_sql(
            "SELECT coalesce(hashtext(current_schema()), 0)"
        ).fetchone()
        args = (_MIGRATION_LOCK_KEY, schema_key)
        self.database.execute_sql("SELECT pg_advisory_lock(%s, %s)", args)
        try:
            yield
        finally:
            self.database.execute_sql("SELECT pg_advisory_unlock(%s, %s)", args)

    def backup(self, dest: Path) -> None:
        """pg_dump in custom format, to a temp name then renamed."""
        exe = shutil.which("pg_dump")
        if exe is None:
            raise DomainError(
                "backups on PostgreSQL need pg_dump on PATH "
                "(Debian: apt-get install postgresql-client); nothing was written"
            )
        params = self.database.connect_params
        env = dict(os.environ)
        if params.get("password"):
            env["PGPASSWORD"] = str(params["password"])
        cmd = [exe, "--format=custom", "--no-owner", f"--dbname={self.database.database}"]
        for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
            if params.get(key):
                cmd.append(f"{flag}={params[key]}")
        schema = _search_path_schema(str(params.get("options", "")))
        if schema:  # a practice kept in its own schema (?schema=name): dump just that
            cmd.append(f"--schema={schema}")
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".partial")
        cmd.append(f"--file={tmp}")
        files.secure_file(tmp)  # pg_dump writes into it and keeps its owner-only mode
        try:
            subprocess.run(cmd, check=True, env=env, capture_output=True)
        except subprocess.CalledProcessError as exc:
            tmp.unlink(missing_ok=True)
            first = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[:1]
            raise DomainError(
                "pg_dump failed" + (f": {first[0]}" if first else "") + "; nothing was written"
            ) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        tmp.replace(dest)

    def reset_sequences(self, tables: list[str]) -> None:
        """After inserting explicit ids, move each table's id sequence past max(id)."""
        for table in tables:
            self.database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )
