"""A patient's record: everything the record screen shows, and the demographics edit.

Opening a record is a disclosure of PHI: each :func:`get_patient` is an audit event.
It reads each section with one indexed query (no per-row queries): demographics,
coverages, allergies and their state, vitals history, notes, upcoming and past
appointments, recent claims with the open balance, and likely duplicates on file.

:func:`update_patient` changes demographics only, against the version the desk read;
insurance, allergies, vitals and notes have their own writes and versions
(``coverages.py``, ``allergies.py``, ``vitals.py``, ``notes.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peewee import JOIN, IntegrityError, fn

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.models import (
    LIVE_STATUSES,
    OPEN_CLAIM_STATUSES,
    Appointment,
    Claim,
    Patient,
    Payer,
    Provider,
)
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.patients.allergies import active_allergies
from medoffice_tui.services.patients.coverages import active_coverages
from medoffice_tui.services.patients.duplicates import find_duplicates
from medoffice_tui.services.patients.editing import stale
from medoffice_tui.services.patients.fuzzy import remember_names
from medoffice_tui.services.patients.notes import notes_of
from medoffice_tui.services.patients.registration import duplicate_mrn_or, recorded
from medoffice_tui.services.patients.rows import (
    ClaimSummaryRow,
    PatientDetail,
    PatientRow,
    VisitRow,
    readable_date,
    readable_datetime,
    text_of,
)
from medoffice_tui.services.patients.search import row_by_id
from medoffice_tui.services.patients.validation import DEMOGRAPHICS, clean_demographics
from medoffice_tui.services.patients.vitals import vitals_history

#: the demographic fields a desk edits (the demographics section's form)
EDITABLE_FIELDS = frozenset(DEMOGRAPHICS)
#: how many rows each list section of the record shows
VISITS_SHOWN = 5
CLAIMS_SHOWN = 8
VITALS_SHOWN = 10
NOTES_SHOWN = 10

_DETAIL_FIELDS = (
    "id", "mrn", "first_name", "middle_name", "last_name", "preferred_name", "dob", "sex",
    "phone_home", "phone_mobile", "phone_work", "email", "address1", "address2", "city",
    "state", "zip", "preferred_contact", "ssn_last4", "notes", "active", "version",
    "suffix", "preferred_language", "emergency_name", "emergency_relationship",
    "emergency_phone", "external_id", "allergy_status", "allergy_reviewed_on",
    "coverage_version", "allergy_version",
)  # fmt: skip


def _visits(patient_id: int, upcoming: bool) -> list[VisitRow]:
    now = clock.now()
    query = (
        Appointment.select(
            Appointment.id,
            Appointment.start,
            Provider.last_name,
            Provider.credential,
            Appointment.reason,
            Appointment.status,
        )  # fmt: skip
        .join(Provider, JOIN.LEFT_OUTER, on=(Appointment.provider == Provider.id))
        .where(Appointment.patient == patient_id)
        .limit(VISITS_SHOWN)
    )
    if upcoming:
        query = query.where(
            (Appointment.start >= now) & Appointment.status.in_(LIVE_STATUSES)
        ).order_by(Appointment.start, Appointment.id)
    else:
        query = query.where(Appointment.start < now).order_by(
            Appointment.start.desc(), Appointment.id.desc()
        )
    rows = []
    for aid, start, last, credential, reason, status in query.tuples():
        provider = " ".join(p for p in (text_of(last), text_of(credential)) if p)
        rows.append(VisitRow(aid, readable_datetime(start), provider, text_of(reason),
                             text_of(status)))  # fmt: skip
    return rows


def _claims(patient_id: int) -> tuple[list[ClaimSummaryRow], int]:
    query = (
        Claim.select(
            Claim.id,
            Claim.claim_number,
            Claim.service_date,
            Payer.name,
            Claim.status,
            Claim.total_charge_cents,
            Claim.balance_cents,
        )  # fmt: skip
        .join(Payer, JOIN.LEFT_OUTER, on=(Claim.payer == Payer.id))
        .where(Claim.patient == patient_id)
        .order_by(Claim.service_date.desc(), Claim.id.desc())
        .limit(CLAIMS_SHOWN)
        .tuples()
    )
    rows = [
        ClaimSummaryRow(
            cid,
            text_of(num),
            readable_date(day),
            text_of(payer),
            text_of(status),
            int(total or 0),
            int(balance or 0),
        )  # fmt: skip
        for cid, num, day, payer, status, total, balance in query
    ]
    balance = (
        Claim.select(fn.COALESCE(fn.SUM(Claim.balance_cents), 0))
        .where((Claim.patient == patient_id) & Claim.status.in_(OPEN_CLAIM_STATUSES))
        .scalar()
    )
    return rows, int(balance or 0)


@reads("patient.view")
def get_patient(actor: Actor, patient_id: int) -> PatientDetail:
    """Everything the record screen shows (see the module docstring); an audit event."""
    patient = Patient.get_or_none(Patient.id == patient_id)
    if patient is None:
        raise NotFound(f"patient {patient_id} not found")
    audit.record(actor, "view", "patient", patient_id, patient_id=patient_id)
    values = {name: getattr(patient, name) for name in _DETAIL_FIELDS}
    values["dob"] = readable_date(values["dob"])
    values["allergy_reviewed_on"] = readable_date(values["allergy_reviewed_on"])
    for name, value in values.items():
        if name not in ("id", "dob", "allergy_reviewed_on", "active", "version",
                        "coverage_version", "allergy_version"):  # fmt: skip
            values[name] = text_of(value)
    merged_into = patient.merged_into_id
    merged_mrn = ""
    if merged_into is not None:
        merged_mrn = Patient.select(Patient.mrn).where(Patient.id == merged_into).scalar() or ""
    vitals = vitals_history(patient_id, VITALS_SHOWN)
    claims, balance = _claims(patient_id)
    duplicates: list[PatientRow] = []
    if patient.active and merged_into is None and values["dob"] is not None:
        same = find_duplicates(
            {
                "last_norm": patient.last_norm,
                "first_norm": patient.first_norm,
                "dob": values["dob"],
            },  # fmt: skip
            exclude_id=patient_id,
        )
        duplicates = [d.patient for d in same if d.patient.active][:3]
    return PatientDetail(
        **values,
        coverages=active_coverages(patient_id),
        allergies=active_allergies(patient_id),
        latest_vitals=vitals[0] if vitals else None,
        merged_into=merged_into,
        merged_into_mrn=text_of(merged_mrn),
        vitals=vitals,
        note_rows=notes_of(patient_id, NOTES_SHOWN),
        upcoming=_visits(patient_id, upcoming=True),
        past=_visits(patient_id, upcoming=False),
        claims=claims,
        open_balance_cents=balance,
        possible_duplicates=duplicates,
    )


def demographics_of(patient_id: int) -> dict[str, Any]:
    """The stored demographic fields of a patient (no audit: for the write path)."""
    current = (
        Patient.select(
            *[getattr(Patient, name) for name in sorted(EDITABLE_FIELDS)],
            Patient.version,
            Patient.updated_by,
            Patient.merged_into,
        )  # fmt: skip
        .where(Patient.id == patient_id)
        .dicts()
        .first()
    )
    if current is None:
        raise NotFound(f"patient {patient_id} not found")
    return current


@writes("patient.edit")
def update_patient(
    actor: Actor,
    patient_id: int,
    expected_version: int,
    read: Mapping[str, Any] | None = None,
    **changes: Any,
) -> PatientRow:
    """Change demographic fields of a patient the caller read at ``expected_version``.

    ``UPDATE ... WHERE id = ? AND version = ?``: if another desk saved first, nothing is
    written and :class:`~.editing.SectionStaleEdit` says who changed which fields (from
    ``read``, the values this desk started from, when given) and carries this desk's
    values to apply again. Only the fields that change are checked and written.
    """
    stored = demographics_of(patient_id)
    if not changes:
        return _row(patient_id)
    if stored.get("merged_into") is not None:
        raise InvalidInput("this record was merged into another; edit that one instead")
    current = {k: stored[k] for k in EDITABLE_FIELDS}
    values = clean_demographics(changes, current=current)
    changed = {
        k: v for k, v in values.items()
        if k in ("last_norm", "first_norm", "phone_last4") or current.get(k) != v
    }  # fmt: skip
    if not any(k in current for k in changed):
        return _row(patient_id)
    try:
        with db.atomic():  # a savepoint: PostgreSQL can go on after a refused UPDATE
            updated = (
                Patient.update(
                    **changed,
                    updated_at=clock.now(),
                    updated_by=actor.user_id,
                    version=Patient.version + 1,
                )
                .where((Patient.id == patient_id) & (Patient.version == expected_version))
                .execute()
            )
    except IntegrityError:
        raise duplicate_mrn_or(str(changes.get("mrn", ""))) from None
    if updated == 0:
        raise stale(
            "demographics", entity="patient", entity_id=patient_id,
            updated_by=stored["updated_by"], current_version=stored["version"],
            current=current, read=read, attempted=changes,
        )  # fmt: skip
    if "last_norm" in changed or "first_norm" in changed:
        remember_names([values.get("last_norm", ""), values.get("first_norm", "")])
    audit.record(actor, "update", "patient", patient_id, patient_id=patient_id,
                 fields=recorded(k for k in changed if k in current))  # fmt: skip
    return _row(patient_id)


def _row(patient_id: int) -> PatientRow:
    row = row_by_id(patient_id)
    if row is None:
        raise NotFound(f"patient {patient_id} not found")
    return row
