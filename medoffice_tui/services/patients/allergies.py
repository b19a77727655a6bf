"""Allergies on the record, and "no known allergies" as a state of its own.

A patient's allergy state is one of:

- ``unknown``: nobody has asked yet (shown as "not asked": not the same as none);
- ``nka``: asked, and the patient has no known allergies (recorded with the day);
- ``listed``: one or more allergies are on file.

Adding an allergy never conflicts with another desk (two allergies added at once both
land); changing or removing one names the allergy's own version; marking "no known
allergies" names the allergy list's version (``Patient.allergy_version``), so it is
refused if someone added an allergy after this desk looked. None of it touches the
demographics' version: an address edited elsewhere is never blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medoffice_tui import clock
from medoffice_tui.db.models import Allergy, Patient
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.patients.editing import SectionStaleEdit, stale
from medoffice_tui.services.patients.rows import AllergyRow, readable_date, text_of
from medoffice_tui.services.patients.validation import clean_dob, clean_line
from medoffice_tui.services.staff import staff_name
from medoffice_tui.services.text import normalize

SEVERITIES = ("mild", "moderate", "severe", "unknown")
ALLERGY_FIELDS = ("substance", "reaction", "severity", "noted_on")


def clean_allergy(values: Mapping[str, Any], *, new: bool) -> dict[str, Any]:
    unknown = sorted(set(values) - set(ALLERGY_FIELDS))
    if unknown:
        raise InvalidInput("unknown allergy field(s): " + ", ".join(unknown))
    out: dict[str, Any] = {}
    if "substance" in values or new:
        substance = clean_line(values.get("substance"), "substance", "substance", 120)
        if not substance:
            raise InvalidInput("say what the patient is allergic to", field="substance")
        out["substance"] = substance
    if "reaction" in values:
        out["reaction"] = clean_line(values["reaction"], "reaction", "reaction", 120)
    if "severity" in values or new:
        severity = str(values.get("severity") or "unknown").strip().lower()
        if severity not in SEVERITIES:
            raise InvalidInput("severity is mild, moderate, severe or unknown", field="severity")
        out["severity"] = severity
    if values.get("noted_on") not in (None, ""):
        out["noted_on"] = clean_dob(values["noted_on"], "noted_on", "date noted")
    elif new:
        out["noted_on"] = clock.today()
    return out


def active_allergies(patient_id: int) -> list[AllergyRow]:
    query = (
        Allergy.select(
            Allergy.id,
            Allergy.substance,
            Allergy.reaction,
            Allergy.severity,
            Allergy.noted_on,
            Allergy.version,
        )  # fmt: skip
        .where((Allergy.patient == patient_id) & (Allergy.active == True))  # noqa: E712
        .order_by(Allergy.substance, Allergy.id)
        .tuples()
    )
    return [
        AllergyRow(aid, text_of(s), text_of(r), text_of(sev), readable_date(noted), int(v or 1))
        for aid, s, r, sev, noted, v in query
    ]


def _status_after_change(patient_id: int) -> str:
    has = (
        Allergy.select()
        .where(
            (Allergy.patient == patient_id) & (Allergy.active == True)  # noqa: E712
        )
        .exists()
    )
    return "listed" if has else "unknown"


def _bump(patient_id: int, status: str) -> None:
    Patient.update(allergy_status=status, allergy_version=Patient.allergy_version + 1).where(
        Patient.id == patient_id
    ).execute()


@writes("allergy.edit")
def add_allergy(actor: Actor, patient_id: int, **values: Any) -> AllergyRow:
    """Put an allergy on the record (the state becomes "listed")."""
    if not Patient.select().where(Patient.id == patient_id).exists():
        raise NotFound(f"patient {patient_id} not found")
    cleaned = clean_allergy(values, new=True)
    same = [
        a for a in active_allergies(patient_id)
        if normalize(a.substance) == normalize(cleaned["substance"])
    ]  # fmt: skip
    if same:
        raise InvalidInput("that allergy is already on the list: change it instead",
                           field="substance")  # fmt: skip
    allergy_id = Allergy.insert(
        patient=patient_id, **cleaned, noted_by=actor.user_id, version=1,
        updated_at=clock.now(), updated_by=actor.user_id,
    ).execute()  # fmt: skip
    _bump(patient_id, "listed")
    audit.record(actor, "create", "allergy", allergy_id, patient_id=patient_id,
                 fields=sorted(cleaned))  # fmt: skip
    return next(a for a in active_allergies(patient_id) if a.id == allergy_id)


def _current(allergy_id: int) -> dict[str, Any]:
    row = (
        Allergy.select(
            Allergy.patient,
            Allergy.version,
            Allergy.updated_by,
            Allergy.active,
            *[getattr(Allergy, f) for f in ALLERGY_FIELDS],
        )  # fmt: skip
        .where(Allergy.id == allergy_id)
        .dicts()
        .first()
    )
    if row is None:
        raise NotFound(f"allergy {allergy_id} not found")
    return row


@writes("allergy.edit")
def update_allergy(
    actor: Actor,
    allergy_id: int,
    expected_version: int,
    read: Mapping[str, Any] | None = None,
    **changes: Any,
) -> AllergyRow:
    """Change an allergy read at ``expected_version`` (SectionStaleEdit if changed since)."""
    current = _current(allergy_id)
    if not current["active"]:
        raise InvalidInput("that allergy was removed from the list")
    record = {k: current[k] for k in ALLERGY_FIELDS}
    cleaned = clean_allergy(changes, new=False)
    changed = {k: v for k, v in cleaned.items() if record.get(k) != v}
    if changed:
        updated = (
            Allergy.update(
                **changed,
                version=Allergy.version + 1,
                updated_at=clock.now(),
                updated_by=actor.user_id,
            )  # fmt: skip
            .where((Allergy.id == allergy_id) & (Allergy.version == expected_version))
            .execute()
        )
        if not updated:
            raise stale(
                "allergies", entity="allergy", entity_id=allergy_id,
                updated_by=current["updated_by"], current_version=current["version"],
                current=record, read=read, attempted=changes,
            )  # fmt: skip
        _bump(current["patient"], "listed")
        audit.record(actor, "update", "allergy", allergy_id, patient_id=current["patient"],
                     fields=sorted(changed))  # fmt: skip
    return next(a for a in active_allergies(current["patient"]) if a.id == allergy_id)


@writes("allergy.edit")
def remove_allergy(actor: Actor, allergy_id: int, expected_version: int) -> str:
    """Take an allergy off the list (entered in error, or no longer true). Returns the
    allergy state afterwards: with none left it is "unknown" again (ask), never NKA."""
    current = _current(allergy_id)
    updated = (
        Allergy.update(
            active=False,
            version=Allergy.version + 1,
            updated_at=clock.now(),
            updated_by=actor.user_id,
        )  # fmt: skip
        .where(
            (Allergy.id == allergy_id)
            & (Allergy.version == expected_version)
            & (Allergy.active == True)  # noqa: E712
        )
        .execute()
    )
    if not updated:
        record = {k: current[k] for k in ALLERGY_FIELDS}
        raise stale(
            "allergies", entity="allergy", entity_id=allergy_id,
            updated_by=current["updated_by"], current_version=current["version"],
            current=record, read=None, attempted={"active": False},
        )  # fmt: skip
    status = _status_after_change(current["patient"])
    _bump(current["patient"], status)
    audit.record(actor, "update", "allergy", allergy_id, patient_id=current["patient"],
                 fields=["active"])  # fmt: skip
    return status


@writes("allergy.edit")
def mark_no_known_allergies(actor: Actor, patient_id: int, expected_allergy_version: int) -> None:
    """Record that the patient was asked and has no known allergies (NKA).

    Refused while any allergy is on the list, and when the list changed after this desk
    read it (an allergy added meanwhile must not be hidden under "none").
    """
    row = (
        Patient.select(Patient.allergy_version, Patient.updated_by)
        .where(Patient.id == patient_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"patient {patient_id} not found")
    if _status_after_change(patient_id) == "listed":
        raise InvalidInput("allergies are on the list: remove them first if they are wrong")
    updated = (
        Patient.update(
            allergy_status="nka",
            allergy_reviewed_on=clock.today(),
            allergy_version=Patient.allergy_version + 1,
        )
        .where((Patient.id == patient_id) & (Patient.allergy_version == expected_allergy_version))
        .execute()
    )
    if not updated:
        editor = (
            Allergy.select(Allergy.updated_by)
            .where(Allergy.patient == patient_id)
            .order_by(Allergy.updated_at.desc(), Allergy.id.desc())
            .scalar()
        )
        raise SectionStaleEdit(
            "allergies", changed_by=staff_name(editor), changed_fields=["allergies"],
            current_version=row[0], attempted={"allergy_status": "nka"},
        )  # fmt: skip
    audit.record(actor, "update", "patient", patient_id, patient_id=patient_id,
                 fields=["allergy_status"], detail="no known allergies")  # fmt: skip
