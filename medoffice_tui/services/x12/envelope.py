"""Who the practice is to its clearinghouse, and the control numbers of each file.

The clearinghouse's ids live in one ``x12_partner`` row (``medoffice claims files-setup``
changes them; until then they come from the practice: its NPI as the submitter id, a
test usage indicator ``T``). Each file written takes the next interchange control
number (ISA13) and group control number (GS06) from that row inside the writing
transaction, so numbers are unique and increasing however many desks export at once
(SQLite: the write lock is held; PostgreSQL: the UPDATE holds the row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import Practice, X12Partner
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, writes
from medoffice_tui.services.x12 import segments

#: the largest ISA13 (9 digits)
MAX_CONTROL = 999_999_999
QUALIFIERS = ("ZZ", "01", "14", "20", "27", "28", "29", "30", "33")


@dataclass(frozen=True)
class Partner:
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    receiver_name: str
    usage: str
    contact_name: str
    contact_phone: str
    last_interchange: int
    last_group: int


@dataclass(frozen=True)
class ControlNumbers:
    interchange: int  # ISA13
    group: int  # GS06

    @property
    def isa13(self) -> str:
        return f"{self.interchange:09d}"


def _defaults() -> dict:
    practice = Practice.select().order_by(Practice.id).first()
    npi = segments.digits(practice.npi if practice else "", 10) or "SUBMITTER"
    return {
        "sender_qualifier": "ZZ",
        "sender_id": npi,
        "receiver_qualifier": "ZZ",
        "receiver_id": "CLEARINGHOUSE",
        "receiver_name": "CLEARINGHOUSE",
        "usage": "T",
        "contact_name": segments.clean(practice.name if practice else "BILLING", 60) or "BILLING",
        "contact_phone": segments.digits(practice.phone if practice else "", 10),
    }


def _row_to_partner(row: X12Partner | None) -> Partner:
    if row is None:
        return Partner(**_defaults(), last_interchange=0, last_group=0)
    return Partner(
        row.sender_qualifier,
        row.sender_id,
        row.receiver_qualifier,
        row.receiver_id,
        row.receiver_name,
        row.usage,
        row.contact_name,
        row.contact_phone,
        int(row.last_interchange),
        int(row.last_group),
    )


def partner() -> Partner:
    """The clearinghouse settings (the defaults until they are set)."""
    return _row_to_partner(X12Partner.select().order_by(X12Partner.id).first())


def _ensure_row() -> X12Partner:
    row = X12Partner.select().order_by(X12Partner.id).first()
    if row is None:
        X12Partner.insert(**_defaults(), updated_at=clock.now()).execute()
        row = X12Partner.select().order_by(X12Partner.id).first()
    return row


@inside_write
def next_control_numbers() -> ControlNumbers:
    """The next ISA13 and GS06 (inside a write: the row is locked until it commits)."""
    row = _ensure_row()
    X12Partner.update(
        last_interchange=X12Partner.last_interchange + 1, last_group=X12Partner.last_group + 1
    ).where(X12Partner.id == row.id).execute()
    fresh = X12Partner.get_by_id(row.id)
    if fresh.last_interchange > MAX_CONTROL or fresh.last_group > MAX_CONTROL:
        raise InvalidInput("the interchange control numbers have run out (999,999,999)")
    return ControlNumbers(int(fresh.last_interchange), int(fresh.last_group))


def _check_id(value: str, what: str, field: str) -> str:
    text = segments.clean(value, 16)
    if not text or len(text) > 15:
        raise InvalidInput(f"{what}: 1 to 15 letters or digits", field=field)
    return text


@writes("settings.edit")
def update_partner(
    actor: Actor,
    *,
    sender_id: str | None = None,
    sender_qualifier: str | None = None,
    receiver_id: str | None = None,
    receiver_qualifier: str | None = None,
    receiver_name: str | None = None,
    usage: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    next_interchange: int | None = None,
) -> Partner:
    """Change the clearinghouse settings (what is not given stays). ``next_interchange``
    may only move the control numbers forward (a clearinghouse that has seen higher
    numbers from an older system)."""
    row = _ensure_row()
    changes: dict = {}
    if sender_id is not None:
        changes["sender_id"] = _check_id(sender_id, "the submitter id", "sender_id")
    if receiver_id is not None:
        changes["receiver_id"] = _check_id(receiver_id, "the receiver id", "receiver_id")
    for name, value in (
        ("sender_qualifier", sender_qualifier),
        ("receiver_qualifier", receiver_qualifier),
    ):
        if value is not None:
            if value not in QUALIFIERS:
                raise InvalidInput(f"an id qualifier is one of {', '.join(QUALIFIERS)}", field=name)
            changes[name] = value
    if receiver_name is not None:
        text = segments.clean(receiver_name, 60)
        if not text:
            raise InvalidInput("type the clearinghouse's name", field="receiver_name")
        changes["receiver_name"] = text
    if usage is not None:
        if usage not in ("T", "P"):
            raise InvalidInput("usage is T (test) or P (production)", field="usage")
        changes["usage"] = usage
    if contact_name is not None:
        changes["contact_name"] = segments.clean(contact_name, 60)
    if contact_phone is not None:
        phone = segments.digits(contact_phone, 15)
        if phone and len(phone) != 10:
            raise InvalidInput("the contact phone has 10 digits", field="contact_phone")
        changes["contact_phone"] = phone
    if next_interchange is not None:
        if not 1 <= next_interchange <= MAX_CONTROL or next_interchange <= row.last_interchange:
            raise InvalidInput(
                f"the next control number must be above {row.last_interchange}",
                field="next_interchange",
            )
        changes["last_interchange"] = next_interchange - 1
        changes["last_group"] = max(row.last_group, next_interchange - 1)
    if changes:
        changes.update(updated_at=clock.now(), updated_by=actor.user_id)
        X12Partner.update(**changes).where(X12Partner.id == row.id).execute()
        audit.record(
            actor,
            "update",
            "x12_partner",
            row.id,
            fields=tuple(k for k in changes if k not in ("updated_at", "updated_by")),
        )
    return partner()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp() -> dt.datetime:
    return clock.now().replace(second=0, microsecond=0)


__all__ = [
    "ControlNumbers",
    "Partner",
    "next_control_numbers",
    "partner",
    "sha256",
    "stamp",
    "update_partner",
]


def open_interchange(
    writer: segments.Writer,
    partner: Partner,
    numbers: ControlNumbers,
    at: dt.datetime,
    functional_code: str,
    version: str,
) -> None:
    """ISA and GS for one functional group (``HC`` claims, ``HS`` eligibility) to the
    clearinghouse ``partner``, with this file's control numbers."""
    segments.isa_segment(
        writer,
        sender_qualifier=partner.sender_qualifier,
        sender_id=partner.sender_id,
        receiver_qualifier=partner.receiver_qualifier,
        receiver_id=partner.receiver_id,
        interchange=numbers.interchange,
        at=at,
        usage=partner.usage,
    )
    writer.segment(
        "GS",
        functional_code,
        segments.clean(partner.sender_id, 15),
        segments.clean(partner.receiver_id, 15),
        segments.date8(at),
        at.strftime("%H%M"),
        numbers.group,
        "X",
        version,
    )
