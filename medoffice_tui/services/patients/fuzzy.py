"""Names close to what was typed despite typos ("jonh smiht" -> Smith, John), best first.

The lookup is the name vocabulary's (``db/engines/name_index.py``): candidate words
by spelling and sound-alike keys, then patients by equality on the indexed name
columns, so a misspelt name costs the same at a million patients as at ten thousand.
Every function that writes a patient's name calls :func:`remember_names` in the same
transaction, so the vocabulary knows every name on file.
"""

from __future__ import annotations

from collections.abc import Iterable

from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import name_index
from medoffice_tui.db.models import Patient
from medoffice_tui.services.patients.rows import MATCH_CLOSE, PatientRow
from medoffice_tui.services.patients.search import ROW_COLUMNS, _to_row, clean_query
from medoffice_tui.services.text import normalize


def _fuzzy_text(query: str) -> str:
    return normalize(clean_query(query).replace(",", " "))


def close_patient_rows(query: str, limit: int = 20, include_inactive: bool = False) -> list[tuple]:
    """The raw search rows (``search.ROW_COLUMNS``) of the close names, best first."""
    text = _fuzzy_text(query)
    if limit <= 0 or not text or any(ch.isdigit() for ch in text):
        return []
    ids = name_index.fuzzy_patient_ids(db.obj, text, limit, active_only=not include_inactive)
    if not ids:
        return []
    found = {
        row[0]: row for row in Patient.select(*ROW_COLUMNS).where(Patient.id.in_(ids)).tuples()
    }
    return [found[pid] for pid in ids if pid in found]


def fuzzy_search_patients(
    query: str, limit: int = 20, include_inactive: bool = False
) -> list[PatientRow]:
    """Names close to ``query`` despite typos, best first (a short "did you mean" list;
    not paged). Queries with digits are not names: nothing."""
    return [_to_row(row, MATCH_CLOSE) for row in close_patient_rows(query, limit, include_inactive)]


def remember_names(parts: Iterable[str]) -> int:
    """Add name parts (``last_norm``/``first_norm`` values) to the vocabulary, inside the
    caller's write. Returns how many were new."""
    return name_index.add_names(db.obj, parts)
