"""837P out: every file passes pyx12 with zero errors; claims move to sent with the file and
control numbers in their history; control numbers unique and increasing; a re-export is
refused unless it is a resend; only claims the scrubber passes go in; a file pyx12
refuses is never written."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import (
    Claim,
    Coverage,
    Provider,
    X12File,
    X12Partner,
    X12Submission,
)
from medoffice_tui.errors import InvalidInput, PermissionDenied
from medoffice_tui.services import claims
from medoffice_tui.services.claims import AdjustmentInput, LinePosting, PayerPayment
from medoffice_tui.services.x12 import envelope, export, segments

from .test_x12_support import (  # noqa: F401 - fixtures
    billing,
    claim_lines,
    history_notes,
    office,
    pyx12_faults,
    pyx12_passes,
    ready_claim,
    sample_text,
)

__all__ = ["billing", "office"]  # fixtures used by name


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    """SQLite only here: test_x12_engines.py runs what differs by engine on both."""
    return request.param


def _out(tmp_path):  # noqa: ANN001, ANN202 - the export folder (the database is beside it)
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return folder


def _export(staff, tmp_path, **kwargs) -> export.ExportResult:  # noqa: ANN001
    return export.export_837p(staff["billing"], _out(tmp_path), **kwargs)


def _segments(path) -> list[segments.Segment]:  # noqa: ANN001
    return segments.read(path.read_text()).segments


def test_ready_claims_go_out_in_one_valid_837p_and_become_sent(office, staff, tmp_path) -> None:
    first = ready_claim(staff, office)
    second = ready_claim(
        staff,
        office,
        diagnoses=("I10",),
        lines=(claims.ChargeLineInput("99213", ("25",), 1, None, (1,)),),
    )
    result = _export(staff, tmp_path)
    text = result.path.read_text()
    assert pyx12_faults(text) == [] and pyx12_passes(text)
    assert result.claims == 2 and result.path.name == f"837P-{result.interchange}.x12"
    for cid in (first, second):
        claim = Claim.get_by_id(cid)
        assert claim.status == "submitted" and claim.submitted_at is not None
        note = history_notes(cid)[-1]
        assert result.path.name in note and f"ISA13 {result.interchange}" in note
        assert f"GS06 {result.group}" in note and "ST02 0001" in note
    segs = _segments(result.path)
    clm = [s for s in segs if s.id == "CLM"]
    assert [s[1] for s in clm] == [
        Claim.get_by_id(first).claim_number,
        Claim.get_by_id(second).claim_number,
    ]
    assert clm[0][2] == "150" and clm[0][5] == "11:B:1"
    # each line carries its own control number (the 835 returns it) and its pointers
    sv1 = [s for s in segs if s.id == "SV1"]
    assert [s[1] for s in sv1] == ["HC:99213", "HC:36415", "HC:99213:25"]
    assert sv1[0][7] == "1:2" and sv1[1][7] == "1"
    refs = [s[2] for s in segs if s.id == "REF" and s[1] == "6R"]
    assert refs == [f"L{line.id}" for cid in (first, second) for line in claim_lines(cid)]
    hi = next(s for s in segs if s.id == "HI")
    assert hi[1] == "ABK:J069" and hi[2] == "ABF:R059"  # no dot, principal first
    # counts: SE01 = segments ST..SE; GE01 = sets; IEA01 = groups; control numbers match
    assert segments.envelope_faults(segments.read(text)) == []
    saved = X12File.get_by_id(result.file_id)
    assert (saved.direction, saved.kind, saved.claims, saved.interchange) == (
        "out",
        "837P",
        2,
        result.interchange,
    )
    spans = {s.claim_id: s for s in X12Submission.select()}
    clm_pos = [n for n, s in enumerate(segs[2:-2], 1) if s.id == "CLM"]
    assert spans[first].first_segment < clm_pos[0] < spans[first].last_segment
    assert spans[first].last_segment < spans[second].first_segment


def test_the_patient_who_is_not_the_subscriber_gets_the_patient_loop(
    office, staff, tmp_path, fixture_writes
) -> None:
    Coverage.update(
        relationship="child",
        subscriber_first="Mark",
        subscriber_last="Lee",
        subscriber_dob=dt.date(1968, 5, 2),
        subscriber_sex="M",
    ).where(Coverage.id == office.coverage).execute()
    ready_claim(staff, office)
    result = _export(staff, tmp_path)
    text = result.path.read_text()
    assert pyx12_faults(text) == []
    segs = _segments(result.path)
    ids = [(s.id, s[1]) for s in segs]
    hl = [s for s in segs if s.id == "HL"]
    assert [h[3] for h in hl] == ["20", "22", "23"] and hl[1][4] == "1" and hl[2][2] == hl[1][1]
    assert ("PAT", "19") in ids and ("NM1", "QC") in ids
    sbr = next(s for s in segs if s.id == "SBR")
    assert sbr[2] == ""  # 18 only when the patient is the subscriber
    subscriber = next(s for s in segs if s.id == "NM1" and s[1] == "IL")
    assert (subscriber[3], subscriber[4]) == ("LEE", "MARK")


def test_names_with_accents_and_delimiters_are_cleaned(
    office, staff, tmp_path, fixture_writes
) -> None:
    Provider.update(last_name="Hernández*Ruiz", first_name="José:Luis").execute()
    ready_claim(staff, office)
    text = _export(staff, tmp_path).path.read_text()
    assert pyx12_faults(text) == []
    assert "NM1*82*1*HERNANDEZ RUIZ*JOSE LUIS****XX*" in text


def test_control_numbers_are_unique_increasing_and_kept(office, staff, tmp_path) -> None:
    numbers = []
    for _ in range(3):
        ready_claim(staff, office)
        result = _export(staff, tmp_path)
        numbers.append((int(result.interchange), int(result.group)))
        isa = _segments(result.path)[0]
        assert len(isa.elements) == 17 and len(result.path.read_text().split("~")[0]) == 105
    assert numbers == sorted(numbers) and len({n for n, _ in numbers}) == 3
    partner = X12Partner.get()
    assert partner.last_interchange == numbers[-1][0]
    # moving the numbers forward (a clearinghouse that saw higher ones) but never back
    envelope.update_partner(staff["manager"], next_interchange=500)
    ready_claim(staff, office)
    assert _export(staff, tmp_path).interchange == "000000500"
    with pytest.raises(InvalidInput):
        envelope.update_partner(staff["manager"], next_interchange=10)


def test_a_re_export_is_refused_unless_it_is_a_resend(office, staff, tmp_path) -> None:
    cid = ready_claim(staff, office)
    first = _export(staff, tmp_path)
    with pytest.raises(InvalidInput, match="sent already.*resend"):
        _export(staff, tmp_path, claim_ids=[cid])
    with pytest.raises(InvalidInput, match="no ready claims"):
        _export(staff, tmp_path)
    again = _export(staff, tmp_path, claim_ids=[cid], resend=True)
    assert again.resend and int(again.interchange) > int(first.interchange)
    assert Claim.get_by_id(cid).status == "submitted"
    assert f"resent in 837P {again.path.name}" in history_notes(cid)[-1]
    assert pyx12_faults(again.path.read_text()) == []
    assert X12File.get_by_id(again.file_id).resend


def test_only_claims_the_scrubber_passes_go_in(office, staff, tmp_path, fixture_writes) -> None:
    good = ready_claim(staff, office)
    stale = ready_claim(staff, office)
    # the member id was lost after the claim was marked ready
    other = Coverage.create(patient=office.patient, payer=office.payer, rank=3, member_id="")
    Claim.update(coverage=other).where(Claim.id == stale).execute()
    result = _export(staff, tmp_path)
    assert result.claim_ids == (good,)
    assert [s.claim_id for s in result.skipped] == [stale]
    assert "member id" in result.skipped[0].reason
    assert Claim.get_by_id(stale).status == "ready"
    Claim.update(coverage=other).where(Claim.id == good).execute()
    ready_again = ready_claim(staff, office)
    Claim.update(coverage=other).where(Claim.id == ready_again).execute()
    before = X12Partner.get().last_interchange
    with pytest.raises(InvalidInput, match="no claim passes the scrubber"):
        _export(staff, tmp_path)
    assert X12Partner.get().last_interchange == before


def test_a_file_pyx12_refuses_is_never_written(office, staff, tmp_path, fixture_writes) -> None:
    cid = ready_claim(staff, office)
    Claim.update(place_of_service="00").where(Claim.id == cid).execute()  # not a CMS POS
    with pytest.raises(InvalidInput, match="pyx12 found the file not valid.*CLM"):
        _export(staff, tmp_path)
    assert list(_out(tmp_path).iterdir()) == []
    assert Claim.get_by_id(cid).status == "ready" and X12File.select().count() == 0


def test_a_named_existing_file_is_never_overwritten(office, staff, tmp_path) -> None:
    ready_claim(staff, office)
    target = _out(tmp_path) / "batch.x12"
    target.write_text("keep me")
    with pytest.raises(InvalidInput, match="exists already"):
        export.export_837p(staff["billing"], target)
    assert target.read_text() == "keep me"


def test_sending_needs_the_submit_permission(office, staff, tmp_path) -> None:
    ready_claim(staff, office)
    with pytest.raises(PermissionDenied):
        export.export_837p(staff["front_desk"], _out(tmp_path))
    assert list(_out(tmp_path).iterdir()) == []


def test_a_replacement_carries_the_payer_claim_number(office, staff, tmp_path) -> None:
    ready_claim(staff, office, frequency_code="7", payer_claim_number="ACME-778899")
    text = _export(staff, tmp_path).path.read_text()
    assert pyx12_faults(text) == []
    assert "CLM*" in text and ":B:7*" in text and "REF*F8*ACME-778899~" in text


def test_a_secondary_claim_carries_what_the_primary_decided(
    office, staff, tmp_path, fixture_writes
) -> None:
    biller = staff["billing"]
    primary = ready_claim(staff, office)
    _export(staff, tmp_path)
    one, two = claim_lines(primary)
    claims.post_payer_payment(
        biller,
        PayerPayment(
            primary,
            (
                LinePosting(
                    one.id,
                    7000,
                    (AdjustmentInput("CO", "45", 4000), AdjustmentInput("PR", "2", 2000)),
                ),
                LinePosting(two.id, 1500, (AdjustmentInput("CO", "45", 500),)),
            ),
            "EFT1",
        ),
    )
    secondary = ready_claim(staff, office, coverage_id=office.secondary_coverage)
    assert Claim.get_by_id(secondary).payer_seq == "S"
    result = _export(staff, tmp_path)
    text = result.path.read_text()
    assert pyx12_faults(text) == []
    segs = _segments(result.path)
    ids = [(s.id, s[1]) for s in segs]
    assert ("AMT", "D") in ids and ("OI", "") in ids and ("SVD", "ACME") in ids
    amt = next(s for s in segs if s.id == "AMT")
    assert amt[2] == "85"
    cas = [s for s in segs if s.id == "CAS"]
    assert [(c[1], c[2], c[3]) for c in cas] == [
        ("CO", "45", "40"),
        ("PR", "2", "20"),
        ("CO", "45", "5"),
    ]


def test_the_output_has_the_shape_of_other_systems_837p(office, staff, tmp_path) -> None:
    """The loops, qualifiers and envelope of TigerShark's and UHIN's 837P (both pass
    pyx12) appear in our file in the same order."""
    ready_claim(staff, office)
    ours = _segments(_export(staff, tmp_path).path)
    skeleton = [
        ("ISA", "00"),
        ("GS", "HC"),
        ("ST", "837"),
        ("BHT", "0019"),
        ("NM1", "41"),
        ("PER", "IC"),
        ("NM1", "40"),
        ("HL", "1"),
        ("NM1", "85"),
        ("N3", None),
        ("N4", None),
        ("REF", "EI"),
        ("HL", "2"),
        ("SBR", "P"),
        ("NM1", "IL"),
        ("N3", None),
        ("N4", None),
        ("DMG", "D8"),
        ("NM1", "PR"),
        ("CLM", None),
        ("HI", None),
        ("LX", "1"),
        ("SV1", None),
        ("DTP", "472"),
        ("SE", None),
        ("GE", None),
        ("IEA", "1"),
    ]

    def follows(segs: list[segments.Segment]) -> bool:
        position = 0
        for seg in segs:
            want = skeleton[position]
            if seg.id == want[0] and (want[1] is None or seg[1] == want[1]):
                position += 1
                if position == len(skeleton):
                    return True
        return False

    for name in ("tigershark__5010-837-professional-example.txt", "uhin__837.edi"):
        theirs = segments.read(sample_text("x12", "837p", name)).segments
        assert follows(theirs), name
        assert theirs[0][16] == ":" and len(theirs[0].elements) == len(ours[0].elements)
    assert follows(ours)
    # the same qualifiers: ABK/ABF diagnoses, HC procedures, UN units, XX NPIs, MI, PI
    text = "~".join("*".join(s.elements) for s in ours)
    for token in ("*ABK:", "SV1*HC:", "*UN*", "*XX*", "*MI*", "*PI*", "*46*"):
        assert token in text
