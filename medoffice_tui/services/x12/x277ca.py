"""Reading a 277CA (claim acknowledgement): every STC at every level (source, receiver,
provider, claim, line) as a :class:`ClaimStatus`, with the claim's own number (TRN02), the
payer's (REF*1K) and who says it (the information source: PR payer, AY clearinghouse).

Pure: a read :class:`~medoffice_tui.services.x12.segments.Document` in, plain data out.
What the statuses do to claims is :mod:`medoffice_tui.services.x12.acks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui.services.x12 import segments, status_codes
from medoffice_tui.services.x12.segments import Document, Segment, X12ReadError


@dataclass(frozen=True)
class ClaimStatus:
    """One STC at one level of a 277CA."""

    level: str  # receiver, provider, claim, line
    reference: str  # TRN02: for a claim, our claim number (CLM01)
    payer_claim_number: str  # REF*1K
    category: str
    status: str
    entity: str
    source: str  # the information source's entity code: PR payer, AY clearinghouse
    line: int
    more: tuple[tuple[str, str, str], ...] = ()  # STC10, STC11
    hl: str = ""  # the HL it belongs to (one per claim)

    @property
    def accepted(self) -> bool | None:
        """True accepted, False rejected, None neither (pending, finalized, unknown)."""
        codes = [self.category, *(m[0] for m in self.more)]
        if any(c in status_codes.REJECTED_CATEGORIES for c in codes):
            return False
        if any(c in status_codes.ACCEPTED_CATEGORIES for c in codes):
            return True
        return None

    @property
    def pending(self) -> bool:
        return self.category in status_codes.PENDING_CATEGORIES or self.category == "A2"

    @property
    def words(self) -> str:
        parts = [status_codes.stc_words(self.category, self.status, self.entity)]
        parts += [status_codes.stc_words(*m) for m in self.more]
        return "; ".join(parts)

    @property
    def codes(self) -> str:
        main = ":".join(p for p in (self.category, self.status, self.entity) if p)
        return " ".join([main, *(":".join(p for p in m if p) for m in self.more)])[:60]


_LEVELS = {
    "20": "source",
    "21": "receiver",
    "19": "provider",
    "PT": "claim",
    "22": "claim",
    "23": "claim",
}


def _read_277_set(ts: segments.Transaction, d: segments.Delimiters) -> list[ClaimStatus]:
    out: list[ClaimStatus] = []
    if ts.kind != "277":
        raise X12ReadError(
            f"this file holds a {ts.kind or 'different'} transaction set, not a 277CA",
            segment="ST",
            line=ts.segments[0].line,
        )
    level = ""
    hl = ""
    source = ""
    reference = ""
    payer_number = ""
    pending: list[Segment] = []
    in_line = False

    def flush() -> None:
        for stc in pending:
            first = stc.components(1, d) + ["", "", ""]
            more = []
            for index in (10, 11):
                extra = stc.components(index, d)
                if extra:
                    more.append(tuple((extra + ["", "", ""])[:3]))
            out.append(
                ClaimStatus(
                    "line" if in_line and level == "claim" else level,
                    reference,
                    payer_number,
                    first[0].strip(),
                    first[1].strip(),
                    first[2].strip(),
                    source,
                    stc.line,
                    tuple(more),
                    hl,
                )
            )
        pending.clear()

    for seg in ts.segments[1:-1]:
        if seg.id == "HL":
            flush()
            level = _LEVELS.get(seg[3].strip(), seg[3].strip())
            hl = seg[1].strip()
            reference = payer_number = ""
            in_line = False
        elif seg.id == "NM1" and level == "source":
            source = seg[1].strip()
        elif seg.id == "TRN" and not in_line:
            reference = seg[2].strip()
        elif seg.id == "REF" and seg[1].strip() == "1K":
            payer_number = seg[2].strip()
        elif seg.id == "SVC":
            flush()
            in_line = True
        elif seg.id == "STC":
            pending.append(seg)
    flush()
    return out


def read_277ca(document: Document) -> list[ClaimStatus]:
    sets = list(segments.transactions(document))
    if not sets:
        raise X12ReadError("the file holds no 277 transaction set", segment="ST", line=1)
    return [status for ts in sets for status in _read_277_set(ts, document.delimiters)]


__all__ = ["ClaimStatus", "read_277ca"]
