"""One migrated PostgreSQL schema per test process, emptied back to its fresh state per test.

Migrating a new schema costs seconds on PostgreSQL (about 400 DDL statements); most
tests only need *a* freshly migrated practice. So each test process migrates one
schema once, notes what a fresh one holds (the few seeded rows, the sequences) and a
fingerprint of its objects, and before each test puts it back: one transaction that
empties every table, re-inserts the seeded rows and resets the sequences (about
30 ms) under a new name (anything the last test left running loses its schema rather
than writing into the next test's rows). A test that changed the schema itself (a
dropped trigger, a new column) is caught by the fingerprint, and the next test gets a
newly migrated schema instead.

Emptying the tables passes the audit trail's append-only trigger only with
``session_replication_role = replica``, which needs a superuser; without one every
test gets a newly migrated schema of its own, as before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from peewee import Database

from medoffice_tui.db.connection import close_database, make_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.write_guard import writing_as

#: everything in the schema that a test could change by DDL: tables, sequences and their
#: kinds, columns (type, length, not-null, default), constraints, indexes, triggers and
#: functions, each written out by PostgreSQL itself, with the schema's own name taken out
#: (the schema is renamed at every checkout)
_FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(replace(item, %(s)s || '.', ''), ',' ORDER BY item), ''))
FROM (
    SELECT c.relname || ':' || c.relkind::text AS item FROM pg_class c
     WHERE c.relnamespace = to_regnamespace(%(s)s)
    UNION ALL
    SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
           || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace = to_regnamespace(%(s)s) AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'con:' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint
     WHERE connamespace = to_regnamespace(%(s)s)
    UNION ALL
    SELECT 'idx:' || pg_get_indexdef(i.indexrelid) FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = to_regnamespace(%(s)s)
    UNION ALL
    SELECT 'trg:' || pg_get_triggerdef(t.oid) || ':' || t.tgenabled::text FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = to_regnamespace(%(s)s)
    UNION ALL
    SELECT 'fn:' || p.proname || ':' || md5(p.prosrc) FROM pg_proc p
     WHERE p.pronamespace = to_regnamespace(%(s)s)
) objects
"""


@dataclass
class _Fresh:
    """What a newly migrated schema holds."""

    tables: list[str]
    rows: dict[str, tuple[list[str], list[tuple]]]
    sequences: list[tuple[str, int, bool]]
    fingerprint: str


@dataclass
class PgTemplate:
    """The per-process migrated schema, handed out emptied to one test at a time."""

    url: str
    admin: Database = field(init=False)
    schema: str = ""
    fresh: _Fresh | None = None
    can_truncate: bool = False

    def __post_init__(self) -> None:
        self.admin = make_database(self.url)
        self.admin.connect()
        row = self.admin.execute_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        self.can_truncate = bool(row and row[0])

    def schema_url(self, schema: str) -> str:
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}schema={schema}"

    def checkout(self) -> str:
        """A URL to a freshly migrated, empty practice schema."""
        if not self.can_truncate:
            return self._migrate_new()
        if self.fresh is None or self._fingerprint() != self.fresh.fingerprint:
            self._drop_quietly()
            self._migrate_new()
            self.fresh = self._capture()
        elif not self._empty_back():
            self._drop_quietly()
            self._migrate_new()
            self.fresh = self._capture()
        else:
            self._rename()
        return self.schema_url(self.schema)

    def _rename(self) -> None:
        """A new name for each test: a thread or process the last test left running
        (a watcher polling, a worker finishing) finds its schema gone, instead of
        writing into this test's rows."""
        new = f"t_{uuid.uuid4().hex[:12]}"
        self.admin.execute_sql(f'ALTER SCHEMA "{self.schema}" RENAME TO "{new}"')
        self.schema = new

    def release(self) -> None:
        """After a test: a schema that could not be emptied is not handed out again."""
        if not self.can_truncate:
            self._drop_quietly()

    def close(self) -> None:
        self._drop_quietly()
        self.admin.close()

    # ------------------------------------------------------------------ steps

    def _migrate_new(self) -> str:
        self.schema = f"t_{uuid.uuid4().hex[:12]}"
        self.admin.execute_sql(f'CREATE SCHEMA "{self.schema}"')
        database = open_database(self.schema_url(self.schema))
        try:
            upgrade(database)
        finally:
            close_database()
        return self.schema_url(self.schema)

    def _capture(self) -> _Fresh:
        s = self.schema
        tables = [
            r[0]
            for r in self.admin.execute_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (s,)
            ).fetchall()
        ]
        rows: dict[str, tuple[list[str], list[tuple]]] = {}
        for table in tables:
            cursor = self.admin.execute_sql(f'SELECT * FROM "{s}"."{table}"')
            found = cursor.fetchall()
            if found:
                rows[table] = ([d[0] for d in cursor.description], found)
        sequences = []
        for (name,) in self.admin.execute_sql(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = %s", (s,)
        ).fetchall():
            last, called = self.admin.execute_sql(
                f'SELECT last_value, is_called FROM "{s}"."{name}"'
            ).fetchone()
            sequences.append((name, last, called))
        return _Fresh(tables, rows, sequences, self._fingerprint())

    def _fingerprint(self) -> str:
        return self.admin.execute_sql(_FINGERPRINT_SQL, {"s": self.schema}).fetchone()[0]

    def _empty_back(self) -> bool:
        """Empty every table and put the seeded rows back, in one transaction."""
        assert self.fresh is not None
        s = self.schema
        try:
            with writing_as("test:fixture"), self.admin.atomic():
                self.admin.execute_sql("SET LOCAL session_replication_role = replica")
                self.admin.execute_sql("SET LOCAL lock_timeout = '5s'")
                # DELETE, not TRUNCATE: a few rows each, and TRUNCATE's new files cost
                # seconds at commit; replica role leaves the foreign-key triggers off too
                self.admin.execute_sql(
                    "; ".join(f'DELETE FROM "{s}"."{t}"' for t in self.fresh.tables)
                )
                cursor = self.admin.cursor()
                for table, (columns, found) in self.fresh.rows.items():
                    cols = ", ".join(f'"{c}"' for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f'INSERT INTO "{s}"."{table}" ({cols}) VALUES ({marks})', found
                    )
                for name, last, called in self.fresh.sequences:
                    self.admin.execute_sql(
                        "SELECT setval(%s, %s, %s)", (f'"{s}"."{name}"', last, called)
                    )
        except Exception:  # noqa: BLE001 - a lock held by a stray session: start anew
            return False
        return True

    def _drop_quietly(self) -> None:
        if not self.schema:
            return
        try:
            self.admin.execute_sql("SET lock_timeout = '5s'")
            self.admin.execute_sql(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        except Exception:  # noqa: BLE001 - left behind for the server's owner; say nothing
            pass
        finally:
            self.schema = ""
            self.fresh = None
