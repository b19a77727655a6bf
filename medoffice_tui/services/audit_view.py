"""The audit trail for managers: list, export and verify (``audit.view``).

The trail itself is written by ``services/audit.py``; this module is the checked way
to read it, shared by the audit screen and ``medoffice audit list|export|verify``.
An export is itself an audited event.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import IO, Any

from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.audit import AuditFilter, AuditRow, ChainReport
from medoffice_tui.services.paging import Page

CSV_COLUMNS = (
    "id",
    "time_utc",
    "user",
    "action",
    "entity",
    "entity_id",
    "patient_id",
    "fields",
    "success",
    "detail",
)


@reads("audit.view")
def list_events(
    actor: Actor,
    filt: AuditFilter | None = None,
    after: Any | None = None,
    limit: int = 100,
    *,
    before: Any | None = None,
    from_end: bool = False,
) -> Page[AuditRow]:
    """A page of the trail, newest first (``after`` = the previous page's ``next_after``;
    ``from_end`` the oldest page; ``before`` = its ``prev_before``, the page above)."""
    return audit.query_events(
        filt or AuditFilter(), after=after, limit=limit, before=before, from_end=from_end
    )


def _all_events(filt: AuditFilter, batch: int = 2000) -> Iterator[AuditRow]:
    after = None
    while True:
        page = audit.query_events(filt, after=after, limit=batch)
        yield from page.rows
        if page.next_after is None:
            return
        after = page.next_after


def csv_row(row: AuditRow) -> list[str]:
    return [
        str(row.id),
        row.at_utc.isoformat(timespec="seconds"),
        row.username or "",
        row.action,
        row.entity,
        "" if row.entity_id is None else str(row.entity_id),
        "" if row.patient_id is None else str(row.patient_id),
        row.fields,
        "yes" if row.success else "no",
        row.detail,
    ]


@reads("audit.view")
def export_csv(
    actor: Actor,
    out: IO[str],
    filt: AuditFilter | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the matching events (newest first) as CSV to ``out``; returns how many."""
    filt = filt or AuditFilter()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in _all_events(filt):
        writer.writerow(csv_row(row))
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    audit.record(actor, "export", "audit", detail=f"{count} events: {filt.describe()}"[:200])
    return count


@reads("audit.view")
def verify(actor: Actor) -> ChainReport:
    """Recompute the whole chain (see ``audit.verify_chain``)."""
    return audit.verify_chain()
