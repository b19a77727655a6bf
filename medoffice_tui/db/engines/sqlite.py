"""SQLite-only SQL: the overlap guard as triggers, trigram name search, migration lock, backups."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from peewee import IntegrityError

from medoffice_tui import files
from medoffice_tui.db.engines.base import Engine
from medoffice_tui.db.engines.ranking import FUZZY_POOL, name_words, rank_name_candidates

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


#: contentless FTS5 trigram table over the patient's name; rowid = patient.id.
#: The trigram tokenizer's remove_diacritics needs SQLite 3.45, so the *_norm
#: (already accent-free) text is what gets indexed.
SEARCH_TABLE = "patient_name_fts"
#: the indexed text pads each name part with spaces as pg_trgm pads words, so
#: word-start/-end trigrams (" sm", "th ") exist: "smth" still shares some with
#: "smith" although a dropped middle letter breaks every inner trigram
_FTS_TEXT = "'  ' || {row}.last_norm || '   ' || {row}.first_norm || ' '"
_NAME = "{row}.last_norm || ' ' || {row}.first_norm"
_FTS_INSERT = (
    f"INSERT INTO {SEARCH_TABLE}(rowid, name) VALUES (NEW.id, {_FTS_TEXT.format(row='NEW')});"
)
# a contentless table forgets a row only when told the exact text it indexed
_FTS_DELETE = (
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, name) "
    f"VALUES ('delete', OLD.id, {_FTS_TEXT.format(row='OLD')});"
)

SEARCH_TRIGGERS = {
    "patient_name_fts_insert": f"""
CREATE TRIGGER IF NOT EXISTS patient_name_fts_insert AFTER INSERT ON patient
BEGIN {_FTS_INSERT} END
""",
    "patient_name_fts_update": f"""
CREATE TRIGGER IF NOT EXISTS patient_name_fts_update
AFTER UPDATE OF id, last_norm, first_norm ON patient
BEGIN {_FTS_DELETE} {_FTS_INSERT} END
""",
    "patient_name_fts_delete": f"""
CREATE TRIGGER IF NOT EXISTS patient_name_fts_delete AFTER DELETE ON patient
BEGIN {_FTS_DELETE} END
""",
}

#: every engine-only object the latest schema has on SQLite
ENGINE_OBJECTS = frozenset(OVERLAP_TRIGGERS) | frozenset(SEARCH_TRIGGERS) | {SEARCH_TABLE}


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _query_trigrams(text: str) -> list[str]:
    """Trigrams of each query word padded like the indexed text (pg_trgm style).

    Words are taken both as typed (keeping ' and -, as in "o'neil") and split
    into alphanumeric runs, so either spelling of a name part finds candidates.
    """
    tokens = set(text.lower().split()) | set(name_words(text))
    grams = set()
    for token in tokens:
        padded = f"  {token} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    grams.discard("   ")
    return sorted(grams)


class SqliteEngine(Engine):
    """SQLite: triggers, FTS5 trigram search, a file lock, VACUUM INTO."""

    name = "sqlite"
    ENGINE_OBJECTS = ENGINE_OBJECTS

    def install_guards(self) -> None:
        for ddl in OVERLAP_TRIGGERS.values():
            self.database.execute_sql(ddl)

    def install_search_support(self) -> None:
        """Create the trigram name index, its sync triggers, and fill it from patient."""
        self.database.execute_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} "
            "USING fts5(name, content='', tokenize='trigram')"
        )
        for ddl in SEARCH_TRIGGERS.values():
            self.database.execute_sql(ddl)
        self.rebuild_search_index()

    def rebuild_search_index(self) -> None:
        """Refill the derived name index from patient (after a backfill or lost triggers)."""
        with self.database.atomic():
            self.database.execute_sql(
                f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')"
            )
            self.database.execute_sql(
                f"INSERT INTO {SEARCH_TABLE}(rowid, name) "
                f"SELECT id, {_FTS_TEXT.format(row='patient')} FROM patient"
            )

    def _trigger_names(self) -> set[str]:
        rows = self.database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {r[0] for r in rows.fetchall()}

    def restore_after_migration(self) -> list[str]:
        """Re-create guard and search triggers a table rebuild dropped. Returns the names restored.

        If any search trigger was missing, patient rows may have changed unseen,
        so the search index is rebuilt from the table as well.
        """
        existing = self._trigger_names()
        tables = set(self.database.get_tables())
        restored = []
        if "appointment" in tables:
            for name, ddl in OVERLAP_TRIGGERS.items():
                if name not in existing:
                    self.database.execute_sql(ddl)
                    restored.append(name)
        if SEARCH_TABLE in tables and "patient" in tables:
            missing = [name for name in SEARCH_TRIGGERS if name not in existing]
            for name in missing:
                self.database.execute_sql(SEARCH_TRIGGERS[name])
                restored.append(name)
            if missing:
                self.rebuild_search_index()
        return restored

    def widen_float_columns(self, columns: list[tuple[str, str]]) -> None:
        """SQLite's REAL is already an 8-byte double: nothing to do."""

    def widen_text_column(self, table: str, column: str, length: int) -> None:
        """SQLite does not enforce VARCHAR lengths: nothing to do (and no table rebuild)."""

    def engine_objects(self) -> set[str]:
        """Which of ENGINE_OBJECTS exist right now."""
        return (self._trigger_names() | set(self.database.get_tables())) & ENGINE_OBJECTS

    def fuzzy_patient_ids(self, text: str, limit: int = 50) -> list[int]:
        """Typo-tolerant name match, best first (see engines/__init__.py).

        Candidates: patients sharing any trigram with the query, best bm25 first
        (rare shared trigrams count most); the shared ranking then keeps those
        close enough and orders them exactly as on PostgreSQL.
        """
        grams = _query_trigrams(text)
        if not name_words(text) or limit <= 0:
            return []
        match = " OR ".join(_fts_phrase(g) for g in grams)
        rows = self.database.execute_sql(
            f"SELECT p.id, {_NAME.format(row='p')} FROM "
            f"(SELECT rowid AS id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? "
            f"ORDER BY bm25({SEARCH_TABLE}) LIMIT ?) AS hit "
            "JOIN patient p ON p.id = hit.id",
            (match, FUZZY_POOL),
        ).fetchall()
        return rank_name_candidates(text, rows, limit)

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

    def reset_sequences(self, tables: list[str]) -> None:
        """SQLite's INTEGER PRIMARY KEY continues from max(id) by itself."""
