"""Reading an 835 (005010X221A1): each transaction set is one check or EFT (a
:class:`Remittance`), holding claim payments (``CLP``), their service lines (``SVC``),
adjustments at both levels (``CAS``: the group, then up to six reason / amount /
quantity triples) and provider-level adjustments (``PLB``).

Amounts become integer cents on the way in (``segments.cents``): ``12.3`` is 1230, a
third decimal that is not zero is refused with the segment and line.

The balancing rules are checked (:func:`balance_faults`), each fault naming the segment:

- a service line: charge (SVC02) - its adjustments = paid (SVC03);
- a claim: charge (CLP03) - every adjustment of the claim and its lines = paid (CLP04);
- the payment: BPR02 = the claims' payments - the provider-level adjustments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui.services.x12.segments import (
    Delimiters,
    Document,
    Fault,
    Segment,
    Transaction,
    X12ReadError,
    cents,
    read_date,
    transactions,
)

#: CLP02, in plain words
CLAIM_STATUS_WORDS = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to another payer",
    "20": "processed as secondary, forwarded to another payer",
    "21": "processed as tertiary, forwarded to another payer",
    "22": "reversal of an earlier payment",
    "23": "not this payer's claim, forwarded to another payer",
    "25": "predetermination only, nothing paid",
}
#: PLB03-1 reasons, in plain words (the common ones)
PLB_REASONS = {
    "50": "late charge",
    "51": "interest penalty charge",
    "72": "authorized return",
    "90": "early payment allowance",
    "AH": "origination fee",
    "AM": "applied to borrower's account",
    "AP": "acceleration of benefits",
    "B2": "rebate",
    "B3": "recovery allowance",
    "BD": "bad debt adjustment",
    "BN": "bonus",
    "C5": "temporary allowance",
    "CR": "capitation interest",
    "CS": "adjustment",
    "CT": "capitation payment",
    "CV": "capital passthru",
    "CW": "certified registered nurse anesthetist passthru",
    "DM": "direct medical education passthru",
    "E3": "withholding",
    "FB": "forwarding balance",
    "FC": "fund allocation",
    "GO": "graduate medical education passthru",
    "HM": "hemophilia clotting factor supplement",
    "IP": "incentive premium payment",
    "IR": "internal revenue service withholding",
    "IS": "interim settlement",
    "J1": "nonreimbursable",
    "L3": "penalty",
    "L6": "interest owed",
    "LE": "levy",
    "LS": "lump sum",
    "OA": "organ acquisition passthru",
    "OB": "offset for affiliated providers",
    "PI": "periodic interim payment",
    "PL": "payment final",
    "RA": "retro-activity adjustment",
    "RE": "return on equity",
    "SL": "student loan repayment",
    "TL": "third party liability",
    "WO": "overpayment recovery",
    "WU": "unspecified recovery",
}
GROUPS = ("CO", "PR", "OA", "PI", "CR")


@dataclass(frozen=True)
class CasItem:
    group: str
    reason: str
    cents: int
    quantity: str = ""


@dataclass(frozen=True)
class ServicePayment:
    qualifier: str  # HC, AD, ...
    code: str
    modifiers: tuple[str, ...]
    charge_cents: int  # SVC02
    paid_cents: int  # SVC03
    units: str  # SVC05
    original_code: str  # SVC06-2: the code billed, when the payer changed it
    line_ref: str  # REF*6R: the line control number the 837 sent
    service_date: dt.date | None
    allowed_cents: int | None  # AMT*B6
    adjustments: tuple[CasItem, ...]
    remarks: tuple[str, ...]  # LQ*HE remark codes
    segment: Segment

    @property
    def adjusted_cents(self) -> int:
        return sum(a.cents for a in self.adjustments)


@dataclass(frozen=True)
class ClaimPayment:
    patient_control: str  # CLP01: our claim number
    status: str  # CLP02
    charge_cents: int  # CLP03
    paid_cents: int  # CLP04
    patient_resp_cents: int  # CLP05
    filing_indicator: str  # CLP06
    payer_claim_number: str  # CLP07
    adjustments: tuple[CasItem, ...]  # claim level
    services: tuple[ServicePayment, ...]
    remarks: tuple[str, ...]  # MOA remark codes
    segment: Segment

    @property
    def status_words(self) -> str:
        return CLAIM_STATUS_WORDS.get(self.status, f"status {self.status}")

    @property
    def adjusted_cents(self) -> int:
        return sum(a.cents for a in self.adjustments) + sum(s.adjusted_cents for s in self.services)


@dataclass(frozen=True)
class ProviderAdjustment:
    provider_ident: str
    fiscal_period: dt.date | None
    reason: str
    reference: str
    cents: int
    segment: Segment

    @property
    def words(self) -> str:
        return PLB_REASONS.get(self.reason, f"reason {self.reason}")


@dataclass(frozen=True)
class Remittance835:
    st_control: str
    interchange: str
    group_control: str
    sender: str
    handling: str  # BPR01: C payment with advice, H notification only, I remittance ...
    paid_cents: int  # BPR02
    credit_debit: str  # BPR03
    method: str  # BPR04: ACH, CHK, BOP, FWT, NON
    paid_on: dt.date | None  # BPR16
    trace_number: str  # TRN02
    payer_ident: str  # TRN03
    payer_name: str  # N1*PR 02
    payer_id: str  # N1*PR 04 (or REF*2U)
    payee_name: str
    payee_id: str
    claims: tuple[ClaimPayment, ...]
    plb: tuple[ProviderAdjustment, ...]
    segment: Segment  # the ST
    version: str = ""
    bpr_line: int = 0

    @property
    def claims_cents(self) -> int:
        return sum(c.paid_cents for c in self.claims)

    @property
    def plb_cents(self) -> int:
        return sum(p.cents for p in self.plb)

    @property
    def key(self) -> str:
        """The same remittance in any file: payer, trace, amount, date."""
        who = self.payer_ident or self.payer_id or self.sender
        day = self.paid_on.isoformat() if self.paid_on else ""
        return f"{who}:{self.trace_number}:{self.paid_cents}:{day}"[:120]


def _cas(seg: Segment) -> list[CasItem]:
    group = seg[1].strip()
    items = []
    for start in range(2, 20, 3):  # CAS02/03/04, 05/06/07 ... up to six triples
        reason = seg[start].strip()
        amount_text = seg[start + 1].strip()
        if not reason and not amount_text:
            continue
        if not reason:
            raise X12ReadError(
                "an adjustment amount has no reason code", segment="CAS", line=seg.line
            )
        items.append(CasItem(group, reason, cents(amount_text, seg=seg), seg[start + 2].strip()))
    return items


def _svc(seg: Segment, d: Delimiters) -> dict:
    composite = seg.components(1, d)
    original = seg.components(6, d)
    return {
        "qualifier": composite[0].strip() if composite else "",
        "code": composite[1].strip() if len(composite) > 1 else "",
        "modifiers": tuple(m.strip() for m in composite[2:6] if m.strip()),
        "charge_cents": cents(seg[2], seg=seg, name="the line charge"),
        "paid_cents": cents(seg[3], seg=seg, name="the line payment"),
        "units": seg[5].strip(),
        "original_code": original[1].strip() if len(original) > 1 else "",
        "line_ref": "",
        "service_date": None,
        "allowed_cents": None,
        "adjustments": [],
        "remarks": [],
        "segment": seg,
    }


def _clp(seg: Segment) -> dict:
    return {
        "patient_control": seg[1].strip(),
        "status": seg[2].strip(),
        "charge_cents": cents(seg[3], seg=seg, name="the claim charge"),
        "paid_cents": cents(seg[4], seg=seg, name="the claim payment"),
        "patient_resp_cents": cents(seg[5], seg=seg, name="the patient responsibility"),
        "filing_indicator": seg[6].strip(),
        "payer_claim_number": seg[7].strip(),
        "adjustments": [],
        "services": [],
        "remarks": [],
        "segment": seg,
    }


def _plb(seg: Segment, d: Delimiters) -> list[ProviderAdjustment]:
    out = []
    for start in range(3, 15, 2):  # PLB03/04 ... six reason/amount pairs
        composite = seg.components(start, d)
        amount_text = seg[start + 1].strip()
        if not composite and not amount_text:
            continue
        reason = composite[0].strip() if composite else ""
        if not reason:
            raise X12ReadError("a provider adjustment has no reason", segment="PLB", line=seg.line)
        out.append(
            ProviderAdjustment(
                seg[1].strip(),
                read_date(seg[2]),
                reason[:2],
                composite[1].strip() if len(composite) > 1 else "",
                cents(amount_text, seg=seg, name="a provider adjustment"),
                seg,
            )
        )
    return out


def _finish_service(svc: dict | None) -> ServicePayment | None:
    if svc is None:
        return None
    return ServicePayment(
        **{**svc, "adjustments": tuple(svc["adjustments"]), "remarks": tuple(svc["remarks"])}
    )


def _finish_claim(clp: dict | None, svc: dict | None) -> ClaimPayment | None:
    if clp is None:
        return None
    done = _finish_service(svc)
    if done is not None:
        clp["services"].append(done)
    return ClaimPayment(
        **{
            **clp,
            "adjustments": tuple(clp["adjustments"]),
            "services": tuple(clp["services"]),
            "remarks": tuple(clp["remarks"]),
        }
    )


def parse_transaction(ts: Transaction, d: Delimiters) -> Remittance835:
    """One ST..SE of an 835 as a remittance."""
    st = ts.segments[0]
    header: dict = {
        "handling": "",
        "paid_cents": 0,
        "credit_debit": "",
        "method": "",
        "paid_on": None,
        "trace_number": "",
        "payer_ident": "",
        "payer_name": "",
        "payer_id": "",
        "payee_name": "",
        "payee_id": "",
        "bpr_line": st.line,
    }
    claims: list[ClaimPayment] = []
    plb: list[ProviderAdjustment] = []
    clp: dict | None = None
    svc: dict | None = None
    party = ""
    for seg in ts.segments[1:-1]:
        sid = seg.id
        if sid == "BPR":
            header.update(
                handling=seg[1].strip(),
                paid_cents=cents(seg[2], seg=seg, name="the payment total"),
                credit_debit=seg[3].strip(),
                method=seg[4].strip(),
                paid_on=read_date(seg[16]),
                bpr_line=seg.line,
            )
        elif sid == "TRN" and clp is None:
            header.update(trace_number=seg[2].strip(), payer_ident=seg[3].strip())
        elif sid == "N1" and clp is None:
            party = seg[1].strip()
            if party == "PR":
                header.update(payer_name=seg[2].strip()[:60], payer_id=seg[4].strip())
            elif party == "PE":
                header.update(payee_name=seg[2].strip()[:60], payee_id=seg[4].strip())
        elif sid == "REF" and clp is None and party == "PR" and seg[1].strip() == "2U":
            header["payer_id"] = header["payer_id"] or seg[2].strip()
        elif sid == "CLP":
            done = _finish_claim(clp, svc)
            if done is not None:
                claims.append(done)
            clp, svc = _clp(seg), None
        elif sid == "SVC":
            if clp is None:
                raise X12ReadError(
                    "a service line outside a claim payment", segment="SVC", line=seg.line
                )
            done_svc = _finish_service(svc)
            if done_svc is not None:
                clp["services"].append(done_svc)
            svc = _svc(seg, d)
        elif sid == "CAS":
            if clp is None:
                raise X12ReadError("an adjustment outside a claim", segment="CAS", line=seg.line)
            (svc if svc is not None else clp)["adjustments"].extend(_cas(seg))
        elif sid == "REF" and svc is not None and seg[1].strip() == "6R":
            svc["line_ref"] = seg[2].strip()
        elif sid == "DTM" and svc is not None and seg[1].strip() in ("472", "150"):
            svc["service_date"] = svc["service_date"] or read_date(seg[2])
        elif sid == "AMT" and svc is not None and seg[1].strip() == "B6":
            svc["allowed_cents"] = cents(seg[2], seg=seg, name="the allowed amount")
        elif sid == "LQ" and svc is not None and seg[1].strip() == "HE":
            svc["remarks"].append(seg[2].strip())
        elif sid == "MOA" and clp is not None:
            clp["remarks"].extend(v.strip() for v in seg.elements[3:8] if v.strip())
        elif sid == "PLB":
            done = _finish_claim(clp, svc)
            if done is not None:
                claims.append(done)
            clp = svc = None
            plb.extend(_plb(seg, d))
    done = _finish_claim(clp, svc)
    if done is not None:
        claims.append(done)
    return Remittance835(
        st_control=ts.st_control,
        interchange=ts.interchange,
        group_control=ts.group_control,
        sender=ts.sender,
        claims=tuple(claims),
        plb=tuple(plb),
        segment=st,
        version=ts.version,
        **header,
    )


def parse(document: Document) -> list[Remittance835]:
    """Every 835 transaction set of the file (other kinds are refused)."""
    out = []
    for ts in transactions(document):
        if ts.kind != "835":
            raise X12ReadError(
                f"this file holds a {ts.kind or 'different'} transaction set, not an 835",
                segment="ST",
                line=ts.segments[0].line,
            )
        out.append(parse_transaction(ts, document.delimiters))
    if not out:
        raise X12ReadError("the file holds no 835 transaction set", segment="ST", line=1)
    return out


def claim_faults(claim: ClaimPayment) -> list[Fault]:
    """The balancing rules of one claim payment and its lines."""
    faults = []
    for svc in claim.services:
        if svc.charge_cents - svc.adjusted_cents != svc.paid_cents:
            faults.append(
                Fault(
                    "SVC",
                    svc.segment.line,
                    "the line does not balance: charge - adjustments is not the payment",
                    svc.segment.number,
                )
            )
    if claim.charge_cents - claim.adjusted_cents != claim.paid_cents:
        faults.append(
            Fault(
                "CLP",
                claim.segment.line,
                "the claim does not balance: charge - adjustments is not the payment",
                claim.segment.number,
            )
        )
    return faults


def balance_faults(remit: Remittance835) -> list[Fault]:
    faults = [f for claim in remit.claims for f in claim_faults(claim)]
    if remit.paid_cents != remit.claims_cents - remit.plb_cents:
        faults.append(
            Fault(
                "BPR",
                remit.bpr_line,
                "the payment total is not the claims' payments less the provider adjustments",
            )
        )
    return faults


__all__ = [
    "CLAIM_STATUS_WORDS",
    "GROUPS",
    "PLB_REASONS",
    "CasItem",
    "ClaimPayment",
    "ProviderAdjustment",
    "Remittance835",
    "ServicePayment",
    "balance_faults",
    "claim_faults",
    "parse",
    "parse_transaction",
]
