"""Reading a 999 (implementation acknowledgement): for each functional group (AK1/AK9)
and each transaction set of it (AK2/IK5), accepted or not, and where inside the set the
errors are (IK3 segment position, its IK4 elements and CTX claim numbers).

Pure: a read :class:`~medoffice_tui.services.x12.segments.Document` in, plain data out.
What the answers do to claims is :mod:`medoffice_tui.services.x12.acks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui.services.x12 import segments, status_codes
from medoffice_tui.services.x12.segments import Document, Segment, X12ReadError
from medoffice_tui.services.x12.validation import SEGMENT_ERRORS


@dataclass(frozen=True)
class SegmentError:
    """An IK3 (and its IK4s and CTXs): where in the transaction set, and what."""

    segment: str  # IK301
    position: int  # IK302: the segment's position in the transaction set
    loop: str  # IK303
    code: str  # IK304
    elements: tuple[tuple[str, str, str], ...]  # IK4: (position, data element ref, code)
    claim_numbers: tuple[str, ...]  # CTX*CLM01:<patient control number>
    line: int

    def words(self) -> str:
        what = SEGMENT_ERRORS.get(self.code, f"segment error {self.code}")
        text = f"{self.segment} (segment {self.position} of the set): {what}"
        from medoffice_tui.services.x12.validation import ELEMENT_ERRORS

        for position, ref, code in self.elements:
            where = f"element {position}" + (f" ({ref})" if ref else "")
            text += f"; {where}: {ELEMENT_ERRORS.get(code, f'element error {code}')}"
        return text


@dataclass(frozen=True)
class SetAck:
    kind: str  # AK201
    control: str  # AK202: our ST02
    code: str  # IK501
    set_errors: tuple[str, ...]  # IK502..
    errors: tuple[SegmentError, ...]
    line: int

    @property
    def accepted(self) -> bool:
        return self.code in status_codes.ACCEPTED_SET_CODES

    def words(self) -> str:
        text = status_codes.SET_CODES.get(self.code, f"code {self.code}")
        reasons = [status_codes.SET_ERRORS.get(c, f"error {c}") for c in self.set_errors]
        reasons += [e.words() for e in self.errors]
        return text + (": " + "; ".join(reasons) if reasons else "")


@dataclass(frozen=True)
class GroupAck:
    functional: str  # AK101
    group_control: str  # AK102: our GS06
    version: str  # AK103
    group_code: str  # AK901
    group_errors: tuple[str, ...]
    sets: tuple[SetAck, ...]
    line: int

    @property
    def accepted(self) -> bool:
        return self.group_code in status_codes.ACCEPTED_SET_CODES

    def group_words(self) -> str:
        text = status_codes.SET_CODES.get(self.group_code, f"code {self.group_code}")
        reasons = [status_codes.GROUP_ERRORS.get(c, f"error {c}") for c in self.group_errors]
        return text + (": " + "; ".join(reasons) if reasons else "")


def _read_999_set(ts: segments.Transaction, d: segments.Delimiters) -> GroupAck:
    if ts.kind != "999":
        raise X12ReadError(
            f"this file holds a {ts.kind or 'different'} transaction set, not a 999",
            segment="ST",
            line=ts.segments[0].line,
        )
    ak1: Segment | None = None
    sets: list[SetAck] = []
    current: dict | None = None
    error: dict | None = None
    ak9: Segment | None = None

    def close_error() -> None:
        nonlocal error
        if error is not None and current is not None:
            current["errors"].append(
                SegmentError(
                    error["seg"][1].strip(),
                    int(error["seg"][2].strip() or 0) if error["seg"][2].strip().isdigit() else 0,
                    error["seg"][3].strip(),
                    error["seg"][4].strip(),
                    tuple(error["elements"]),
                    tuple(error["claims"]),
                    error["seg"].line,
                )
            )
        error = None

    def close_set(ik5: Segment | None) -> None:
        nonlocal current
        close_error()
        if current is not None:
            code = ik5[1].strip() if ik5 is not None else ""
            set_errors = tuple(v.strip() for v in ik5.elements[2:7] if v.strip()) if ik5 else ()
            sets.append(
                SetAck(
                    current["kind"],
                    current["control"],
                    code,
                    set_errors,
                    tuple(current["errors"]),
                    current["line"],
                )
            )
        current = None

    for seg in ts.segments[1:-1]:
        if seg.id == "AK1":
            ak1 = seg
        elif seg.id == "AK2":
            close_set(None)
            current = {
                "kind": seg[1].strip(),
                "control": seg[2].strip(),
                "errors": [],
                "line": seg.line,
            }
        elif seg.id == "IK3" and current is not None:
            close_error()
            error = {"seg": seg, "elements": [], "claims": []}
        elif seg.id == "IK4" and error is not None:
            position = seg.component(1, 1, d)
            error["elements"].append((position, seg[2].strip(), seg[3].strip()))
        elif seg.id == "CTX" and error is not None:
            parts = seg.components(1, d)
            if len(parts) >= 2 and parts[0].strip() == "CLM01":
                error["claims"].append(parts[1].strip())
        elif seg.id == "IK5":
            close_set(seg)
        elif seg.id == "AK9":
            close_set(None)
            ak9 = seg
    close_set(None)
    return GroupAck(
        functional=ak1[1].strip() if ak1 else "",
        group_control=ak1[2].strip() if ak1 else "",
        version=ak1[3].strip() if ak1 else "",
        group_code=ak9[1].strip() if ak9 else "",
        group_errors=tuple(v.strip() for v in ak9.elements[5:10] if v.strip()) if ak9 else (),
        sets=tuple(sets),
        line=ak1.line if ak1 else ts.segments[0].line,
    )


def read_999(document: Document) -> list[GroupAck]:
    groups = [_read_999_set(ts, document.delimiters) for ts in segments.transactions(document)]
    if not groups:
        raise X12ReadError("the file holds no 999 transaction set", segment="ST", line=1)
    return groups


__all__ = ["GroupAck", "SegmentError", "SetAck", "read_999"]
