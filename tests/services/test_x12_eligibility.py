"""270 out / 271 in: tomorrow's patients asked about in one 270 (pyx12 has no map for
X279A1, so the app's own structural check, with the segment counts, passes it and
catches broken ones); the 271 answer sets "eligibility last checked" and keeps active /
inactive, copay and deductible remaining for check-in; an error or empty answer never
blanks what is on file."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Appointment, Coverage, EligibilityCheck, Patient, X12File
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.x12 import eligibility, segments, validation, x270
from medoffice_tui.services.x12.reports import FileRefused

from .test_claims_support import TODAY
from .test_x12_support import billing, office  # noqa: F401 - fixtures

__all__ = ["billing", "office"]  # fixtures used by name

TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(params=["sqlite"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def booked(office, fixture_writes) -> dict[str, int]:  # noqa: ANN001
    """Tomorrow: Ann Lee (her own insurance) and her son Sam (on his mother's plan)."""
    son = Patient.create(
        mrn="M2",
        first_name="Sam",
        last_name="Lee",
        dob=dt.date(2012, 3, 4),
        sex="M",
        last_norm="lee",
        first_norm="sam",
    )
    son_cov = Coverage.create(
        patient=son,
        payer=office.payer,
        rank=1,
        member_id="XYZ123-02",
        relationship="child",
        subscriber_first="Ann",
        subscriber_last="Lee",
        subscriber_dob=dt.date(1970, 1, 1),
        subscriber_sex="F",
    )
    for patient, hour in ((office.patient, 9), (son.id, 10)):
        start = dt.datetime.combine(TOMORROW, dt.time(hour))
        Appointment.create(
            patient=patient,
            provider=office.provider,
            start=start,
            end=start + dt.timedelta(minutes=15),
            status="booked",
        )
    Coverage.update(eligibility_checked_on=dt.date(2026, 10, 1)).execute()
    return {"ann": office.coverage, "sam": son_cov.id, "secondary": office.secondary_coverage}


def _out(tmp_path):  # noqa: ANN001, ANN202
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return folder


def test_tomorrows_patients_are_asked_about_in_one_270(booked, staff, tmp_path) -> None:
    result = eligibility.export_270(staff["front_desk"], _out(tmp_path))
    assert result.day == TOMORROW and result.questions == 3  # Ann's two coverages, Sam's one
    text = result.path.read_text()
    document = segments.read(text)
    assert x270.check(document) == []
    # pyx12 has no 5010 map for the 270: it says so rather than passing it
    checked = validation.validate_text(text)
    assert not checked.checked and "no map" in checked.faults[0].message
    segs = document.segments
    st_to_se = segs[2:-2]
    assert segs[-3].id == "SE" and segs[-3][1] == str(len(st_to_se))
    assert [s[3] for s in segs if s.id == "HL"] == ["20", "21", "22", "22", "23", "20", "21", "22"]
    ids = [(s.id, s[1]) for s in segs]
    assert ids.count(("EQ", "30")) == 3 and ids.count(("NM1", "03")) == 1
    traces = [s[2] for s in segs if s.id == "TRN"]
    checks = {c.trace: c for c in EligibilityCheck.select()}
    assert set(traces) == set(checks) and len(traces) == 3
    assert {c.coverage_id for c in checks.values()} == set(booked.values())
    assert all(c.for_day == TOMORROW and c.status == "" for c in checks.values())
    assert X12File.get(X12File.kind == "270").claims == 3
    # Sam's question is asked in the dependent loop, under his mother as subscriber
    sam = next(s for s in segs if s.id == "NM1" and s[1] == "IL" and s[9] == "XYZ123-02")
    assert (sam[3], sam[4]) == ("LEE", "ANN")


def test_a_chosen_day_with_nobody_booked_is_refused(booked, staff, tmp_path) -> None:
    with pytest.raises(InvalidInput, match="no appointments"):
        eligibility.export_270(
            staff["front_desk"], _out(tmp_path), day=TODAY + dt.timedelta(days=9)
        )
    assert list(_out(tmp_path).iterdir()) == []


def test_the_270_check_catches_broken_files(booked, staff, tmp_path) -> None:
    text = eligibility.export_270(staff["front_desk"], _out(tmp_path)).path.read_text()
    lines = text.split("\n")
    cases = {
        "count": [ln.replace("SE*", "SE*1", 1) if ln.startswith("SE*") else ln for ln in lines],
        "no EQ": [ln for ln in lines if not ln.startswith("EQ*")],
        "parent": [ln.replace("HL*2*1*21", "HL*2*9*21") for ln in lines],
        "no SE": [ln for ln in lines if not ln.startswith("SE*")],
    }
    words = {
        "count": "SE01 says",
        "no EQ": "without its EQ",
        "parent": "not the level above",
        "no SE": "SE missing",
    }
    for name, broken in cases.items():
        faults = x270.check(segments.read("\n".join(broken)))
        assert any(words[name] in f.message and f.line > 0 for f in faults), (name, faults)


def write_271(answers: list[tuple[str, list[str]]]) -> str:
    """A 271 answering each trace with the given subscriber-level segments."""
    seg = [
        "ST*271*0001*005010X279A1",
        "BHT*0022*11*Q1*20261123*1000",
        "HL*1**20*1",
        "NM1*PR*2*ACME HEALTH*****PI*ACME",
        "HL*2*1*21*1",
        "NM1*1P*2*TEST FAMILY PRACTICE*****XX*1234567893",
    ]
    for number, (trace, body) in enumerate(answers, 3):
        seg += [
            f"HL*{number}*2*22*0",
            f"TRN*2*{trace}*9123456789",
            "NM1*IL*1*LEE*ANN****MI*XYZ123",
            *body,
        ]
    seg.append(f"SE*{len(seg) + 1}*0001")
    head = (
        "ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*CLEARHOUSE     *ZZ*TESTPRACTICE01 "
        "*261123*1000*^*00501*000000801*0*T*:"
    )
    lines = [
        head,
        "GS*HB*CLEARHOUSE*TESTPRACTICE01*20261123*1000*801*X*005010X279A1",
        *seg,
        "GE*1*801",
        "IEA*1*000000801",
    ]
    return "~\n".join(lines) + "~\n"


ACTIVE = [
    "DTP*346*D8*20260101",
    "EB*1*IND*30**GOLD PPO",
    "EB*B*IND*98***27*25*****Y",
    "EB*B*IND*98***27*60*****N",
    "EB*C*IND*30***23*1500*****Y",
    "EB*C*IND*30***29*500*****Y",
    "EB*C*FAM*30***29*1200*****Y",
]


def _traces() -> dict[int, str]:
    return {c.coverage_id: c.trace for c in EligibilityCheck.select()}


def test_an_active_answer_sets_the_check_date_copay_and_deductible(booked, staff, tmp_path) -> None:
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    traces = _traces()
    inactive = ["EB*6*IND*30"]
    text = write_271([(traces[booked["ann"]], ACTIVE), (traces[booked["secondary"]], inactive)])
    report = eligibility.import_271(staff["front_desk"], text=text, name="answer.271")
    assert report.counts() == {"active": 1, "inactive": 1}
    ann = Coverage.get_by_id(booked["ann"])
    assert ann.eligibility_checked_on == TODAY
    assert Coverage.get_by_id(booked["secondary"]).eligibility_checked_on == TODAY
    assert Coverage.get_by_id(booked["sam"]).eligibility_checked_on == dt.date(2026, 10, 1)
    view = eligibility.latest_answer(booked["ann"])
    assert (view.status, view.plan, view.copay_cents, view.deductible_left_cents) == (
        "active",
        "GOLD PPO",
        2500,
        50000,
    )
    assert eligibility.checkin_line(Coverage.get_by_id(booked["ann"]).patient_id, TOMORROW) == (
        "active (271 of 11/23/2026), copay $25.00, deductible left $500.00"
    )
    assert eligibility.latest_answer(booked["secondary"]).status == "inactive"


def test_an_error_answer_never_blanks_what_is_on_file(booked, staff, tmp_path) -> None:
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    first = _traces()
    eligibility.import_271(
        staff["front_desk"], text=write_271([(first[booked["ann"]], ACTIVE)]), name="good.271"
    )
    EligibilityCheck.update(answered_at=dt.datetime(2026, 11, 22, 9)).execute()
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    second = {
        c.coverage_id: c.trace
        for c in EligibilityCheck.select().where(EligibilityCheck.status == "")
    }
    text = write_271([(second[booked["ann"]], ["AAA*N**72*C"])])
    report = eligibility.import_271(staff["front_desk"], text=text, name="bad.271")
    (outcome,) = report.claims
    assert outcome.outcome == "error" and "the member id is invalid or missing" in outcome.words
    assert "the coverage on file is unchanged" in outcome.words
    view = eligibility.latest_answer(booked["ann"])
    assert (view.status, view.copay_cents, view.deductible_left_cents) == ("active", 2500, 50000)
    assert "a newer check failed: the member id is invalid or missing" in view.line()
    assert Coverage.get_by_id(booked["ann"]).member_id == "XYZ123"


def test_an_empty_or_unreadable_271_changes_nothing(booked, staff, tmp_path) -> None:
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    before = [(c.id, c.eligibility_checked_on, c.copay_cents) for c in Coverage.select()]
    empty = eligibility.import_271(staff["front_desk"], text=write_271([]), name="empty.271")
    assert empty.claims == () and "holds no answers" in empty.notes[0]
    no_benefits = write_271([(_traces()[booked["ann"]], [])])
    report = eligibility.import_271(staff["front_desk"], text=no_benefits, name="blank.271")
    assert report.claims[0].outcome == "error"
    broken = write_271([(_traces()[booked["ann"]], ACTIVE)]).replace("\nSE*", "\nSE*9", 1)
    with pytest.raises(FileRefused) as refused:
        eligibility.import_271(staff["front_desk"], text=broken, name="broken.271")
    assert refused.value.report.faults[0].segment == "SE"
    after = [(c.id, c.eligibility_checked_on, c.copay_cents) for c in Coverage.select()]
    assert after == before
    assert eligibility.latest_answer(booked["ann"]).status == ""


def test_an_answer_read_twice_is_read_once(booked, staff, tmp_path) -> None:
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    text = write_271([(_traces()[booked["ann"]], ACTIVE)])
    eligibility.import_271(staff["front_desk"], text=text, name="a.271")
    assert eligibility.import_271(staff["front_desk"], text=text, name="a.271").already


def _checkin(staff, booked, who: str = "ann") -> dict[str, object]:  # noqa: ANN001
    """Check-in's essentials for the patient of the coverage ``who``, by label."""
    from medoffice_tui.services import schedule

    patient = Coverage.get_by_id(booked[who]).patient_id
    appointment = Appointment.get(Appointment.patient == patient)
    items = schedule.checkin_essentials(staff["front_desk"], appointment.id).items
    return {item.label: item for item in items}


def _days_later(days: int) -> None:
    from medoffice_tui import clock

    clock.pin(now=clock.now() + dt.timedelta(days=days))  # the fixture pins it back after


def test_check_in_shows_the_last_271_answer(booked, staff, tmp_path) -> None:
    # before any answer: the date on file, 53 days ago, is too old
    before = _checkin(staff, booked)
    assert before["Eligibility"].text == "checked 53 days ago: check again"
    assert "Deductible" not in before
    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    traces = _traces()
    eligibility.import_271(
        staff["front_desk"],
        text=write_271([(traces[booked["ann"]], ACTIVE), (traces[booked["sam"]], ["EB*6*IND*30"])]),
        name="answer.271",
    )
    ann = _checkin(staff, booked)
    assert ann["Eligibility"].text == "active per 271, today" and not ann["Eligibility"].attention
    # the coverage on file has no copay: the payer's answer says $25.00, so the desk asks
    assert ann["Copay"].text == "none on file, the 271 says $25.00: ask" and ann["Copay"].attention
    assert ann["Deductible"].text == "$500.00 left to meet (271)"
    assert not ann["Deductible"].attention
    Coverage.update(copay_cents=2500).where(Coverage.id == booked["ann"]).execute()
    assert _checkin(staff, booked)["Copay"].text == "$25.00 due today"
    # an inactive answer is a warning at check-in, not "checked today"
    sam = _checkin(staff, booked, "sam")
    assert sam["Eligibility"].attention
    assert sam["Eligibility"].text == "INACTIVE per 271, today: ask for a current card"
    assert "Deductible" not in sam and sam["Copay"].text == "none"
    assert Coverage.get_by_id(booked["sam"]).eligibility_checked_on == TODAY
    # days later the answer says when it was given; past ELIGIBILITY_DAYS it is stale
    _days_later(3)
    assert _checkin(staff, booked)["Eligibility"].text == "active per 271, 3 days ago"
    assert _checkin(staff, booked, "sam")["Eligibility"].text.startswith("INACTIVE per 271, 3 days")
    _days_later(30)
    stale = _checkin(staff, booked)["Eligibility"]
    assert stale.text == "active per 271, 33 days ago: check again" and stale.attention


def test_a_desk_check_after_an_inactive_answer_lifts_the_warning(booked, staff, tmp_path) -> None:
    from medoffice_tui.services.patients.coverages import mark_eligibility_checked

    eligibility.export_270(staff["front_desk"], _out(tmp_path))
    text = write_271([(_traces()[booked["sam"]], ["EB*6*IND*30"])])
    eligibility.import_271(staff["front_desk"], text=text, name="inactive.271")
    _days_later(1)
    assert _checkin(staff, booked, "sam")["Eligibility"].attention
    mark_eligibility_checked(staff["front_desk"], booked["sam"])  # the desk called the payer
    item = _checkin(staff, booked, "sam")["Eligibility"]
    assert item.text == "checked today (the 271 before said inactive)" and not item.attention
