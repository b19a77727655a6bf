"""Patient search, record, registration and edits.

Search (``search_patients``) reads the typed text and decides what it is, first
match wins:

1. blank, or nothing left after dropping punctuation -> empty page;
2. date-shaped (``3/4/1980``, ``1980-03-04``, ``03041980``) -> date of birth
   (an incomplete or impossible date finds nothing rather than raising);
3. VistA style ``s1234`` -> last name starting with ``s`` and SSN last 4 = 1234;
4. only digits (phone punctuation allowed): 4 digits -> phone last 4 *or* SSN
   last 4 (both lists merged: the desk cannot tell which was meant);
   7, 10 or 11 digits -> the full phone number; 6 or 8 digits -> a date of birth
   (MMDDYY / MMDDYYYY / YYYYMMDD);
5. otherwise a name: ``smith, jo`` = last name starting ``smith`` and first
   name starting ``jo``; ``smith jo`` / ``jo smith`` = both orders merged (with
   3+ words every split is tried, plus the whole text as a last name);
   a single word = last-name prefix.

Any single word containing a digit is also looked up as an exact MRN and
merged in. Every result list is ordered by ``(last_norm, first_norm, id)``
and paged by that key, so merged lists page like one list.

Why no LIKE: ``LIKE``/``ILIKE``/``GLOB`` behave differently on the two engines
and do not use the plain B-tree indexes. Each lookup here is one index range
(``last_norm >= p AND last_norm < prefix_upper_bound(p)``) or an equality on an
indexed column, with the keyset as a row-value comparison that SQLite and
PostgreSQL both seek on. The full-phone form narrows by the indexed
``phone_last4`` (the last 4 digits of the first phone on file: mobile, home,
work) and checks the remaining digits in Python. A last+first pair whose
first-name range is small is searched through the first-name index instead
(see ``_Source``). At 1,000,000 synthetic patients each form above measured
under 10 ms p95 on both engines (bench notes in the helper report).

Typos are not forgiven here (prefix search must stay exact and paged);
``fuzzy_search_patients`` offers a short "did you mean" list instead.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import JOIN, Expression, IntegrityError, Tuple, fn

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import Allergy, Coverage, Patient, Payer, Vital
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit, dates
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.paging import Page
from medoffice_tui.services.staff import staff_name
from medoffice_tui.services.text import digits, normalize, prefix_upper_bound

SEXES = ("F", "M", "X", "U")
#: a first-name prefix matching fewer rows than this is searched through its own index
SMALL_FIRST_RANGE = 300
#: most words a name query is split on (each split is one more index range)
MAX_NAME_WORDS = 4

_VISTA = re.compile(r"^[A-Za-z]\d{4}$")
_PHONEISH = re.compile(r"^[\d\s().+\-]+$")


@dataclass(frozen=True)
class PatientRow:
    id: int
    mrn: str
    last_name: str
    first_name: str
    dob: dt.date | None  # None: the stored value is unreadable (a damaged row)
    sex: str
    phone: str
    active: bool

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True)
class CoverageRow:
    id: int
    rank: int
    payer_id: int
    payer_name: str
    member_id: str
    group_number: str
    relationship: str
    copay_cents: int
    effective_from: dt.date | None
    effective_to: dt.date | None


@dataclass(frozen=True)
class AllergyRow:
    id: int
    substance: str
    reaction: str
    severity: str
    noted_on: dt.date | None


@dataclass(frozen=True)
class VitalsRow:
    taken_at: dt.datetime
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    temperature_f: float | None
    weight_lb: float | None
    height_in: float | None


@dataclass(frozen=True)
class PatientDetail:
    id: int
    mrn: str
    first_name: str
    middle_name: str
    last_name: str
    preferred_name: str
    dob: dt.date | None  # None: unreadable (a damaged row)
    sex: str
    phone_home: str
    phone_mobile: str
    phone_work: str
    email: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    preferred_contact: str
    ssn_last4: str
    notes: str
    active: bool
    version: int
    coverages: list[CoverageRow] = field(default_factory=list)
    allergies: list[AllergyRow] = field(default_factory=list)
    latest_vitals: VitalsRow | None = None

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def phone(self) -> str:
        return self.phone_mobile or self.phone_home or self.phone_work


# ---------------------------------------------------------------------- search

_ROW_COLUMNS = (
    Patient.id,
    Patient.mrn,
    Patient.last_name,
    Patient.first_name,
    Patient.dob,
    Patient.sex,
    Patient.phone_mobile,
    Patient.phone_home,
    Patient.phone_work,
    Patient.active,
    Patient.last_norm,
    Patient.first_norm,
)
_KEY = (Patient.last_norm, Patient.first_norm, Patient.id)

SortKey = tuple[str, str, int]


@dataclass(frozen=True)
class _Source:
    """One indexed lookup: a WHERE clause, an optional last-name prefix range
    (kept apart so the keyset can take over its lower bound), an optional Python check.

    ``off_name_index`` keeps the (last_norm, first_norm, id) index out of the plan,
    writing the name key as ``last_norm || ''``: for a last+first prefix pair whose
    first-name range is small (``planned``), so both engines take the
    (first_norm, last_norm, id) index and sort the few matches instead of walking
    every "Jo..." surname for first name "Smith"; and for the VistA form, where
    SSN last 4 is the selective part.
    """

    where: Expression | None
    last_prefix: str = ""
    check: Callable[[tuple], bool] | None = None
    first_prefix: str = ""
    off_name_index: bool = False

    def clause(self, key: SortKey | None) -> Expression | None:
        """The WHERE for rows after ``key``.

        SQLite seeks the (last_norm, first_norm, id) index on the row comparison
        only when no other lower bound on last_norm is present, so inside the
        range the comparison replaces ``last_norm >= prefix``.
        """
        parts = [self.where] if self.where is not None else []
        if self.off_name_index or not self.last_prefix:
            # an equality lookup (DOB, phone, SSN, MRN) or a small first-name range:
            # its own index finds the few rows; the name index must not look
            # cheaper to a generic (prepared) plan, so the name key is unindexable here
            last = Patient.last_norm.concat("")
            if self.last_prefix:
                parts.append(_range(last, self.last_prefix))
            if key is not None:
                parts.append(Tuple(last, Patient.first_norm, Patient.id) > Tuple(*key))
            return _all(parts) if parts else None
        after_key = Tuple(*_KEY) > Tuple(*key) if key is not None else None
        upper = Patient.last_norm < prefix_upper_bound(self.last_prefix)
        if key is not None and key[0] >= self.last_prefix:
            parts += [after_key, upper]
        else:  # no key, or every row of the range is past it
            parts += [Patient.last_norm >= self.last_prefix, upper]
        return _all(parts)

    def planned(self) -> _Source:
        """This source, switched to the first-name index when its first-name range is small."""
        if not (self.last_prefix and self.first_prefix):
            return self
        probe = Patient.select(Patient.id).where(_range(Patient.first_norm, self.first_prefix))
        if probe.limit(SMALL_FIRST_RANGE).count() < SMALL_FIRST_RANGE:
            return replace(self, off_name_index=True)
        return self


def _all(parts: list[Expression]) -> Expression:
    clause = parts[0]
    for part in parts[1:]:
        clause = clause & part
    return clause


def _row_key(row: tuple) -> SortKey:
    return (row[10], row[11], row[0])


def readable_date(value: Any) -> dt.date | None:
    """A stored date, or None when the row was damaged (SQLite keeps whatever was written:
    ``dob = 'garbage'`` reads back as that text). Screens show a placeholder for None."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _to_row(row: tuple) -> PatientRow:
    pid, mrn, last, first, dob, sex, mobile, home, work, active = row[:10]
    return PatientRow(
        pid, _text(mrn), _text(last), _text(first), readable_date(dob), _text(sex),
        _text(mobile) or _text(home) or _text(work), bool(active),
    )  # fmt: skip


def _range(column: Any, prefix: str) -> Expression:
    return (column >= prefix) & (column < prefix_upper_bound(prefix))


def _name_source(last: str, first: str) -> _Source:
    where = _range(Patient.first_norm, first) if first else None
    return _Source(where, last_prefix=last, first_prefix=first)


def _name_sources(query: str) -> list[_Source]:
    if "," in query:
        last_text, first_text = query.split(",", 1)
        last, first = normalize(last_text), normalize(first_text.replace(",", " "))
        return [_name_source(last, first)] if last or first else []
    words = normalize(query).split()
    if not words:
        return []
    if len(words) == 1:
        return [_name_source(words[0], "")]
    words = words[:MAX_NAME_WORDS]
    sources = [_name_source(" ".join(words), "")]
    for split in range(1, len(words)):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        sources.append(_name_source(head, tail))
        sources.append(_name_source(tail, head))
    return sources


def _dob_source(text: str) -> _Source | None:
    try:
        dob = dates.parse_date(text, past=True)
    except InvalidInput:
        return None
    return _Source(Patient.dob == dob)


def _phone_sources(number: str) -> list[_Source]:
    if len(number) == 4:
        return [_Source(Patient.phone_last4 == number), _Source(Patient.ssn_last4 == number)]
    if len(number) in (7, 10) or (len(number) == 11 and number.startswith("1")):
        tail = number[-10:]

        def same_phone(row: tuple) -> bool:
            return any(digits(p or "").endswith(tail) for p in row[6:9])

        return [_Source(Patient.phone_last4 == number[-4:], check=same_phone)]
    if len(number) in (6, 8):
        source = _dob_source(number)
        return [source] if source else []
    return []


def _sources_for(query: str) -> list[_Source]:
    text = query.strip()
    sources: list[_Source] = []
    if not text:
        return sources
    single_word = not any(ch.isspace() for ch in text)
    if single_word and any(ch.isdigit() for ch in text):
        sources.append(_Source(Patient.mrn.in_(sorted({text, text.upper()}))))
    if dates.looks_like_date(text) and not text.isdigit():
        source = _dob_source(text)
        return sources + ([source] if source else [])
    if _VISTA.match(text):
        initial = text[0].lower()
        # SSN last 4 is the selective part: searched through its index, initial filtered
        return sources + [
            _Source(Patient.ssn_last4 == text[1:], last_prefix=initial, off_name_index=True)
        ]
    if _PHONEISH.match(text) and any(ch.isdigit() for ch in text):
        return sources + _phone_sources(digits(text))
    return sources + _name_sources(text)


def _fetch(
    source: _Source, after: SortKey | None, limit: int, include_inactive: bool
) -> Iterator[tuple]:
    """Rows of one source in key order, fetched ``limit`` at a time while consumed."""
    key = after
    while True:
        where = source.clause(key)
        if not include_inactive:
            active = Patient.active == True  # noqa: E712
            where = active if where is None else where & active
        query = Patient.select(*_ROW_COLUMNS).order_by(*_KEY).limit(limit).tuples()
        if where is not None:
            query = query.where(where)
        rows = list(query)
        for row in rows:
            if source.check is None or source.check(row):
                yield row
        if len(rows) < limit:
            return
        key = _row_key(rows[-1])


def search_patients(
    query: str, limit: int = 50, after: Any | None = None, include_inactive: bool = False
) -> Page[PatientRow]:
    """Type-ahead patient lookup; see the module docstring for what the text can be."""
    if limit <= 0:
        return Page([], None)
    sources = _sources_for(query or "")
    if not sources:
        return Page([], None)
    key = tuple(after) if after is not None else None
    batch = limit + 1
    streams = [_fetch(s.planned(), key, batch, include_inactive) for s in sources]
    merged = heapq.merge(*streams, key=_row_key) if len(streams) > 1 else streams[0]
    rows: list[tuple] = []
    seen: set[int] = set()
    for row in merged:
        if row[0] in seen:
            continue
        seen.add(row[0])
        rows.append(row)
        if len(rows) > limit:
            break
    for stream in streams:
        stream.close()
    more = len(rows) > limit
    rows = rows[:limit]
    next_after = _row_key(rows[-1]) if more else None
    return Page([_to_row(r) for r in rows], next_after)


def fuzzy_search_patients(
    query: str, limit: int = 20, include_inactive: bool = False
) -> list[PatientRow]:
    """Names close to ``query`` despite typos ("jonh smiht" -> Smith, John), best first.

    For when ``search_patients`` finds nothing: the engine's trigram index finds
    candidates and a shared ranking orders them the same on both engines. Not
    paged (a short "did you mean" list); queries with digits are not names.
    """
    text = normalize((query or "").replace(",", " "))
    if limit <= 0 or not text or any(ch.isdigit() for ch in text):
        return []
    ids = engine_for().fuzzy_patient_ids(text, limit=limit * 2)
    if not ids:
        return []
    found = {
        row[0]: row
        for row in Patient.select(*_ROW_COLUMNS).where(Patient.id.in_(ids)).tuples()
        if include_inactive or row[9]
    }
    return [_to_row(found[pid]) for pid in ids if pid in found][:limit]


# --------------------------------------------------------------------- record


@reads("patient.view")
def get_patient(actor: Actor, patient_id: int) -> PatientDetail:
    """Everything the record screen shows, in four indexed reads (no per-row queries).

    Opening a record is a disclosure of PHI: each call is an audit event.
    """
    patient = Patient.get_or_none(Patient.id == patient_id)
    if patient is None:
        raise NotFound(f"patient {patient_id} not found")
    audit.record(actor, "view", "patient", patient_id, patient_id=patient_id)
    coverages = [
        CoverageRow(*row)
        for row in Coverage.select(
            Coverage.id,
            Coverage.rank,
            Payer.id,
            Payer.name,
            Coverage.member_id,
            Coverage.group_number,
            Coverage.relationship,
            Coverage.copay_cents,
            Coverage.effective_from,
            Coverage.effective_to,
        )  # fmt: skip
        .join(Payer, JOIN.INNER, on=(Coverage.payer == Payer.id))
        .where((Coverage.patient == patient_id) & (Coverage.active == True))  # noqa: E712
        .order_by(Coverage.rank, Coverage.id)
        .tuples()
    ]
    allergies = [
        AllergyRow(*row)
        for row in Allergy.select(
            Allergy.id, Allergy.substance, Allergy.reaction, Allergy.severity, Allergy.noted_on
        )
        .where((Allergy.patient == patient_id) & (Allergy.active == True))  # noqa: E712
        .order_by(Allergy.substance, Allergy.id)
        .tuples()
    ]
    vitals = (
        Vital.select(
            Vital.taken_at,
            Vital.systolic,
            Vital.diastolic,
            Vital.pulse,
            Vital.temperature_f,
            Vital.weight_lb,
            Vital.height_in,
        )  # fmt: skip
        .where(Vital.patient == patient_id)
        .order_by(Vital.taken_at.desc(), Vital.id.desc())
        .limit(1)
        .tuples()
        .first()
    )
    return PatientDetail(
        **{name: getattr(patient, name) for name in _DETAIL_FIELDS if name != "dob"},
        dob=readable_date(patient.dob),
        coverages=coverages,
        allergies=allergies,
        latest_vitals=VitalsRow(*vitals) if vitals else None,
    )


_DETAIL_FIELDS = (
    "id", "mrn", "first_name", "middle_name", "last_name", "preferred_name", "dob", "sex",
    "phone_home", "phone_mobile", "phone_work", "email", "address1", "address2", "city",
    "state", "zip", "preferred_contact", "ssn_last4", "notes", "active", "version",
)  # fmt: skip

#: fields staff may set; the search keys, version and timestamps are the service's job
EDITABLE_FIELDS = frozenset(_DETAIL_FIELDS) - {"id", "version"}
_PHONE_FIELDS = ("phone_mobile", "phone_home", "phone_work")


def phone_last4(values: dict[str, Any]) -> str:
    """Last 4 digits of the first phone on file (mobile, home, work): the indexed search key."""
    for name in _PHONE_FIELDS:
        number = digits(values.get(name) or "")
        if len(number) >= 4:
            return number[-4:]
    return ""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a full set of patient fields; messages name the field, never the value."""
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"unknown patient field(s): {', '.join(sorted(unknown))}")
    out = dict(values)
    for name in ("first_name", "last_name"):
        text = " ".join(str(out.get(name) or "").split())
        if not text or not normalize(text):
            raise InvalidInput(f"{name.replace('_', ' ')} is required")
        out[name] = text
    dob = out.get("dob")
    if isinstance(dob, str):
        dob = dates.parse_date(dob, past=True)
    if isinstance(dob, dt.datetime):
        dob = dob.date()
    if not isinstance(dob, dt.date):
        raise InvalidInput("date of birth is required")
    if dob > clock.today():
        raise InvalidInput("date of birth cannot be in the future")
    out["dob"] = dob
    sex = str(out.get("sex") or "U").strip().upper()
    if sex not in SEXES:
        raise InvalidInput("sex must be one of F, M, X, U")
    out["sex"] = sex
    ssn = str(out.get("ssn_last4") or "").strip()
    if ssn and not re.fullmatch(r"\d{4}", ssn):
        raise InvalidInput("SSN last 4 must be 4 digits")
    out["ssn_last4"] = ssn
    if "mrn" in out and not str(out["mrn"] or "").strip():
        raise InvalidInput("MRN cannot be blank")
    for name, value in out.items():
        if isinstance(value, str):
            limit = getattr(Patient._meta.fields[name], "max_length", None)
            if limit is not None and len(value) > limit:
                raise InvalidInput(f"{name.replace('_', ' ')} is longer than {limit} characters")
    out["last_norm"] = normalize(out["last_name"])
    out["first_norm"] = normalize(out["first_name"])
    out["phone_last4"] = phone_last4(out)
    return out


def _row_by_id(patient_id: int) -> PatientRow:
    row = Patient.select(*_ROW_COLUMNS).where(Patient.id == patient_id).tuples().first()
    if row is None:
        raise NotFound(f"patient {patient_id} not found")
    return _to_row(row)


def mrn_for(patient_id: int) -> str:
    return f"M{patient_id:07d}"  # the demo practice's format: M + 7 digits


@writes("patient.create")
def create_patient(actor: Actor, **fields: Any) -> PatientRow:
    """Register a patient. Without an ``mrn`` one is assigned from the new row's id."""
    values = _clean(fields)
    now = clock.now()
    assign_mrn = not values.get("mrn")
    if assign_mrn:
        values["mrn"] = "new-" + uuid.uuid4().hex[:16]  # unique placeholder until the id exists
    try:
        with db.atomic():
            patient_id = Patient.insert(
                **values,
                created_at=now,
                updated_at=now,
                created_by=actor.user_id,
                updated_by=actor.user_id,
                version=1,
            ).execute()
            if assign_mrn:
                Patient.update(mrn=mrn_for(patient_id)).where(Patient.id == patient_id).execute()
    except IntegrityError:
        raise _duplicate_mrn_or(values["mrn"]) from None
    audit.record(
        actor, "create", "patient", patient_id, patient_id=patient_id, fields=_recorded(fields)
    )
    return _row_by_id(patient_id)


def _recorded(names: Any) -> list[str]:
    """Field names for the audit trail (the search keys are derived, not edited)."""
    return [n for n in names if n not in ("last_norm", "first_norm", "phone_last4")]


def _duplicate_mrn_or(mrn: str) -> InvalidInput:
    """The friendly error for the one constraint a desk can hit (the MRN is unique)."""
    if Patient.select().where(Patient.mrn == mrn).exists():
        return InvalidInput("that MRN is already in use")
    return InvalidInput("the patient record could not be saved (a database rule refused it)")


@writes("patient.edit")
def update_patient(
    actor: Actor, patient_id: int, expected_version: int, **changes: Any
) -> PatientRow:
    """Change fields of a patient the caller read at ``expected_version``.

    ``UPDATE ... WHERE id = ? AND version = ?``: if another desk saved first,
    nothing is written and StaleEdit tells this desk who changed the record.
    """
    if not changes:
        return _row_by_id(patient_id)
    try:
        return _update_patient(actor, patient_id, expected_version, changes)
    except IntegrityError:
        raise _duplicate_mrn_or(str(changes.get("mrn", ""))) from None


def _update_patient(
    actor: Actor, patient_id: int, expected_version: int, changes: dict[str, Any]
) -> PatientRow:
    with db.atomic():
        current = (
            Patient.select(*[getattr(Patient, name) for name in EDITABLE_FIELDS])
            .where(Patient.id == patient_id)
            .dicts()
            .first()
        )
        if current is None:
            raise NotFound(f"patient {patient_id} not found")
        values = _clean({**current, **changes})
        changed = {k: v for k, v in values.items() if k not in current or current[k] != v}
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
        if updated == 0:
            raise _stale(patient_id)
    audit.record(
        actor, "update", "patient", patient_id, patient_id=patient_id, fields=_recorded(changed)
    )
    return _row_by_id(patient_id)


def _stale(patient_id: int) -> StaleEdit:
    by = Patient.select(Patient.updated_by).where(Patient.id == patient_id).scalar()
    return StaleEdit(changed_by=staff_name(by))


def find_patient_id(id_or_mrn: str) -> int | None:
    """A patient's id from its id (digits) or its MRN (exact, any case), or None."""
    text = (id_or_mrn or "").strip()
    if not text:
        return None
    found = Patient.select(Patient.id).where(Patient.mrn.in_(sorted({text, text.upper()})))
    patient_id = found.scalar()
    if patient_id is None and text.isdigit():
        patient_id = Patient.select(Patient.id).where(Patient.id == int(text)).scalar()
    return patient_id


def count_patients(include_inactive: bool = False) -> int:
    """How many patients are on file (for status lines; a full count, not a hot path)."""
    query = Patient.select(fn.COUNT(Patient.id))
    if not include_inactive:
        query = query.where(Patient.active == True)  # noqa: E712
    return int(query.scalar() or 0)
