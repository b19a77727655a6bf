"""HCPCS Level II: the public CMS Alpha-Numeric file, imported with its release.

``medoffice codes import-hcpcs FILE`` reads either form CMS publishes:

- the fixed-width text file (320-character records after a disclaimer; Windows-1252):
  code 1-5, sequence 6-10, record id 11 (3 a procedure's first line, 4 its
  continuation, 7 a modifier's first line, 8 its continuation), long description 12-91,
  short description 92-119, date added 269-276, action effective 277-284, terminated
  285-292;
- a CSV export with a header row (``HCPC``/``HCPCS``, ``LONG DESCRIPTION``,
  ``SHORT DESCRIPTION``, ``RECID``, ``ADD DT``, ``TERM DT`` ...).

Until a file is imported, HCPCS codes are checked by shape (``^[A-V]\\d{4}$``) only;
after, also against the table (known, and not terminated on the date of service).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from medoffice_tui import clock
from medoffice_tui.db.models import CodeSetRelease, HcpcsCode
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes

CODE_SET = "hcpcs"
_YEAR = re.compile(r"HCPC(\d{4})(?:_?(JAN|APR|JUL|OCT))?", re.I)


@dataclass
class HcpcsRecord:
    code: str
    is_modifier: bool
    short_description: str
    description: str
    added_on: dt.date | None
    terminated_on: dt.date | None


def _date8(text: str) -> dt.date | None:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_fixed_width(text: str) -> list[HcpcsRecord]:
    records: dict[str, HcpcsRecord] = {}
    order: list[str] = []
    for line in text.splitlines():
        if len(line) < 12 or line[10] not in "3478" or not line[5:10].isdigit():
            continue
        code = line[0:5].strip()
        record_id = line[10]
        long_part = line[11:91].rstrip()
        if record_id in "37":
            if len(line) < 293:
                continue
            records[code] = HcpcsRecord(
                code=code,
                is_modifier=record_id == "7",
                short_description=line[91:119].strip(),
                description=long_part,
                added_on=_date8(line[268:276]),
                terminated_on=_date8(line[284:292]),
            )
            order.append(code)
        elif code in records:  # a continuation line of the long description
            records[code].description = f"{records[code].description} {long_part.strip()}".strip()
    return [records[c] for c in order]


def parse_csv(text: str) -> list[HcpcsRecord]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise InvalidInput("the file has no header row")
    names = {n.strip().upper(): n for n in reader.fieldnames}

    def col(*candidates: str) -> str | None:
        return next((names[c] for c in candidates if c in names), None)

    code_col = col("HCPC", "HCPCS", "CODE", "HCPCS CODE")
    long_col = col("LONG DESCRIPTION", "LONG_DESCRIPTION", "DESCRIPTION")
    if code_col is None or long_col is None:
        raise InvalidInput("the CSV needs HCPC and LONG DESCRIPTION columns")
    short_col = col("SHORT DESCRIPTION", "SHORT_DESCRIPTION")
    recid_col = col("RECID", "REC ID")
    add_col = col("ADD DT", "ADD_DT")
    term_col = col("TERM DT", "TERM_DT")
    records: dict[str, HcpcsRecord] = {}
    for row in reader:
        code = (row.get(code_col) or "").strip()
        if not code:
            continue
        recid = (row.get(recid_col) or "3").strip() if recid_col else "3"
        text_part = (row.get(long_col) or "").strip()
        if recid in ("4", "8") and code in records:
            records[code].description += " " + text_part
            continue
        records[code] = HcpcsRecord(
            code=code,
            is_modifier=recid == "7" or len(code) == 2,
            short_description=(row.get(short_col) or "").strip() if short_col else "",
            description=text_part,
            added_on=_date8(row.get(add_col) or "") if add_col else None,
            terminated_on=_date8(row.get(term_col) or "") if term_col else None,
        )
    return list(records.values())


def parse_file(path: Path) -> tuple[list[HcpcsRecord], str]:
    """Records and the release named by the file (``HCPC2020...`` -> "HCPCS 2020")."""
    raw = path.read_bytes()
    text = raw.decode("cp1252", errors="replace")
    first = text.lstrip()[:200].upper()
    is_csv = path.suffix.lower() == ".csv" or first.startswith(("HCPC,", '"HCPC"', "HCPCS,"))
    records = parse_csv(text) if is_csv else parse_fixed_width(text)
    if not records:
        raise InvalidInput("no HCPCS records found: is this the CMS Alpha-Numeric file?")
    found = _YEAR.search(path.name)
    if found:
        release = f"HCPCS {found.group(1)}" + (
            f" {found.group(2).upper()}" if found.group(2) else ""
        )
    else:
        newest = max((r.added_on for r in records if r.added_on), default=None)
        release = f"HCPCS (codes added up to {newest.isoformat()})" if newest else "HCPCS"
    return records, release


@writes("codes.import")
def import_hcpcs(
    actor: Actor, path: Path, progress: Callable[[str, int, int], None] | None = None
) -> tuple[int, str]:
    """Replace the HCPCS table with the file's codes. Returns (codes, release)."""
    records, release = parse_file(path)
    HcpcsCode.delete().execute()
    rows = [
        {
            "code": r.code[:5],
            "is_modifier": r.is_modifier,
            "short_description": r.short_description[:40],
            "description": r.description,
            "added_on": r.added_on,
            "terminated_on": r.terminated_on,
            "release": release,
        }
        for r in records
    ]
    for start in range(0, len(rows), 1000):
        HcpcsCode.insert_many(rows[start : start + 1000]).execute()
        if progress:
            progress("storing HCPCS", min(start + 1000, len(rows)), len(rows))
    CodeSetRelease.insert(
        code_set=CODE_SET,
        release=release,
        codes=len(rows),
        loaded_at=clock.now(),
        source=path.name[:200],
    ).on_conflict(
        conflict_target=[CodeSetRelease.code_set],
        update={
            CodeSetRelease.release: release,
            CodeSetRelease.codes: len(rows),
            CodeSetRelease.loaded_at: clock.now(),
            CodeSetRelease.source: path.name[:200],
        },
    ).execute()
    audit.record(actor, "update", "code_set", None, fields=("hcpcs",), detail=release)
    return len(rows), release


def is_loaded() -> bool:
    return CodeSetRelease.select().where(CodeSetRelease.code_set == CODE_SET).exists()


def get(code: str) -> HcpcsCode | None:
    return HcpcsCode.get_or_none(HcpcsCode.code == code.strip().upper())
