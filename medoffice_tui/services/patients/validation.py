"""The rules for every demographic field, in one place: what a desk may type, how it is
stored, and what the desk is told when it cannot be (naming the field, never the value).

Each rule takes what was typed (text, or a date/bool already parsed by a form) and
returns the value to store, or raises ``InvalidInput(field=...)``:

- names: required first and last, with at least one letter a-z once accents are folded
  (the search keys are made from those); no control or invisible characters;
- date of birth: through the shared date entry in past-only mode (``1/2/45`` is 1945),
  not in the future, not more than ``MAX_AGE_YEARS`` ago;
- phones: any way of typing a US number, stored as ``(312) 555-0147``;
- state: a US state or territory (code or name), stored as its code; ZIP: 5 or 9 digits;
- email: one ``@`` and a domain with a dot; preferred contact: one the record can reach
  (a text to a mobile on file, a letter to an address on file ...).

On an edit only the fields that change are checked, so a record registered under older,
looser rules can still be edited (and reactivated) without retyping everything.

A save is told about every bad field at once: :func:`clean_demographics` raises
:class:`FieldErrors` (an ``InvalidInput`` whose message and ``field`` are the first
one's, and whose ``errors`` hold one per field) when more than one field is refused.
A form checks each field as the desk leaves it with :func:`field_error`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import dates
from medoffice_tui.services.text import digits, normalize, parse_phone

SEXES = ("F", "M", "X", "U")
SEX_LABELS = {"F": "female", "M": "male", "X": "non-binary / other", "U": "unknown"}
CONTACTS = ("mobile", "home", "work", "email", "mail")
#: a date of birth further back than this is a typo (the oldest people alive are 110-120)
MAX_AGE_YEARS = 120
#: most characters a note may have
NOTE_MAX = 4000
#: codes besides the states and territories: the armed forces' mail regions
MILITARY_STATES = ("AA", "AE", "AP")

_ZIP = re.compile(r"^(\d{5})(?:-?(\d{4}))?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_SSN4 = re.compile(r"^[0-9]{4}$")
#: Unicode categories never accepted in a line of text: controls (NUL, ESC ...),
#: surrogates (not text at all: they cannot be stored) and invisible format characters
#: (a right-to-left override would make a name display as something else)
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Cf"})


class FieldErrors(InvalidInput):
    """Several fields refused at once, one ``InvalidInput`` each in ``errors`` (in the
    form's order). The message and ``field`` are the first one's, so a caller that
    shows a single refusal still shows a right one."""

    def __init__(self, errors: Iterable[InvalidInput]) -> None:
        self.errors: tuple[InvalidInput, ...] = tuple(errors)
        first = self.errors[0]
        super().__init__(first.message, field=first.field)


def field_errors(error: InvalidInput) -> tuple[InvalidInput, ...]:
    """Each field's refusal in ``error`` (one, or the several of a FieldErrors)."""
    return error.errors if isinstance(error, FieldErrors) else (error,)


class ErrorCollector:
    """Gathers refusals so one save reports every bad field: ``with errors.check():``
    around each field's rule, then :meth:`raise_any`."""

    def __init__(self) -> None:
        self.errors: list[InvalidInput] = []

    @contextlib.contextmanager
    def check(self, rename: str = "") -> Iterator[None]:
        """Catch a refusal inside; ``rename`` prefixes its field (``secondary_``)."""
        try:
            yield
        except InvalidInput as error:
            for one in field_errors(error):
                if rename and one.field:
                    one = InvalidInput(one.message, field=rename + one.field)
                self.errors.append(one)

    def fields(self) -> set[str]:
        return {e.field for e in self.errors if e.field}

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise FieldErrors(self.errors)


@dataclass(frozen=True)
class FieldRule:
    label: str
    kind: str  # text, name, date, sex, phone, state, zip, email, contact, ssn4, bool, mrn
    max_length: int = 0
    required: bool = False


#: every demographic field a desk may set, in the order the registration form shows them
DEMOGRAPHICS: dict[str, FieldRule] = {
    "last_name": FieldRule("last name", "name", 60, True),
    "first_name": FieldRule("first name", "name", 60, True),
    "middle_name": FieldRule("middle name", "text", 60),
    "suffix": FieldRule("suffix", "text", 10),
    "preferred_name": FieldRule("preferred name", "text", 60),
    "dob": FieldRule("date of birth", "date", 0, True),
    "sex": FieldRule("sex", "sex"),
    "phone_mobile": FieldRule("mobile phone", "phone", 20),
    "phone_home": FieldRule("home phone", "phone", 20),
    "phone_work": FieldRule("work phone", "phone", 20),
    "preferred_contact": FieldRule("preferred contact", "contact"),
    "email": FieldRule("email", "email", 120),
    "address1": FieldRule("address", "text", 120),
    "address2": FieldRule("address line 2", "text", 120),
    "city": FieldRule("city", "text", 60),
    "state": FieldRule("state", "state", 2),
    "zip": FieldRule("ZIP code", "zip", 10),
    "preferred_language": FieldRule("preferred language", "text", 40),
    "emergency_name": FieldRule("emergency contact", "text", 120),
    "emergency_relationship": FieldRule("emergency contact's relationship", "text", 30),
    "emergency_phone": FieldRule("emergency contact's phone", "phone", 20),
    "ssn_last4": FieldRule("SSN last 4", "ssn4", 4),
    "mrn": FieldRule("MRN", "mrn", 20),
    "external_id": FieldRule("external id", "text", 64),
    "active": FieldRule("active", "bool"),
}

#: the fields the "contact" rule depends on
_CONTACT_NEEDS = {
    "mobile": ("phone_mobile",),
    "home": ("phone_home",),
    "work": ("phone_work",),
    "email": ("email",),
    "mail": ("address1", "city", "state", "zip"),
}


def check_characters(text: str, field: str, label: str, *, newlines: bool = False) -> str:
    """Refuse text that cannot be stored or shown as it looks (control, surrogate and
    invisible formatting characters); tabs become spaces, and newlines unless allowed."""
    out = []
    for ch in text:
        if ch == "\t" or (ch in "\r\n" and not newlines):
            out.append(" ")
            continue
        if ch in "\r\n":
            out.append("\n" if ch == "\n" else "")
            continue
        if unicodedata.category(ch) in _BAD_CATEGORIES:
            raise InvalidInput(f"the {label} holds a character that cannot be stored", field=field)
        out.append(ch)
    return "".join(out)


def clean_line(value: Any, field: str, label: str, max_length: int = 0) -> str:
    """One line of text: characters checked, spaces collapsed, length checked."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"the {label} must be text", field=field)
    text = " ".join(check_characters(value, field, label).split())
    if max_length and len(text) > max_length:
        raise InvalidInput(f"the {label} is longer than {max_length} characters", field=field)
    return text


def clean_note(value: Any, field: str = "text", label: str = "note") -> str:
    """A note: several lines allowed, blank lines at the ends dropped, length checked."""
    if not isinstance(value, str):
        raise InvalidInput(f"the {label} must be text", field=field)
    text = check_characters(value, field, label, newlines=True)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InvalidInput(f"the {label} is empty", field=field)
    if len(text) > NOTE_MAX:
        raise InvalidInput(f"the {label} is longer than {NOTE_MAX:,} characters", field=field)
    return text


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def clean_dob(value: Any, field: str = "dob", label: str = "date of birth") -> dt.date:
    """A date of birth: typed text through the shared date entry (past only), or a date."""
    today = clock.today()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidInput(f"the {label} is required", field=field)
        try:
            value = dates.parse_date(clean_line(text, field, label), past=True, today=today)
        except InvalidInput as error:
            raise InvalidInput(str(error), field=field) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise InvalidInput(f"the {label} is required", field=field)
    if value > today:
        raise InvalidInput(f"the {label} cannot be in the future", field=field)
    if age_on(value, today) > MAX_AGE_YEARS:
        raise InvalidInput(
            f"the {label} is more than {MAX_AGE_YEARS} years ago: check the year", field=field
        )
    return value


def clean_name(value: Any, field: str, label: str, max_length: int = 60) -> str:
    text = clean_line(value, field, label, max_length)
    if not text:
        raise InvalidInput(f"the {label} is required", field=field)
    if not normalize(text):
        raise InvalidInput(
            f"the {label} needs at least one letter a-z (accents are fine)", field=field
        )
    return text


def clean_phone(value: Any, field: str, label: str) -> str:
    text = clean_line(value, field, label, 40)
    if any(ch.isdigit() and ch not in "0123456789" for ch in text):
        raise InvalidInput("type the phone number with the digits 0-9", field=field)
    return parse_phone(text, field=field) if text else ""


def clean_state(value: Any, field: str = "state") -> str:
    text = clean_line(value, field, "state", 40)
    if not text:
        return ""
    code = state_code(text)
    if code is None:
        raise InvalidInput("not a US state: use its two-letter code (IL, NY, PR ...)", field=field)
    return code


def state_code(text: str) -> str | None:
    """The two-letter code of a US state, territory or military region, from its code or
    its name (``Massachusetts`` -> ``MA``); None when it is none of them."""
    import us

    raw = text.strip()
    if raw.upper() in MILITARY_STATES:
        return raw.upper()
    if len(raw) == 2:
        found = us.states.lookup(raw.upper())
    else:
        found = us.states.lookup(raw, use_cache=True)
    if found is None or found not in us.STATES_AND_TERRITORIES:
        return None
    return str(found.abbr)


def clean_zip(value: Any, field: str = "zip") -> str:
    text = clean_line(value, field, "ZIP code", 20)
    if not text:
        return ""
    match = _ZIP.match(text)
    if not match:
        raise InvalidInput("a ZIP code is 5 digits, or 9 as 12345-6789", field=field)
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def clean_email(value: Any, field: str = "email") -> str:
    text = clean_line(value, field, "email", 120)
    if text and not _EMAIL.match(text):
        raise InvalidInput("not an email address: it looks like name@example.com", field=field)
    return text


def clean_sex(value: Any, field: str = "sex") -> str:
    text = clean_line(value, field, "sex", 10).upper() or "U"
    if text not in SEXES:
        raise InvalidInput("sex must be one of F, M, X, U", field=field)
    return text


def clean_contact(value: Any, field: str = "preferred_contact") -> str:
    text = clean_line(value, field, "preferred contact", 10).lower() or "mobile"
    if text not in CONTACTS:
        raise InvalidInput("preferred contact must be one of " + ", ".join(CONTACTS), field=field)
    return text


def clean_field(name: str, value: Any) -> Any:
    """One demographic field's stored value from what was typed; InvalidInput if it cannot be."""
    rule = DEMOGRAPHICS.get(name)
    if rule is None:
        raise InvalidInput(f"unknown patient field: {name}")
    if rule.kind == "name":
        return clean_name(value, name, rule.label, rule.max_length)
    if rule.kind == "date":
        return clean_dob(value, name, rule.label)
    if rule.kind == "sex":
        return clean_sex(value, name)
    if rule.kind == "phone":
        return clean_phone(value, name, rule.label)
    if rule.kind == "state":
        return clean_state(value, name)
    if rule.kind == "zip":
        return clean_zip(value, name)
    if rule.kind == "email":
        return clean_email(value, name)
    if rule.kind == "contact":
        return clean_contact(value, name)
    if rule.kind == "ssn4":
        text = clean_line(value, name, rule.label, 4)
        if text and not _SSN4.match(text):
            raise InvalidInput("SSN last 4 must be 4 digits", field=name)
        return text
    if rule.kind == "bool":
        if not isinstance(value, bool):
            raise InvalidInput(f"{rule.label} must be yes or no", field=name)
        return value
    if rule.kind == "mrn":
        text = clean_line(value, name, rule.label, rule.max_length)
        if not text:
            raise InvalidInput("the MRN cannot be blank", field=name)
        return text
    return clean_line(value, name, rule.label, rule.max_length)


def field_error(name: str, value: Any) -> InvalidInput | None:
    """What the rule of demographic field ``name`` refuses in ``value`` (None: fine). For
    a form checking a field as the desk leaves it; blank is fine here (a required field
    left blank is reported when the form is saved)."""
    if name not in DEMOGRAPHICS or value in (None, ""):
        return None
    try:
        clean_field(name, value)
    except InvalidInput as error:
        return error
    return None


def clean_demographics(
    values: Mapping[str, Any], current: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Clean ``values``; for a new patient (``current`` None) every required field must be
    there, for an edit only the given fields are checked, against the rest as stored.

    Returns the values to store, with the search keys (``last_norm``, ``first_norm``,
    ``phone_last4``) when a name or phone is among them.
    """
    unknown = sorted(set(values) - set(DEMOGRAPHICS))
    if unknown:
        raise InvalidInput("unknown patient field(s): " + ", ".join(unknown))
    out: dict[str, Any] = {}
    errors = ErrorCollector()
    for name in DEMOGRAPHICS:
        if name in values:
            with errors.check():
                out[name] = clean_field(name, values[name])
        elif current is None and DEMOGRAPHICS[name].required:
            errors.errors.append(
                InvalidInput(f"the {DEMOGRAPHICS[name].label} is required", field=name)
            )
    merged = {**(current or {}), **out}
    if current is None and "preferred_contact" not in values:
        out["preferred_contact"] = merged["preferred_contact"] = default_contact(merged)
    contact = merged.get("preferred_contact") or "mobile"
    if not ({"preferred_contact", *_CONTACT_NEEDS.get(contact, ())} & errors.fields()):
        with errors.check():  # (a field it needs that was refused is reported already)
            _check_contact(merged, changed=set(values), new=current is None)
    errors.raise_any()
    if {"last_name", "first_name"} & set(out) or current is None:
        out["last_norm"] = normalize(merged.get("last_name") or "")
        out["first_norm"] = normalize(merged.get("first_name") or "")
    if any(name.startswith("phone_") for name in out) or current is None:
        out["phone_last4"] = phone_last4(merged)
    return out


def default_contact(values: Mapping[str, Any]) -> str:
    """The first way the record can reach the patient: mobile, home, work, email, mail."""
    for contact in CONTACTS:
        if all(values.get(name) for name in _CONTACT_NEEDS[contact]):
            return contact
    return "mobile"


def _check_contact(merged: Mapping[str, Any], *, changed: set[str], new: bool) -> None:
    contact = merged.get("preferred_contact") or "mobile"
    needs = _CONTACT_NEEDS.get(contact, ())
    if not ({"preferred_contact", *needs} & changed):
        return  # nothing this rule depends on was typed
    if new and "preferred_contact" not in changed:
        return  # the default, chosen from what there is
    missing = [name for name in needs if not merged.get(name)]
    if missing:
        label = DEMOGRAPHICS[missing[0]].label
        raise InvalidInput(
            f"preferred contact is {contact}, but the {label} is empty", field="preferred_contact"
        )


PHONE_FIELDS = ("phone_mobile", "phone_home", "phone_work")


def phone_last4(values: Mapping[str, Any]) -> str:
    """Last 4 digits of the first phone on file (mobile, home, work): the indexed search key."""
    for name in PHONE_FIELDS:
        number = digits((values.get(name) or "").lower().partition("x")[0])
        if len(number) >= 4:
            return number[-4:]
    return ""
