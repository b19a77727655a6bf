"""Is this patient already on file? The checks a registration runs before it saves.

A registration (or an import row) is a likely duplicate of a patient on file with:

- the same last name and date of birth;
- the same phone number: any phone of the new record (mobile, home, work) against any
  phone on file, each phone column indexed (schema 13), compared by the 10 digits of the
  main number (a number on file with an extension is matched by the same extension);
- a name spelt closely (typos, swapped first/last) and the same date of birth.

Each check is an indexed lookup (last name, each phone column, date of birth), so
checking costs the same at any size. Merged records are left out (their survivor is
what counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from peewee import Expression, fn

from medoffice_tui.db.engines import ranking
from medoffice_tui.db.models import Patient
from medoffice_tui.services.patients.rows import PatientRow
from medoffice_tui.services.patients.search import ROW_COLUMNS, _to_row
from medoffice_tui.services.patients.validation import PHONE_FIELDS
from medoffice_tui.services.text import digits, normalize

SAME_NAME_DOB = "same last name and date of birth"
SAME_PHONE = "same phone number"
CLOSE_NAME_DOB = "similar name and same date of birth"
#: how close two names must be to count as "similar"
CLOSE_NAME_SCORE = 0.75
#: most likely duplicates listed
MAX_DUPLICATES = 10


@dataclass(frozen=True)
class DuplicateRow:
    patient: PatientRow
    reasons: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.patient.id


def similar_names(
    last: str, first: str, other_last: str, other_first: str, words: list[str] | None = None
) -> bool:
    """Spelt closely (typos, first and last swapped) or sounding alike (Lee / Leigh)."""
    if words is None:
        words = [ranking.compact(w) for w in f"{last} {first}".split() if ranking.compact(w)]
    if ranking.words_score(words, ranking.part_words(other_last, other_first)) >= CLOSE_NAME_SCORE:
        return True

    def alike(a: str, b: str) -> bool:
        sound = ranking.sound_key(a)
        return bool(sound) and sound == ranking.sound_key(b)

    def close(a: str, b: str) -> bool:
        return ranking.closeness(ranking.compact(a), ranking.compact(b)) >= CLOSE_NAME_SCORE

    for a_last, a_first in ((other_last, other_first), (other_first, other_last)):
        if alike(last, a_last) and (alike(first, a_first) or close(first, a_first)):
            return True
    return False


def not_merged() -> Expression:
    """Not merged into another record, written so that no planner reads it as an index
    lookup (``merged_into IS NULL`` holds for nearly every row: SQLite without statistics
    would walk that index instead of the phone or birth-date one)."""
    return fn.COALESCE(Patient.merged_into, 0) == 0


def phone_number(text: str | None) -> str:
    """The 10 digits of a phone's main number (extension dropped); "" when not a number."""
    number = digits((text or "").lower().partition("x")[0])
    if len(number) == 11 and number.startswith("1"):
        number = number[1:]
    return number if len(number) == 10 else ""


def new_phones(values: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """A record's phones: (10-digit main numbers, the values as stored)."""
    stored = {str(values.get(name) or "").strip() for name in PHONE_FIELDS}
    stored.discard("")
    numbers = {phone_number(p) for p in stored}
    numbers.discard("")
    return numbers, stored


def phone_lookup(numbers: Iterable[str], stored: Iterable[str] = ()) -> Expression | None:
    """Patients with any phone (mobile, home or work) equal to one of ``numbers`` as the
    services store it (``(312) 555-0147``; bare digits too, as older rows may hold), or
    to one of ``stored`` exactly (a number with its extension): one indexed equality
    lookup per phone column. None when there is nothing to look up."""
    keys = set(stored)
    for n in numbers:
        keys.update((f"({n[:3]}) {n[3:6]}-{n[6:]}", n))
    if not keys:
        return None
    wanted = sorted(keys)
    return (
        Patient.phone_mobile.in_(wanted)
        | Patient.phone_home.in_(wanted)
        | Patient.phone_work.in_(wanted)
    )


def _candidates(where: Any, limit: int = 50) -> list[tuple]:
    """Rows by their own index (date of birth, phone, last name): ordered by id,
    never by name, which would let the planner walk the whole name index instead."""
    query = (
        Patient.select(*ROW_COLUMNS)
        .where(where & not_merged())
        .order_by(Patient.id)
        .limit(limit)
        .tuples()
    )
    return list(query)


def find_duplicates(values: Mapping[str, Any], exclude_id: int | None = None) -> list[DuplicateRow]:
    """Patients on file that ``values`` (cleaned demographics) may be, most reasons first."""
    last = values.get("last_norm") or normalize(values.get("last_name") or "")
    first = values.get("first_norm") or normalize(values.get("first_name") or "")
    dob = values.get("dob")
    reasons: dict[int, list[str]] = {}
    rows: dict[int, tuple] = {}

    def note(row: tuple, reason: str) -> None:
        if row[0] == exclude_id:
            return
        rows[row[0]] = row
        found = reasons.setdefault(row[0], [])
        if reason not in found:
            found.append(reason)

    if isinstance(dob, dt.date) and last:
        for row in _candidates((Patient.last_norm == last) & (Patient.dob == dob)):
            note(row, SAME_NAME_DOB)
    if isinstance(dob, dt.date):
        words = [ranking.compact(w) for w in f"{last} {first}".split() if ranking.compact(w)]
        for row in _candidates(Patient.dob == dob, limit=200):
            if row[0] in reasons:
                continue
            if similar_names(last, first, row[10] or "", row[11] or "", words):
                note(row, CLOSE_NAME_DOB)
    numbers, stored = new_phones(values)
    lookup = phone_lookup(numbers, stored)
    if lookup is not None:
        for row in _candidates(lookup, limit=200):
            if any(phone_number(p) in numbers for p in row[6:9]):
                note(row, SAME_PHONE)
    ranked = sorted(
        rows.values(), key=lambda r: (-len(reasons[r[0]]), r[10] or "", r[11] or "", r[0])
    )
    return [DuplicateRow(_to_row(r), tuple(reasons[r[0]])) for r in ranked[:MAX_DUPLICATES]]
