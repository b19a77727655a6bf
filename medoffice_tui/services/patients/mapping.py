"""How a CSV file's columns become patient fields: a small TOML mapping.

```toml
[columns]                 # medoffice field = the file's column
last_name = "LAST"
first_name = "FIRST"
dob = "BIRTHDATE"

[dates]                   # how dates are written (strptime formats, tried in order)
dob = ["%Y-%m-%d", "%m/%d/%Y"]

[sex]                     # the file's codes -> F, M, X, U
Female = "F"
Male = "M"

[transform]               # tidy-ups applied before the field's own rules, in order
last_name = ["strip_digits"]
ssn_last4 = ["last4"]

[rows]
inactive_when = ["DEATHDATE"]   # a row with any of these columns filled is inactive
```

Without a mapping a file is read as ``medoffice patients export`` writes it (its column
names are the field names). The Synthea mapping ships with the app
(``medoffice_tui/data/synthea_patients.toml``). A mapping's mistakes (an unknown field
or transform, a column the file lacks) are refused before any row is read.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.patients.coverages import COVERAGE_FIELDS
from medoffice_tui.services.patients.validation import DEMOGRAPHICS

#: coverage columns a file may carry for the patient's primary insurance; ``payer`` is
#: the payer's X12 identifier (``Payer.payer_id``), as an export writes it
COVERAGE_COLUMNS = ("payer", "member_id", "group_number", "relationship",
                    "subscriber_first", "subscriber_last", "subscriber_dob")  # fmt: skip
#: every field a mapping may fill
FIELDS = tuple(DEMOGRAPHICS) + tuple(c for c in COVERAGE_COLUMNS if c not in DEMOGRAPHICS)
DATE_FIELDS = ("dob", "subscriber_dob")
#: the columns ``patients export`` writes, in order (what import reads without a mapping)
EXPORT_COLUMNS = (
    "mrn", "last_name", "first_name", "middle_name", "suffix", "preferred_name", "dob", "sex",
    "phone_mobile", "phone_home", "phone_work", "preferred_contact", "email", "address1",
    "address2", "city", "state", "zip", "preferred_language", "emergency_name",
    "emergency_relationship", "emergency_phone", "ssn_last4", "external_id", "active",
    *COVERAGE_COLUMNS,
)  # fmt: skip
SYNTHEA_MAPPING = "synthea_patients.toml"
assert set(COVERAGE_COLUMNS) - {"payer"} <= set(COVERAGE_FIELDS)

_DIGITS = re.compile(r"\d+")


def _strip_digits(text: str) -> str:
    """Synthea appends numbers to names ("Maynard46"): drop them."""
    return " ".join(_DIGITS.sub("", text).split())


def _last4(text: str) -> str:
    number = "".join(ch for ch in text if ch in "0123456789")
    return number[-4:] if len(number) >= 4 else ""


def _title(text: str) -> str:
    return text.title() if text.isupper() or text.islower() else text


TRANSFORMS = {
    "strip_digits": _strip_digits,
    "last4": _last4,
    "strip": str.strip,
    "upper": str.upper,
    "lower": str.lower,
    "title": _title,
}


@dataclass(frozen=True)
class ColumnMapping:
    """A parsed mapping (see the module docstring)."""

    columns: dict[str, str]
    dates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sex: dict[str, str] = field(default_factory=dict)
    transform: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inactive_when: tuple[str, ...] = ()
    name: str = "native"

    def check_header(self, header: Sequence[str]) -> None:
        missing = sorted({c for c in self.columns.values() if c not in header})
        missing += [c for c in self.inactive_when if c not in header and c not in missing]
        if missing:
            raise InvalidInput("the file has no column " + ", ".join(repr(c) for c in missing))
        for required in ("last_name", "first_name", "dob"):
            if required not in self.columns:
                raise InvalidInput(f"the mapping does not say which column is {required}")

    def fields_of(self, row: Mapping[str, str]) -> tuple[dict[str, Any], bool]:
        """(field -> value as the field's rules take it, whether the row is active)."""
        values: dict[str, Any] = {}
        for name, column in self.columns.items():
            raw = row.get(column)
            text = raw if isinstance(raw, str) else ""
            for step in self.transform.get(name, ()):
                text = TRANSFORMS[step](text)
            values[name] = self._typed(name, text.strip())
        active = not any((row.get(c) or "").strip() for c in self.inactive_when)
        if "active" in values:
            active = active and values.pop("active") is not False
        return values, active

    def _typed(self, name: str, text: str) -> Any:
        if name in DATE_FIELDS and text and name in self.dates:
            for fmt in self.dates[name]:
                try:
                    return dt.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
            raise InvalidInput(f"the {name.replace('_', ' ')} is not written as the mapping says",
                               field=name)  # fmt: skip
        if name == "sex" and self.sex:
            return self.sex.get(text, self.sex.get(text.upper(), text))
        if name == "active":
            return text.strip().lower() not in ("0", "false", "no", "n", "inactive")
        return text


NATIVE = ColumnMapping(
    columns={c: c for c in EXPORT_COLUMNS},
    dates={"dob": ("%Y-%m-%d",), "subscriber_dob": ("%Y-%m-%d",)},
)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InvalidInput(f"the mapping's {where} must be text or a list of text")


def parse_mapping(data: Mapping[str, Any], name: str = "mapping") -> ColumnMapping:
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InvalidInput('the mapping needs a [columns] table: field = "COLUMN"')
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise InvalidInput("the mapping names unknown field(s): " + ", ".join(unknown))
    if not all(isinstance(v, str) and v for v in columns.values()):
        raise InvalidInput("each [columns] entry must name a column")
    dates = {k: _strings(v, f"[dates] {k}") for k, v in (data.get("dates") or {}).items()}
    if set(dates) - set(DATE_FIELDS):
        raise InvalidInput("[dates] may only give formats for dob and subscriber_dob")
    sex = data.get("sex") or {}
    if not all(isinstance(v, str) and v in ("F", "M", "X", "U") for v in sex.values()):
        raise InvalidInput("each [sex] entry must map to F, M, X or U")
    transform = {
        k: _strings(v, f"[transform] {k}") for k, v in (data.get("transform") or {}).items()
    }
    for fieldname, steps in transform.items():
        if fieldname not in columns:
            raise InvalidInput(f"[transform] {fieldname}: that field has no column")
        bad = [s for s in steps if s not in TRANSFORMS]
        if bad:
            raise InvalidInput(
                f"unknown transform(s) {', '.join(bad)}; known: {', '.join(TRANSFORMS)}"
            )
    rows = data.get("rows") or {}
    inactive = _strings(rows.get("inactive_when", []), "[rows] inactive_when") if rows else ()
    return ColumnMapping(dict(columns), dates, dict(sex), transform, inactive, name)


def load_mapping(path: str | Path | None) -> ColumnMapping:
    """The mapping in a TOML file; ``None`` is the native one (what export writes)."""
    if path is None:
        return NATIVE
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput("there is no such mapping file") from None
    except UnicodeDecodeError:
        raise InvalidInput("the mapping file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"the mapping file is not valid TOML ({error})") from None
    return parse_mapping(data, Path(path).name)


def synthea_mapping_path() -> Path:
    """The mapping for Synthea's ``patients.csv``, shipped inside the package."""
    return Path(str(resources.files("medoffice_tui") / "data" / SYNTHEA_MAPPING))
