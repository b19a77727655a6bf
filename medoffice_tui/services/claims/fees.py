"""The practice's fee schedule: what each code is charged, with the practice's own words.

CPT descriptions are the AMA's and licensed: the app ships none; the practice types its
own (or imports ``code,kind,description,fee,effective_from`` with ``medoffice fees
import``). HCPCS descriptions may come from the CMS file instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import FeeSchedule, HcpcsCode
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims.code_shapes import procedure_kind
from medoffice_tui.services.money import parse_money


@dataclass(frozen=True)
class Fee:
    code: str
    kind: str
    description: str
    fee_cents: int


def fee_for(code: str, on: dt.date | None = None) -> Fee | None:
    """The fee in force for ``code`` on ``on`` (today by default)."""
    day = on or clock.today()
    code = code.strip().upper()
    row = (
        FeeSchedule.select()
        .where(
            (FeeSchedule.code == code)
            & (FeeSchedule.effective_from <= day)
            & ((FeeSchedule.effective_to.is_null()) | (FeeSchedule.effective_to >= day))
        )
        .order_by(FeeSchedule.effective_from.desc())
        .first()
    )
    if row is None:
        return None
    description = row.description
    if not description and row.code_kind == "HCPCS":
        hcpcs = HcpcsCode.get_or_none(HcpcsCode.code == code)
        description = hcpcs.short_description if hcpcs else ""
    return Fee(row.code, row.code_kind, description, row.fee_cents)


def list_fees(on: dt.date | None = None) -> list[Fee]:
    day = on or clock.today()
    rows = (
        FeeSchedule.select()
        .where(
            (FeeSchedule.effective_from <= day)
            & ((FeeSchedule.effective_to.is_null()) | (FeeSchedule.effective_to >= day))
        )
        .order_by(FeeSchedule.code, FeeSchedule.effective_from.desc())
    )
    seen: dict[str, Fee] = {}
    for row in rows:
        seen.setdefault(row.code, Fee(row.code, row.code_kind, row.description, row.fee_cents))
    return list(seen.values())


def parse_fee_csv(text: str) -> list[tuple[str, str, str, int, dt.date]]:
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() == "code":
            continue
        if len(row) < 5:
            raise InvalidInput(f"line {number}: expected code,kind,description,fee,effective_from")
        code, kind, words, fee, start = (c.strip() for c in row[:5])
        code = code.upper()
        kind = kind.upper() or (procedure_kind(code) or "CUSTOM")
        if kind not in ("CPT", "HCPCS", "CUSTOM") or not code or len(code) > 10:
            raise InvalidInput(f"line {number}: kind must be CPT, HCPCS or CUSTOM, with a code")
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:
            raise InvalidInput(f"line {number}: effective_from must be YYYY-MM-DD") from None
        rows.append((code, kind, words[:200], parse_money(fee, field="fee"), day))
    return rows


@writes("claim.edit")
def import_fees(actor: Actor, rows: list[tuple[str, str, str, int, dt.date]]) -> int:
    """Add or replace fee schedule entries (one per code and start date)."""
    for code, kind, words, fee, start in rows:
        FeeSchedule.insert(
            code=code, code_kind=kind, description=words, fee_cents=fee, effective_from=start
        ).on_conflict(
            conflict_target=[FeeSchedule.code, FeeSchedule.effective_from],
            update={
                FeeSchedule.fee_cents: fee,
                FeeSchedule.description: words,
                FeeSchedule.code_kind: kind,
            },
        ).execute()
    audit.record(actor, "update", "fee_schedule", None, fields=("fee",), detail=f"{len(rows)} fees")
    return len(rows)
