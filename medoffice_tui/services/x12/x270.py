"""The 270 eligibility question (005010X279A1) and its structural check.

Loops: 2000A the payer asked (``HL*..*20``, ``NM1*PR``), 2000B the practice asking
(``HL*..*21``, ``NM1*1P`` with its NPI), 2000C the subscriber (``HL*..*22``, ``TRN`` with
the question's trace number, ``NM1*IL`` with the member id, ``DMG``, ``DTP*291`` the date
of service, ``EQ*30`` health benefit plan coverage), and 2000D the patient when not the
subscriber (``HL*..*23``; the trace, dates and ``EQ`` move there).

pyx12 has no 5010 map for the 270, so :func:`check` is this app's own: the envelope's
counts and control numbers, the HL tree (each parent exists and is of the level above),
and every question carrying its trace, its member and its ``EQ``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from medoffice_tui.services.x12.envelope import ControlNumbers, Partner, open_interchange
from medoffice_tui.services.x12.segments import (
    Document,
    Fault,
    Writer,
    clean,
    date8,
    digits,
    envelope_faults,
    identifier,
    transactions,
)

VERSION = "005010X279A1"


@dataclass(frozen=True)
class Question:
    trace: str
    payer_name: str
    payer_id: str
    member_id: str
    group_number: str
    relationship: str  # self, spouse, child, other
    subscriber_last: str
    subscriber_first: str
    subscriber_dob: dt.date | None
    subscriber_sex: str
    patient_last: str
    patient_first: str
    patient_dob: dt.date | None
    patient_sex: str
    day: dt.date


def _sex(code: str) -> str:
    return code if code in ("F", "M") else "U"


def build(
    questions: list[Question],
    practice_name: str,
    practice_npi: str,
    tax_id: str,
    partner: Partner,
    numbers: ControlNumbers,
    at: dt.datetime,
) -> str:
    w = Writer()
    open_interchange(w, partner, numbers, at, "HS", VERSION)
    w.segment("ST", "270", "0001", VERSION)
    w.segment("BHT", "0022", "13", numbers.isa13, date8(at), at.strftime("%H%M"))
    by_payer: dict[tuple[str, str], list[Question]] = defaultdict(list)
    for q in questions:
        by_payer[(q.payer_id, q.payer_name)].append(q)
    originator = "9" + digits(tax_id, 9).rjust(9, "0")
    hl = 0
    for (payer_id, payer_name), asked in by_payer.items():
        hl += 1
        source = hl
        w.segment("HL", source, "", "20", "1")
        w.segment(
            "NM1", "PR", "2", clean(payer_name, 60), "", "", "", "", "PI", identifier(payer_id, 80)
        )
        hl += 1
        receiver = hl
        w.segment("HL", receiver, source, "21", "1")
        w.segment(
            "NM1",
            "1P",
            "2",
            clean(practice_name, 60),
            "",
            "",
            "",
            "",
            "XX",
            digits(practice_npi, 10),
        )
        for q in asked:
            hl += 1
            subscriber = hl
            dependent = q.relationship != "self"
            w.segment("HL", subscriber, receiver, "22", "1" if dependent else "0")
            if not dependent:
                w.segment("TRN", "1", identifier(q.trace, 50), originator)
            w.segment(
                "NM1",
                "IL",
                "1",
                clean(q.subscriber_last, 60),
                clean(q.subscriber_first, 35),
                "",
                "",
                "",
                "MI",
                identifier(q.member_id, 80),
            )
            if q.group_number:
                w.segment("REF", "6P", identifier(q.group_number, 50))
            if q.subscriber_dob:
                w.segment("DMG", "D8", date8(q.subscriber_dob), _sex(q.subscriber_sex))
            if not dependent:
                w.segment("DTP", "291", "D8", date8(q.day))
                w.segment("EQ", "30")
                continue
            hl += 1
            w.segment("HL", hl, subscriber, "23", "0")
            w.segment("TRN", "1", identifier(q.trace, 50), originator)
            w.segment("NM1", "03", "1", clean(q.patient_last, 60), clean(q.patient_first, 35))
            if q.patient_dob:
                w.segment("DMG", "D8", date8(q.patient_dob), _sex(q.patient_sex))
            w.segment("DTP", "291", "D8", date8(q.day))
            w.segment("EQ", "30")
    w.segment("SE", w.in_set + 1, "0001")
    w.segment("GE", "1", numbers.group)
    w.segment("IEA", "1", numbers.isa13)
    return w.text()


def check(document: Document) -> list[Fault]:
    """This app's structural check of a 270 (pyx12 has no map for X279A1)."""
    faults = envelope_faults(document)
    for ts in transactions(document):
        st = ts.segments[0]
        if ts.kind != "270" or st[3].strip() != VERSION or ts.version != VERSION:
            faults.append(Fault("ST", st.line, f"not a 270 {VERSION}", st.number))
        if len(ts.segments) < 2 or ts.segments[1].id != "BHT" or ts.segments[1][1] != "0022":
            faults.append(Fault("BHT", st.line + 1, "BHT*0022 must follow the ST", st.number + 1))
        levels: dict[str, str] = {}
        parent_level = {"20": "", "21": "20", "22": "21", "23": "22"}
        loops: list[tuple[str, list]] = []
        for seg in ts.segments[2:-1]:
            if seg.id == "HL":
                number, parent, level = seg[1].strip(), seg[2].strip(), seg[3].strip()
                if level not in parent_level:
                    faults.append(Fault("HL", seg.line, f"HL level {level} is not used here"))
                elif parent_level[level] != (levels.get(parent, "") if parent else ""):
                    faults.append(Fault("HL", seg.line, "the HL's parent is not the level above"))
                if number in levels:
                    faults.append(Fault("HL", seg.line, "the HL number is used twice"))
                levels[number] = level
                loops.append((level, [seg]))
            elif loops:
                loops[-1][1].append(seg)
            else:
                faults.append(Fault(seg.id, seg.line, "a segment before the first HL"))
        for index, (level, segs) in enumerate(loops):
            ids = [(s.id, s[1].strip()) for s in segs]
            hl = segs[0]
            has_child = hl[4].strip() == "1"
            asking = level == "23" or (level == "22" and not has_child)
            if level == "22" and not any(i == ("NM1", "IL") for i in ids):
                faults.append(Fault("HL", hl.line, "a subscriber without NM1*IL"))
            if level == "22":
                nm1 = next((s for s in segs if s.id == "NM1"), None)
                if nm1 is not None and (nm1[8].strip() != "MI" or not nm1[9].strip()):
                    faults.append(Fault("NM1", nm1.line, "the subscriber has no member id (MI)"))
            if level == "23" and not any(i == ("NM1", "03") for i in ids):
                faults.append(Fault("HL", hl.line, "a dependent without NM1*03"))
            if asking:
                for needed in ("TRN", "EQ", "DTP"):
                    if not any(i[0] == needed for i in ids):
                        faults.append(Fault("HL", hl.line, f"a question without its {needed}"))
            if has_child and (index + 1 >= len(loops)):
                faults.append(Fault("HL", hl.line, "HL04 says a child level follows; none does"))
    return faults


__all__ = ["VERSION", "Question", "build", "check"]
