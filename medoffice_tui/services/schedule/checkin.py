"""Check-in essentials: what the desk must ask for when a patient arrives, at a glance.

Without opening the record: is there insurance in force today, was its eligibility
checked recently (``ELIGIBILITY_DAYS``) and what the payer's last 271 answer said
(active or INACTIVE, when; copay and deductible remaining), the copay due for this
visit, what the patient still owes from earlier visits, and whether allergies are on
file. Each is one short line; ``needs_attention`` says which the desk must act on: an
inactive answer always does, unless the desk checked again after it.

The coverage's "eligibility last checked" date and the record's allergy state come
from the patients area (``Coverage.eligibility_checked_on``, ``Patient.allergy_status``);
a database from before they existed reads as "not recorded". The 271 answer is the
claims-files area's read (``services.x12.eligibility.latest_answer``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peewee import fn

from medoffice_tui import clock
from medoffice_tui.db.models import Allergy, Appointment, Claim, Coverage, Patient, Payer, Payment
from medoffice_tui.errors import NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads

if TYPE_CHECKING:
    from medoffice_tui.services.x12.eligibility import EligibilityView

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
    """The essentials for the patient of one appointment (seven indexed reads)."""
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
    # insurance, balance and allergies of this patient are on the desk's screen now
    audit.record(
        actor, "view", "patient", patient_id, patient_id=patient_id,
        fields=("coverage", "balance", "allergies"), detail="check-in essentials",
    )  # fmt: skip
    return CheckInEssentials(appointment_id, patient_id, f"{last}, {first}", mrn, items)


def _days_words(age: int) -> str:
    return "today" if age == 0 else f"{age} day{'s' if age != 1 else ''} ago"


def _coverage_items(patient_id: int, today: dt.date) -> list[Essential]:
    checked = _column(Coverage, "eligibility_checked_on")
    columns = [Coverage.id, Coverage.rank, Payer.name, Coverage.member_id, Coverage.copay_cents]
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
    coverage_id, _rank, payer, member, copay = primary[:5]
    more = f" (+{len(rows) - 1} more)" if len(rows) > 1 else ""
    items = [Essential("Insurance", f"{payer}, member {member}{more}", False)]
    from medoffice_tui.services.x12.eligibility import latest_answer  # the 271 answers' read

    answer = latest_answer(coverage_id)
    if checked is None:
        items.append(Essential("Eligibility", "not recorded: check it", True))
    else:
        items.append(_eligibility_item(primary[5], answer, today))
    copay_text = f"{_money(copay)} due today" if copay else "none"
    copay_item = Essential("Copay", copay_text, copay > 0)
    said = answer.copay_cents if answer.status == "active" else None
    if said is not None and said != copay:
        on_file = f"{_money(copay)} on file" if copay else "none on file"
        copay_item = Essential("Copay", f"{on_file}, the 271 says {_money(said)}: ask", True)
    items.append(copay_item)
    if answer.status == "active" and answer.deductible_left_cents is not None:
        left = answer.deductible_left_cents
        text = f"{_money(left)} left to meet (271)" if left else "met (271)"
        items.append(Essential("Deductible", text, False))
    return items


def _eligibility_item(
    checked_on: dt.date | None, answer: EligibilityView, today: dt.date
) -> Essential:
    """The primary coverage's eligibility: the last 271 answer (active, or INACTIVE as a
    warning) and how long ago, or the date the desk last checked if that is newer."""
    answered = answer.answered_on if answer.status else None
    failed = ""
    if answer.last_error:
        failed = f"; {'a newer' if answer.status else 'the last'} 271 failed: {answer.last_error}"
    if answered is not None and (checked_on is None or checked_on <= answered):
        age = (today - answered).days
        stale = age > ELIGIBILITY_DAYS
        if answer.status == "inactive":
            text = f"INACTIVE per 271, {_days_words(age)}: ask for a current card"
            return Essential("Eligibility", text + failed, True)
        text = f"active per 271, {_days_words(age)}" + (": check again" if stale else "")
        return Essential("Eligibility", text + failed, stale or bool(failed))
    if checked_on is None:
        return Essential("Eligibility", "never checked: check it" + failed, True)
    age = (today - checked_on).days
    stale = age > ELIGIBILITY_DAYS
    text = f"checked {_days_words(age)}" + (": check again" if stale else "")
    if answered is not None:  # the desk checked again after the last 271
        text += f" (the 271 before said {answer.status})"
    return Essential("Eligibility", text + failed, stale or bool(failed))


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
