"""What the patient services hand back up: plain frozen rows, no database objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: how a search result matched what was typed, best first
MATCH_EXACT, MATCH_PREFIX, MATCH_CLOSE = "exact", "prefix", "close"


def readable_date(value: Any) -> dt.date | None:
    """A stored date, or None when the row was damaged (SQLite keeps whatever was written:
    ``dob = 'garbage'`` reads back as that text). Screens show a placeholder for None."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def readable_datetime(value: Any) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


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
    #: how it matched the search: exact, prefix, close (a typo) or "" (not a name search)
    match: str = ""
    #: the next live appointment from now, when the search was asked for details
    next_appointment: dt.datetime | None = None
    #: "listed" (allergies on file), "nka" (no known allergies), "unknown" (not asked)
    allergy_status: str = ""

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
    subscriber_first: str = ""
    subscriber_last: str = ""
    subscriber_dob: dt.date | None = None
    subscriber_sex: str = ""
    eligibility_checked_on: dt.date | None = None
    version: int = 1

    @property
    def rank_label(self) -> str:
        return {1: "Primary", 2: "Secondary", 3: "Tertiary"}.get(self.rank, "Other")


@dataclass(frozen=True)
class AllergyRow:
    id: int
    substance: str
    reaction: str
    severity: str
    noted_on: dt.date | None
    version: int = 1


@dataclass(frozen=True)
class VitalsRow:
    taken_at: dt.datetime
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    temperature_f: float | None
    weight_lb: float | None
    height_in: float | None
    id: int = 0
    taken_by: str = ""

    @property
    def bmi(self) -> float | None:
        from medoffice_tui.services.patients.vitals import bmi

        return bmi(self.weight_lb, self.height_in)


@dataclass(frozen=True)
class NoteRow:
    id: int
    text: str
    created_at: dt.datetime | None
    created_by: str


@dataclass(frozen=True)
class VisitRow:
    id: int
    start: dt.datetime | None
    provider: str
    reason: str
    status: str


@dataclass(frozen=True)
class ClaimSummaryRow:
    id: int
    claim_number: str
    service_date: dt.date | None
    payer: str
    status: str
    total_cents: int
    balance_cents: int


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
    suffix: str = ""
    preferred_language: str = ""
    emergency_name: str = ""
    emergency_relationship: str = ""
    emergency_phone: str = ""
    external_id: str = ""
    allergy_status: str = "unknown"
    allergy_reviewed_on: dt.date | None = None
    merged_into: int | None = None
    merged_into_mrn: str = ""
    coverage_version: int = 1
    allergy_version: int = 1
    vitals: list[VitalsRow] = field(default_factory=list)
    note_rows: list[NoteRow] = field(default_factory=list)
    upcoming: list[VisitRow] = field(default_factory=list)
    past: list[VisitRow] = field(default_factory=list)
    claims: list[ClaimSummaryRow] = field(default_factory=list)
    open_balance_cents: int = 0
    possible_duplicates: list[PatientRow] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def phone(self) -> str:
        return self.phone_mobile or self.phone_home or self.phone_work

    def values(self, names: Any) -> dict[str, Any]:
        """The record's current value of each named field (for a form to start from)."""
        return {name: getattr(self, name) for name in names}
