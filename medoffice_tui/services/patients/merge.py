"""Merging two records of one person: the survivor keeps everything, the duplicate
stays on file, inactive, pointing at the survivor.

In one write (manager only): the demographic fields the manager chose from the
duplicate are copied onto the survivor; then every row of every table that points at
the duplicate (appointments, coverages, claims, payments, allergies, vitals, notes,
and whatever table a later version adds that refers to a patient) is moved to the
survivor; coverages and allergies the survivor already has (same payer and member id,
same substance) are kept but inactive, and the duplicate's other coverages take the
next free ranks. The duplicate is marked inactive with ``merged_into``; both records'
versions move on, so a desk still editing either is told. Refused while the two
records have live appointments at overlapping times (the patient cannot be in two
places): the desk resolves that first.

Nothing can slip in between the checks and the move: first the merge takes the
engine's per-patient booking lock of both records (in id order, as every booking takes
its own one: no two merges or bookings wait on each other in a circle), so no booking
or move for either patient runs until the merge commits, and the overlap check sees
every appointment there will be. Then it claims both records at the versions the
manager read (``UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?``):
a desk that saved either record since is named (StaleEdit, nothing written), and a
demographics edit arriving meanwhile waits for the merge and is then told the record
changed. What is copied is read only after that claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from peewee import ForeignKeyField, IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import (
    LIVE_STATUSES,
    Allergy,
    Appointment,
    Coverage,
    Patient,
    PatientNote,
)
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.patients.editing import SectionStaleEdit
from medoffice_tui.services.patients.record import EDITABLE_FIELDS, demographics_of, get_patient
from medoffice_tui.services.patients.rows import PatientDetail
from medoffice_tui.services.patients.validation import DEMOGRAPHICS, clean_demographics
from medoffice_tui.services.staff import staff_name
from medoffice_tui.services.text import normalize

#: the fields a merge shows side by side and may take from either record
MERGE_FIELDS = tuple(name for name in DEMOGRAPHICS if name not in ("mrn", "active", "external_id"))


@dataclass(frozen=True)
class MergeResult:
    survivor_id: int
    duplicate_id: int
    #: table name -> rows moved to the survivor
    moved: dict[str, int] = field(default_factory=dict)
    taken_fields: tuple[str, ...] = ()


@reads("patient.view")
def merge_pair(
    actor: Actor, survivor_id: int, duplicate_id: int
) -> tuple[PatientDetail, PatientDetail]:
    """Both records, for the side-by-side screen (two record views: two audit events)."""
    if survivor_id == duplicate_id:
        raise InvalidInput("pick two different records to merge", field="duplicate")
    return get_patient(actor, survivor_id), get_patient(actor, duplicate_id)


def _child_fields() -> list[ForeignKeyField]:
    """Every foreign key to ``patient`` in the schema (other areas' tables included)."""
    return [f for f in Patient._meta.backrefs if f.model is not Patient]


def _overlapping(survivor_id: int, duplicate_id: int) -> list[tuple[int, int]]:
    live = Appointment.status.in_(LIVE_STATUSES)
    mine = list(
        Appointment.select(Appointment.id, Appointment.start, Appointment.end)
        .where((Appointment.patient == survivor_id) & live)
        .tuples()
    )
    clashes = []
    if not mine:
        return clashes
    theirs = (
        Appointment.select(Appointment.id, Appointment.start, Appointment.end)
        .where((Appointment.patient == duplicate_id) & live)
        .tuples()
    )
    for other_id, start, end in theirs:
        for own_id, own_start, own_end in mine:
            if start < own_end and end > own_start:
                clashes.append((own_id, other_id))
    return clashes


def _claim(patient_id: int, expected: int, label: str) -> None:
    """Move the record's version on from the one the manager read (a row lock to commit
    on PostgreSQL; SQLite's one write lock is held already); refused, naming who saved
    it, when that is no longer the version on file."""
    claimed = (
        Patient.update(version=Patient.version + 1)
        .where(
            (Patient.id == patient_id)
            & (Patient.version == expected)
            & Patient.merged_into.is_null()
        )
        .execute()
    )
    if claimed:
        return
    stored = demographics_of(patient_id)  # NotFound when it is gone
    if stored.get("merged_into") is not None:
        raise InvalidInput(f"the {label} record was already merged into another")
    raise SectionStaleEdit(
        "demographics",
        changed_by=staff_name(stored["updated_by"]),
        changed_fields=[f"the {label} record"],
        current_version=stored["version"],
    )


def _settle_coverages(survivor_id: int, duplicate_id: int) -> None:
    """Before the move: the duplicate's coverages the survivor has already go inactive;
    the others take the next free ranks (inactive when none is free)."""
    kept = {
        (payer, (member or "").upper()): rank
        for payer, member, rank in Coverage.select(
            Coverage.payer, Coverage.member_id, Coverage.rank
        )  # fmt: skip
        .where((Coverage.patient == survivor_id) & (Coverage.active == True))  # noqa: E712
        .tuples()
    }
    free = [r for r in (1, 2, 3) if r not in kept.values()]
    theirs = (
        Coverage.select(Coverage.id, Coverage.payer, Coverage.member_id, Coverage.rank)
        .where((Coverage.patient == duplicate_id) & (Coverage.active == True))  # noqa: E712
        .order_by(Coverage.rank, Coverage.id)
        .tuples()
    )
    for cid, payer, member, _rank in list(theirs):
        if (payer, (member or "").upper()) in kept or not free:
            Coverage.update(active=False, version=Coverage.version + 1).where(
                Coverage.id == cid
            ).execute()
        else:
            Coverage.update(rank=free.pop(0), version=Coverage.version + 1).where(
                Coverage.id == cid
            ).execute()


def _settle_allergies(survivor_id: int, duplicate_id: int) -> None:
    known = {
        normalize(s)
        for (s,) in Allergy.select(Allergy.substance)
        .where((Allergy.patient == survivor_id) & (Allergy.active == True))  # noqa: E712
        .tuples()
    }
    theirs = (
        Allergy.select(Allergy.id, Allergy.substance)
        .where((Allergy.patient == duplicate_id) & (Allergy.active == True))  # noqa: E712
        .tuples()
    )
    for aid, substance in list(theirs):
        if normalize(substance) in known:
            Allergy.update(active=False, version=Allergy.version + 1).where(
                Allergy.id == aid
            ).execute()


def _allergy_status(survivor: Mapping[str, Any], duplicate: Mapping[str, Any]) -> str:
    if (
        Allergy.select()
        .where(
            (Allergy.patient == survivor["id"]) & (Allergy.active == True)  # noqa: E712
        )
        .exists()
    ):
        return "listed"
    if "nka" in (survivor["allergy_status"], duplicate["allergy_status"]):
        return "nka"
    return "unknown"


@writes("patient.merge")
def merge_patients(
    actor: Actor,
    survivor_id: int,
    duplicate_id: int,
    survivor_version: int,
    duplicate_version: int,
    take_from_duplicate: Mapping[str, Any] | None = None,
) -> MergeResult:
    """Merge ``duplicate_id`` into ``survivor_id`` (see the module docstring).

    ``take_from_duplicate`` names the demographic fields whose value the survivor takes
    from the duplicate (the values themselves are read from the duplicate here, so what
    is written is what is on file, not what a screen last showed).
    """
    if survivor_id == duplicate_id:
        raise InvalidInput("pick two different records to merge", field="duplicate")
    engine = engine_for()
    for patient_id in sorted((survivor_id, duplicate_id)):
        engine.lock_patient_bookings(patient_id)  # held to commit: no booking slips in
    claims = {survivor_id: (survivor_version, "surviving"),
              duplicate_id: (duplicate_version, "duplicate")}  # fmt: skip
    for patient_id in sorted(claims):
        _claim(patient_id, *claims[patient_id])
    survivor = demographics_of(survivor_id)
    duplicate = demographics_of(duplicate_id)
    clashes = _overlapping(survivor_id, duplicate_id)
    if clashes:
        own, other = clashes[0]
        raise InvalidInput(
            f"both records have appointments at overlapping times (#{own} and #{other}): "
            "cancel or move one, then merge"
        )
    names = sorted(take_from_duplicate or ())
    unknown = [n for n in names if n not in MERGE_FIELDS]
    if unknown:
        raise InvalidInput("these fields cannot be merged: " + ", ".join(unknown))
    taken = {
        n: duplicate[n] for n in names
        if duplicate[n] not in (None, "") and duplicate[n] != survivor[n]
    }  # fmt: skip
    statuses = {
        pid: Patient.select(Patient.allergy_status).where(Patient.id == pid).scalar()
        for pid in (survivor_id, duplicate_id)
    }
    _settle_coverages(survivor_id, duplicate_id)
    _settle_allergies(survivor_id, duplicate_id)
    moved: dict[str, int] = {}
    for fk in _child_fields():
        model = fk.model
        try:
            count = model.update({fk: survivor_id}).where(fk == duplicate_id).execute()
        except IntegrityError:
            raise InvalidInput(
                f"the {model._meta.table_name.replace('_', ' ')} rows of the duplicate could "
                "not be moved (a database rule refused it); nothing was merged"
            ) from None
        if count:
            moved[model._meta.table_name] = count
    now = clock.now()
    current = {k: survivor[k] for k in EDITABLE_FIELDS}
    changes = clean_demographics(taken, current=current) if taken else {}
    status = _allergy_status(
        {"id": survivor_id, "allergy_status": statuses[survivor_id]},
        {"allergy_status": statuses[duplicate_id]},
    )
    # both versions were moved on by _claim
    Patient.update(
        **changes, allergy_status=status, updated_at=now, updated_by=actor.user_id,
        coverage_version=Patient.coverage_version + 1,
        allergy_version=Patient.allergy_version + 1,
    ).where(Patient.id == survivor_id).execute()  # fmt: skip
    Patient.update(
        active=False, merged_into=survivor_id, merged_at=now, updated_at=now,
        updated_by=actor.user_id,
    ).where(Patient.id == duplicate_id).execute()  # fmt: skip
    PatientNote.insert(
        patient=survivor_id, created_at=now, created_by=actor.user_id,
        text=f"Merged record {duplicate['mrn']} into this one.",
    ).execute()  # fmt: skip
    fields = sorted(set(moved) | {f"from_duplicate:{n}" for n in taken})
    audit.record(actor, "merge", "patient", survivor_id, patient_id=survivor_id, fields=fields,
                 detail=f"merged patient #{duplicate_id} into #{survivor_id}")  # fmt: skip
    audit.record(
        actor, "update", "patient", duplicate_id, patient_id=duplicate_id,
        fields=["active", "merged_into"], detail=f"merged into #{survivor_id}",
    )  # fmt: skip
    return MergeResult(survivor_id, duplicate_id, moved, tuple(sorted(taken)))
