"""A set of vitals, taken together and recorded in one write: BP, pulse, temperature,
weight and height, each with its unit and a range a real reading falls in.

Values are typed in the unit the desk used (°F or °C, lb or kg, in or cm) and stored
in one unit (°F, lb, in), so the history reads the same whoever took them. BMI is
computed (703 x lb / in²), never typed. A reading outside its range is refused with
the field it is about ("pulse 720": a slip, not a patient).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import Patient, User, Vital
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.patients.rows import VitalsRow, readable_datetime, text_of
from medoffice_tui.services.patients.validation import clean_line

TEMPERATURE_UNITS = ("F", "C")
WEIGHT_UNITS = ("lb", "kg")
HEIGHT_UNITS = ("in", "cm")

#: (low, high) a reading must fall in, in the stored unit
RANGES = {
    "systolic": (50, 300),
    "diastolic": (20, 200),
    "pulse": (20, 300),
    "temperature": (85.0, 112.0),  # °F (29.4-44.4 °C)
    "weight": (0.5, 1500.0),  # lb
    "height": (8.0, 108.0),  # in
}
LABELS = {
    "systolic": "systolic BP",
    "diastolic": "diastolic BP",
    "pulse": "pulse",
    "temperature": "temperature",
    "weight": "weight",
    "height": "height",
}
_KG_PER_LB = Decimal("0.45359237")
_CM_PER_IN = Decimal("2.54")


def bmi(weight_lb: float | None, height_in: float | None) -> float | None:
    """Body mass index from pounds and inches, to one decimal (None without both)."""
    if not weight_lb or not height_in:
        return None
    return round(703.0 * weight_lb / (height_in * height_in), 1)


def _number(value: Any, field: str) -> Decimal | None:
    label = LABELS[field]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"the {label} must be a number", field=field)
    if isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, str):
        text = clean_line(value, field, label, 12)
    else:
        raise InvalidInput(f"the {label} must be a number", field=field)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"the {label} must be a number, like 98.6", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"the {label} must be a number, like 98.6", field=field)
    return number


def _in_range(number: Decimal, field: str, unit: str = "") -> None:
    low, high = RANGES[field]
    if not (Decimal(str(low)) <= number <= Decimal(str(high))):
        raise InvalidInput(
            f"the {LABELS[field]} must be between {low:g} and {high:g}{unit}: check it",
            field=field,
        )


def clean_vitals(
    *,
    systolic: Any = None,
    diastolic: Any = None,
    pulse: Any = None,
    temperature: Any = None,
    temperature_unit: str = "F",
    weight: Any = None,
    weight_unit: str = "lb",
    height: Any = None,
    height_unit: str = "in",
) -> dict[str, Any]:
    """The values to store (``systolic``, ``diastolic``, ``pulse``, ``temperature_f``,
    ``weight_lb``, ``height_in``) from what was typed; at least one is needed."""
    out: dict[str, Any] = {}
    for field, value in (("systolic", systolic), ("diastolic", diastolic), ("pulse", pulse)):
        number = _number(value, field)
        if number is None:
            continue
        if number != number.to_integral_value():
            raise InvalidInput(f"the {LABELS[field]} is a whole number", field=field)
        _in_range(number, field)
        out[field] = int(number)
    if ("systolic" in out) != ("diastolic" in out):
        missing = "diastolic" if "systolic" in out else "systolic"
        raise InvalidInput("a blood pressure needs both numbers (e.g. 120/80)", field=missing)
    if "systolic" in out and out["systolic"] <= out["diastolic"]:
        raise InvalidInput("the systolic number is the higher one (120/80)", field="systolic")
    units = {
        "temperature": (temperature_unit, TEMPERATURE_UNITS),
        "weight": (weight_unit, WEIGHT_UNITS),
        "height": (height_unit, HEIGHT_UNITS),
    }
    for field, value in (("temperature", temperature), ("weight", weight), ("height", height)):
        unit, allowed = units[field]
        unit = str(unit or allowed[0]).strip()
        unit = unit.upper() if field == "temperature" else unit.lower()
        if unit not in allowed:
            raise InvalidInput(f"the {LABELS[field]} unit is {' or '.join(allowed)}", field=field)
        number = _number(value, field)
        if number is None:
            continue
        stored = _to_stored(field, number, unit)
        _in_range(stored, field, _unit_label(field))
        out[f"{field}_{_STORED[field]}"] = float(round(stored, 1))
    if not out:
        raise InvalidInput("type at least one reading", field="systolic")
    value = bmi(out.get("weight_lb"), out.get("height_in"))
    if value is not None and not (5.0 <= value <= 200.0):
        raise InvalidInput("weight and height give an impossible BMI: check both", field="weight")
    return out


_STORED = {"temperature": "f", "weight": "lb", "height": "in"}


def _unit_label(field: str) -> str:
    return {"temperature": " °F", "weight": " lb", "height": " in"}[field]


def _to_stored(field: str, number: Decimal, unit: str) -> Decimal:
    if field == "temperature" and unit == "C":
        return number * 9 / 5 + 32
    if field == "weight" and unit == "kg":
        return number / _KG_PER_LB
    if field == "height" and unit == "cm":
        return number / _CM_PER_IN
    return number


@writes("vitals.record")
def record_vitals(
    actor: Actor, patient_id: int, taken_at: dt.datetime | None = None, **readings: Any
) -> VitalsRow:
    """Record one set of vitals (see :func:`clean_vitals` for the readings)."""
    if not Patient.select().where(Patient.id == patient_id).exists():
        raise NotFound(f"patient {patient_id} not found")
    values = clean_vitals(**readings)
    when = taken_at or clock.now()
    if when > clock.now():
        raise InvalidInput("vitals cannot be taken in the future", field="taken_at")
    vital_id = Vital.insert(
        patient=patient_id, taken_at=when, taken_by=actor.user_id, **values
    ).execute()
    audit.record(actor, "create", "vital", vital_id, patient_id=patient_id, fields=sorted(values))
    return vitals_history(patient_id, limit=1)[0]


def vitals_history(patient_id: int, limit: int = 20) -> list[VitalsRow]:
    """The patient's vitals, newest first."""
    query = (
        Vital.select(
            Vital.taken_at,
            Vital.systolic,
            Vital.diastolic,
            Vital.pulse,
            Vital.temperature_f,
            Vital.weight_lb,
            Vital.height_in,
            Vital.id,
            User.full_name,
        )  # fmt: skip
        .join(User, JOIN.LEFT_OUTER, on=(Vital.taken_by == User.id))
        .where(Vital.patient == patient_id)
        .order_by(Vital.taken_at.desc(), Vital.id.desc())
        .limit(limit)
        .tuples()
    )
    return [
        VitalsRow(readable_datetime(t) or dt.datetime.min, s, d, p, temp, w, h, vid, text_of(by))
        for t, s, d, p, temp, w, h, vid, by in query
    ]
