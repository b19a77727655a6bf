"""Insurance on the record: add, change, end a coverage; "eligibility last checked".

A coverage is rank 1 (primary), 2 (secondary) or 3 (tertiary); two active coverages of
one patient never share a rank. The member id is required; when the patient is not the
subscriber (a child on a parent's plan), the subscriber's name and date of birth are too
(the 837P needs them). Each coverage row has its own version, and every change bumps the
patient's ``coverage_version``: insurance edits never block a demographics edit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import Coverage, Patient, Payer
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit, dates
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.patients.editing import stale
from medoffice_tui.services.patients.rows import CoverageRow, readable_date, text_of
from medoffice_tui.services.patients.validation import (
    ErrorCollector,
    clean_dob,
    clean_line,
    clean_name,
)

RELATIONSHIPS = ("self", "spouse", "child", "other")
RANKS = (1, 2, 3)
#: the largest copay a desk can type (a typo guard)
MAX_COPAY_CENTS = 100_000
_MEMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")

#: what a coverage form may set
COVERAGE_FIELDS = (
    "payer_id", "rank", "member_id", "group_number", "relationship", "subscriber_first",
    "subscriber_last", "subscriber_dob", "subscriber_sex", "copay_cents", "effective_from",
    "effective_to", "eligibility_checked_on",
)  # fmt: skip


@dataclass(frozen=True)
class PayerChoice:
    id: int
    name: str
    payer_id: str


def list_payers() -> list[PayerChoice]:
    """Active payers, by name (for the coverage form's choice)."""
    query = (
        Payer.select(Payer.id, Payer.name, Payer.payer_id)
        .where(Payer.active == True)  # noqa: E712
        .order_by(Payer.name, Payer.id)
        .tuples()
    )
    return [PayerChoice(*row) for row in query]


def _date(value: Any, field: str, label: str, *, past: bool = False) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dates.parse_date(clean_line(value, field, label), past=past)
        except InvalidInput as error:
            raise InvalidInput(str(error), field=field) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise InvalidInput(f"the {label} is not a date", field=field)
    return value


def _member(value: Any, field: str, label: str, *, required: bool) -> str:
    text = clean_line(value, field, label, 40)
    if not text:
        if required:
            raise InvalidInput(f"the {label} is required for an insured patient", field=field)
        return ""
    if not _MEMBER.match(text):
        raise InvalidInput(f"the {label} may hold only letters, digits, - and spaces", field=field)
    return text.upper() if field == "member_id" else text


def clean_coverage(
    values: Mapping[str, Any], current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Check a coverage's fields (all of them for a new one; for an edit, the given ones
    against the rest as stored). Messages name the field; every bad field is reported
    at once (``FieldErrors`` when there are several)."""
    unknown = sorted(set(values) - set(COVERAGE_FIELDS))
    if unknown:
        raise InvalidInput("unknown coverage field(s): " + ", ".join(unknown))
    merged: dict[str, Any] = {**(current or {}), **values}
    out: dict[str, Any] = {}
    errors = ErrorCollector()
    payer = merged.get("payer_id")
    if "payer_id" in values or current is None:
        with errors.check():
            if not isinstance(payer, int) or isinstance(payer, bool):
                raise InvalidInput("choose the insurance company (payer)", field="payer_id")
            if not Payer.select().where((Payer.id == payer) & (Payer.active == True)).exists():  # noqa: E712
                raise InvalidInput("that payer is not on the practice's list", field="payer_id")
            out["payer_id"] = payer
    if "rank" in values or current is None:
        with errors.check():
            rank = merged.get("rank", 1)
            if rank not in RANKS or isinstance(rank, bool):
                raise InvalidInput(
                    "rank is 1 (primary), 2 (secondary) or 3 (tertiary)", field="rank"
                )
            out["rank"] = rank
    for name in ("member_id", "group_number"):
        if name in values or (current is None and name == "member_id"):
            with errors.check():
                out[name] = coverage_field(name, merged.get(name))
    relationship = str(merged.get("relationship") or "self").strip().lower()
    if relationship not in RELATIONSHIPS:
        errors.errors.append(
            InvalidInput("relationship is self, spouse, child or other", field="relationship")
        )
    elif "relationship" in values or current is None:
        out["relationship"] = relationship
    subscriber = ("subscriber_first", "subscriber_last", "subscriber_dob", "subscriber_sex")
    if relationship == "self":
        if "relationship" in values or current is None or set(subscriber) & set(values):
            out.update(subscriber_first="", subscriber_last="", subscriber_dob=None,
                       subscriber_sex="")  # fmt: skip
    elif relationship in RELATIONSHIPS and (
        {"relationship", *subscriber} & set(values) or current is None
    ):
        for name in subscriber:
            with errors.check():
                out[name] = coverage_field(name, merged.get(name), relationship=relationship)
    for name in ("copay_cents", "effective_from", "effective_to", "eligibility_checked_on"):
        if name in values:
            with errors.check():
                out[name] = coverage_field(name, values[name])
    start = out.get("effective_from", merged.get("effective_from"))
    end = out.get("effective_to", merged.get("effective_to"))
    if (
        isinstance(start, dt.date)
        and isinstance(end, dt.date)
        and end < start
        and not {"effective_from", "effective_to"} & errors.fields()
    ):
        errors.errors.append(
            InvalidInput("the coverage ends before it starts", field="effective_to")
        )
    errors.raise_any()
    return out


#: coverage fields checked by themselves (no other field, no database): what a form
#: checks as the desk leaves the field
SINGLE_FIELDS = (
    "member_id", "group_number", "subscriber_first", "subscriber_last", "subscriber_dob",
    "subscriber_sex", "copay_cents", "effective_from", "effective_to", "eligibility_checked_on",
)  # fmt: skip


def coverage_field(name: str, value: Any, *, relationship: str = "other") -> Any:
    """One coverage field's stored value (see :data:`SINGLE_FIELDS`); InvalidInput naming
    it. The subscriber's fields are required unless the patient is the subscriber."""
    if name == "member_id":
        return _member(value, "member_id", "member id", required=True)
    if name == "group_number":
        return _member(value, "group_number", "group number", required=False)
    if name in ("subscriber_first", "subscriber_last", "subscriber_dob", "subscriber_sex"):
        if relationship == "self":
            return None if name == "subscriber_dob" else ""
        if name == "subscriber_first":
            return clean_name(value, name, "subscriber's first name")
        if name == "subscriber_last":
            return clean_name(value, name, "subscriber's last name")
        if name == "subscriber_dob":
            return clean_dob(value, name, "subscriber's date of birth")
        sex = str(value or "").strip().upper()
        if sex not in ("", "F", "M", "U"):
            raise InvalidInput("the subscriber's sex is F, M or U", field=name)
        return sex
    if name == "copay_cents":
        copay = value or 0
        if (
            not isinstance(copay, int)
            or isinstance(copay, bool)
            or not (0 <= copay <= MAX_COPAY_CENTS)
        ):
            raise InvalidInput("the copay is between $0 and $1,000", field=name)
        return copay
    if name in ("effective_from", "effective_to"):
        return _date(value, name, "start date" if name == "effective_from" else "end date")
    if name == "eligibility_checked_on":
        checked = _date(value, name, "eligibility check date", past=True)
        if checked is not None and checked > clock.today():
            raise InvalidInput("eligibility cannot be checked in the future", field=name)
        return checked
    raise InvalidInput(f"unknown coverage field: {name}")


def coverage_field_error(
    name: str, value: Any, *, insured: bool = True, relationship: str = "self"
) -> InvalidInput | None:
    """What :func:`coverage_field` refuses in ``value`` (None: fine, blank included: a
    required field left blank is reported on save)."""
    if name not in SINGLE_FIELDS or value in (None, "") or not insured:
        return None
    try:
        coverage_field(name, value, relationship=relationship)
    except InvalidInput as error:
        return error
    return None


def _coverage_query():  # noqa: ANN202 - a peewee query
    return Coverage.select(
        Coverage.id, Coverage.rank, Payer.id, Payer.name, Coverage.member_id,
        Coverage.group_number, Coverage.relationship, Coverage.copay_cents,
        Coverage.effective_from, Coverage.effective_to, Coverage.subscriber_first,
        Coverage.subscriber_last, Coverage.subscriber_dob, Coverage.subscriber_sex,
        Coverage.eligibility_checked_on, Coverage.version,
    ).join(Payer, JOIN.INNER, on=(Coverage.payer == Payer.id))  # fmt: skip


def _to_coverage(row: tuple) -> CoverageRow:
    (cid, rank, payer_id, payer, member, group, rel, copay, start, end, sub_first, sub_last,
     sub_dob, sub_sex, checked, version) = row  # fmt: skip
    return CoverageRow(
        cid, rank, payer_id, text_of(payer), text_of(member), text_of(group), text_of(rel),
        int(copay or 0), readable_date(start), readable_date(end), text_of(sub_first),
        text_of(sub_last), readable_date(sub_dob), text_of(sub_sex), readable_date(checked),
        int(version or 1),
    )  # fmt: skip


def active_coverages(patient_id: int) -> list[CoverageRow]:
    query = _coverage_query().where(
        (Coverage.patient == patient_id) & (Coverage.active == True)  # noqa: E712
    )
    return [_to_coverage(r) for r in query.order_by(Coverage.rank, Coverage.id).tuples()]


def get_coverage(coverage_id: int) -> CoverageRow:
    row = _coverage_query().where(Coverage.id == coverage_id).tuples().first()
    if row is None:
        raise NotFound(f"coverage {coverage_id} not found")
    return _to_coverage(row)


def _rank_taken(patient_id: int, rank: int, exclude: int | None = None) -> bool:
    query = Coverage.select().where(
        (Coverage.patient == patient_id) & (Coverage.rank == rank) & (Coverage.active == True)  # noqa: E712
    )
    if exclude is not None:
        query = query.where(Coverage.id != exclude)
    return query.exists()


def _bump_patient(actor: Actor, patient_id: int) -> None:
    Patient.update(coverage_version=Patient.coverage_version + 1).where(
        Patient.id == patient_id
    ).execute()


def _insert_coverage(actor: Actor, patient_id: int, values: dict[str, Any]) -> int:
    """Insert a cleaned coverage (inside a write); the rank must be free."""
    if _rank_taken(patient_id, values["rank"]):
        label = {1: "primary", 2: "secondary", 3: "tertiary"}[values["rank"]]
        raise InvalidInput(
            f"this patient already has a {label} coverage: end it or choose another rank",
            field="rank",
        )
    payer = values.pop("payer_id")
    coverage_id = Coverage.insert(
        patient=patient_id, payer=payer, **values, version=1, updated_at=clock.now(),
        updated_by=actor.user_id,
    ).execute()  # fmt: skip
    values["payer_id"] = payer
    _bump_patient(actor, patient_id)
    audit.record(actor, "create", "coverage", coverage_id, patient_id=patient_id,
                 fields=sorted(values))  # fmt: skip
    return coverage_id


@writes("coverage.edit")
def add_coverage(actor: Actor, patient_id: int, **values: Any) -> CoverageRow:
    """Add a coverage to a patient's insurance (adds never conflict with another desk)."""
    if not Patient.select().where(Patient.id == patient_id).exists():
        raise NotFound(f"patient {patient_id} not found")
    cleaned = clean_coverage(values)
    return get_coverage(_insert_coverage(actor, patient_id, cleaned))


def _current(coverage_id: int) -> dict[str, Any]:
    row = (
        Coverage.select(
            Coverage.patient,
            Coverage.payer,
            Coverage.version,
            Coverage.updated_by,
            Coverage.active,
            *[getattr(Coverage, f) for f in COVERAGE_FIELDS if f != "payer_id"],
        )  # fmt: skip
        .where(Coverage.id == coverage_id)
        .dicts()
        .first()
    )
    if row is None:
        raise NotFound(f"coverage {coverage_id} not found")
    row["payer_id"] = row.pop("payer")
    return row


@writes("coverage.edit")
def update_coverage(
    actor: Actor,
    coverage_id: int,
    expected_version: int,
    read: Mapping[str, Any] | None = None,
    **changes: Any,
) -> CoverageRow:
    """Change a coverage the desk read at ``expected_version`` (refused if another desk
    changed it since: SectionStaleEdit, nothing written)."""
    current = _current(coverage_id)
    if not current["active"]:
        raise InvalidInput("that coverage has ended; add a new one instead")
    record = {k: current[k] for k in COVERAGE_FIELDS}
    cleaned = clean_coverage(changes, current=record)
    changed = {k: v for k, v in cleaned.items() if record.get(k) != v}
    if "rank" in changed and _rank_taken(current["patient"], changed["rank"], coverage_id):
        raise InvalidInput("another active coverage has that rank", field="rank")
    if not changed:
        return get_coverage(coverage_id)
    values = dict(changed)
    if "payer_id" in values:
        values["payer"] = values.pop("payer_id")
    updated = (
        Coverage.update(
            **values, version=Coverage.version + 1, updated_at=clock.now(), updated_by=actor.user_id
        )  # fmt: skip
        .where((Coverage.id == coverage_id) & (Coverage.version == expected_version))
        .execute()
    )
    if not updated:
        raise stale(
            "insurance", entity="coverage", entity_id=coverage_id,
            updated_by=current["updated_by"], current_version=current["version"],
            current=record, read=read, attempted=changes,
        )  # fmt: skip
    _bump_patient(actor, current["patient"])
    audit.record(actor, "update", "coverage", coverage_id, patient_id=current["patient"],
                 fields=sorted(changed))  # fmt: skip
    return get_coverage(coverage_id)


@writes("coverage.edit")
def end_coverage(actor: Actor, coverage_id: int, expected_version: int) -> None:
    """Take a coverage off the record (kept for the claims that used it)."""
    current = _current(coverage_id)
    updated = (
        Coverage.update(
            active=False,
            version=Coverage.version + 1,
            updated_at=clock.now(),
            updated_by=actor.user_id,
        )  # fmt: skip
        .where((Coverage.id == coverage_id) & (Coverage.version == expected_version))
        .execute()
    )
    if not updated:
        record = {k: current[k] for k in COVERAGE_FIELDS}
        raise stale(
            "insurance", entity="coverage", entity_id=coverage_id,
            updated_by=current["updated_by"], current_version=current["version"],
            current=record, read=None, attempted={"active": False},
        )  # fmt: skip
    _bump_patient(actor, current["patient"])
    audit.record(actor, "update", "coverage", coverage_id, patient_id=current["patient"],
                 fields=["active"])  # fmt: skip


@writes("coverage.edit")
def mark_eligibility_checked(
    actor: Actor, coverage_id: int, on: dt.date | None = None
) -> CoverageRow:
    """ "Eligibility checked" today (or on a given past day): one key at the desk."""
    current = _current(coverage_id)
    day = on or clock.today()
    if day > clock.today():
        raise InvalidInput("eligibility cannot be checked in the future",
                           field="eligibility_checked_on")  # fmt: skip
    Coverage.update(eligibility_checked_on=day, version=Coverage.version + 1,
                    updated_at=clock.now(), updated_by=actor.user_id).where(
        Coverage.id == coverage_id
    ).execute()  # fmt: skip
    _bump_patient(actor, current["patient"])
    audit.record(actor, "update", "coverage", coverage_id, patient_id=current["patient"],
                 fields=["eligibility_checked_on"])  # fmt: skip
    return get_coverage(coverage_id)
