"""``medoffice patients import``: a practice's existing patient list from a CSV file.

Two passes over the file, neither holding more than one chunk of rows in memory:

1. :func:`check_import` (read-only, takes no lock): every row through the same field
   rules as the registration form (``validation.py``, ``coverages.py``), the mapping's
   date formats and codes applied first. The report gives the rows that are fine, each
   rejected row with its line number and the reason (the field, never its value), and
   the likely duplicates, of a patient on file or of an earlier line (same last name and
   date of birth, a close name and the same date of birth, the same phone). A row whose
   external id is already on file was imported before: it is rejected.
2. :func:`import_patients`: all or nothing, in one write. Every row is checked again as
   it is inserted (the file or the practice may have changed since the check); any bad
   row undoes the whole import. Rows are inserted a chunk at a time, MRNs assigned as a
   registration would, one audit event per chunk (the id range, never names).

Within-file duplicates are found through a small temporary SQLite file of hashed keys
(owner-only, deleted afterwards), so memory stays flat whatever the file's length.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medoffice_tui import clock
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import ranking
from medoffice_tui.db.models import Coverage, Patient, Payer
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads, writes
from medoffice_tui.services.patients.coverages import clean_coverage
from medoffice_tui.services.patients.duplicates import (
    new_phones,
    not_merged,
    phone_lookup,
    phone_number,
    similar_names,
)
from medoffice_tui.services.patients.fuzzy import remember_names
from medoffice_tui.services.patients.mapping import COVERAGE_COLUMNS, NATIVE, ColumnMapping
from medoffice_tui.services.patients.registration import DERIVED
from medoffice_tui.services.patients.validation import clean_demographics

ProgressFn = Callable[[str, int, int], None]

#: rows per chunk (one INSERT, one duplicate lookup, one audit event each)
CHUNK = 500
#: rejected rows and duplicates listed in a report (the counts are always complete)
REPORT_LIMIT = 200
#: a CSV field longer than this is refused (csv's own default limit is 128 KiB)
FIELD_LIMIT = 10_000

SAME_NAME_DOB = "same last name and date of birth"
CLOSE_NAME_DOB = "similar name and same date of birth"
SAME_PHONE = "same phone number"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    field: str
    reason: str


@dataclass(frozen=True)
class LikelyDuplicate:
    line: int
    reason: str
    #: "MRN M0000012" (on file) or "line 14" (earlier in the file)
    of: str


@dataclass
class ImportReport:
    rows: int = 0
    ok: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_count: int = 0
    duplicates: list[LikelyDuplicate] = field(default_factory=list)
    duplicate_count: int = 0
    committed: bool = False
    created: int = 0
    seconds: float = 0.0

    def reject(self, line: int, error: InvalidInput) -> None:
        self.rejected_count += 1
        if len(self.rejected) < REPORT_LIMIT:
            self.rejected.append(RejectedRow(line, error.field or "", str(error)))

    def duplicate(self, line: int, reason: str, of: str) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < REPORT_LIMIT:
            self.duplicates.append(LikelyDuplicate(line, reason, of))

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        out = [
            f"{self.rows:,} rows read: {self.ok:,} ok, {self.rejected_count:,} rejected, "
            f"{self.duplicate_count:,} likely duplicates"
        ]
        for row in self.rejected:
            where = f" ({row.field.replace('_', ' ')})" if row.field else ""
            out.append(f"  line {row.line}: rejected{where}: {row.reason}")
        if self.rejected_count > len(self.rejected):
            out.append(f"  ... and {self.rejected_count - len(self.rejected):,} more rejected")
        for dup in self.duplicates:
            out.append(f"  line {dup.line}: likely duplicate of {dup.of} ({dup.reason})")
        if self.duplicate_count > len(self.duplicates):
            out.append(f"  ... and {self.duplicate_count - len(self.duplicates):,} more")
        return out


# ------------------------------------------------------------------ reading


def read_csv(path: str | Path, mapping: ColumnMapping) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each record; the header checked against the mapping."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise InvalidInput("there is no such file") from None
    with handle:
        reader = csv.reader(handle)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InvalidInput("the file is empty")
            header = [h.strip() for h in header]
            mapping.check_header(header)
            line = reader.line_num + 1
            for record in reader:
                if any(len(cell) > FIELD_LIMIT for cell in record):
                    raise InvalidInput(
                        f"line {line}: a field is longer than {FIELD_LIMIT:,} characters"
                    )
                if record and any(cell.strip() for cell in record):
                    yield line, dict(zip(header, record, strict=False))
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise InvalidInput(f"the file is not UTF-8 text (near line {line})") from None
        except csv.Error as error:
            raise InvalidInput(f"line {line}: not a readable CSV row ({error})") from None


def count_lines(path: str | Path) -> int:
    """Data lines in the file (for the progress bar; a quoted field may span lines)."""
    try:
        with open(path, "rb") as handle:
            return max(
                sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0
            )
    except OSError:
        return 0


@dataclass
class _Prepared:
    line: int
    values: dict[str, Any]
    coverage: dict[str, Any] | None


def _payer_ids() -> dict[str, int]:
    return {
        pid.upper(): id_
        for id_, pid in Payer.select(Payer.id, Payer.payer_id).where(Payer.active == True).tuples()  # noqa: E712
    }


def _prepare(
    line: int, row: dict[str, str], mapping: ColumnMapping, payers: dict[str, int]
) -> _Prepared:
    fields, active = mapping.fields_of(row)
    coverage_in = {k: fields.pop(k) for k in COVERAGE_COLUMNS if k in fields}
    if "relationship" in coverage_in and not coverage_in["relationship"]:
        coverage_in.pop("relationship")
    demographics = {
        k: v
        for k, v in fields.items()
        if v not in ("", None) or k in ("last_name", "first_name", "dob")
    }
    demographics["active"] = active
    values = clean_demographics(demographics)
    coverage = None
    if any(v not in ("", None) for v in coverage_in.values()):
        payer_code = str(coverage_in.pop("payer", "") or "").strip().upper()
        if payer_code not in payers:
            raise InvalidInput("the payer is not on the practice's list", field="payer")
        coverage_in["payer_id"] = payers[payer_code]
        coverage_in = {k: v for k, v in coverage_in.items() if v not in ("", None)}
        coverage = clean_coverage(coverage_in)
    return _Prepared(line, values, coverage)


def _chunks(
    path: str | Path, mapping: ColumnMapping, report: ImportReport, *, strict: bool
) -> Iterator[list[_Prepared]]:
    """Prepared rows a chunk at a time; a bad row is reported (or raised, ``strict``)."""
    payers = _payer_ids()
    chunk: list[_Prepared] = []
    for line, row in read_csv(path, mapping):
        report.rows += 1
        try:
            chunk.append(_prepare(line, row, mapping, payers))
        except InvalidInput as error:
            if strict:
                raise InvalidInput(f"line {line}: {error}", field=error.field) from None
            report.reject(line, error)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------- duplicates


class _SeenKeys:
    """Keys of the rows read so far (hashed with a per-run salt), in a temporary SQLite
    file: memory stays the same for a thousand rows or a million."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="medoffice-import-")
        os.chmod(self._dir.name, 0o700)
        self._con = sqlite3.connect(Path(self._dir.name) / "keys.db")
        self._con.execute("CREATE TABLE k (key BLOB PRIMARY KEY, line INTEGER) WITHOUT ROWID")
        self._salt = secrets.token_bytes(16)

    def _hash(self, key: str) -> bytes:
        return hashlib.blake2b(key.encode(), key=self._salt, digest_size=12).digest()

    def first_line(self, key: str, line: int) -> int | None:
        """The line that had ``key`` first, or None (and ``line`` has it from now on)."""
        hashed = self._hash(key)
        found = self._con.execute("SELECT line FROM k WHERE key = ?", (hashed,)).fetchone()
        if found:
            return int(found[0])
        self._con.execute("INSERT INTO k VALUES (?, ?)", (hashed, line))
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()
        self._dir.cleanup()


def _phones(values: dict[str, Any]) -> set[str]:
    """A row's phones as 10-digit main numbers (mobile, home, work)."""
    return new_phones(values)[0]


def _check_chunk(chunk: list[_Prepared], seen: _SeenKeys, report: ImportReport) -> list[_Prepared]:
    """Reject rows that cannot go in (MRN in use, imported before); note likely duplicates.
    Returns the rows that may go in."""
    mrns = [p.values["mrn"] for p in chunk if p.values.get("mrn")]
    taken_mrns = set()
    if mrns:
        taken_mrns = {
            m for (m,) in Patient.select(Patient.mrn).where(Patient.mrn.in_(mrns)).tuples()
        }
    externals = [p.values["external_id"] for p in chunk if p.values.get("external_id")]
    on_file: dict[str, str] = {}
    if externals:
        on_file = dict(
            Patient.select(Patient.external_id, Patient.mrn)
            .where(Patient.external_id.in_(externals))
            .tuples()
        )
    dobs = sorted({p.values["dob"] for p in chunk})
    by_dob: dict[dt.date, list[tuple[str, str, str]]] = {}
    for mrn, last, first, dob in (
        Patient.select(Patient.mrn, Patient.last_norm, Patient.first_norm, Patient.dob)
        .where(Patient.dob.in_(dobs) & Patient.merged_into.is_null())
        .tuples()
    ):
        by_dob.setdefault(dob, []).append((mrn, last or "", first or ""))
    # any phone of a row against any phone on file: one indexed lookup per phone column
    numbers: set[str] = set()
    stored: set[str] = set()
    for prepared in chunk:
        row_numbers, row_stored = new_phones(prepared.values)
        numbers |= row_numbers
        stored |= row_stored
    by_phone: dict[str, str] = {}
    lookup = phone_lookup(numbers, stored)
    if lookup is not None:
        for mrn, *on_file in (
            Patient.select(
                Patient.mrn, Patient.phone_mobile, Patient.phone_home, Patient.phone_work
            )
            .where(lookup & not_merged())
            .order_by(Patient.id)
            .tuples()
        ):
            for number in map(phone_number, on_file):
                if number in numbers:
                    by_phone.setdefault(number, mrn)
    ok = []
    for prepared in chunk:
        values, line = prepared.values, prepared.line
        mrn = values.get("mrn")
        if mrn and (mrn in taken_mrns or seen.first_line(f"m:{mrn}", line) is not None):
            report.reject(line, InvalidInput("that MRN is already in use", field="mrn"))
            continue
        external = values.get("external_id")
        if external and external in on_file:
            report.reject(line, InvalidInput(
                f"already on file as MRN {on_file[external]} (same external id): imported before",
                field="external_id",
            ))  # fmt: skip
            continue
        if external and (earlier := seen.first_line(f"e:{external}", line)) is not None:
            report.reject(line, InvalidInput(f"the same external id as line {earlier}",
                                             field="external_id"))  # fmt: skip
            continue
        ok.append(prepared)
        _note_duplicates(prepared, by_dob, by_phone, seen, report)
    return ok


def _note_duplicates(
    prepared: _Prepared,
    by_dob: dict[dt.date, list[tuple[str, str, str]]],
    by_phone: dict[str, str],
    seen: _SeenKeys,
    report: ImportReport,
) -> None:
    values, line = prepared.values, prepared.line
    last, first, dob = values["last_norm"], values["first_norm"], values["dob"]
    words = [ranking.compact(w) for w in f"{last} {first}".split() if ranking.compact(w)]
    for mrn, other_last, other_first in by_dob.get(dob, []):
        if other_last == last:
            report.duplicate(line, SAME_NAME_DOB, f"MRN {mrn}")
            return
        if similar_names(last, first, other_last, other_first, words):
            report.duplicate(line, CLOSE_NAME_DOB, f"MRN {mrn}")
            return
    for phone in sorted(_phones(values)):
        if phone in by_phone:
            report.duplicate(line, SAME_PHONE, f"MRN {by_phone[phone]}")
            return
    earlier = seen.first_line(f"n:{last}|{dob.isoformat()}", line)
    if earlier is not None:
        report.duplicate(line, SAME_NAME_DOB, f"line {earlier}")
        return
    for phone in sorted(_phones(values)):
        earlier = seen.first_line(f"p:{phone}", line)
        if earlier is not None:
            report.duplicate(line, SAME_PHONE, f"line {earlier}")
            return


# -------------------------------------------------------------------- passes


@reads("patient.import")
def check_import(
    actor: Actor,
    path: str | Path,
    mapping: ColumnMapping | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Pass 1 (the dry run): read and check every row; nothing is written."""
    started = time.perf_counter()
    mapping = mapping or NATIVE
    report = ImportReport()
    total = count_lines(path)
    seen = _SeenKeys()
    try:
        for chunk in _chunks(path, mapping, report, strict=False):
            report.ok += len(_check_chunk(chunk, seen, report))
            if progress is not None:
                progress("checking", report.rows, max(total, report.rows))
    finally:
        seen.close()
    report.seconds = time.perf_counter() - started
    return report


_MRN_SQL = (
    "CASE WHEN length(CAST(id AS TEXT)) >= 7 THEN 'M' || CAST(id AS TEXT) "
    "ELSE 'M' || substr('0000000', 1, 7 - length(CAST(id AS TEXT))) || CAST(id AS TEXT) END"
)


@writes("patient.import")
def import_patients(
    actor: Actor,
    path: str | Path,
    mapping: ColumnMapping | None = None,
    progress: ProgressFn | None = None,
    expected_rows: int = 0,
) -> ImportReport:
    """Pass 2: insert every row, all or nothing (see the module docstring). Any row that
    cannot go in raises InvalidInput naming its line; nothing of the file is kept."""
    started = time.perf_counter()
    mapping = mapping or NATIVE
    report = ImportReport()
    seen = _SeenKeys()
    run = uuid.uuid4().hex[:8]
    try:
        for chunk in _chunks(path, mapping, report, strict=True):
            ok = _check_chunk(chunk, seen, report)
            if report.rejected:
                bad = report.rejected[0]
                raise InvalidInput(f"line {bad.line}: {bad.reason}; nothing was imported",
                                   field=bad.field or None)  # fmt: skip
            _insert_chunk(actor, ok, run)
            report.ok += len(ok)
            report.created += len(ok)
            if progress is not None:
                progress("importing", report.rows, max(expected_rows, report.rows))
    finally:
        seen.close()
    report.committed = True
    report.seconds = time.perf_counter() - started
    return report


def _insert_rows(model: Any, names: list[str], rows: list[list[Any]]) -> None:
    """One multi-row INSERT (Peewee's own builder costs more than the insert itself for
    500 rows); values go to the driver as Python objects, on either engine."""
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    one = "(" + ", ".join([db.obj.param] * len(fields)) + ")"
    params = [f.db_value(value) for row in rows for f, value in zip(fields, row, strict=True)]
    db.execute_sql(
        f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
        + ", ".join([one] * len(rows)),
        params,
    )


def _insert_chunk(actor: Actor, chunk: list[_Prepared], run: str) -> None:
    if not chunk:
        return
    now = clock.now()
    placeholder = f"i{run}:"
    defaults = {
        name: f.default for name, f in Patient._meta.fields.items()
        if name not in ("id",) and not callable(f.default) and f.default is not None
    }  # fmt: skip
    rows = []
    for prepared in chunk:
        row = {**defaults, **prepared.values}
        row.update(
            mrn=prepared.values.get("mrn") or f"{placeholder}{prepared.line}",
            created_at=now, updated_at=now, created_by=actor.user_id, updated_by=actor.user_id,
            version=1, allergy_status="unknown",
        )  # fmt: skip
        rows.append(row)
    columns = sorted({key for row in rows for key in row})
    _insert_rows(Patient, columns, [[row.get(c, defaults.get(c)) for c in columns] for row in rows])
    marks = [row["mrn"] for row in rows]
    ids = dict(Patient.select(Patient.mrn, Patient.id).where(Patient.mrn.in_(marks)).tuples())
    upper = placeholder[:-1] + ";"
    db.execute_sql(
        f"UPDATE patient SET mrn = {_MRN_SQL} WHERE mrn >= {db.obj.param} AND mrn < {db.obj.param}",
        (placeholder, upper),
    )
    coverage_defaults = {
        name: f.default for name, f in Coverage._meta.fields.items()
        if name not in ("id",) and not callable(f.default) and f.default is not None
    }  # fmt: skip
    coverages = []
    for prepared, row in zip(chunk, rows, strict=True):
        if prepared.coverage is not None:
            values = dict(prepared.coverage)
            payer = values.pop("payer_id")
            coverages.append({
                **coverage_defaults, **values, "payer": payer, "patient": ids[row["mrn"]],
                "version": 1, "updated_at": now, "updated_by": actor.user_id,
            })  # fmt: skip
    if coverages:
        names = sorted({k for c in coverages for k in c})
        _insert_rows(
            Coverage,
            names,
            [[c.get(k, coverage_defaults.get(k)) for k in names] for c in coverages],
        )
    remember_names([n for p in chunk for n in (p.values["last_norm"], p.values["first_norm"])])
    new_ids = sorted(ids.values())
    fields = sorted({k for p in chunk for k in p.values if k not in DERIVED})
    audit.record(
        actor, "create", "patient", new_ids[0], fields=fields,
        detail=f"import: {len(new_ids)} patients, lines {chunk[0].line}-{chunk[-1].line}, "
        f"ids {new_ids[0]}-{new_ids[-1]}",
    )  # fmt: skip
