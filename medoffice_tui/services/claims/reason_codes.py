"""Claim adjustment reason codes (CARC) and remark codes (RARC), in plain words.

The app ships the common ones below, written for a front desk (the X12 wording is
longer and formal). ``medoffice codes import-reasons FILE.csv`` refreshes or adds codes
(:func:`import_reasons`, a write that needs ``codes.import``; columns ``kind,code,text``;
kind CARC or RARC); a refreshed code wins over the shipped
text. Group codes say who bears an adjustment: CO the practice (contract), PR the
patient, OA other, PI the payer's own decision.
"""

from __future__ import annotations

import csv
import io

from medoffice_tui.db.models import CodeSetRelease, ReasonCode
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, writes

GROUPS = {
    "CO": "contractual (the practice writes it off)",
    "PR": "patient responsibility",
    "OA": "other adjustment",
    "PI": "payer-initiated reduction",
    "WO": "written off by the practice",
}

#: (code, plain words): the common CARCs
CARC = {
    "1": "deductible: the patient owes it",
    "2": "coinsurance: the patient owes it",
    "3": "copay: the patient owes it",
    "4": "the procedure code does not fit the modifier, or a modifier is missing",
    "5": "the procedure code does not fit the place of service",
    "11": "the diagnosis does not support the procedure",
    "16": "the claim is missing information or has a billing error (see the remark)",
    "18": "duplicate of a claim already sent",
    "22": "another payer should pay first (coordination of benefits)",
    "23": "already adjusted by a prior payer",
    "24": "covered by a capitation agreement or managed care plan",
    "26": "service before the coverage began",
    "27": "service after the coverage ended",
    "29": "the time limit for filing has passed",
    "31": "the payer cannot identify the patient as its member",
    "45": "more than the contracted fee: the practice writes off the difference",
    "50": "not medically necessary in the payer's view",
    "96": "not covered by the patient's plan",
    "97": "paid as part of another service on the claim",
    "109": "not covered by this payer: send it to the right one",
    "119": "the plan's benefit maximum has been reached",
    "146": "the diagnosis is not valid for the date of service",
    "181": "the procedure code is not valid for the date of service",
    "197": "prior authorization or precertification is missing",
    "204": "not covered under the patient's current benefit plan",
    "242": "the provider is not in the patient's network",
    "252": "an attachment or other document is needed (see the remark)",
}
#: (code, plain words): the common RARCs
RARC = {
    "M15": "separately billed services were bundled into another procedure",
    "M76": "the diagnosis is missing or incomplete",
    "M77": "the place of service is missing or incomplete",
    "M80": "not covered when done during the same session as another service",
    "MA04": "secondary payment cannot be made: the primary payer's information is missing",
    "MA130": "the claim has incomplete or invalid information: correct it and send it again",
    "N4": "the prior insurance's payment information is missing or incomplete",
    "N20": "not paid separately",
    "N30": "the patient is not eligible for this service",
    "N54": "the claim has no prior authorization number",
    "N56": "the procedure code is not valid for the date of service",
    "N130": "see the plan's benefit documents for what is covered",
    "N286": "the referring provider's identifier is missing or invalid",
    "N290": "the rendering provider's identifier is missing or invalid",
    "N382": "the patient's identifier is missing or invalid",
}
SHIPPED = {"CARC": CARC, "RARC": RARC}


def reason_text(kind: str, code: str) -> str:
    """Plain words for a CARC or RARC (a refreshed code first, then the shipped one)."""
    kind = kind.upper()
    code = (code or "").strip().upper()
    if not code:
        return ""
    found = (
        ReasonCode.select(ReasonCode.text)
        .where((ReasonCode.kind == kind) & (ReasonCode.code == code))
        .scalar()
    )
    if found:
        return str(found)
    return SHIPPED.get(kind, {}).get(code, f"{kind} {code} (not in the app's list)")


def group_text(group: str) -> str:
    return GROUPS.get((group or "").upper(), group)


def known_carc(code: str) -> bool:
    code = (code or "").strip().upper()
    if code in CARC:
        return True
    return (
        ReasonCode.select().where((ReasonCode.kind == "CARC") & (ReasonCode.code == code)).exists()
    )


def parse_reason_csv(text: str) -> list[tuple[str, str, str]]:
    """Rows ``kind,code,text`` (a header row is skipped); refuses anything else by line."""
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() == "kind":
            continue
        if len(row) < 3:
            raise InvalidInput(f"line {number}: expected kind,code,text")
        kind, code, words = row[0].strip().upper(), row[1].strip().upper(), row[2].strip()
        if kind not in SHIPPED or not code or len(code) > 8 or not words:
            raise InvalidInput(f"line {number}: kind must be CARC or RARC, with a code and text")
        rows.append((kind, code, words[:300]))
    return rows


@inside_write
def store_reasons(rows: list[tuple[str, str, str]], source: str) -> int:
    """Insert or replace the given codes (inside a write). Returns how many."""
    for kind, code, words in rows:
        ReasonCode.insert(kind=kind, code=code, text=words).on_conflict(
            conflict_target=[ReasonCode.kind, ReasonCode.code],
            update={ReasonCode.text: words},
        ).execute()
    total = ReasonCode.select().count()
    CodeSetRelease.insert(
        code_set="carc_rarc", release="refreshed from CSV", codes=total, source=source[:200]
    ).on_conflict(
        conflict_target=[CodeSetRelease.code_set],
        update={CodeSetRelease.codes: total, CodeSetRelease.source: source[:200]},
    ).execute()
    return len(rows)


@writes("codes.import")
def import_reasons(actor: Actor, text: str, source: str) -> int:
    """Refresh or add CARC/RARC texts from a ``kind,code,text`` CSV's ``text`` (billing or
    a manager; audited as an update of the code set). Returns how many rows were stored."""
    rows = parse_reason_csv(text)
    count = store_reasons(rows, source)
    audit.record(
        actor, "update", "code_set", None, fields=("carc_rarc",), detail=f"{count} reason codes"
    )
    return count
