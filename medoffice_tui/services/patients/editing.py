"""What every section edit of a record shares: the version check and the refusal.

A save names the version of the section it read (``UPDATE ... WHERE id = ? AND
version = ?``). When another desk saved that section first nothing is written and
:class:`SectionStaleEdit` says who changed it and which fields; it also carries what
this desk tried to save and the version now on file, so the desk can look at the new
values and save its own again knowingly (``attempted``, ``current_version``). Field
*names* only in the message: never a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from medoffice_tui.db.models import AuditEvent
from medoffice_tui.errors import StaleEdit
from medoffice_tui.services.staff import staff_name


class SectionStaleEdit(StaleEdit):
    """Another desk saved this section of the record first; nothing was written."""

    def __init__(
        self,
        section: str,
        *,
        changed_by: str = "",
        changed_fields: Iterable[str] = (),
        current_version: int = 0,
        attempted: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(changed_by=changed_by, changed_fields=changed_fields)
        self.section = section
        self.current_version = current_version
        #: what this desk tried to save (its own typed values, to apply again)
        self.attempted = dict(attempted or {})

    def __repr__(self) -> str:  # never the attempted values (they are patient data)
        return f"SectionStaleEdit({self.section!r}, version {self.current_version})"


def changed_since(read: Mapping[str, Any] | None, current: Mapping[str, Any]) -> list[str]:
    """The fields whose stored value is no longer what the desk read."""
    if not read:
        return []
    return sorted(
        name for name, value in read.items() if name in current and current[name] != value
    )


def last_changed_fields(entity: str, entity_id: int) -> list[str]:
    """The fields the latest change to this record named in the audit trail (when the
    desk did not say what it had read)."""
    fields = (
        AuditEvent.select(AuditEvent.fields)
        .where(
            (AuditEvent.object_type == entity)
            & (AuditEvent.object_id == entity_id)
            & (AuditEvent.action == "update")
        )
        .order_by(AuditEvent.id.desc())
        .scalar()
    )
    return [f for f in (fields or "").split(",") if f]


def stale(
    section: str,
    *,
    entity: str,
    entity_id: int,
    updated_by: int | None,
    current_version: int,
    current: Mapping[str, Any],
    read: Mapping[str, Any] | None,
    attempted: Mapping[str, Any],
) -> SectionStaleEdit:
    fields = changed_since(read, current) or last_changed_fields(entity, entity_id)
    return SectionStaleEdit(
        section,
        changed_by=staff_name(updated_by),
        changed_fields=fields,
        current_version=current_version,
        attempted=attempted,
    )
