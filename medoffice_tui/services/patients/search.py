"""Patient search: what the typed text is, and the indexed lookups that answer it.

``search_patients`` reads the typed text and decides what it is, first match wins:

1. blank, or nothing left after dropping punctuation -> empty page;
2. date-shaped (``3/4/1980``, ``1980-03-04``, ``03041980``) -> date of birth
   (an incomplete or impossible date finds nothing rather than raising);
3. VistA style ``s1234`` -> last name starting with ``s`` and SSN last 4 = 1234;
4. only digits (phone punctuation allowed): 4 digits -> phone last 4 *or* SSN
   last 4 (both lists merged: the desk cannot tell which was meant);
   7, 10 or 11 digits -> the full phone number; 6 or 8 digits -> a date of birth
   (MMDDYY / MMDDYYYY / YYYYMMDD);
5. otherwise a name: ``smith, jo`` = last name starting ``smith`` and first
   name starting ``jo``; ``smith jo`` / ``jo smith`` = both orders merged (with
   3+ words every split is tried, plus the whole text as a last name);
   a single word = last-name prefix.

Any single word containing a digit is also looked up as an exact MRN and merged in.

Order: for a name, **exact matches first** (the last name, or last and first, equal to
what was typed), **then prefix matches**, each in ``(last_norm, first_norm, id)`` order;
with ``close_matches=True`` the **names close to it despite typos** follow on the last
page (``fuzzy.py``), marked ``match="close"``. Every list is paged by the key
``(tier, last_norm, first_norm, id)``, so merged lists page like one list.

Why no LIKE: ``LIKE``/``ILIKE``/``GLOB`` behave differently on the two engines and do
not use the plain B-tree indexes. Each lookup here is one index range
(``last_norm >= p AND last_norm < prefix_upper_bound(p)``) or an equality on an indexed
column, with the keyset as a row-value comparison that SQLite and PostgreSQL both seek
on. The full-phone form narrows by the indexed ``phone_last4`` and checks the remaining
digits in Python. A last+first pair whose first-name range is small is searched through
the first-name index instead (see ``_Source``).

Whatever is typed, the cost is bounded: the text is cut to ``MAX_QUERY_CHARS``, at most
``MAX_NAME_WORDS`` words are split on, and characters that are not text (controls, NUL,
lone surrogates) are dropped before anything reaches the database.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from peewee import Expression, Tuple, fn

from medoffice_tui import clock
from medoffice_tui.db.models import LIVE_STATUSES, Appointment, Patient
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import dates
from medoffice_tui.services.paging import Page
from medoffice_tui.services.patients.rows import (
    MATCH_CLOSE,
    MATCH_EXACT,
    MATCH_PREFIX,
    PatientRow,
    readable_date,
    readable_datetime,
    text_of,
)
from medoffice_tui.services.text import digits, normalize, prefix_upper_bound

#: a first-name prefix matching fewer rows than this is searched through its own index
SMALL_FIRST_RANGE = 300
#: most words a name query is split on (each split is one more index range)
MAX_NAME_WORDS = 4
#: most characters of the typed text looked at (a longer paste is cut, not refused)
MAX_QUERY_CHARS = 120
#: how many close (typo) matches may follow the exact and prefix ones
CLOSE_MATCHES = 20

_VISTA = re.compile(r"^[A-Za-z]\d{4}$")
_PHONEISH = re.compile(r"^[0-9\s().+\-]+$")

ROW_COLUMNS = (
    Patient.id,
    Patient.mrn,
    Patient.last_name,
    Patient.first_name,
    Patient.dob,
    Patient.sex,
    Patient.phone_mobile,
    Patient.phone_home,
    Patient.phone_work,
    Patient.active,
    Patient.last_norm,
    Patient.first_norm,
    Patient.allergy_status,
)
_KEY = (Patient.last_norm, Patient.first_norm, Patient.id)

SortKey = tuple[str, str, int]
#: the paging key: (tier, last_norm, first_norm, id); tier 2 (close) is (2, "", "", offset)
PageKey = tuple[int, str, str, int]


def clean_query(text: Any) -> str:
    """What was typed, as text the database can take: cut to ``MAX_QUERY_CHARS``, with
    control characters, NUL, lone surrogates and invisible formatting dropped."""
    if not isinstance(text, str):
        return ""
    text = text[: MAX_QUERY_CHARS * 2]
    kept = "".join(
        " " if ch in "\t\r\n" else ch
        for ch in text
        if ch in "\t\r\n" or unicodedata.category(ch) not in ("Cc", "Cs", "Cf")
    )
    return " ".join(kept.split())[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class _Source:
    """One indexed lookup: a WHERE clause, an optional last-name prefix range
    (kept apart so the keyset can take over its lower bound), an optional Python check.

    ``off_name_index`` keeps the (last_norm, first_norm, id) index out of the plan,
    writing the name key as ``last_norm || ''``: for a last+first prefix pair whose
    first-name range is small (``planned``), so both engines take the
    (first_norm, last_norm, id) index and sort the few matches instead of walking
    every "Jo..." surname for first name "Smith"; and for the VistA form, where
    SSN last 4 is the selective part.

    ``exact`` marks a name source of the first tier: (last, first or None) equal to
    what was typed. ``strict`` starts the last-name range just after the prefix itself
    (a one-word prefix source leaves the exact last name to its exact source).
    """

    where: Expression | None
    last_prefix: str = ""
    check: Callable[[tuple], bool] | None = None
    first_prefix: str = ""
    off_name_index: bool = False
    exact: tuple[str, str | None] | None = None
    strict: bool = False
    name: bool = False

    @property
    def tier(self) -> int:
        return 0 if self.exact is not None or not self.name else 1

    def clause(self, key: SortKey | None) -> Expression | None:
        """The WHERE for rows after ``key``.

        SQLite seeks the (last_norm, first_norm, id) index on the row comparison
        only when no other lower bound on last_norm is present, so inside the
        range the comparison replaces ``last_norm >= prefix``.
        """
        parts = [self.where] if self.where is not None else []
        if self.off_name_index or not self.last_prefix:
            # an equality lookup (DOB, phone, SSN, MRN) or a small first-name range:
            # its own index finds the few rows; the name index must not look
            # cheaper to a generic (prepared) plan, so the name key is unindexable here
            last = Patient.last_norm.concat("")
            if self.last_prefix:
                parts.append(_range(last, self.last_prefix))
                if self.strict:
                    parts.append(last != self.last_prefix)
            if key is not None:
                parts.append(Tuple(last, Patient.first_norm, Patient.id) > Tuple(*key))
            return _all(parts) if parts else None
        after_key = Tuple(*_KEY) > Tuple(*key) if key is not None else None
        upper = Patient.last_norm < prefix_upper_bound(self.last_prefix)
        if key is not None and key[0] >= self.last_prefix:
            parts += [after_key, upper]
        elif self.strict:
            parts += [Patient.last_norm > self.last_prefix, upper]
        else:  # no key, or every row of the range is past it
            parts += [Patient.last_norm >= self.last_prefix, upper]
        return _all(parts)

    def planned(self) -> _Source:
        """This source, switched to the first-name index when its first-name range is small."""
        if not (self.last_prefix and self.first_prefix) or self.exact is not None:
            return self
        probe = Patient.select(Patient.id).where(_range(Patient.first_norm, self.first_prefix))
        if probe.limit(SMALL_FIRST_RANGE).count() < SMALL_FIRST_RANGE:
            return replace(self, off_name_index=True)
        return self

    def matches_exactly(self, row: tuple) -> bool:
        if self.exact is None:
            return False
        last, first = self.exact
        return row[10] == last and (first is None or row[11] == first)

    def matches(self, row: tuple) -> bool:
        """Would this (name) source list ``row``? (To keep close matches from repeating.)"""
        last, first = row[10] or "", row[11] or ""
        if self.exact is not None:
            return self.matches_exactly(row)
        if not last.startswith(self.last_prefix) or (self.strict and last == self.last_prefix):
            return False
        return not self.first_prefix or first.startswith(self.first_prefix)


def _all(parts: list[Expression]) -> Expression:
    clause = parts[0]
    for part in parts[1:]:
        clause = clause & part
    return clause


def _row_key(row: tuple) -> SortKey:
    return (row[10], row[11], row[0])


def _to_row(row: tuple, match: str = "") -> PatientRow:
    pid, mrn, last, first, dob, sex, mobile, home, work, active = row[:10]
    return PatientRow(
        pid, text_of(mrn), text_of(last), text_of(first), readable_date(dob), text_of(sex),
        text_of(mobile) or text_of(home) or text_of(work), bool(active), match=match,
        allergy_status=text_of(row[12]) if len(row) > 12 else "",
    )  # fmt: skip


def _range(column: Any, prefix: str) -> Expression:
    return (column >= prefix) & (column < prefix_upper_bound(prefix))


def _name_pair(last: str, first: str) -> list[_Source]:
    """The exact source and the prefix source of one (last, first) reading."""
    if not last:
        if not first:
            return []
        where = _range(Patient.first_norm, first)
        return [_Source(where, first_prefix=first, name=True)]
    if first:
        exact = _Source(
            (Patient.last_norm == last) & (Patient.first_norm == first),
            last_prefix=last,
            exact=(last, first),
            name=True,
        )
        prefix = _Source(
            _range(Patient.first_norm, first)
            & ~((Patient.last_norm == last) & (Patient.first_norm == first)),
            last_prefix=last,
            first_prefix=first,
            name=True,
        )
        return [exact, prefix]
    exact = _Source(Patient.last_norm == last, last_prefix=last, exact=(last, None), name=True)
    return [exact, _Source(None, last_prefix=last, strict=True, name=True)]


def _name_sources(query: str) -> list[_Source]:
    if "," in query:
        last_text, first_text = query.split(",", 1)
        last, first = normalize(last_text), normalize(first_text.replace(",", " "))
        return _name_pair(last, first)
    words = normalize(query).split()
    if not words:
        return []
    if len(words) == 1:
        return _name_pair(words[0], "")
    words = words[:MAX_NAME_WORDS]
    sources = _name_pair(" ".join(words), "")
    for split in range(1, len(words)):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        sources += _name_pair(head, tail)
        sources += _name_pair(tail, head)
    return sources


def _dob_source(text: str) -> _Source | None:
    try:
        dob = dates.parse_date(text, past=True)
    except InvalidInput:
        return None
    return _Source(Patient.dob == dob)


def _phone_sources(number: str) -> list[_Source]:
    if len(number) == 4:
        return [_Source(Patient.phone_last4 == number), _Source(Patient.ssn_last4 == number)]
    if len(number) in (7, 10) or (len(number) == 11 and number.startswith("1")):
        tail = number[-10:]

        def same_phone(row: tuple) -> bool:
            return any(digits(p or "").endswith(tail) for p in row[6:9])

        return [_Source(Patient.phone_last4 == number[-4:], check=same_phone)]
    if len(number) in (6, 8):
        source = _dob_source(number)
        return [source] if source else []
    return []


def sources_for(query: str) -> list[_Source]:
    text = query.strip()
    sources: list[_Source] = []
    if not text:
        return sources
    single_word = not any(ch.isspace() for ch in text)
    if single_word and any(ch.isdigit() for ch in text) and len(text) <= 20:
        sources.append(_Source(Patient.mrn.in_(sorted({text, text.upper()}))))
    if dates.looks_like_date(text) and not text.isdigit():
        source = _dob_source(text)
        return sources + ([source] if source else [])
    if _VISTA.match(text):
        initial = text[0].lower()
        # SSN last 4 is the selective part: searched through its index, initial filtered
        return sources + [
            _Source(Patient.ssn_last4 == text[1:], last_prefix=initial, off_name_index=True)
        ]
    if _PHONEISH.match(text) and any(ch.isdigit() for ch in text):
        return sources + _phone_sources(digits(text))
    return sources + _name_sources(text)


def _fetch(
    source: _Source,
    after: SortKey | None,
    limit: int,
    include_inactive: bool,
    skip: Callable[[tuple], bool] | None = None,
) -> Iterator[tuple]:
    """Rows of one source in key order, fetched ``limit`` at a time while consumed."""
    key = after
    while True:
        where = source.clause(key)
        if not include_inactive:
            active = Patient.active == True  # noqa: E712
            where = active if where is None else where & active
        query = Patient.select(*ROW_COLUMNS).order_by(*_KEY).limit(limit).tuples()
        if where is not None:
            query = query.where(where)
        rows = list(query)
        for row in rows:
            if (source.check is None or source.check(row)) and not (skip and skip(row)):
                yield row
        if len(rows) < limit:
            return
        key = _row_key(rows[-1])


def _parse_after(after: Any) -> PageKey | None:
    if after is None:
        return None
    key = tuple(after)
    if len(key) == 3:  # a key from before tiers: a prefix-tier key
        return (1, key[0], key[1], key[2])
    return (int(key[0]), key[1], key[2], int(key[3]))


def search_patients(
    query: str,
    limit: int = 50,
    after: Any | None = None,
    include_inactive: bool = False,
    *,
    close_matches: bool | str = False,
    details: bool = False,
) -> Page[PatientRow]:
    """Type-ahead patient lookup; see the module docstring for what the text can be.

    ``close_matches=True`` adds names close to a name query despite typos after the
    exact and prefix matches (on the last page). ``"auto"`` (the Patients pane) does so
    for a whole name (two words or more, or ``last, first``), and for a single word only
    when nothing starts with it: a single word is usually a prefix still being typed.
    ``details`` fills each row's next appointment (one more indexed read per page).
    """
    if limit <= 0:
        return Page([], None)
    text = clean_query(query)
    sources = sources_for(text)
    if not sources:
        return Page([], None)
    key = _parse_after(after)
    rows: list[tuple[tuple, str]] = []
    if key is None or key[0] < 2:
        rows = _tiered_rows(sources, key, limit, include_inactive)
    more = len(rows) > limit
    if more:
        rows = rows[:limit]
        last_row, tier_match = rows[-1]
        tier = 0 if tier_match in (MATCH_EXACT, "") else 1
        next_after: PageKey | None = (tier, *_row_key(last_row))
    else:
        next_after = None
    found = [_to_row(row, match) for row, match in rows]
    name_query = any(s.name for s in sources) and not any(ch.isdigit() for ch in text)
    if close_matches == "auto":
        whole_name = len(text.replace(",", " ").split()) >= 2
        close_matches = whole_name or (not found and key is None)
    if not more and close_matches and name_query:
        offset = key[3] if key is not None and key[0] == 2 else 0
        room = limit - len(found)
        close, has_more = _close_rows(text, sources, offset, room, include_inactive)
        found += close
        if has_more:
            next_after = (2, "", "", offset + len(close))
    if details:
        found = add_details(found)
    return Page(found, next_after)


def _tiered_rows(
    sources: list[_Source], key: PageKey | None, limit: int, include_inactive: bool
) -> list[tuple[tuple, str]]:
    """Up to ``limit + 1`` rows: tier 0 (exact, and every non-name form), then tier 1."""
    batch = limit + 1
    exact_sources = [s for s in sources if s.exact is not None]

    def repeats_an_exact(row: tuple) -> bool:
        return any(s.matches_exactly(row) for s in exact_sources)

    out: list[tuple[tuple, str]] = []
    seen: set[int] = set()
    for tier in (0, 1):
        if key is not None and key[0] > tier:
            continue
        tier_sources = [s for s in sources if s.tier == tier]
        if not tier_sources:
            continue
        start = (key[1], key[2], key[3]) if key is not None and key[0] == tier else None
        skip = repeats_an_exact if tier == 1 else None
        streams = [_fetch(s.planned(), start, batch, include_inactive, skip) for s in tier_sources]
        merged = heapq.merge(*streams, key=_row_key) if len(streams) > 1 else streams[0]
        label = MATCH_PREFIX if tier == 1 else ""
        for row in merged:
            if row[0] in seen:
                continue
            seen.add(row[0])
            match = label or (MATCH_EXACT if any(s.name for s in tier_sources) else "")
            out.append((row, match))
            if len(out) > limit:
                break
        for stream in streams:
            stream.close()
        if len(out) > limit:
            break
    return out


def _close_rows(
    text: str, sources: list[_Source], offset: int, room: int, include_inactive: bool
) -> tuple[list[PatientRow], bool]:
    """Close (typo) matches not already listed by a name source, from ``offset``."""
    from medoffice_tui.services.patients.fuzzy import close_patient_rows

    if room <= 0:
        return [], True
    candidates = close_patient_rows(text, CLOSE_MATCHES, include_inactive=include_inactive)
    name_sources = [s for s in sources if s.name]
    fresh = [row for row in candidates if not any(s.matches(row) for s in name_sources)]
    page = fresh[offset : offset + room]
    return [_to_row(row, MATCH_CLOSE) for row in page], offset + room < len(fresh)


def add_details(rows: list[PatientRow]) -> list[PatientRow]:
    """Each row with its next live appointment (from now), in one indexed read."""
    if not rows:
        return rows
    ids = [r.id for r in rows]
    now = clock.now()
    upcoming = dict(
        Appointment.select(Appointment.patient, fn.MIN(Appointment.start))
        .where(
            Appointment.patient.in_(ids)
            & (Appointment.start >= now)
            & Appointment.status.in_(LIVE_STATUSES)
        )
        .group_by(Appointment.patient)
        .tuples()
    )
    return [replace(r, next_appointment=readable_datetime(upcoming.get(r.id))) for r in rows]


def row_by_id(patient_id: int) -> PatientRow | None:
    row = Patient.select(*ROW_COLUMNS).where(Patient.id == patient_id).tuples().first()
    return _to_row(row) if row is not None else None


def rows_by_ids(ids: list[int]) -> dict[int, PatientRow]:
    if not ids:
        return {}
    query = Patient.select(*ROW_COLUMNS).where(Patient.id.in_(ids)).tuples()
    return {row[0]: _to_row(row) for row in query}


def find_patient_id(id_or_mrn: str) -> int | None:
    """A patient's id from its id (digits) or its MRN (exact, any case), or None."""
    text = clean_query(id_or_mrn or "")
    if not text or len(text) > 20:
        return None
    found = Patient.select(Patient.id).where(Patient.mrn.in_(sorted({text, text.upper()})))
    patient_id = found.scalar()
    if patient_id is None and text.isdigit() and text.isascii() and len(text) < 12:
        patient_id = Patient.select(Patient.id).where(Patient.id == int(text)).scalar()
    return patient_id


def count_patients(include_inactive: bool = False) -> int:
    """How many patients are on file (for status lines; a full count, not a hot path)."""
    query = Patient.select(fn.COUNT(Patient.id))
    if not include_inactive:
        query = query.where(Patient.active == True)  # noqa: E712
    return int(query.scalar() or 0)


def next_appointment(patient_id: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """The patient's next live appointment from ``now``, or None."""
    value = (
        Appointment.select(fn.MIN(Appointment.start))
        .where(
            (Appointment.patient == patient_id)
            & (Appointment.start >= (now or clock.now()))
            & Appointment.status.in_(LIVE_STATUSES)
        )
        .scalar()
    )
    return readable_datetime(value)
