"""Check-in essentials: what the desk must ask for when a patient arrives, at a glance.

Without opening the record: is there insurance in force today, was its eligibility
checked recently (``ELIGIBILITY_DAYS``), the copay due for this visit, what the
patient still owes from earlier visits, and whether allergies are on file. Each is
one short line; ``needs_attention`` says which the desk must act on.

The coverage's "eligibility last checked" date and the record's allergy state come
from the patients area (``Coverage.eligibility_checked_on``, ``Patient.allergy_status``);
a database from before they existed reads as "not recorded".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from medoffice_tui import clock
from medoffice_tui.db.models import Allergy, Appointment, Claim, Coverage, Patient, Payer, Payment
from medoffice_tui.errors import NotFound
from medoffice_tui.services.actor import Actor, reads

#: eligibility older than this many days is checked again at the desk
ELIGIBILITY_DAYS = 30


@dataclass(frozen=True)
class Essential:
    label: str  # "Insurance", "Eligibility", "Copay", "Balance", "Allergies"
    text: str  # "Acme Health, member X123", "checked 45 days ago"
    attention: bool  # the desk must do something about it


@dataclass(frozen=True)
class CheckInEssentials:
    appointment_id: int
    patient_id: int
    patient_name: str
    mrn: str
    items: list[Essential]

    @property
    def needs_attention(self) -> list[Essential]:
        return [item for item in self.items if item.attention]


def _money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def _column(model: type, name: str):  # noqa: ANN202 - a peewee field or None
    """A column of another area's model, if this schema has it."""
    return model._meta.fields.get(name)


@reads("patient.view")
def checkin_essentials(actor: Actor, appointment_id: int) -> CheckInEssentials:
    """The essentials for the patient of one appointment (five indexed reads)."""
    row = (
        Appointment.select(Appointment.patient, Patient.last_name, Patient.first_name, Patient.mrn)
        .join(Patient, on=(Appointment.patient == Patient.id))
        .where(Appointment.id == appointment_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(f"appointment {appointment_id} not found")
    patient_id, last, first, mrn = row
    today = clock.today()
    items = [*_coverage_items(patient_id, today), _balance_item(patient_id),
             _allergy_item(patient_id)]  # fmt: skip
    active = Patient.select(Patient.active).where(Patient.id == patient_id).scalar()
    if not active:
        items.insert(0, Essential("Record", "inactive: check the details, reactivate it", True))
    return CheckInEssentials(appointment_id, patient_id, f"{last}, {first}", mrn, items)


def _coverage_items(patient_id: int, today: dt.date) -> list[Essential]:
    checked = _column(Coverage, "eligibility_checked_on")
    columns = [Coverage.rank, Payer.name, Coverage.member_id, Coverage.copay_cents]
    if checked is not None:
        columns.append(checked)
    in_force = (
        (Coverage.patient == patient_id)
        & (Coverage.active == True)  # noqa: E712
        & (Coverage.effective_from.is_null() | (Coverage.effective_from <= today))
        & (Coverage.effective_to.is_null() | (Coverage.effective_to >= today))
    )
    rows = list(
        Coverage.select(*columns)
        .join(Payer, on=(Coverage.payer == Payer.id))
        .where(in_force)
        .order_by(Coverage.rank)
        .tuples()
    )
    if not rows:
        return [
            Essential("Insurance", "none in force today: ask for a card (or self-pay)", True),
            Essential("Copay", "none on file", False),
        ]
    primary = rows[0]
    rank, payer, member, copay = primary[:4]
    more = f" (+{len(rows) - 1} more)" if len(rows) > 1 else ""
    items = [Essential("Insurance", f"{payer}, member {member}{more}", False)]
    if checked is None:
        items.append(Essential("Eligibility", "not recorded: check it", True))
    else:
        when = primary[4]
        if when is None:
            items.append(Essential("Eligibility", "never checked: check it", True))
        else:
            age = (today - when).days
            stale = age > ELIGIBILITY_DAYS
            words = "today" if age == 0 else f"{age} day{'s' if age != 1 else ''} ago"
            items.append(
                Essential(
                    "Eligibility", f"checked {words}" + (": check again" if stale else ""), stale
                )  # fmt: skip
            )
    items.append(Essential("Copay", f"{_money(copay)} due today" if copay else "none", copay > 0))
    return items


def _balance_item(patient_id: int) -> Essential:
    """What the patient owes from earlier visits: their share of every claim, less what
    they have paid (integer cents)."""
    owed = (
        Claim.select(fn.COALESCE(fn.SUM(Claim.patient_resp_cents), 0))
        .where(Claim.patient == patient_id)
        .scalar()
    ) or 0
    paid = (
        Payment.select(fn.COALESCE(fn.SUM(Payment.amount_cents), 0))
        .where((Payment.patient == patient_id) & (Payment.kind == "patient"))
        .scalar()
    ) or 0
    balance = int(owed) - int(paid)
    if balance > 0:
        return Essential("Balance", f"{_money(balance)} outstanding: ask for payment", True)
    if balance < 0:
        return Essential("Balance", f"{_money(-balance)} credit on account", False)
    return Essential("Balance", "nothing owed", False)


def _allergy_item(patient_id: int) -> Essential:
    substances = [
        s
        for (s,) in Allergy.select(Allergy.substance)
        .where((Allergy.patient == patient_id) & (Allergy.active == True))  # noqa: E712
        .order_by(Allergy.id)
        .tuples()
    ]
    if substances:
        return Essential("Allergies", f"{len(substances)} on file: {', '.join(substances)}", True)
    state_column = _column(Patient, "allergy_status")
    state = None
    if state_column is not None:
        state = Patient.select(state_column).where(Patient.id == patient_id).scalar()
    if state == "nka":
        return Essential("Allergies", "no known allergies", False)
    return Essential("Allergies", "not asked yet: ask", True)
