"""Shared set-up for the claims-files tests: a billing practice with a clearinghouse, claims
made ready or sent, pyx12 as the judge, the third-party samples, and a small 835 writer
for remittances the tests build from claims they exported."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from medoffice_tui.db.models import Claim, ClaimLine, Practice
from medoffice_tui.services import claims
from medoffice_tui.services.x12 import envelope, validation
from medoffice_tui.services.x12.segments import amount

from .test_claims_support import Billing, charges_for, make_billing

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SAMPLES_REASON = f"the third-party X12 samples are not here ({SAMPLES})"


def sample(*parts: str) -> Path:
    """A file of ../shared/samples (the test is skipped, with the reason, without it)."""
    path = SAMPLES.joinpath(*parts)
    if not path.exists():
        pytest.skip(SAMPLES_REASON)
    return path


def sample_text(*parts: str) -> str:
    return sample(*parts).read_bytes().decode("utf-8", "replace")


def pyx12_faults(text: str) -> list:
    """Every error pyx12 finds in ``text`` (the Python API; [] when it passes)."""
    result = validation.validate_text(text)
    assert result.checked, result.faults
    return list(result.faults)


def pyx12_passes(text: str) -> bool:
    import pyx12.params
    import pyx12.x12n_document

    return bool(
        pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=io.StringIO(),
            fd_html=None,
            fd_xmldoc=None,
            fd_json=io.StringIO(),
        )
    )


def setup_partner(manager) -> None:  # noqa: ANN001
    envelope.update_partner(
        manager,
        sender_id="TESTPRACTICE01",
        receiver_id="CLEARHOUSE",
        receiver_name="Test Clearinghouse",
        contact_name="Billing Office",
        contact_phone="2175550100",
    )


@pytest.fixture
def office(billing: Billing, staff) -> Billing:  # noqa: ANN001
    """A practice that bills (test_claims_support) with a clearinghouse set up."""
    Practice.update(phone="(217) 555-0100").execute()
    setup_partner(staff["manager"])
    return billing


@pytest.fixture
def billing(database, fixture_writes) -> Billing:  # noqa: ANN001
    return make_billing()


def ready_claim(staff, office: Billing, **overrides) -> int:  # noqa: ANN001
    biller = staff["billing"]
    overrides.setdefault("appointment_id", None)  # one claim per visit: tests make many
    cid = claims.enter_charges(biller, charges_for(office, **overrides))
    claims.mark_ready(biller, cid)
    return cid


def claim_lines(cid: int) -> list[ClaimLine]:
    return list(ClaimLine.select().where(ClaimLine.claim == cid).order_by(ClaimLine.line_no))


def history_notes(cid: int) -> list[str]:
    return [row.note for row in claims.claim_history(cid)]


# ------------------------------------------------------------------ 835 writer


@dataclass
class Cas:
    group: str
    reason: str
    cents: int


@dataclass
class Svc:
    code: str
    charge: int
    paid: int
    adjustments: list[Cas] = field(default_factory=list)
    line_ref: str = ""  # REF*6R
    modifiers: tuple[str, ...] = ()
    allowed: int | None = None
    units: int = 1


@dataclass
class Clp:
    number: str
    status: str
    charge: int
    paid: int
    patient_resp: int = 0
    payer_claim: str = ""  # CLP07; unique per claim when not given
    services: list[Svc] = field(default_factory=list)
    adjustments: list[Cas] = field(default_factory=list)  # claim level


@dataclass
class Plb:
    reason: str
    reference: str
    cents: int


def write_835(
    clps: list[Clp],
    *,
    plb: tuple[Plb, ...] = (),
    trace: str = "EFT0001",
    paid: int | None = None,
    interchange: int = 1,
    payer_id: str = "ACME",
    day: dt.date = dt.date(2026, 11, 20),
    sets: int = 1,
) -> str:
    """An 835 (005010X221A1) that pays ``clps``; ``sets`` > 1 splits them over STs."""
    lines: list[str] = []
    add = lines.append
    add(
        "ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*ACMEPAYER      *ZZ*TESTPRACTICE01 "
        "*261120*0900*^*00501*"
        f"{interchange:09d}*0*T*:"
    )
    add(f"GS*HP*ACMEPAYER*TESTPRACTICE01*{day:%Y%m%d}*0900*{interchange}*X*005010X221A1")
    chunks = [clps[i::sets] for i in range(sets)] if sets > 1 else [clps]
    for number, chunk in enumerate(chunks, 1):
        start = len(lines)
        plb_here = plb if number == 1 else ()
        total = sum(c.paid for c in chunk) - sum(p.cents for p in plb_here)
        bpr = total if paid is None or number > 1 else paid
        st = f"{number:04d}"
        add(f"ST*835*{st}")
        add(
            f"BPR*I*{amount(bpr)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*888888888*DA*"
            f"654321*{day:%Y%m%d}"
        )
        add(
            f"TRN*1*{trace}{'' if number == 1 else '-' + str(number)}*1{payer_id[:9].ljust(9, '0')}"
        )
        add(f"DTM*405*{day:%Y%m%d}")
        add("N1*PR*ACME HEALTH")
        add("N3*1 PAYER WAY")
        add("N4*SPRINGFIELD*IL*627010000")
        add("PER*BL*EDI SUPPORT*TE*8005550199")
        add("N1*PE*TEST FAMILY PRACTICE*XX*1234567893")
        add("LX*1")
        for clp in chunk:
            resp = amount(clp.patient_resp) if clp.patient_resp else ""
            payer_claim = clp.payer_claim or "P" + clp.number
            add(
                f"CLP*{clp.number}*{clp.status}*{amount(clp.charge)}*{amount(clp.paid)}*"
                f"{resp}*12*{payer_claim}*11*1"
            )
            for cas in clp.adjustments:
                add(f"CAS*{cas.group}*{cas.reason}*{amount(cas.cents)}")
            add("NM1*QC*1*LEE*ANN****MI*XYZ123")
            for svc in clp.services:
                code = ":".join(("HC", svc.code, *svc.modifiers))
                add(f"SVC*{code}*{amount(svc.charge)}*{amount(svc.paid)}**{svc.units}")
                add(f"DTM*472*{day - dt.timedelta(days=23):%Y%m%d}")
                groups: dict[str, list[Cas]] = {}
                for cas in svc.adjustments:
                    groups.setdefault(cas.group, []).append(cas)
                for group, items in groups.items():
                    add(
                        "CAS*"
                        + group
                        + "*"
                        + "*".join(f"{c.reason}*{amount(c.cents)}*" for c in items).rstrip("*")
                    )
                if svc.line_ref:
                    add(f"REF*6R*{svc.line_ref}")
                if svc.allowed is not None:
                    add(f"AMT*B6*{amount(svc.allowed)}")
        if plb_here:  # one PLB, up to six reason/amount pairs (pyx12: one PLB loop)
            pairs = "*".join(f"{p.reason}:{p.reference}*{amount(p.cents)}" for p in plb_here)
            add(f"PLB*1234567893*{day.year}1231*{pairs}")
        add(f"SE*{len(lines) - start + 1}*{st}")
    add(f"GE*{len(chunks)}*{interchange}")
    add(f"IEA*1*{interchange:09d}")
    return "~\n".join(lines) + "~\n"


def claim_as_clp(cid: int, status: str = "1", **_: object) -> Clp:
    """A CLP for a claim as it is on file: its number, charge and lines (to fill in)."""
    claim = Claim.get_by_id(cid)
    return Clp(claim.claim_number, status, claim.total_charge_cents, 0, services=[])


__all__ = [
    "Cas",
    "Clp",
    "Plb",
    "SAMPLES",
    "SAMPLES_REASON",
    "Svc",
    "billing",
    "claim_as_clp",
    "claim_lines",
    "history_notes",
    "office",
    "pyx12_faults",
    "pyx12_passes",
    "ready_claim",
    "sample",
    "sample_text",
    "setup_partner",
    "write_835",
]
