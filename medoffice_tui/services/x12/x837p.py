"""The 837P (005010X222A1) writer: claims as one interchange, loop by loop.

What goes into each loop (TR3 names):

- envelope: ISA (fixed widths), GS (HC, the GS06 given), one ST per 5,000 claims (the
  TR3's limit), BHT (0019, original, CH);
- 1000A submitter (``NM1*41`` + ``PER*IC``), 1000B receiver (``NM1*40``);
- 2000A billing provider: the practice (``NM1*85*2``, its NPI), or the provider who
  bills alone (``NM1*85*1``); street address and a 9-digit ZIP (``N3``/``N4``), the
  tax id (``REF*EI``);
- 2000B subscriber (``SBR``: payer order, ``18`` when the patient is the subscriber,
  group number, claim filing indicator), 2010BA the subscriber (the patient's address
  and ``DMG`` when it is the patient), 2010BB the payer (``NM1*PR``, ``PI`` payer id);
- 2000C patient when not the subscriber (``HL*..*23``, ``PAT``, ``NM1*QC``, address, DMG);
- 2300 claim (``CLM``: patient control number = the claim number, total, place of
  service : B : frequency, signature, assignment, benefits, release), ``REF*F8`` for a
  replacement/void, ``REF*G1`` prior authorization, ``HI`` diagnoses (``ABK`` then
  ``ABF``, without the dot), 2310B rendering provider (``NM1*82`` + ``PRV*PE``), and for a
  secondary or tertiary claim 2320/2330A/2330B: the payer before it, what it paid
  (``AMT*D``), its subscriber and payer;
- 2400 service lines (``LX``, ``SV1`` HC:code:modifiers, charge, ``UN`` units, pointers,
  ``DTP*472``, ``REF*6R`` the line's own control number, which the 835 returns), and for
  a secondary claim 2430 the earlier payer's line decision (``SVD``, ``CAS``, ``DTP*573``).

The writer is pure: data in (:mod:`~medoffice_tui.services.x12.x837p_data`), text out,
with each claim's segment span (for the 999's segment positions).
:func:`load_claims` (:mod:`~medoffice_tui.services.x12.x837p_load`, re-exported here)
reads what it needs for many claims in a few batched queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.x12.envelope import ControlNumbers, Partner, open_interchange
from medoffice_tui.services.x12.segments import (
    Writer,
    amount,
    clean,
    date8,
    digits,
    identifier,
)
from medoffice_tui.services.x12.x837p_data import (
    CAS_GROUPS,
    BillingProvider,
    Built,
    ClaimData,
    LineData,
    Person,
    PriorLine,
    PriorPayer,
    Span,
)
from medoffice_tui.services.x12.x837p_load import billing_providers, load_claims

VERSION = "005010X222A1"
#: the TR3 recommends at most 5,000 claims per transaction set
CLAIMS_PER_SET = 5000
#: PAT01 for the relationships the record holds (01 spouse, 19 child, G8 other)
PATIENT_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}
#: SBR02 / 2320 SBR02 individual relationship codes
SUBSCRIBER_RELATIONSHIP = {"self": "18", "spouse": "01", "child": "19", "other": "G8"}


# ----------------------------------------------------------------- writing


def _name_segment(
    w: Writer, code: str, person: Person, id_qualifier: str = "", ident: str = ""
) -> None:  # noqa: E501
    w.segment(
        "NM1",
        code,
        "1",
        clean(person.last, 60),
        clean(person.first, 35),
        clean(person.middle, 25),
        "",
        clean(person.suffix, 10),
        id_qualifier if ident else "",
        ident,
    )


def _address(w: Writer, person: Person) -> None:
    street = clean(person.address1, 55)
    if not street:
        return
    w.segment("N3", street, clean(person.address2, 55))
    w.segment("N4", clean(person.city, 30), clean(person.state, 2), digits(person.zip, 9))


def _dmg(w: Writer, person: Person) -> None:
    if person.dob is None:
        return
    sex = person.sex if person.sex in ("F", "M") else "U"
    w.segment("DMG", "D8", date8(person.dob), sex)


def _billing_loop(w: Writer, hl: int, bp: BillingProvider) -> None:
    w.segment("HL", hl, "", "20", "1")
    if bp.organization:
        w.segment("NM1", "85", "2", clean(bp.name, 60), "", "", "", "", "XX", digits(bp.npi, 10))
    else:
        w.segment(
            "NM1",
            "85",
            "1",
            clean(bp.name, 60),
            clean(bp.first, 35),
            "",
            "",
            "",
            "XX",
            digits(bp.npi, 10),
        )
    w.segment("N3", clean(bp.address1, 55), clean(bp.address2, 55))
    w.segment("N4", clean(bp.city, 30), clean(bp.state, 2), digits(bp.zip, 9))
    w.segment("REF", "EI", digits(bp.tax_id, 9))


def _prior_payer_loops(w: Writer, claim: ClaimData) -> None:
    prior = claim.prior
    if prior is None:
        return
    w.segment(
        "SBR",
        prior.seq,
        SUBSCRIBER_RELATIONSHIP.get(prior.relationship, "G8"),
        identifier(prior.group_number, 50),
        "",
        "",
        "",
        "",
        "",
        prior.filing_indicator,
    )
    w.segment("AMT", "D", amount(prior.paid_cents))
    w.segment("OI", "", "", "Y", "", "", "Y")
    _name_segment(w, "IL", prior.subscriber, "MI", identifier(prior.member_id, 80))
    w.segment(
        "NM1",
        "PR",
        "2",
        clean(prior.payer_name, 60),
        "",
        "",
        "",
        "",
        "PI",
        identifier(prior.payer_id, 80),
    )


def _prior_line_loop(w: Writer, claim: ClaimData, line: LineData) -> None:
    prior = claim.prior
    if prior is None:
        return
    decided = next((p for p in prior.lines if p.line_no == line.line_no), None)
    if decided is None:
        return
    w.segment(
        "SVD",
        identifier(prior.payer_id, 80),
        amount(decided.paid_cents),
        w.composite("HC", decided.code, *decided.modifiers[:4]),
        "",
        decided.units,
    )
    by_group: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for group, carc, cents in decided.adjustments:
        by_group[group].append((carc, cents))
    for group in CAS_GROUPS:
        pairs = by_group.get(group, [])
        for start in range(0, len(pairs), 6):  # at most six reasons a segment
            elements: list[object] = [group]
            for carc, cents in pairs[start : start + 6]:
                elements += [carc, amount(cents), ""]
            w.segment("CAS", *elements)
    w.segment("DTP", "573", "D8", date8(prior.adjudicated_on))


def _claim_loops(w: Writer, hl: int, parent: int, claim: ClaimData, line_ids: bool) -> int:
    """Subscriber (and patient) HLs, the claim and its lines. Returns the next HL number."""
    is_self = claim.relationship == "self"
    w.segment("HL", hl, parent, "22", "0" if is_self else "1")
    w.segment(
        "SBR",
        claim.payer_seq,
        "18" if is_self else "",
        identifier(claim.group_number, 50),
        "",
        "",
        "",
        "",
        "",
        claim.filing_indicator,
    )
    _name_segment(w, "IL", claim.subscriber, "MI", identifier(claim.member_id, 80))
    if is_self:
        _address(w, claim.patient)
        _dmg(w, claim.patient)
    else:
        _dmg(w, claim.subscriber)
    w.segment(
        "NM1",
        "PR",
        "2",
        clean(claim.payer_name, 60),
        "",
        "",
        "",
        "",
        "PI",
        identifier(claim.payer_id, 80),
    )
    next_hl = hl + 1
    if not is_self:
        w.segment("HL", next_hl, hl, "23", "0")
        w.segment("PAT", PATIENT_RELATIONSHIP.get(claim.relationship, "G8"))
        _name_segment(w, "QC", claim.patient)
        _address(w, claim.patient)
        _dmg(w, claim.patient)
        next_hl += 1
    w.segment(
        "CLM",
        identifier(claim.claim_number, 38),
        amount(claim.total_cents),
        "",
        "",
        w.composite(claim.place_of_service, "B", claim.frequency_code),
        "Y",
        "A",
        "Y",
        "Y",
    )
    if claim.frequency_code in ("7", "8") and claim.payer_claim_number:
        w.segment("REF", "F8", identifier(claim.payer_claim_number, 50))
    if claim.prior_auth_number:
        w.segment("REF", "G1", identifier(claim.prior_auth_number, 50))
    codes = [code.replace(".", "").upper() for code in claim.diagnoses[:12]]
    w.segment(
        "HI",
        *[w.composite("ABK" if i == 0 else "ABF", code) for i, code in enumerate(codes)],
    )
    _name_segment(w, "82", claim.rendering, "XX", digits(claim.rendering_npi, 10))
    if claim.rendering_taxonomy:
        w.segment("PRV", "PE", "PXC", clean(claim.rendering_taxonomy, 50))
    _prior_payer_loops(w, claim)
    for number, line in enumerate(claim.lines, 1):
        w.segment("LX", number)
        pointers = [str(p) for p in line.pointers[:4]]
        w.segment(
            "SV1",
            w.composite("HC", line.code, *line.modifiers[:4]),
            amount(line.charge_cents),
            "UN",
            line.units,
            "",
            "",
            w.composite(*pointers),
        )
        w.segment("DTP", "472", "D8", date8(line.service_date))
        if line_ids:
            w.segment("REF", "6R", f"L{line.id}")
        _prior_line_loop(w, claim, line)
    return next_hl


def build(
    claims: list[ClaimData],
    billing: dict[int | None, BillingProvider],
    partner: Partner,
    numbers: ControlNumbers,
    at: dt.datetime,
    *,
    line_ids: bool = True,
) -> Built:
    """The whole interchange for ``claims`` (in the order given)."""
    if not claims:
        raise InvalidInput("there are no claims to write")
    w = Writer()
    open_interchange(w, partner, numbers, at, "HC", VERSION)
    built = Built(text="")
    sets = [claims[i : i + CLAIMS_PER_SET] for i in range(0, len(claims), CLAIMS_PER_SET)]
    phone = digits(partner.contact_phone, 10)
    for set_no, chunk in enumerate(sets, 1):
        st02 = f"{set_no:04d}"
        w.segment("ST", "837", st02, VERSION)
        w.segment(
            "BHT",
            "0019",
            "00",
            f"{numbers.isa13}{set_no:04d}",
            date8(at),
            at.strftime("%H%M"),
            "CH",
        )
        w.segment(
            "NM1",
            "41",
            "2",
            clean(billing[None].name, 60),
            "",
            "",
            "",
            "",
            "46",
            clean(partner.sender_id, 80),
        )
        if phone:
            w.segment("PER", "IC", clean(partner.contact_name, 60), "TE", phone)
        else:
            raise InvalidInput(
                "the submitter contact needs a phone number: set the practice's phone "
                "or 'medoffice claims files-setup --contact-phone'",
                field="contact_phone",
            )
        w.segment(
            "NM1",
            "40",
            "2",
            clean(partner.receiver_name, 60),
            "",
            "",
            "",
            "",
            "46",
            clean(partner.receiver_id, 80),
        )
        hl = 1
        by_billing: dict[int | None, list[ClaimData]] = defaultdict(list)
        for claim in chunk:
            by_billing[claim.billing_key].append(claim)
        for key, group in by_billing.items():
            parent = hl
            _billing_loop(w, parent, billing[key])
            hl += 1
            for claim in group:
                first = w.in_set + 1
                hl = _claim_loops(w, hl, parent, claim, line_ids)
                built.spans[claim.id] = Span(st02, first, w.in_set)
        w.segment("SE", w.in_set + 1, st02)
        built.segments += w.in_set
    w.segment("GE", len(sets), numbers.group)
    w.segment("IEA", "1", numbers.isa13)
    built.text = w.text()
    built.sets = len(sets)
    return built


__all__ = [
    "CLAIMS_PER_SET",
    "VERSION",
    "BillingProvider",
    "Built",
    "ClaimData",
    "LineData",
    "Person",
    "PriorLine",
    "PriorPayer",
    "Span",
    "billing_providers",
    "build",
    "load_claims",
]
