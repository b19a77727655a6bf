"""What goes in each box of the CMS-1500 for one claim, following the NUCC 1500
instructions (02/12): names LAST, FIRST, MI; dates MM DD YYYY (MM DD YY in 24A);
diagnosis codes without the dot, ICD indicator 0 (ICD-10-CM); money without a dollar
sign, a space before the cents; one page for every six service lines (the pages before
the last say CONTINUED in box 28).

The claim's data is read by the 837P's own loader (``x12.x837p.load_claims``), so paper
and electronic claims say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui.db.models import Claim, Coverage, Payer
from medoffice_tui.services.cms1500.layout import DIAGNOSES, SERVICE_LINES
from medoffice_tui.services.x12 import x837p
from medoffice_tui.services.x12.x837p import BillingProvider, ClaimData, Person

#: box 1: which program, from the payer's claim filing indicator
PROGRAMS = {
    "MB": "MEDICARE",
    "MA": "MEDICARE",
    "MC": "MEDICAID",
    "CH": "TRICARE",
    "VA": "CHAMPVA",
    "FI": "FECA BLK LUNG",
}
RELATIONSHIP = {"self": "SELF", "spouse": "SPOUSE", "child": "CHILD", "other": "OTHER"}


@dataclass(frozen=True)
class Page:
    claim_id: int
    claim_number: str
    number: int  # 1-based page of this claim
    pages: int
    fields: dict[str, str]


def _name(person: Person) -> str:
    parts = [person.last.upper(), person.first.upper()]
    if person.middle:
        parts.append(person.middle[:1].upper())
    return ", ".join(p for p in parts if p)


def _date(day: dt.date | None, short: bool = False) -> str:
    if day is None:
        return ""
    return day.strftime("%m %d %y" if short else "%m %d %Y")


def _money(cents: int) -> str:
    return f"{cents // 100:>6} {cents % 100:02d}"


def _phone(text: str) -> str:
    digits = "".join(ch for ch in text or "" if ch.isdigit())[-10:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 else ""


def _zip(text: str) -> str:
    digits = "".join(ch for ch in text or "" if ch.isdigit())
    return f"{digits[:5]}-{digits[5:9]}" if len(digits) == 9 else digits[:5]


def _sex(code: str) -> str:
    return {"M": "M", "F": "F"}.get(code, "")


def claim_pages(
    claim: ClaimData,
    billing: BillingProvider,
    payer_address: tuple[str, str, str, str],
    other: tuple[str, str, str, str] | None,
    paid_cents: int,
    signed_on: dt.date,
) -> list[Page]:
    """The form's fields, page by page (six service lines a page)."""
    payer_street, payer_city, payer_state, payer_zip = payer_address
    common: dict[str, str] = {
        "carrier.1": claim.payer_name.upper(),
        "carrier.2": payer_street.upper(),
        "carrier.3": f"{payer_city.upper()} {payer_state.upper()} {_zip(payer_zip)}".strip(),
        "1": f"X {PROGRAMS.get(claim.filing_indicator, 'GROUP HEALTH PLAN')}",
        "1a": claim.member_id.upper(),
        "2": _name(claim.patient),
        "3": f"{_date(claim.patient.dob)}  {_sex(claim.patient.sex)}".strip(),
        "4": _name(claim.subscriber),
        "5.street": claim.patient.address1.upper(),
        "5.city": claim.patient.city.upper(),
        "5.state": claim.patient.state.upper(),
        "5.zip": _zip(claim.patient.zip),
        "6": f"X {RELATIONSHIP.get(claim.relationship, 'OTHER')}",
        "10a": "X NO",
        "10b": "X NO",
        "10c": "X NO",
        "11": claim.group_number.upper() or "NONE",
        "11a": f"{_date(claim.subscriber.dob)}  {_sex(claim.subscriber.sex)}".strip(),
        "11c": claim.payer_name.upper(),
        "11d": "X YES" if other else "X NO",
        "12": f"SIGNATURE ON FILE  {_date(signed_on)}",
        "13": "SIGNATURE ON FILE",
        "20": "X NO",
        "21.ind": "0",
        "25": f"{''.join(ch for ch in billing.tax_id if ch.isdigit())}  X EIN",
        "26": claim.claim_number,
        "27": "X YES",
        "31.1": f"{claim.rendering.first.upper()} {claim.rendering.last.upper()}".strip(),
        "31.2": _date(signed_on),
        "32.1": billing.name.upper(),
        "32.2": billing.address1.upper(),
        "32.3": f"{billing.city.upper()} {billing.state.upper()} {_zip(billing.zip)}",
        "32a": billing.npi,
        "33.phone": _phone(billing.phone),
        "33.1": billing.name.upper()
        if billing.organization
        else f"{billing.name.upper()}, {billing.first.upper()}",
        "33.2": billing.address1.upper(),
        "33.3": f"{billing.city.upper()} {billing.state.upper()} {_zip(billing.zip)}",
        "33a": billing.npi,
    }
    if claim.relationship == "self":
        common.update(
            {
                "7.street": claim.patient.address1.upper(),
                "7.city": claim.patient.city.upper(),
                "7.state": claim.patient.state.upper(),
                "7.zip": _zip(claim.patient.zip),
            }
        )
    if other:
        name, member, plan, _group = other
        common.update({"9": name, "9a": member, "9d": plan})
    for letter, code in zip(DIAGNOSES, claim.diagnoses, strict=False):
        common[f"21.{letter}"] = code.replace(".", "").upper()
    if claim.frequency_code in ("7", "8"):
        common["22"] = f"{claim.frequency_code}   {claim.payer_claim_number.upper()}"
    if claim.prior_auth_number:
        common["23"] = claim.prior_auth_number.upper()
    if paid_cents:
        common["29"] = _money(paid_cents)
    chunks = [
        claim.lines[i : i + SERVICE_LINES] for i in range(0, len(claim.lines), SERVICE_LINES)
    ] or [()]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        fields = dict(common)
        for index, line in enumerate(chunk, 1):
            day = _date(line.service_date, short=True)
            fields[f"24A.{index}"] = f"{day} {day}"
            fields[f"24B.{index}"] = claim.place_of_service
            fields[f"24D.{index}"] = " ".join((line.code, *line.modifiers[:4]))
            fields[f"24E.{index}"] = "".join(
                DIAGNOSES[p - 1] for p in line.pointers[:4] if 0 < p <= 12
            )
            fields[f"24F.{index}"] = _money(line.charge_cents)
            fields[f"24G.{index}"] = str(line.units)
            fields[f"24J.{index}"] = claim.rendering_npi
        fields["28"] = _money(claim.total_cents) if number == len(chunks) else "CONTINUED"
        pages.append(Page(claim.id, claim.claim_number, number, len(chunks), fields))
    return pages


def pages_for(claim_ids: list[int], signed_on: dt.date) -> list[Page]:
    """Every page of every claim, in the order given (batched reads)."""
    data = x837p.load_claims(claim_ids)
    billing = x837p.billing_providers({c.billing_key for c in data} | {None})
    claims = {c.id: c for c in Claim.select().where(Claim.id.in_(claim_ids))}
    payers = {
        p.id: p for p in Payer.select().where(Payer.id.in_({c.payer_id for c in claims.values()}))
    }
    out: list[Page] = []
    for item in data:
        claim = claims[item.id]
        payer = payers[claim.payer_id]
        other_cov = (
            Coverage.select(Coverage, Payer)
            .join(Payer)
            .where(
                (Coverage.patient == claim.patient_id)
                & (Coverage.active == True)  # noqa: E712
                & (Coverage.id != (claim.coverage_id or 0))
            )
            .order_by(Coverage.rank)
            .first()
        )
        other = None
        if other_cov is not None:
            holder = (
                f"{other_cov.subscriber_last}, {other_cov.subscriber_first}".upper().strip(", ")
                if other_cov.relationship != "self"
                else _name(item.patient)
            )
            other = (
                holder,
                other_cov.member_id.upper(),
                other_cov.payer.name.upper(),
                other_cov.group_number,
            )
        # box 29: what an earlier payer paid (a secondary claim); a primary's is blank
        earlier_paid = item.prior.paid_cents if item.prior else 0
        out.extend(
            claim_pages(
                item,
                billing[item.billing_key],
                (payer.address1, payer.city, payer.state, payer.zip),
                other,
                earlier_paid,
                signed_on,
            )
        )
    return out


__all__ = ["PROGRAMS", "Page", "claim_pages", "pages_for"]
