"""Registering a patient: every demographic field checked, a duplicate check first,
the insurance with it (a primary and optionally a secondary coverage), the MRN
assigned, all in one write.

``register`` is what the registration form calls. It checks every field
(``validation.py``) and the insurance (``coverages.clean_coverage``), then looks for
likely duplicates (``duplicates.py``): when it finds any the desk has not yet seen,
nothing is written and the result lists them, so the desk can open the existing record
instead, or confirm and register anyway (``accept_duplicates``: the ids it was shown;
a duplicate that appears meanwhile is shown again). Check and insert share one
transaction, and registrations take one lock for the check (SQLite's write lock; on
PostgreSQL the engine's per-patient lock on id 0, which no patient has), so two desks
registering the same person at once cannot both miss each other: the second waits for
the first to commit, then finds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import Patient
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, refuse_unless, writes
from medoffice_tui.services.patients.coverages import _insert_coverage, clean_coverage
from medoffice_tui.services.patients.duplicates import DuplicateRow, find_duplicates
from medoffice_tui.services.patients.fuzzy import remember_names
from medoffice_tui.services.patients.rows import PatientRow
from medoffice_tui.services.patients.search import row_by_id
from medoffice_tui.services.patients.validation import ErrorCollector, clean_demographics

#: the lock every registration's duplicate check takes (an id no patient has)
REGISTRATION_LOCK = 0

#: field names that are search keys, not typed: left out of the audit trail's field list
DERIVED = ("last_norm", "first_norm", "phone_last4")


def mrn_for(patient_id: int) -> str:
    return f"M{patient_id:07d}"  # the practice's format: M + 7 digits


@dataclass(frozen=True)
class RegistrationResult:
    """Either the new patient, or (nothing written) the likely duplicates to look at."""

    patient: PatientRow | None
    duplicates: list[DuplicateRow] = field(default_factory=list)


def recorded(names: Any) -> list[str]:
    """Field names for the audit trail (the search keys are derived, not edited)."""
    return sorted(n for n in names if n not in DERIVED)


def duplicate_mrn_or(mrn: str) -> InvalidInput:
    """The friendly error for the one constraint a desk can hit (the MRN is unique)."""
    if mrn and Patient.select().where(Patient.mrn == mrn).exists():
        return InvalidInput("that MRN is already in use", field="mrn")
    return InvalidInput("the patient record could not be saved (a database rule refused it)")


@inside_write
def insert_patient(actor: Actor, values: dict[str, Any]) -> int:
    """Insert cleaned demographics (inside a write); assigns the MRN when none was given."""
    now = clock.now()
    values = dict(values)
    values.setdefault("allergy_status", "unknown")
    assign_mrn = not values.get("mrn")
    if assign_mrn:
        values["mrn"] = "new-" + uuid.uuid4().hex[:16]  # unique placeholder until the id exists
    try:
        with db.atomic():
            patient_id = Patient.insert(
                **values, created_at=now, updated_at=now, created_by=actor.user_id,
                updated_by=actor.user_id, version=1,
            ).execute()  # fmt: skip
            if assign_mrn:
                Patient.update(mrn=mrn_for(patient_id)).where(Patient.id == patient_id).execute()
    except IntegrityError:
        raise duplicate_mrn_or(values["mrn"]) from None
    remember_names([values["last_norm"], values["first_norm"]])
    return patient_id


@writes("patient.create")
def create_patient(actor: Actor, **fields: Any) -> PatientRow:
    """Register a patient without the duplicate check (imports, tools, tests); without
    an ``mrn`` one is assigned from the new row's id."""
    values = clean_demographics(fields)
    patient_id = insert_patient(actor, values)
    audit.record(actor, "create", "patient", patient_id, patient_id=patient_id,
                 fields=recorded(values))  # fmt: skip
    row = row_by_id(patient_id)
    if row is None:  # pragma: no cover - inserted just above
        raise NotFound(f"patient {patient_id} not found")
    return row


#: the secondary coverage's fields as a registration names them (``secondary_member_id``)
SECONDARY = "secondary_"


def check_registration(
    fields: Mapping[str, Any],
    coverage: Mapping[str, Any] | None = None,
    secondary: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every field of a registration checked (no database write): the cleaned
    demographics and coverages (primary rank 1, secondary rank 2), or InvalidInput naming
    the bad field: ``FieldErrors`` with one per field when several are bad (the
    secondary coverage's fields named ``secondary_...``)."""
    errors = ErrorCollector()
    values: dict[str, Any] = {}
    cleaned: list[dict[str, Any]] = []
    with errors.check():
        values = clean_demographics(fields)
    if secondary and not coverage:
        errors.errors.append(InvalidInput(
            "a secondary coverage needs a primary one: choose the primary insurance first",
            field=f"{SECONDARY}payer_id",
        ))  # fmt: skip
    for rank, given, prefix in ((1, coverage, ""), (2, secondary, SECONDARY)):
        if given:
            with errors.check(rename=prefix):
                cleaned.append(clean_coverage({**given, "rank": rank}))
    errors.raise_any()
    return values, cleaned


@writes("patient.create")
def register(
    actor: Actor,
    fields: Mapping[str, Any],
    coverage: Mapping[str, Any] | None = None,
    accept_duplicates: Collection[int] = (),
    secondary: Mapping[str, Any] | None = None,
) -> RegistrationResult:
    """Register a patient with their insurance (``coverage`` the primary, ``secondary``
    an optional second one): see the module docstring. Every bad field is reported at
    once (see :func:`check_registration`)."""
    values, coverages = check_registration(fields, coverage, secondary)
    if coverages:
        refuse_unless(actor, "coverage.edit")
    engine_for().lock_patient_bookings(REGISTRATION_LOCK)  # held to commit
    duplicates = find_duplicates(values)
    unseen = [d for d in duplicates if d.id not in set(accept_duplicates)]
    if unseen:
        return RegistrationResult(None, duplicates)
    patient_id = insert_patient(actor, values)
    audit.record(actor, "create", "patient", patient_id, patient_id=patient_id,
                 fields=recorded(values),
                 detail="registered despite a likely duplicate" if duplicates else "")  # fmt: skip
    for cleaned in coverages:
        _insert_coverage(actor, patient_id, cleaned)
    return RegistrationResult(row_by_id(patient_id))
