"""Claims files by keys (Pilot, the seed-7 demo): from the claims queue, x opens the screen;
e sends the ready claims (the demo's export cleanly: pyx12 passes the file); i reads an
835 and shows its report; a claim a 999 rejected is listed with the reason, and r
resends it; the keys follow the role."""

from __future__ import annotations

from pathlib import Path

import pytest

from medoffice_tui.services.x12 import folders
from medoffice_tui.ui.screens.claim_files import ClaimFilesScreen
from medoffice_tui.ui.screens.claim_files_forms import ReportScreen, SendForm
from tests.services.test_x12_support import pyx12_faults
from tests.ui.test_app import settle


@pytest.fixture(autouse=True)
def claims_folder(tmp_path, monkeypatch) -> Path:  # noqa: ANN001
    """The claims-files folder in the test's own directory; the demo's ICD-10-CM sample
    is enough for its claims (loading the full release is not what these tests are about)."""
    from medoffice_tui.services.claims import codes_icd

    monkeypatch.setenv(folders.ENV_FOLDER, str(tmp_path / "claims-files"))
    monkeypatch.setattr(codes_icd, "ensure_loaded", lambda: None)
    return tmp_path / "claims-files"


async def _open(app, pilot) -> ClaimFilesScreen:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    await pilot.press("x")
    await settle(app, pilot)
    assert isinstance(app.screen, ClaimFilesScreen)
    return app.screen


def _report_text(app) -> str:  # noqa: ANN001
    """The report as written (the screen wraps long lines to the terminal)."""
    screen = app.screen
    assert isinstance(screen, ReportScreen)
    shown = [row.cells[0] for row in screen.query_one("#report-lines").rows]
    assert shown and shown[0] == screen.report_title[: len(shown[0])]
    return "\n".join([screen.report_title, *screen.lines])


async def _until(app, pilot, kind, tries: int = 60) -> None:  # noqa: ANN001
    """Wait for a slow service call (an export, a file read) to reach the screen."""
    for _ in range(tries):
        await settle(app, pilot)
        if isinstance(app.screen, kind):
            return
        await pilot.pause(0.1)
    raise AssertionError(f"still on {type(app.screen).__name__}")


async def test_send_the_ready_claims_from_the_queue(make_app, claims_folder) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        ready = screen.summary.ready
        assert ready > 0
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, SendForm)
        await pilot.press("enter")
        await _until(app, pilot, ReportScreen)
        text = _report_text(app)
        assert "claims sent in 837P-000000001.x12" in text and "pyx12: 0 errors" in text
        written = claims_folder / "out" / "837P-000000001.x12"
        assert pyx12_faults(written.read_text()) == []
        sent = int(text.split(" claims sent")[0].split()[-1])
        left_out = sum(1 for line in text.splitlines() if line.startswith("left out "))
        assert sent + left_out == ready
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimFilesScreen)
        assert app.screen.summary.ready == left_out
        assert "837P-000000001.x12" in app.screen.summary.line()


async def test_read_an_835_and_its_report(make_app, claims_folder, demo_url) -> None:
    from medoffice_tui.db.models import Claim, ClaimLine
    from tests.services.test_x12_support import Cas, Clp, Svc, write_835

    sent = list(Claim.select().where(Claim.status == "submitted").order_by(Claim.id).limit(2))
    clps = []
    for claim in sent:
        lines = ClaimLine.select().where(ClaimLine.claim == claim.id).order_by(ClaimLine.line_no)
        services = [
            Svc(
                ln.procedure_code,
                ln.charge_cents,
                ln.charge_cents - 1000,
                [Cas("CO", "45", 1000)],
                modifiers=tuple(m for m in ln.modifiers.split(",") if m),
            )
            for ln in lines
        ]
        total = sum(s.charge for s in services)
        clps.append(
            Clp(claim.claim_number, "1", total, total - 1000 * len(services), services=services)
        )
    inbox = claims_folder / "in"
    inbox.mkdir(parents=True)
    (inbox / "era.835").write_text(write_835(clps, trace="EFT777"))
    app = make_app(user="billing")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        await pilot.press("i", "enter")  # the form opens on the claims folder's "in"
        await _until(app, pilot, ReportScreen)
        text = _report_text(app)
        assert "era.835 (835): 2 posted" in text
        assert "Payment EFT777" in text and "the payment equals what was posted" in text
        for claim in sent:
            assert f"posted    {claim.claim_number}" in text
    assert {Claim.get_by_id(c.id).status for c in sent} <= {"paid", "partially_paid"}


async def test_a_claim_a_999_rejected_is_listed_and_resent(
    make_app, claims_folder, demo_url
) -> None:
    from medoffice_tui.db.models import Claim, X12Submission
    from medoffice_tui.services.x12 import acks, export
    from tests.services.test_x12_acks import write_999
    from tests.ui.conftest import demo_actor

    biller = demo_actor("billing")
    out = claims_folder / "out"
    out.mkdir(parents=True)
    target = Claim.select().where(Claim.status == "ready").order_by(Claim.id.desc()).first()
    result = export.export_837p(biller, out, claim_ids=[target.id])
    span = X12Submission.get(X12Submission.claim == target.id)
    errors = [f"IK3*NM1*{span.first_segment + 3}*2010*8", "IK4*9*67*7"]
    acks.import_999(biller, text=write_999(result.group, [("0001", "R", errors)]), name="r.999")
    assert Claim.get_by_id(target.id).status == "rejected_ch"
    app = make_app(user="billing")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        first = screen.list_for("rejected").current.data
        assert first.claim_id == target.id and first.source == "999"
        assert "NM1 (segment" in first.why and "not a valid code" in first.why
        assert target.claim_number in str(screen.query_one("#files-detail").render())
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("enter")
        await _until(app, pilot, ReportScreen)
        assert "1 claim sent in 837P-000000002.x12" in _report_text(app)
    assert Claim.get_by_id(target.id).status == "submitted"
    assert pyx12_faults((out / "837P-000000002.x12").read_text()) == []


async def test_the_keys_follow_the_role(make_app) -> None:
    app = make_app(user="frontdesk")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        shown = {b.action for _, b, enabled, _ in screen.active_bindings.values() if True}
        for action in ("send", "resend"):
            assert screen.check_action(action, ()) is False
        assert screen.check_action("eligibility", ()) is True
        assert screen.check_action("read", ()) is True  # a 271 is the front desk's
        assert "next_list" in shown
        await pilot.press("tab")
        await settle(app, pilot)
        assert screen.shown == "files"
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ClaimFilesScreen)


async def test_check_in_shows_the_271_answer_and_warns_of_an_inactive_one(make_app) -> None:
    """The schedule's check-in (i) shows the primary coverage's last 271 answer: active
    with copay and deductible left, or INACTIVE as something to act on."""
    import datetime as dt

    from medoffice_tui.db.models import Coverage, EligibilityCheck
    from medoffice_tui.db.write_guard import writing_as
    from medoffice_tui.services import schedule
    from medoffice_tui.ui.screens.schedule_dialogs import CheckInScreen
    from tests.ui.conftest import DEMO_NOW, DEMO_TODAY
    from tests.ui.test_schedule import on_row

    in_force = (
        Coverage.active
        & (Coverage.effective_from.is_null() | (Coverage.effective_from <= DEMO_TODAY))
        & (Coverage.effective_to.is_null() | (Coverage.effective_to >= DEMO_TODAY))
    )
    primary: dict[int, int] = {}
    for coverage in Coverage.select().where(in_force).order_by(Coverage.rank.desc()):
        primary[coverage.patient_id] = coverage.id  # the lowest rank is written last

    def answer(patient_id: int, status: str, n: int) -> None:
        with writing_as("test:fixture"):
            EligibilityCheck.create(
                coverage=primary[patient_id],
                trace=f"PILOT{n}",
                for_day=DEMO_TODAY,
                asked_at=DEMO_NOW - dt.timedelta(days=1),
                answered_at=DEMO_NOW - dt.timedelta(hours=1),
                status=status,
                copay_cents=3000 if status == "active" else None,
                deductible_left_cents=12000 if status == "active" else None,
            )

    def to_check_in(d: object) -> bool:
        return (
            isinstance(d, schedule.AppointmentRow)
            and d.status in ("booked", "confirmed")
            and d.patient_id in primary
        )

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        first = await on_row(app, pilot, to_check_in)
        answer(first.patient_id, "active", 1)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInScreen)
        body = str(app.screen.query_one("#info-body").render())
        assert "  Eligibility active per 271, today" in body
        copay = Coverage.get_by_id(primary[first.patient_id]).copay_cents
        on_file = f"${copay // 100}.{copay % 100:02d} on file" if copay else "none on file"
        assert f"! Copay       {on_file}, the 271 says $30.00: ask" in body or copay == 3000
        assert "  Deductible  $120.00 left to meet (271)" in body
        await pilot.press("escape")
        await settle(app, pilot)
        second = await on_row(app, pilot, to_check_in)
        assert second.id != first.id
        answer(second.patient_id, "inactive", 2)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInScreen)
        body = str(app.screen.query_one("#info-body").render())
        assert "! Eligibility INACTIVE per 271, today: ask for a current card" in body
        assert "Deductible" not in body and "Eligibility checked today" not in body
