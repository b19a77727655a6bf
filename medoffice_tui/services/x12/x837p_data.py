"""What the 837P writer takes and gives, as plain data: the claim (:class:`ClaimData`,
its people, service lines and, for a secondary or tertiary claim, the payer before it),
the billing provider, and the written interchange (:class:`Built`, with each claim's
segment span for the 999's segment positions).

:mod:`~medoffice_tui.services.x12.x837p_load` fills these from the database;
:mod:`~medoffice_tui.services.x12.x837p` writes them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: the CAS groups a 2430 carries (the earlier payer's line adjustments)
CAS_GROUPS = ("CO", "PR", "OA", "PI")


@dataclass(frozen=True)
class Person:
    last: str
    first: str
    middle: str = ""
    suffix: str = ""
    dob: dt.date | None = None
    sex: str = "U"
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""


@dataclass(frozen=True)
class LineData:
    id: int
    line_no: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int
    pointers: tuple[int, ...]
    service_date: dt.date


@dataclass(frozen=True)
class PriorLine:
    """What the payer before this one decided on a line (2430)."""

    line_no: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    paid_cents: int
    adjustments: tuple[tuple[str, str, int], ...]  # (group, carc, cents)


@dataclass(frozen=True)
class PriorPayer:
    """The payer before this one, for a secondary or tertiary claim (2320/2330)."""

    seq: str  # P, S
    relationship: str  # self, spouse, child, other
    group_number: str
    filing_indicator: str
    member_id: str
    subscriber: Person
    payer_name: str
    payer_id: str
    paid_cents: int
    adjudicated_on: dt.date
    lines: tuple[PriorLine, ...]


@dataclass(frozen=True)
class ClaimData:
    id: int
    claim_number: str
    total_cents: int
    service_date: dt.date
    place_of_service: str
    frequency_code: str
    payer_claim_number: str
    prior_auth_number: str
    payer_seq: str
    patient: Person
    relationship: str  # the patient to the subscriber: self, spouse, child, other
    subscriber: Person
    member_id: str
    group_number: str
    payer_name: str
    payer_id: str
    filing_indicator: str
    rendering: Person
    rendering_npi: str
    rendering_taxonomy: str
    billing_key: int | None  # None: the practice; else the provider id who bills
    diagnoses: tuple[str, ...]
    lines: tuple[LineData, ...]
    prior: PriorPayer | None = None


@dataclass(frozen=True)
class BillingProvider:
    organization: bool
    name: str  # organisation name, or last name
    first: str
    npi: str
    tax_id: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    phone: str


@dataclass(frozen=True)
class Span:
    st_control: str
    first_segment: int
    last_segment: int


@dataclass
class Built:
    text: str
    spans: dict[int, Span] = field(default_factory=dict)
    sets: int = 0
    segments: int = 0
