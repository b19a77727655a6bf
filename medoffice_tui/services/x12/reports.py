"""What reading a file did, for the desk: one report shape for every kind of file (835,
999, 277CA, 271), printed by the command line and shown by the claims-files screen.

A report holds no patient data: claims are named by their claim number, payers by
name, amounts in dollars; the file's faults name the segment and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.money import format_money
from medoffice_tui.services.x12.segments import Fault


@dataclass(frozen=True)
class ClaimOutcome:
    """What the file did to one claim (or could not do, and why)."""

    reference: str  # the file's claim reference: CLP01, TRN02 (our claim number)
    claim_id: int | None
    claim_number: str
    outcome: str  # posted, reversed, info, unmatched, refused, accepted, rejected, unchanged
    words: str  # what happened, in plain words
    paid_cents: int | None = None
    status: str = ""  # the claim's status afterwards
    line: int = 0  # where the file says it


@dataclass(frozen=True)
class PlbLine:
    reason: str
    words: str
    reference: str
    cents: int


@dataclass(frozen=True)
class RemittanceReport:
    st_control: str
    payer: str
    trace_number: str
    method: str
    paid_cents: int  # BPR02
    claims_cents: int  # the file's claim payments
    posted_cents: int  # the payments posted to claims by this import
    plb: tuple[PlbLine, ...]
    claims: tuple[ClaimOutcome, ...]
    already: str = ""  # "posted from file X on date" when read before

    @property
    def plb_cents(self) -> int:
        return sum(p.cents for p in self.plb)

    @property
    def difference_cents(self) -> int:
        """The check/EFT total less what was posted (net of provider adjustments)."""
        return self.paid_cents - (self.posted_cents - self.plb_cents)


@dataclass(frozen=True)
class FileReport:
    name: str
    kind: str  # 835, 999, 277CA, 271
    file_id: int | None
    faults: tuple[Fault, ...] = ()
    remittances: tuple[RemittanceReport, ...] = ()
    claims: tuple[ClaimOutcome, ...] = ()  # acknowledgements, eligibility answers
    already: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[Fault, ...] = field(default_factory=tuple)

    @property
    def refused(self) -> bool:
        return bool(self.faults)

    def all_claims(self) -> list[ClaimOutcome]:
        return [c for r in self.remittances for c in r.claims] + list(self.claims)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for claim in self.all_claims():
            out[claim.outcome] = out.get(claim.outcome, 0) + 1
        return out

    def headline(self) -> str:
        if self.faults:
            return f"{self.name}: refused, nothing changed ({self.faults[0]})"
        if self.already:
            return f"{self.name}: {self.already}; nothing changed"
        counts = self.counts()
        parts = [f"{n} {word}" for word, n in counts.items()]
        return f"{self.name} ({self.kind}): " + (", ".join(parts) if parts else "nothing to do")

    def lines(self) -> list[str]:
        """The whole report as plain lines (no markup)."""
        out = [self.headline()]
        for fault in self.faults:
            out.append(f"  fault: {fault}")
        for warning in self.warnings:
            out.append(f"  note from pyx12: {warning}")
        for note in self.notes:
            out.append(f"  {note}")
        for remit in self.remittances:
            out.append("")
            out.append(
                f"Payment {remit.trace_number or '(no trace)'} from {remit.payer or 'the payer'}"
                f" ({remit.method or 'no method'}, ST {remit.st_control}): "
                f"${format_money(remit.paid_cents)}"
            )
            if remit.already:
                out.append(f"  {remit.already}: nothing posted again")
                continue
            out.append(
                f"  claims in the file ${format_money(remit.claims_cents)}, posted "
                f"${format_money(remit.posted_cents)}, provider adjustments "
                f"${format_money(remit.plb_cents)}"
            )
            difference = remit.difference_cents
            if difference:
                out.append(
                    f"  DIFFERENCE: the payment is ${format_money(difference)} "
                    f"{'more' if difference > 0 else 'less'} than what was posted less the "
                    "provider adjustments"
                )
            else:
                out.append("  the payment equals what was posted less the provider adjustments")
            for item in remit.plb:
                out.append(
                    f"  provider adjustment {item.reason} ({item.words}) {item.reference}: "
                    f"${format_money(item.cents)} (against this payment, not a claim)"
                )
            out.extend(_claim_lines(remit.claims))
        if self.claims:
            out.append("")
            out.extend(_claim_lines(self.claims))
        return out


def _claim_lines(claims: tuple[ClaimOutcome, ...] | list[ClaimOutcome]) -> list[str]:
    out = []
    for claim in claims:
        money = f" ${format_money(claim.paid_cents)}" if claim.paid_cents is not None else ""
        name = claim.claim_number or claim.reference or "(no reference)"
        where = f" (line {claim.line})" if claim.line else ""
        status = f" -> {claim.status}" if claim.status else ""
        out.append(f"  {claim.outcome:<9} {name}{money}: {claim.words}{status}{where}")
    return out


class FileRefused(InvalidInput):
    """A file that was refused whole: nothing in it was applied. ``report`` has every
    fault with its segment and line."""

    def __init__(self, report: FileReport) -> None:
        super().__init__(report.headline(), field="file")
        self.report = report


__all__ = ["ClaimOutcome", "FileRefused", "FileReport", "PlbLine", "RemittanceReport"]
