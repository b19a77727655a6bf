"""What every database engine provides, behind one interface bound to one database.

``engine_for(database)`` gives the engine object for a Peewee database (one per
database, made on first use). Everything else in the app talks to it through
:class:`Engine`, so SQLite and PostgreSQL differ only inside ``sqlite.py`` and
``postgres.py``: the only SQL in the project that is not portable.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from peewee import Database


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
