"""What every database engine provides, behind one interface bound to one database.

``engine_for(database)`` gives the engine object for a Peewee database (one per
database, made on first use). Everything else in the app talks to it through
:class:`Engine`, so SQLite and PostgreSQL differ only inside ``sqlite.py`` and
``postgres.py``: the only SQL in the project that is not portable.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from peewee import Database


class BulkLoad:
    """What a loader inside ``Engine.bulk_load`` may tell the engine."""

    def tables_done(self, tables: list[str]) -> None:
        """No more rows go into ``tables`` in bulk: whatever the engine put off for them
        (e.g. building their indexes) can be done now. By default, nothing."""


class Engine(ABC):
    """One database's engine-specific operations."""

    #: "sqlite" or "postgres"
    name: ClassVar[str]
    #: every engine-only object (trigger, constraint, index, table) the latest schema has
    ENGINE_OBJECTS: ClassVar[frozenset[str]]

    def __init__(self, database: Database) -> None:
        self.database = database

    # -------------------------------------------------------------- schema

    @abstractmethod
    def install_guards(self) -> None:
        """Database-enforced rules: the appointment overlap guard (migration 0002)."""

    @abstractmethod
    def install_search_support(self) -> None:
        """Typo-tolerant name search and byte-order prefix ranges (migration 0003)."""

    @abstractmethod
    def install_audit_guard(self) -> None:
        """The audit trail is append-only in the database too: UPDATE and DELETE on
        ``audit_event`` are refused (migration 0012)."""

    @abstractmethod
    def drop_audit_guard(self) -> None:
        """Remove what :meth:`install_audit_guard` made (only ``lifted_audit_guard``)."""

    @contextlib.contextmanager
    def lifted_audit_guard(self) -> Iterator[None]:
        """Inside a write transaction: let the code inside delete audit rows (a whole
        practice wiped for a new demo), then put the guard back before the transaction
        commits. Both engines' DDL is transactional, so no other session ever sees the
        table unguarded, and a failure rolls the drop back with everything else."""
        if not self.database.in_transaction():
            raise RuntimeError("the audit guard is lifted only inside a transaction")
        self.drop_audit_guard()
        yield
        self.install_audit_guard()

    @abstractmethod
    def restore_after_migration(self) -> list[str]:
        """Re-create what a table rebuild may have dropped; returns the names restored."""

    @abstractmethod
    def engine_objects(self) -> set[str]:
        """Which of ENGINE_OBJECTS exist right now (for ``medoffice check`` and tests)."""

    @abstractmethod
    def widen_float_columns(self, columns: list[tuple[str, str]]) -> None:
        """Make ``(table, column)`` float columns 8-byte doubles."""

    @abstractmethod
    def widen_text_column(self, table: str, column: str, length: int) -> None:
        """Let a varchar column hold ``length`` characters, in place."""

    @abstractmethod
    def reset_sequences(self, tables: list[str]) -> None:
        """After inserting explicit ids: new rows continue after the highest id."""

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[BulkLoad]:
        """One write transaction that fills empty tables with many rows (the demo
        builder), made as cheap as this engine allows. By default, just the transaction.

        Yields a :class:`BulkLoad`: the loader may say which tables are complete
        (``tables_done``), so an engine that set their indexes aside builds them then,
        while the rest is still being loaded."""
        with self.database.atomic():
            yield BulkLoad()

    # --------------------------------------------------------------- rules

    @abstractmethod
    def is_overlap_error(self, exc: BaseException) -> bool:
        """Is this IntegrityError the overlap guard refusing a booking?"""

    @abstractmethod
    def fuzzy_patient_ids(self, text: str, limit: int = 50) -> list[int]:
        """Patient ids whose name is close to ``text`` despite typos, best first."""

    # ---------------------------------------------------------------- locks

    @abstractmethod
    def read_snapshot(self) -> contextlib.AbstractContextManager[None]:
        """A consistent read-only view over many statements that does not block writers."""

    @abstractmethod
    def lock_for_migrations(self) -> contextlib.AbstractContextManager[None]:
        """Serialise schema upgrades across processes."""

    @abstractmethod
    def lock_audit_chain(self) -> None:
        """Inside a write transaction: order the audit chain across sessions (to commit)."""

    @abstractmethod
    def lock_patient_bookings(self, patient_id: int) -> None:
        """Inside a write transaction: one booking or move for this patient at a time
        (to commit), so the per-patient overlap rule holds between desks."""

    @abstractmethod
    def backup(self, dest: Path) -> None:
        """A consistent, owner-only copy at ``dest`` while others keep working."""
