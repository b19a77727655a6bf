"""``medoffice patients export``: every patient as CSV, in the columns import reads.

The file is what ``patients import`` takes without a mapping (``mapping.EXPORT_COLUMNS``):
demographics, the external id, active, and the primary coverage (payer by its X12
identifier). Patients are read a page at a time by id, so a million patients never sit
in memory. An export is a disclosure of every record: one audit event with the count.
Merged duplicates are left out (their survivor carries everything).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import IO, Any

from peewee import JOIN

from medoffice_tui.db.models import Coverage, Patient, Payer
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.patients.mapping import COVERAGE_COLUMNS, EXPORT_COLUMNS

PAGE = 1000
_PATIENT_COLUMNS = [c for c in EXPORT_COLUMNS if c not in COVERAGE_COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@reads("patient.export")
def export_patients(
    actor: Actor, out: IO[str], progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Write every (unmerged) patient to ``out`` as CSV; returns how many."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    fields = [getattr(Patient, c) for c in _PATIENT_COLUMNS]
    total = Patient.select().where(Patient.merged_into.is_null()).count()
    after = 0
    written = 0
    while True:
        rows = list(
            Patient.select(Patient.id, *fields)
            .where((Patient.id > after) & Patient.merged_into.is_null())
            .order_by(Patient.id)
            .limit(PAGE)
            .tuples()
        )
        if not rows:
            break
        ids = [r[0] for r in rows]
        primary = {
            pid: rest
            for pid, *rest in Coverage.select(
                Coverage.patient,
                Payer.payer_id,
                Coverage.member_id,
                Coverage.group_number,
                Coverage.relationship,
                Coverage.subscriber_first,
                Coverage.subscriber_last,
                Coverage.subscriber_dob,
            )  # fmt: skip
            .join(Payer, JOIN.INNER, on=(Coverage.payer == Payer.id))
            .where(Coverage.patient.in_(ids) & (Coverage.rank == 1) & (Coverage.active == True))  # noqa: E712
            .tuples()
        }
        for pid, *values in rows:
            coverage = primary.get(pid, [""] * len(COVERAGE_COLUMNS))
            writer.writerow([_cell(v) for v in (*values, *coverage)])
        written += len(rows)
        after = ids[-1]
        if progress is not None:
            progress("exporting", written, total)
    audit.record(actor, "export", "patient", None, detail=f"patients export: {written} records")
    return written
