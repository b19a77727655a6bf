"""Paper claims: the CMS-1500 (02/12) PDF read back with pypdf finds every box's value, at
a place inside that box; seven lines take two pages (the first says CONTINUED); the
data-only print carries the values without the form; printing can mark claims sent."""

from __future__ import annotations

import pytest

from medoffice_tui.db.models import AuditEvent, Claim, Practice
from medoffice_tui.errors import InvalidInput, PermissionDenied
from medoffice_tui.services import cms1500
from medoffice_tui.services.claims import ChargeLineInput
from medoffice_tui.services.cms1500 import layout
from medoffice_tui.services.cms1500.values import pages_for

from .test_claims_support import TODAY
from .test_x12_support import billing, history_notes, office, ready_claim  # noqa: F401

__all__ = ["billing", "office"]  # fixtures used by name


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def _read(path) -> list[list[tuple[str, float, float]]]:  # noqa: ANN001
    """Every text run of every page, with where it starts (points, y up)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        runs: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, runs=runs) -> None:  # noqa: ANN001
            if text.strip():
                runs.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def _out(tmp_path, name="claims.pdf"):  # noqa: ANN001, ANN202
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return folder / name


def test_every_box_value_is_read_back_inside_its_box(office, staff, tmp_path) -> None:
    cid = ready_claim(staff, office, prior_auth_number="PA-4455")
    out = _out(tmp_path)
    result = cms1500.print_1500(staff["billing"], out)
    assert (result.claims, result.pages) == (1, 1) and out.exists()
    (page,) = pages_for([cid], TODAY)
    runs = _read(out)[0]
    claim = Claim.get_by_id(cid)
    practice = Practice.get()
    expected = {
        "1a": "XYZ123",
        "2": "LEE, ANN",
        "3": "01 01 1970",
        "5.street": "12 ELM ST",
        "6": "X SELF",
        "11c": "ACME HEALTH",
        "11d": "X YES",  # the secondary coverage
        "9d": "SECOND MUTUAL",
        "21.ind": "0",
        "21.A": "J069",
        "21.B": "R059",
        "23": "PA-4455",
        "24A.1": "11 20 26 11 20 26",
        "24B.1": "11",
        "24D.1": "99213",
        "24E.1": "AB",
        "24F.1": "130 00",
        "24G.1": "1",
        "24D.2": "36415",
        "24E.2": "A",
        "24F.2": "20 00",
        "25": "123456789  X EIN",
        "26": claim.claim_number,
        "27": "X YES",
        "28": "150 00",
        "32a": practice.npi,
        "33.1": "TEST FAMILY PRACTICE",
        "33a": practice.npi,
        "24J.1": claim.provider.npi,
    }
    for name, want in expected.items():
        assert page.fields[name].strip() == want, name
    checked = 0
    for name, text in page.fields.items():
        if not text.strip():
            continue
        spot = layout.FIELDS[name]
        box = layout.BOXES[spot.box]
        found = [(x, y) for run, x, y in runs if run == text.strip()[: spot.width].strip()]
        assert found, f"box {spot.box} ({name}): {text!r} is not in the PDF"
        assert any(box.holds(x, y) for x, y in found), f"{name} printed outside box {spot.box}"
        checked += 1
    assert checked >= 45
    captions = " ".join(run for run, _, _ in runs)
    assert "HEALTH INSURANCE CLAIM FORM" in captions and "1a. INSURED'S I.D. NUMBER" in captions
    assert (
        AuditEvent.select()
        .where((AuditEvent.action == "export") & (AuditEvent.object_type == "claim"))
        .count()
        == 1
    )


def test_seven_lines_take_two_pages_and_the_first_says_continued(office, staff, tmp_path) -> None:
    lines = tuple(ChargeLineInput("99213", (), 1, 1000 + n, (1,)) for n in range(7))
    cid = ready_claim(staff, office, lines=lines)
    out = _out(tmp_path)
    result = cms1500.print_1500(staff["billing"], out, claim_ids=[cid])
    assert result.pages == 2
    first, second = _read(out)
    assert "CONTINUED" in [r for r, _, _ in first]
    total = Claim.get_by_id(cid).total_charge_cents
    assert f"{total // 100} {total % 100:02d}" in [r for r, _, _ in second]
    assert [r for r, _, _ in second].count("99213") == 1


def test_data_only_prints_the_values_without_the_form(office, staff, tmp_path) -> None:
    ready_claim(staff, office)
    out = _out(tmp_path)
    cms1500.print_1500(staff["billing"], out, data_only=True)
    texts = [r for r, _, _ in _read(out)[0]]
    assert "LEE, ANN" in texts and "XYZ123" in texts
    assert not any("INSURED'S" in t for t in texts)


def test_printing_can_mark_the_claims_sent(office, staff, tmp_path) -> None:
    cid = ready_claim(staff, office)
    with pytest.raises(PermissionDenied):
        cms1500.print_1500(staff["front_desk"], _out(tmp_path, "a.pdf"), mark_sent=True)
    assert not _out(tmp_path, "a.pdf").exists()
    result = cms1500.print_1500(staff["billing"], _out(tmp_path, "b.pdf"), mark_sent=True)
    assert result.marked_sent == 1 and Claim.get_by_id(cid).status == "submitted"
    assert "printed on CMS-1500 (b.pdf)" in history_notes(cid)[-1]


def test_a_claim_that_fails_the_scrubber_is_not_printed(
    office, staff, tmp_path, fixture_writes
) -> None:
    cid = ready_claim(staff, office)
    Claim.update(total_charge_cents=1).where(Claim.id == cid).execute()
    with pytest.raises(InvalidInput, match="no claim passes the scrubber"):
        cms1500.print_1500(staff["billing"], _out(tmp_path))
    assert not _out(tmp_path).exists() and Claim.get_by_id(cid).status == "ready"
