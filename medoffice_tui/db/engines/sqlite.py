"""SQLite-only SQL: the overlap guard and the append-only audit trail as triggers,
migration lock, backups."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from peewee import IntegrityError, OperationalError

from medoffice_tui import files
from medoffice_tui.db.engines import name_index
from medoffice_tui.db.engines.base import BulkLoad, Engine

OVERLAP_MESSAGE = "appointment_overlap"

# A live appointment is any not cancelled and not a no-show.
_LIVE = "status NOT IN ('cancelled', 'no_show')"

OVERLAP_TRIGGERS = {
    "appointment_no_overlap_insert": f"""
CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_insert
BEFORE INSERT ON appointment
WHEN NEW.{_LIVE} AND EXISTS (
    SELECT 1 FROM appointment a
    WHERE a.provider_id = NEW.provider_id AND a.{_LIVE}
      AND a."start" < NEW."end" AND a."end" > NEW."start")
BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END
""",
    "appointment_no_overlap_update": f"""
CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_update
BEFORE UPDATE OF "start", "end", provider_id, status ON appointment
WHEN NEW.{_LIVE} AND EXISTS (
    SELECT 1 FROM appointment a
    WHERE a.id <> NEW.id AND a.provider_id = NEW.provider_id AND a.{_LIVE}
      AND a."start" < NEW."end" AND a."end" > NEW."start")
BEGIN SELECT RAISE(ABORT, '{OVERLAP_MESSAGE}'); END
""",
}


#: the FTS5 trigram name index of schemas 3-6 and its sync triggers: migration 0007
#: drops them (typo search now looks names up in the name vocabulary, name_index.py)
LEGACY_SEARCH_TABLE = "patient_name_fts"
LEGACY_SEARCH_TRIGGERS = (
    "patient_name_fts_insert",
    "patient_name_fts_update",
    "patient_name_fts_delete",
)

#: what the audit guard says when it refuses (migration 0012)
AUDIT_GUARD_MESSAGE = "audit_event is append-only"

#: audit_event is append-only (migration 0012): rows may be added, never changed or removed
AUDIT_TRIGGERS = {
    "audit_event_no_update": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_update
BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD_MESSAGE}'); END
""",
    "audit_event_no_delete": f"""
CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD_MESSAGE}'); END
""",
}

#: the page cache of a bulk load, in KiB (pages are only held once used)
BULK_CACHE_KIB = 1024 * 1024

#: every engine-only object the latest schema has on SQLite
ENGINE_OBJECTS = frozenset(OVERLAP_TRIGGERS) | frozenset(AUDIT_TRIGGERS)


class SqliteEngine(Engine):
    """SQLite: triggers, a file lock, VACUUM INTO."""

    name = "sqlite"
    ENGINE_OBJECTS = ENGINE_OBJECTS

    def install_guards(self) -> None:
        for ddl in OVERLAP_TRIGGERS.values():
            self.database.execute_sql(ddl)

    def install_audit_guard(self) -> None:
        for ddl in AUDIT_TRIGGERS.values():
            self.database.execute_sql(ddl)

    def drop_audit_guard(self) -> None:
        for name in AUDIT_TRIGGERS:
            self.database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")

    def install_search_support(self) -> None:
        """Nothing engine-specific any more: the typo-tolerant name search is plain tables
        (``name_word``/``name_key``, migration 0007). Drops the FTS5 trigram index and its
        triggers that schemas 3-6 had (they cost a trigger per patient write and, at a
        million patients, up to half a second per misspelt keystroke)."""
        for name in LEGACY_SEARCH_TRIGGERS:
            self.database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        self.database.execute_sql(f"DROP TABLE IF EXISTS {LEGACY_SEARCH_TABLE}")

    def _trigger_names(self) -> set[str]:
        rows = self.database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {r[0] for r in rows.fetchall()}

    def restore_after_migration(self) -> list[str]:
        """Re-create guard triggers a table rebuild dropped. Returns the names restored."""
        existing = self._trigger_names()
        tables = set(self.database.get_tables())
        restored = []
        if "appointment" in tables:
            for name, ddl in OVERLAP_TRIGGERS.items():
                if name not in existing:
                    self.database.execute_sql(ddl)
                    restored.append(name)
        return restored

    def widen_float_columns(self, columns: list[tuple[str, str]]) -> None:
        """SQLite's REAL is already an 8-byte double: nothing to do."""

    def widen_text_column(self, table: str, column: str, length: int) -> None:
        """SQLite does not enforce VARCHAR lengths: nothing to do (and no table rebuild)."""

    def engine_objects(self) -> set[str]:
        """Which of ENGINE_OBJECTS exist right now."""
        return (self._trigger_names() | set(self.database.get_tables())) & ENGINE_OBJECTS

    def fuzzy_patient_ids(self, text: str, limit: int = 50) -> list[int]:
        """Typo-tolerant name match, best first: the portable name vocabulary
        (``name_index.py``), the same queries and ranking as on PostgreSQL."""
        return name_index.fuzzy_patient_ids(self.database, text, limit)

    @contextlib.contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """A deferred read transaction: one WAL snapshot, writers keep going."""
        with self.database.transaction("DEFERRED"):
            yield

    def is_overlap_error(self, exc: BaseException) -> bool:
        return isinstance(exc, IntegrityError) and OVERLAP_MESSAGE in str(exc)

    def lock_audit_chain(self) -> None:
        """Nothing to take: every write transaction already holds SQLite's one write lock
        (``BEGIN IMMEDIATE``), so audit events are chained one desk at a time."""

    def lock_patient_bookings(self, patient_id: int) -> None:
        """Nothing to take: the write transaction already holds SQLite's one write lock."""

    @contextlib.contextmanager
    def lock_for_migrations(self) -> Iterator[None]:
        """An exclusive file lock beside the self.database file (no-op for :memory:)."""
        path = self.database.database
        if not path or path == ":memory:":
            yield
            return
        lock_path = Path(str(path) + ".migrate-lock")
        with open(files.secure_file(lock_path), "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def backup(self, dest: Path) -> None:
        """Consistent online copy with VACUUM INTO (to a temp name, then renamed)."""
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".partial")
        tmp.unlink(missing_ok=True)
        files.secure_file(tmp)  # VACUUM INTO fills an empty file and keeps its owner-only mode
        try:
            self.database.execute_sql("VACUUM INTO ?", (str(tmp),))
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        tmp.replace(dest)

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[BulkLoad]:
        """One transaction that fills a new practice file, without the costs that made a
        million patients take minutes.

        Measured at 1,000,000 patients: a dozen secondary B-trees updated row by row
        through a 16 MB page cache (the patients part alone took 124 s). So, for the
        length of the build: no fsync until the end (WAL mode: a crash can lose the
        build, never corrupt the file), a 1 GB page cache (``BULK_CACHE_KIB``: a page
        missed is looked up across the whole, growing WAL, and each of the claim table's
        19 indexes is one more full scan of it), and the indexes that
        enforce nothing (not UNIQUE) dropped and built again from their own SQL, each in
        one sorted pass: a table's as soon as the loader says it is done
        (``BulkLoad.tables_done``: the demo builds them while its claim workers draw), the
        rest at the end. Unique indexes stay: they guard the rows as they
        go in. The index builds sort on ``SORT_THREADS`` threads. The journal is kept in
        memory for the build (``_journal_in_memory``): in WAL mode every page was
        written twice, to the WAL and again at the checkpoint after the commit, and each
        page the cache spilled was looked up in the WAL (measured at 1,000,000 patients:
        the commit and its checkpoint took 18-36 s); a rollback journal holds only the
        pages the file had before, a few hundred for a new practice. Everything is one
        transaction: a failed build leaves the schema and the data as they were.
        """
        database = self.database

        def pragma(sql: str) -> object:
            # every row read, so no statement is left active on the connection (a PRAGMA
            # that returns a row and is not stepped to its end holds a table lock, and a
            # later wal_checkpoint then fails with "database table is locked")
            rows = database.execute_sql(f"PRAGMA {sql}").fetchall()
            return rows[0][0] if rows else None

        sync, cache, threads = pragma("synchronous"), pragma("cache_size"), pragma("threads")
        pragma("synchronous = OFF")
        pragma(f"cache_size = -{BULK_CACHE_KIB}")
        pragma(f"threads = {SORT_THREADS}")
        journal = _journal_in_memory(pragma)
        adapters = _fast_date_adapters()
        try:
            with database.atomic():
                indexes = database.execute_sql(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
                ).fetchall()
                for name, _table, _sql in indexes:
                    database.execute_sql(f'DROP INDEX "{name}"')
                loader = _DeferredIndexes(database, [(table, sql) for _n, table, sql in indexes])
                yield loader
                loader.build()
        finally:
            _restore_adapters(adapters)
            if journal is not None:
                pragma(f"journal_mode = {journal}")
                # a new connection: on a file migrated by this same connection, the
                # first checkpoint after the switch back failed with "database table
                # is locked" (the same statements on a fresh connection do not)
                database.close()
                database.connect()  # its own pragmas: 16 MB cache, synchronous NORMAL
            else:
                pragma(f"threads = {int(threads)}")
                pragma(f"cache_size = {int(cache)}")
                pragma(f"synchronous = {int(sync)}")

    def reset_sequences(self, tables: list[str]) -> None:
        """SQLite's INTEGER PRIMARY KEY continues from max(id) by itself."""


#: threads SQLite may use to sort the rows of one CREATE INDEX (its default is none)
SORT_THREADS = 2


def _journal_in_memory(pragma: Callable[[str], object]) -> str | None:
    """Switch a WAL file to an in-memory rollback journal for one bulk transaction;
    returns the mode to put back after it, or None when the file stays as it is.

    Leaving WAL needs the file to itself: with another connection open on it (another
    desk's app), the switch is refused and the build runs in WAL as before. A crash
    during the build can leave the file unreadable (the journal was in memory); the
    build fills a new practice, so nothing that was there before is at risk.
    """
    mode = str(pragma("journal_mode")).lower()
    if mode != "wal":
        return None
    try:
        pragma("wal_checkpoint(TRUNCATE)")
        switched = str(pragma("journal_mode = MEMORY")).lower()
    except (sqlite3.OperationalError, OperationalError):
        return None
    return mode if switched == "memory" else None


_DATE_KEYS = tuple((kind, sqlite3.PrepareProtocol) for kind in (dt.date, dt.datetime))


def _fast_date_adapters() -> dict:
    """Bind dates and datetimes with ``str`` (same text as the default adapters, which
    are ``isoformat`` in Python); returns the adapters it replaced, to put back."""
    previous = {key: sqlite3.adapters.get(key) for key in _DATE_KEYS}
    for key in _DATE_KEYS:
        sqlite3.adapters[key] = str
    return previous


def _restore_adapters(previous: dict) -> None:
    for key, adapter in previous.items():
        if adapter is None:
            sqlite3.adapters.pop(key, None)
        else:
            sqlite3.adapters[key] = adapter


class _DeferredIndexes(BulkLoad):
    """The non-unique indexes ``bulk_load`` dropped, built again from their own SQL once
    their table is done (``tables_done``) or at the end (``build``), each in one pass."""

    def __init__(self, database: object, indexes: list[tuple[str, str]]) -> None:
        self.database = database
        self.pending = list(indexes)

    def tables_done(self, tables: list[str]) -> None:
        self.build(set(tables))

    def build(self, tables: set[str] | None = None) -> None:
        later = []
        for table, sql in self.pending:
            if tables is None or table in tables:
                self.database.execute_sql(sql)  # type: ignore[attr-defined]
            else:
                later.append((table, sql))
        self.pending = later
