"""The third-party files in ../shared/samples (read there, never copied): every 835 that
pyx12 passes posts in full onto claims made to match it; every 835 pyx12 rejects is
refused with the segment at fault and nothing posted; the 999 and 277CA samples read
with the right accept/reject outcome, and imported onto claims sent with the samples'
own control numbers they move them; the malformed 999 is refused, nothing changed.
Every file in the sample folders is in one of the lists here, so a new sample is not
left untested. (837P samples: test_x12_export.py compares our output's shape with them.)"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from medoffice_tui.db.models import (
    Adjustment,
    Claim,
    ClaimAck,
    Payment,
    RemitClaim,
    X12File,
    X12Submission,
)
from medoffice_tui.services import claims
from medoffice_tui.services.claims import ChargeLineInput
from medoffice_tui.services.x12 import acks, export, remit, segments, x835
from medoffice_tui.services.x12.reports import FileRefused

from .test_claims_support import TODAY, charges_for
from .test_x12_support import (  # noqa: F401 - fixtures
    billing,
    claim_lines,
    office,
    pyx12_passes,
    ready_claim,
    sample,
    sample_text,
)

__all__ = ["billing", "office"]  # fixtures used by name

#: the 835 samples pyx12 4.0.0 passes (SOURCES.md), and the ones it rejects
VALID_835 = (
    "pyx12__835_mult_loops.txt",
    "tigershark__5010-835-example-1.txt",
    "tigershark__5010-835-example-3.txt",
    "edi835parser__emedny_sample.txt",
)
REJECTED_835 = (
    "tigershark__5010-835-example-2.txt",
    "edi835parser__united_healthcare_legacy_sample.txt",
    "edi835parser__blue_cross_nc_sample.txt",
    "affect__nevada_medicaid.txt",
    "lfh__managed-care.835",
    "lfh__medicare-part-a.835",
    "lfh__secondary-payment.835",
    "lfh__tertiary-payment.835",
    "lfh__cob-contractural-adjustment.835",
    "oopfactory__835_5010_Example1.txt",
    "oopfactory__835_5010_ExampleFromNth.txt",
)
#: the 999 samples and the IK5 code of each set they acknowledge; the malformed one
SAMPLE_999 = {
    "imsweb__x12_999_accepted.txt": ["A"],
    "imsweb__x12_999_rejected.txt": ["R"],
    "staedi__simple999.edi": ["A", "R", "R"],
    "pyx12__834_lui_id_5010.999.txt": ["A", "A", "A", "A"],
    "pyx12__834_ls_le_ls_5010.999.txt": ["A"],
}
MALFORMED_999 = ("staedi__invalid999.edi",)
SAMPLE_277CA = (
    "imsweb__x12_277CA_accepted.txt",
    "imsweb__x12_277CA_rejected.txt",
    "oopfactory__277_Deidentified_from_nth.txt",
)
#: the 837P samples pyx12 passes (test_x12_export.py compares our output with them), and
#: the others (errata A2 with no pyx12 map, or files pyx12 finds errors in)
VALID_837P = ("tigershark__5010-837-professional-example.txt", "uhin__837.edi")
OTHER_837P = (
    "imsweb__x12_valid.txt",
    "imsweb__x12_complex.txt",
    "imsweb__x12_many_claims.txt",
    "imsweb__x12_multiple_isa.txt",
    "imsweb__x12_bad_valid_code.txt",
    "lfh__demo.example1.837",
    "lfh__demo.example2.837",
    "lfh__demo.cob.example3.B.837",
    "lfh__demo.example7.837",
)
#: each sample folder and the lists that between them must name every file in it
SAMPLE_LISTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "835": (VALID_835, REJECTED_835),
    "999": (tuple(SAMPLE_999), MALFORMED_999),
    "277ca": (SAMPLE_277CA,),
    "837p": (VALID_837P, OTHER_837P),
}


@pytest.mark.parametrize("kind", list(SAMPLE_LISTS))
def test_every_sample_file_is_in_exactly_one_list(kind: str) -> None:
    """A sample added to the folder fails here until a test reads it (and a listed file
    that went missing fails too)."""
    folder = sample("x12", kind)
    present = {p.name for p in folder.iterdir() if p.is_file()}
    listed = [name for names in SAMPLE_LISTS[kind] for name in names]
    assert len(listed) == len(set(listed)), "a sample is in two lists"
    assert sorted(present - set(listed)) == [], f"x12/{kind}: samples in neither list"
    assert sorted(set(listed) - present) == [], f"x12/{kind}: listed but not in the folder"


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def _claims_for(office, staff, text: str) -> dict[tuple[str, int], int]:  # noqa: ANN001
    """A sent claim for each CLP of the file, made through the claims services (its
    charge and service lines), with the CLP's patient control number as its claim number
    (or, when that cannot be one, e.g. shared by several CLPs, the payer's claim number)."""
    biller = staff["billing"]
    remits = x835.parse(segments.read(text))
    numbers = [c.patient_control for r in remits for c in r.claims]
    made: dict[tuple[str, int], int] = {}
    for r in remits:
        for seq, clp in enumerate(r.claims, 1):
            services = clp.services or (
                x835.ServicePayment(
                    "HC",
                    "99213",
                    (),
                    clp.charge_cents,
                    0,
                    "1",
                    "",
                    "",
                    None,
                    None,
                    (),
                    (),
                    clp.segment,
                ),
            )
            lines = tuple(
                ChargeLineInput(s.code, s.modifiers, 1, s.charge_cents, (1,)) for s in services
            )
            cid = claims.enter_charges(
                biller, charges_for(office, lines=lines, appointment_id=None, diagnoses=("J06.9",))
            )
            claims.mark_ready(biller, cid)
            claims.set_status(biller, cid, "submitted")
            unique = numbers.count(clp.patient_control) == 1 and len(clp.patient_control) <= 20
            Claim.update(
                claim_number=clp.patient_control if unique else f"S{cid:08d}",
                payer_claim_number="" if unique else clp.payer_claim_number,
            ).where(Claim.id == cid).execute()
            made[(r.st_control, seq)] = cid
    return made


@pytest.mark.parametrize("name", VALID_835)
def test_every_835_pyx12_passes_posts_in_full(office, staff, fixture_writes, name) -> None:
    text = sample_text("x12", "835", name)
    assert pyx12_passes(text)
    made = _claims_for(office, staff, text)
    report = remit.import_835(staff["billing"], text=text, name=name)
    assert not report.refused
    remits = x835.parse(segments.read(text))
    for r, got in zip(remits, report.remittances, strict=True):
        assert [c.outcome for c in got.claims] == [
            "info" if clp.status in remit.INFORMATION else "posted" for clp in r.claims
        ], [c.words for c in got.claims]
        assert got.difference_cents == 0  # BPR02 = posted - PLB
        assert got.paid_cents == got.posted_cents - got.plb_cents
        for seq, clp in enumerate(r.claims, 1):
            cid = made[(r.st_control, seq)]
            claim = Claim.get_by_id(cid)
            lines = claim_lines(cid)
            if clp.status in remit.INFORMATION:
                assert not any(line.adjudicated for line in lines)
                continue
            assert claim.paid_cents == clp.paid_cents
            assert sum(line.paid_cents for line in lines) == clp.paid_cents
            assert [line.charge_cents for line in lines] == [s.charge_cents for s in clp.services]
            for line, svc in zip(lines, clp.services, strict=True):
                posted = sorted(
                    (a.group_code, a.carc, a.amount_cents)
                    for a in Adjustment.select().where(Adjustment.claim_line == line.id)
                )
                if not clp.adjustments:
                    assert line.paid_cents == svc.paid_cents
                    assert posted == sorted((a.group, a.reason, a.cents) for a in svc.adjustments)
                assert line.paid_cents + line.co_cents + line.pr_cents + line.oa_cents == (
                    line.charge_cents
                )
            claim_level = sum(a.cents for a in clp.adjustments)
            line_level = sum(s.adjusted_cents for s in clp.services)
            assert claim.total_charge_cents - claim_level - line_level == claim.paid_cents
    assert claims.payments.line_invariant_breaks() == []


def test_the_emedny_lines_post_as_edi_835_parser_reads_them(office, staff, fixture_writes) -> None:
    """expected/edi835parser__emedny_sample.csv: another project's per-line reading."""
    name = "edi835parser__emedny_sample.txt"
    text = sample_text("x12", "835", name)
    made = _claims_for(office, staff, text)
    remit.import_835(staff["billing"], text=text, name=name)
    with sample("expected", "edi835parser__emedny_sample.csv").open(newline="") as handle:
        expected = list(csv.DictReader(handle))
    ours = [line for cid in made.values() for line in claim_lines(cid)]
    assert len(ours) == len(expected) == 10

    def cents(value: str) -> int:
        return int(Decimal(value or "0") * 100)

    for line, row in zip(ours, expected, strict=True):
        assert line.procedure_code == row["code"]
        assert line.modifiers == row["modifier"]
        assert line.charge_cents == cents(row["charge_amount"])
        assert line.paid_cents == cents(row["paid_amount"])
        if row["allowed_amount"]:
            assert line.allowed_cents == cents(row["allowed_amount"])
        adjustments = list(Adjustment.select().where(Adjustment.claim_line == line.id))
        if row["adj_0_code"]:
            (adj,) = adjustments
            assert (adj.group_code, adj.carc, adj.amount_cents) == (
                row["adj_0_group"],
                row["adj_0_code"],
                cents(row["adj_0_amount"]),
            )
            assert adj.rarc == row["rem_0_code"]
        else:
            assert adjustments == []
    paid = sum(cents(row["paid_amount"]) for row in expected)
    assert Payment.select().where(Payment.kind == "insurance").count() == 3
    assert sum(p.amount_cents for p in Payment.select()) == paid == 4575


@pytest.mark.parametrize("name", REJECTED_835)
def test_every_835_pyx12_rejects_is_refused_with_the_segment(office, staff, name) -> None:
    text = sample_text("x12", "835", name)
    with pytest.raises(FileRefused) as refused:
        remit.import_835(staff["billing"], text=text, name=name)
    faults = refused.value.report.faults
    assert faults and faults[0].segment
    assert Payment.select().count() == 0 and RemitClaim.select().count() == 0


def test_the_rejected_samples_name_what_is_wrong(office, staff) -> None:
    cases = {
        "tigershark__5010-835-example-2.txt": ("ST", "SE id=0001 does not match ST id=1234"),
        "edi835parser__united_healthcare_legacy_sample.txt": ("N4", "(N402): not a valid code"),
        "lfh__managed-care.835": ("BPR", "(BPR16): not a valid date"),
        "edi835parser__blue_cross_nc_sample.txt": ("ISA", "does not begin with an ISA"),
    }
    for name, (segment, words) in cases.items():
        with pytest.raises(FileRefused) as refused:
            remit.import_835(staff["billing"], text=sample_text("x12", "835", name), name=name)
        faults = refused.value.report.faults
        assert any(f.segment == segment and words in f.message for f in faults), (name, faults)
    # the values pyx12 quotes (a state, a date) are not repeated
    assert "NP" not in str(refused.value)


@pytest.mark.parametrize(("name", "outcomes"), list(SAMPLE_999.items()))
def test_the_999_samples_read_with_their_outcome(name, outcomes) -> None:
    document = segments.read(sample_text("x12", "999", name))
    read = acks.read_999(document)
    assert [s.code for ack in read for s in ack.sets] == outcomes
    accepted = [s.accepted for ack in read for s in ack.sets]
    assert accepted == [code in ("A", "E") for code in outcomes]


def test_the_rejected_999_says_why() -> None:
    (ack,) = acks.read_999(segments.read(sample_text("x12", "999", "imsweb__x12_999_rejected.txt")))
    (rejected,) = ack.sets
    assert ack.group_code == "R" and not rejected.accepted
    # IK3*NM*17**1: the 837I's segment 17, an "NM" segment id not recognised
    assert rejected.errors and rejected.errors[0].segment == "NM"
    assert rejected.errors[0].position == 17
    assert "segment not recognised here" in rejected.words()
    assert "one or more segments are in error" in rejected.words()


@pytest.mark.parametrize(
    ("name", "accepted", "words"),
    [
        ("imsweb__x12_277CA_accepted.txt", True, "accepted"),
        ("imsweb__x12_277CA_rejected.txt", False, "National Provider Identifier"),
    ],
)
def test_the_277ca_samples_read_with_their_outcome(name, accepted, words) -> None:
    document = segments.read(sample_text("x12", "277ca", name))
    statuses = acks.read_277ca(document)
    claim_level = [s for s in statuses if s.level == "claim"]
    assert claim_level and all(s.accepted is accepted for s in claim_level)
    assert any(words in s.words for s in claim_level), [s.words for s in claim_level]


def test_the_masked_277ca_sample_reads_but_names_no_known_code() -> None:
    document = segments.read(
        sample_text("x12", "277ca", "oopfactory__277_Deidentified_from_nth.txt")
    )
    statuses = [s for s in acks.read_277ca(document) if s.level == "claim"]
    assert len({s.hl for s in statuses}) == 3  # three patients (HL PT), three STCs each
    assert len(statuses) == 9
    assert all("not in the app's list" in s.words for s in statuses)


def test_sample_dates_are_read(office) -> None:  # the 835 header dates become dates
    (r,) = x835.parse(
        segments.read(sample_text("x12", "835", "tigershark__5010-835-example-3.txt"))
    )
    assert r.paid_on == dt.date(2011, 9, 30) and r.trace_number == "123456789"
    assert TODAY.year == 2026


def _sent_as(office, staff, tmp_path, group="", st="", number="") -> int:  # noqa: ANN001
    """A claim sent in an 837P of ours, then given a third-party sample's control numbers:
    the file's GS06 and the claim's ST02 (what a 999 names), or its claim number (what a
    277CA names in TRN02)."""
    cid = ready_claim(staff, office)
    if number:
        Claim.update(claim_number=number).where(Claim.id == cid).execute()
    out = tmp_path / f"out{cid}"
    out.mkdir()
    sent = export.export_837p(staff["billing"], out)
    if group:
        X12File.update(group_control=group).where(X12File.id == sent.file_id).execute()
    if st:
        X12Submission.update(st_control=st).where(X12Submission.claim == cid).execute()
    assert Claim.get_by_id(cid).status == "submitted"
    return cid


@pytest.mark.parametrize(
    ("name", "group", "st", "status", "words"),
    [
        # AK1*HC*17456, AK2*837*0001, IK5*A (its IEA02 does not match ISA13: a note only)
        ("imsweb__x12_999_accepted.txt", "17456", "0001", "accepted_ch", "accepted"),
        # AK1*HC*28, AK2*837*0028, IK3*NM*17**1, IK5*R*5
        ("imsweb__x12_999_rejected.txt", "28", "0028", "rejected_ch", "segment not recognised"),
    ],
)
def test_a_999_sample_moves_the_claim_sent_with_its_control_numbers(
    office, staff, fixture_writes, tmp_path, name, group, st, status, words
) -> None:
    cid = _sent_as(office, staff, tmp_path, group=group, st=st)
    report = acks.import_999(staff["billing"], sample("x12", "999", name))
    (outcome,) = report.claims
    assert outcome.claim_id == cid and words in outcome.words, outcome
    assert Claim.get_by_id(cid).status == status
    (ack,) = ClaimAck.select().where(ClaimAck.claim == cid)
    assert ack.kind == "999" and ack.accepted is (status == "accepted_ch")


@pytest.mark.parametrize(
    ("name", "number", "status", "words"),
    [
        # TRN*2*5781, STC*A2:20: accepted into the payer's adjudication
        ("imsweb__x12_277CA_accepted.txt", "5781", "pending", "accepted"),
        # TRN*2*3920394930203, STC*A7:562:85 from the payer (NM1*PR): returned
        ("imsweb__x12_277CA_rejected.txt", "3920394930203", "rejected_payer", "Provider"),
    ],
)
def test_a_277ca_sample_moves_the_claim_with_its_number(
    office, staff, fixture_writes, tmp_path, name, number, status, words
) -> None:
    cid = _sent_as(office, staff, tmp_path, number=number)
    report = acks.import_277ca(staff["billing"], sample("x12", "277ca", name))
    (outcome,) = report.claims
    assert outcome.claim_id == cid and words in outcome.words, outcome
    assert Claim.get_by_id(cid).status == status
    (ack,) = ClaimAck.select().where(ClaimAck.claim == cid)
    assert ack.kind == "277CA" and ack.accepted is (status != "rejected_payer")


def test_the_malformed_999_sample_is_refused_and_changes_nothing(
    office, staff, fixture_writes, tmp_path
) -> None:
    """staedi's invalid999.edi (an IK5 before its AK1, SE01 16 for 18 segments): which set
    an answer belongs to cannot be trusted, so nothing is read from it."""
    (name,) = MALFORMED_999
    cid = _sent_as(office, staff, tmp_path, group="17456", st="0002")  # its rejected set
    with pytest.raises(FileRefused) as refused:
        acks.import_999(staff["billing"], sample("x12", "999", name))
    report = refused.value.report
    assert report.refused and "nothing changed" in "\n".join(report.lines())
    assert (report.faults[0].segment, report.faults[0].line) == ("SE", 20)
    assert "SE01 says 16 segments, the set has 18" in report.faults[0].message
    assert any(f.segment == "IK5" and f.line == 4 for f in report.faults)  # pyx12's too
    assert Claim.get_by_id(cid).status == "submitted"
    assert ClaimAck.select().count() == 0
    assert X12File.select().where(X12File.direction == "in").count() == 0
