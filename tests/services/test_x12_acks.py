"""999 and 277CA in: acceptance moves the claims of an acknowledged set to accepted, a
rejection moves them to rejected with the reason in plain words (the claim whose segment
is at fault named as such), the desk fixes and marks the claim ready, and it goes out
again as a new sending (not a resend); a 277CA claim-level rejection from the payer
returns the claim; a file read twice changes nothing."""

from __future__ import annotations

import pytest

from medoffice_tui.db.models import Claim, ClaimAck, X12File, X12Submission
from medoffice_tui.services import claims
from medoffice_tui.services.x12 import acks, export, segments

from .test_x12_support import (  # noqa: F401 - fixtures
    billing,
    history_notes,
    office,
    pyx12_faults,
    ready_claim,
)

__all__ = ["billing", "office"]  # fixtures used by name


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def write_999(group: str, sets: list[tuple[str, str, list[str]]], ak9: str | None = None) -> str:
    """A 999 acknowledging our group ``group``: (ST02, IK5 code, IK3/IK4/CTX segments)."""
    body = [f"AK1*HC*{group}*005010X222A1"]
    for st02, code, errors in sets:
        body.append(f"AK2*837*{st02}*005010X222A1")
        body.extend(errors)
        body.append(f"IK5*{code}" + ("*5" if code == "R" else ""))
    accepted = sum(1 for _, code, _ in sets if code in ("A", "E"))
    status = ak9 or ("A" if accepted == len(sets) else "R" if accepted == 0 else "P")
    body.append(f"AK9*{status}*{len(sets)}*{len(sets)}*{accepted}")
    seg = ["ST*999*0001*005010X231A1", *body]
    seg.append(f"SE*{len(seg) + 1}*0001")
    head = (
        "ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*CLEARHOUSE     *ZZ*TESTPRACTICE01 "
        "*261123*1000*^*00501*000000901*0*T*:"
    )
    lines = [
        head,
        "GS*FA*CLEARHOUSE*TESTPRACTICE01*20261123*1000*901*X*005010X231A1",
        *seg,
        "GE*1*901",
        "IEA*1*000000901",
    ]
    return "~\n".join(lines) + "~\n"


def write_277ca(items: list[tuple[str, str]], source: str = "PR") -> str:
    """A 277CA with one patient HL per (claim number, STC01 composite)."""
    seg = [
        "ST*277*0001*005010X214",
        "BHT*0085*08*BATCH1*20261123*1000*TH",
        "HL*1**20*1",
        f"NM1*{source}*2*ACME HEALTH*****PI*ACME",
        "TRN*1*1001",
        "DTP*050*D8*20261123",
        "DTP*009*D8*20261123",
        "HL*2*1*21*1",
        "NM1*41*2*TEST FAMILY PRACTICE*****46*TESTPRACTICE01",
        "TRN*2*0001",
        "STC*A1:19*20261123*WQ*300",
        f"QTY*90*{len(items)}",
        "AMT*YU*300",
        "HL*3*2*19*1",
        "NM1*85*2*TEST FAMILY PRACTICE*****XX*1234567893",
        "TRN*1*0",
        "STC*A1:19:85**WQ*150",
        "QTY*QA*1",
        "AMT*YU*150",
    ]
    for number, (claim_number, stc) in enumerate(items, 4):
        seg += [
            f"HL*{number}*3*PT",
            "NM1*QC*1*LEE*ANN****MI*XYZ123",
            f"TRN*2*{claim_number}",
            f"STC*{stc}*20261123*WQ*150",
            "REF*1K*PAYER9988",
            "DTP*472*D8*20261120",
        ]
    seg.append(f"SE*{len(seg) + 1}*0001")
    head = (
        "ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*ACMEPAYER      *ZZ*TESTPRACTICE01 "
        "*261123*1000*^*00501*000000902*0*T*:"
    )
    lines = [
        head,
        "GS*HN*ACMEPAYER*TESTPRACTICE01*20261123*1000*902*X*005010X214",
        *seg,
        "GE*1*902",
        "IEA*1*000000902",
    ]
    return "~\n".join(lines) + "~\n"


@pytest.fixture
def sent_two(office, staff, tmp_path):  # noqa: ANN001, ANN201
    first = ready_claim(staff, office)
    second = ready_claim(staff, office)
    out = tmp_path / "out"
    out.mkdir()
    result = export.export_837p(staff["billing"], out)
    return first, second, result, out


def test_a_999_acceptance_moves_the_set_to_accepted(sent_two, staff) -> None:
    first, second, result, _ = sent_two
    text = write_999(result.group, [("0001", "A", [])])
    assert pyx12_faults(text) == []
    report = acks.import_999(staff["billing"], text=text, name="ack.999")
    assert report.counts() == {"accepted": 2}
    assert {Claim.get_by_id(c).status for c in (first, second)} == {"accepted_ch"}
    assert "from file: 999 ack.999: accepted by the clearinghouse" in history_notes(first)[-1]
    again = acks.import_999(staff["billing"], text=text, name="ack-copy.999")
    assert again.already and ClaimAck.select().count() == 2


def test_a_999_rejection_names_the_claim_at_fault_and_the_fix_goes_out_again(
    sent_two, staff
) -> None:
    first, second, result, out = sent_two
    span = X12Submission.get(X12Submission.claim == second)
    errors = [f"IK3*NM1*{span.first_segment + 2}*2010*8", "IK4*9*67*7"]
    text = write_999(result.group, [("0001", "R", errors)])
    assert pyx12_faults(text) == []
    report = acks.import_999(staff["billing"], text=text, name="reject.999")
    outcomes = {c.claim_id: c for c in report.claims}
    assert {c.outcome for c in report.claims} == {"rejected"}
    assert "NM1 (segment" in outcomes[second].words
    assert "element 9 (67): not a valid code" in outcomes[second].words
    assert "rejected with its batch" in outcomes[first].words
    assert {Claim.get_by_id(c).status for c in (first, second)} == {"rejected_ch"}
    ack = ClaimAck.get(ClaimAck.claim == second)
    assert not ack.accepted and ack.codes == "IK5 R"
    assert "from file: 999 reject.999" in history_notes(second)[-1]
    # fixed and marked ready, it goes out again as a new claim: not refused as a re-export
    claims.mark_ready(staff["billing"], second)
    claims.mark_ready(staff["billing"], first)
    again = export.export_837p(staff["billing"], out)
    assert not again.resend and set(again.claim_ids) == {first, second}
    assert Claim.get_by_id(second).status == "submitted"


def test_a_999_error_placed_by_its_ctx_claim_number(sent_two, staff) -> None:
    first, second, result, _ = sent_two
    number = Claim.get_by_id(first).claim_number
    errors = ["IK3*CLM*9999**8", f"CTX*CLM01:{number}", "IK4*5:1*1331*7"]
    report = acks.import_999(
        staff["billing"], text=write_999(result.group, [("0001", "R", errors)]), name="ctx.999"
    )
    words = {c.claim_id: c.words for c in report.claims}
    assert words[first].startswith("CLM (segment 9999")
    assert "rejected with its batch" in words[second]


def test_a_999_for_a_file_this_practice_never_sent_changes_nothing(sent_two, staff) -> None:
    first, *_ = sent_two
    report = acks.import_999(
        staff["billing"], text=write_999("4242", [("0001", "R", [])]), name="other.999"
    )
    assert report.claims == () and "not a file this practice sent" in report.notes[0]
    assert Claim.get_by_id(first).status == "submitted"


def test_a_277ca_rejection_from_the_payer_returns_the_claim_in_plain_words(sent_two, staff) -> None:
    first, second, _, _ = sent_two
    numbers = [Claim.get_by_id(c).claim_number for c in (first, second)]
    text = write_277ca([(numbers[0], "A2:20"), (numbers[1], "A7:562:85")])
    assert pyx12_faults(text) == []
    report = acks.import_277ca(staff["billing"], text=text, name="status.277")
    outcomes = {c.claim_id: c for c in report.claims}
    assert outcomes[first].outcome == "accepted" and Claim.get_by_id(first).status == "pending"
    assert outcomes[second].outcome == "rejected"
    assert Claim.get_by_id(second).status == "rejected_payer"
    assert (
        "rejected for invalid information (A7): the entity's National Provider Identifier "
        "(NPI) (562), the billing provider (85)"
    ) in outcomes[second].words
    ack = ClaimAck.get(ClaimAck.claim == second)
    assert ack.codes == "A7:562:85" and "NPI" in ack.reason
    assert "277CA status.277" in history_notes(second)[-1]
    assert acks.import_277ca(staff["billing"], text=text, name="again.277").already


def test_a_277ca_rejection_from_the_clearinghouse_is_a_clearinghouse_rejection(
    sent_two, staff
) -> None:
    first, *_ = sent_two
    number = Claim.get_by_id(first).claim_number
    report = acks.import_277ca(
        staff["billing"], text=write_277ca([(number, "A6:21")], "AY"), name="ch.277"
    )
    assert report.counts() == {"rejected": 1}
    assert Claim.get_by_id(first).status == "rejected_ch"


def test_an_acknowledgement_that_is_not_x12_is_refused(staff, office) -> None:  # noqa: ARG001
    from medoffice_tui.services.x12.reports import FileRefused

    with pytest.raises(FileRefused) as refused:
        acks.import_999(staff["billing"], text="hello, not a 999", name="junk.999")
    assert refused.value.report.faults[0].segment == "ISA"
    assert X12File.select().where(X12File.direction == "in").count() == 0


def test_a_999_is_not_read_as_a_277ca(sent_two, staff) -> None:
    from medoffice_tui.services.x12.reports import FileRefused

    *_, result, _ = sent_two
    with pytest.raises(FileRefused, match="not a 277CA"):
        acks.import_277ca(
            staff["billing"], text=write_999(result.group, [("0001", "A", [])]), name="wrong.277"
        )
    assert segments.read(write_999("1", [])).segments[0].id == "ISA"
