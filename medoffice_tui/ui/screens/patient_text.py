"""The words of a patient's record: the title line, the demographics lines and the
at-a-glance summaries (insurance, allergies), built from a ``PatientDetail``.

Plain functions of the record, no widgets: the record screen shows what they return.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.fmt import age_text, money, short_us_date, us_date

#: shown in place of a stored value that cannot be read (a damaged row)
DAMAGED = "(unreadable: ask the office admin to check this record)"
CONTACT_LABELS = {"mobile": "cell", "home": "home", "work": "work", "email": "email",
                  "mail": "mail"}  # fmt: skip


def field(obj: Any, name: str, default: Any = "") -> Any:
    value = getattr(obj, name, default)
    return default if value is None else value


def label_line(label: str, value: object, label_width: int = 10) -> Text:
    text = Text(no_wrap=True, end="")
    text.append(f"{label:<{label_width}}", style="bold")
    text.append(display(str(value)) if value not in (None, "") else "-")
    return text


def allergy_summary(detail: Any) -> str:
    allergies = field(detail, "allergies", [])
    if allergies:
        return ", ".join(
            display(field(a, "substance"))
            + (" (severe)" if field(a, "severity") == "severe" else "")
            for a in allergies
        )
    status = field(detail, "allergy_status", "unknown")
    if status == "nka":
        reviewed = field(detail, "allergy_reviewed_on", None)
        return "No known allergies (NKA" + (f", {short_us_date(reviewed)})" if reviewed else ")")
    return "NOT ASKED yet"


def insurance_summary(detail: Any) -> str:
    coverages = field(detail, "coverages", [])
    if not coverages:
        return "none on file (self-pay)"
    first = coverages[0]
    text = f"{field(first, 'payer_name')} {field(first, 'member_id')}"
    if len(coverages) > 1:
        text += f" (+{len(coverages) - 1} more)"
    return text


def demographics(detail: Any, today: dt.date) -> list[Text]:
    dob = field(detail, "dob", None)
    name = f"{field(detail, 'last_name')}, {field(detail, 'first_name')}"
    for part in ("middle_name", "suffix"):
        if field(detail, part):
            name += f" {field(detail, part)}"
    preferred = field(detail, "preferred_name")
    if preferred:
        name += f' ("{preferred}")'
    address = ", ".join(
        part
        for part in (
            field(detail, "address1"),
            field(detail, "address2"),
            field(detail, "city"),
            f"{field(detail, 'state')} {field(detail, 'zip')}".strip(),
        )
        if part
    )
    preferred_contact = field(detail, "preferred_contact")
    phones = "  ".join(
        f"{label}{'*' if key == preferred_contact else ''} {number}"
        for key, label, number in (
            ("mobile", "cell", field(detail, "phone_mobile")),
            ("home", "home", field(detail, "phone_home")),
            ("work", "work", field(detail, "phone_work")),
        )
        if number
    ) or field(detail, "phone")
    born = f"{us_date(dob)}  age {age_text(dob, today)}" if dob else DAMAGED
    emergency = " ".join(
        p for p in (
            field(detail, "emergency_name"),
            f"({field(detail, 'emergency_relationship')})"
            if field(detail, "emergency_relationship") else "",
            field(detail, "emergency_phone"),
        ) if p
    )  # fmt: skip
    contact = CONTACT_LABELS.get(preferred_contact, preferred_contact)
    lines = [
        label_line("Name", name),
        label_line(
            "MRN",
            f"{field(detail, 'mrn')}    sex {field(detail, 'sex')}"
            f"    language {field(detail, 'preferred_language') or '-'}",
        ),  # fmt: skip
        label_line("DOB", born),
        label_line("Phone", f"{phones}    prefers {contact}" if phones else f"- prefers {contact}"),
        label_line("Email", field(detail, "email")),
        label_line("Address", address),
        label_line("Emergency", emergency),
        label_line("Insurance", insurance_summary(detail)),
        label_line("Allergies", allergy_summary(detail)),
    ]
    duplicates = field(detail, "possible_duplicates", [])
    if duplicates:
        mrns = ", ".join(field(d, "mrn") for d in duplicates)
        lines.append(Text(f"Possible duplicate on file: MRN {mrns} (m: merge)", style="bold"))
    if field(detail, "merged_into", None):
        lines.append(
            Text(
                f"MERGED into MRN {field(detail, 'merged_into_mrn')}: read only",
                style="bold reverse",
            )  # fmt: skip
        )
    elif not field(detail, "active", True):
        lines.append(Text("INACTIVE record", style="bold reverse"))
    return lines


def title_line(detail: Any, today: dt.date) -> Text:
    """The record's top line: name, MRN, age and sex, the allergy flag, what is owed."""
    name = f"{field(detail, 'last_name')}, {field(detail, 'first_name')}"
    title = Text(no_wrap=True, end="")
    title.append(f" {display(name)}", style="bold")
    dob = field(detail, "dob", None)
    title.append(f"  MRN {display(str(field(detail, 'mrn')))}")
    if dob:
        title.append(f"  {age_text(dob, today)}y {field(detail, 'sex')}")
    if field(detail, "allergies", []):
        title.append("  ALLERGIES", style="bold reverse")
    elif field(detail, "allergy_status") != "nka":
        title.append("  allergies not asked", style="italic")
    balance = field(detail, "open_balance_cents", 0)
    if balance:
        title.append(f"  owes ${money(balance)}")
    return title
