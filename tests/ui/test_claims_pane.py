"""The claims work by keys on the demo practice: charges for a completed visit, the
scrubber's findings, fixing them, ready, sent, a payer payment with an adjustment, the
bucket filter, assigning and a follow-up date; roles hide what they may not do."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Claim, ClaimLine, CodeSetRelease, Coverage
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import claims
from medoffice_tui.ui.claims.bucket_chart import GAP, SLOT, chart_lines
from medoffice_tui.ui.claims.charge_form import ChargeForm, ChargeLineField, DiagnosisField
from medoffice_tui.ui.claims.claim_screen import ClaimScreen
from medoffice_tui.ui.claims.payment_forms import PayerPaymentForm
from medoffice_tui.ui.claims.rows import COLUMNS, initials
from medoffice_tui.ui.claims.visits import VisitsToBillScreen
from medoffice_tui.ui.panes.claims import ClaimsPane
from medoffice_tui.ui.panes.fmt import count_short, money, money_short

from .conftest import DEMO_TODAY, SIZE
from .test_app import list_of, settle


@pytest.fixture
def codes_as_loaded(demo_url: str) -> None:
    """The demo's ICD-10-CM sample counts as the loaded release (no 4 s first-use load)."""
    with writing_as("test:fixture"):
        CodeSetRelease.update(source="test").where(CodeSetRelease.code_set == "icd10cm").execute()


async def type_text(pilot, text: str) -> None:  # noqa: ANN001 - a Pilot
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def newest_claim() -> Claim:
    return Claim.select().order_by(Claim.id.desc()).get()


def first_insured_visit(visits) -> int:  # noqa: ANN001 - the visits PagedList
    """The row of the first visit to bill whose patient has a primary coverage."""
    insured = {c.patient_id for c in Coverage.select(Coverage.patient).where(Coverage.rank == 1)}
    return next(i for i, r in enumerate(visits.rows) if r.data.patient_id in insured)


async def test_the_charge_form_grows_a_line_as_each_is_typed_into(
    make_app, codes_as_loaded
) -> None:
    """It opens with one empty procedure line; typing into the last line opens another
    below it, so two procedures need no extra key, and the empty last line is no line."""
    app = make_app(user="billing")
    before = ClaimLine.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("c")  # completed visits without a claim
        await settle(app, pilot)
        visits = app.screen.query_one("#visits-list")
        index = first_insured_visit(visits)
        await pilot.press(*["down"] * index, "enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ChargeForm)
        assert len(form.query(ChargeLineField)) == 1
        await type_text(pilot, "J06.9 ")
        await settle(app, pilot)
        await pilot.press("tab", *"99213")
        await settle(app, pilot)
        assert len(form.query(ChargeLineField)) == 2
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"36415")
        await settle(app, pilot)
        assert len(form.query(ChargeLineField)) == 3
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert ClaimLine.select().count() == before + 2
        codes = [line.procedure_code for line in ClaimLine.select().where(
            ClaimLine.claim == newest_claim().id).order_by(ClaimLine.id)]  # fmt: skip
        assert codes == ["99213", "36415"]


async def test_charges_scrubber_fix_ready_post_filter_assign(
    make_app, codes_as_loaded, monkeypatch
) -> None:
    import medoffice_tui.ui.panes.claims as claims_pane

    # the new claim is looked for among the rows held: a full page of them, not the
    # screenful the queue first reads
    monkeypatch.setattr(claims_pane, "FIRST_PAGE", claims_pane.PAGE_SIZE)
    app = make_app(user="billing")
    before = Claim.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("c")  # completed visits without a claim
        await settle(app, pilot)
        assert isinstance(app.screen, VisitsToBillScreen)
        visits = app.screen.query_one("#visits-list")
        index = first_insured_visit(visits)
        await pilot.press(*["down"] * index)
        visit = visits.current.data
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChargeForm)
        # a category code and a pointer to a diagnosis that is not there
        await type_text(pilot, "J06 ")
        await settle(app, pilot)
        await pilot.press("tab", *"99213", "tab", "tab", "tab", "tab", *"1,2")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        claim = newest_claim()
        assert Claim.select().count() == before + 1 and claim.appointment_id == visit.appointment_id
        assert claim.status == "draft" and claim.total_charge_cents == 13000  # the fee
        shown = str(app.screen.query_one("#claim-detail").render())
        assert "not a billable code" in shown and "diagnosis 2, which is not there" in shown

        await pilot.press("r")  # refused: the problems stay listed
        await settle(app, pilot)
        assert newest_claim().status == "draft"

        await pilot.press("e")  # fix them
        await settle(app, pilot)
        assert isinstance(app.screen, ChargeForm)
        dx = app.screen.query_one(DiagnosisField)
        assert app.screen.focused is dx.input  # the form opens on the diagnoses
        await pilot.press("end", *["backspace"] * len(dx.raw()))  # clear them by keys
        await settle(app, pilot)
        assert dx.raw() == ""
        await type_text(pilot, "J06.9 R05.9 ")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        assert claims.scrub(claim.id, load_codes=False) == []
        assert "nothing to fix" in str(app.screen.query_one("#claim-detail").render())

        await pilot.press("r")  # ready
        await settle(app, pilot)
        assert newest_claim().status == "ready"
        await pilot.press("t", "right", "enter")  # ready -> sent
        await settle(app, pilot)
        assert newest_claim().status == "submitted"

        await pilot.press("p")  # the payer: allowed 90, paid 70, copay 20 (CO 45 of 40)
        await settle(app, pilot)
        assert isinstance(app.screen, PayerPaymentForm)
        await type_text(pilot, "EFT777")
        await pilot.press("tab", "tab", "tab", *"90", "tab", *"70", "tab", *"20")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        claim = newest_claim()
        line = ClaimLine.get(ClaimLine.claim == claim.id)
        assert (line.paid_cents, line.co_cents, line.pr_cents) == (7000, 4000, 2000)
        assert claim.status == "partially_paid" and claim.balance_cents == 2000
        assert "contractual" in str(app.screen.query_one("#claim-detail").render())

        await pilot.press("a", "right", "enter")  # assign to the first biller
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        await type_text(pilot, "t+7")
        await pilot.press("enter")
        await settle(app, pilot)
        claim = newest_claim()
        assert claim.assignee_id == claims.assignable_staff()[0].id
        assert claim.follow_up_on == DEMO_TODAY + dt.timedelta(days=7)
        kinds = [h.kind for h in claims.claim_history(claim.id)]
        assert {"payment", "assign", "follow_up"} <= set(kinds)

        await pilot.press("escape", "escape")  # the claim, the visits: the queue again
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        rows = list_of(app, "#claims-list").rows
        assert pane.bucket_filter == "0-30" and rows
        assert all(r.data.bucket == "0-30" for r in rows)
        assert claim.id in [r.data.id for r in rows]


async def test_filters_owner_payer_follow_up_and_sort(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        listing = list_of(app, "#claims-list")
        assert pane.sort == "urgent"  # the queue opens most urgent first
        await pilot.press("o")  # oldest first
        await settle(app, pilot)
        days = [r.data.service_date for r in listing.rows]
        assert days == sorted(days)
        await pilot.press("o")  # largest balance first
        await settle(app, pilot)
        balances = [r.data.balance_cents for r in listing.rows]
        assert balances == sorted(balances, reverse=True)
        await pilot.press("o", "o", "i")  # back to most urgent; the first payer
        await settle(app, pilot)
        payer = pane.payer_filter
        assert payer is not None and {r.data.payer_id for r in listing.rows} <= {payer[0]}
        await pilot.press("m", "m")  # owner: mine, then nobody
        await settle(app, pilot)
        assert all(r.data.assignee_id is None for r in listing.rows)
        await pilot.press("m", "u")  # a biller's claims whose follow-up has come
        await settle(app, pilot)
        assert all(r.data.follow_up_on <= DEMO_TODAY for r in listing.rows)
        assert "follow-up due" in str(app.query_one("#claims-filter").render())


async def test_front_desk_sees_no_billing_keys(make_app) -> None:
    app = make_app(user="frontdesk")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        assert pane.check_action("payer_payment", ()) is False
        assert pane.check_action("write_off", ()) is False
        assert pane.check_action("mark_ready", ()) is False
        assert pane.check_action("visits", ()) is True  # front desk enters charges
        await pilot.press("p", "w")  # nothing opens
        await settle(app, pilot)
        assert app.screen is app.main_screen


def _chart_heads_read(line: str, summary: dict[str, tuple[int, int]]) -> None:
    """Each bucket's label then its count, whole, in its own slot, with a gap before
    the next bucket's label."""
    for index, bucket in enumerate(claims.AGING_BUCKETS):
        start = index * (SLOT + GAP)
        slot = line[start : start + SLOT]
        label, count = slot.split()
        assert label == f"{bucket}d"
        assert count == count_short(summary.get(bucket, (0, 0))[0])
        if index < len(claims.AGING_BUCKETS) - 1:
            assert line[start + SLOT : start + SLOT + GAP] == " " * GAP


@pytest.mark.parametrize(
    "scale", [1, 1000], ids=["20k-sized (4,516 claims)", "1M-sized (451k claims)"]
)
def test_the_chart_reads_at_80_columns_at_any_size(scale: int) -> None:
    summary = {
        "0-30": (4_516 * scale // 10, 80_012_345 * scale),
        "31-60": (1_458 * scale // 10, 23_600_000 * scale),
        "61-90": (986 * scale // 10, 16_100_049 * scale),
        "91-120": (629 * scale, 9_800_050 * scale),
        "121+": (99_999 * scale, 13_200_000 * scale),
    }
    lines = [t.plain for t in chart_lines(summary, claims.AGING_BUCKETS)]
    assert len(lines) == 3 and all(len(line) <= 80 for line in lines)
    _chart_heads_read(lines[0], summary)
    for index, bucket in enumerate(claims.AGING_BUCKETS):
        start = index * (SLOT + GAP)
        owed = lines[2][start : start + SLOT].strip()
        assert owed == f"{money_short(summary[bucket][1])} owed"


async def test_the_chart_and_the_summary_line_read_at_80_columns(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        chart = app.query_one("#claims-chart")
        lines = chart.plain.splitlines()
        assert len(lines) == 3 and all(len(line) <= 80 for line in lines)
        _chart_heads_read(lines[0], claims.aging_summary())
        assert "█" in lines[1]
        status = str(app.query_one("#claims-filter").render())
        owed = sum(cents for _n, cents in claims.aging_summary().values())
        assert status.startswith(f"Owed ${money(owed)}") and "Status open" in status
        assert "." in status.split()[1]  # the cents are shown
        header = list_of(app, "#claims-list").render_line(0).text
        for column in COLUMNS:  # every label whole; the position is on the filter line
            assert column.title in header
        position = str(app.query_one("#claims-position").render()).strip()
        assert position == list_of(app, "#claims-list").position()


async def test_the_filter_line_fits_80_columns_with_every_filter_on(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        longest = max(range(len(pane._payers)), key=lambda i: len(pane._payers[i][1]))
        await pilot.press("b", *["i"] * (longest + 1), "m", "m", "m", "m", "u")
        await settle(app, pilot)
        assert pane.payer_filter is not None and pane.owner_index == 4 and pane.follow_up_due
        widget = app.query_one("#claims-filter")
        lines = str(widget.render()).splitlines()
        assert 1 <= len(lines) <= 2
        position_width = app.query_one("#claims-position").size.width
        assert all(len(line) <= 80 - position_width for line in lines)
        text = " ".join(lines)
        for word in ("Owed $", "Status", "Bucket 0-30", "Payer ", "Owner ", "follow-up due"):
            assert word in text
        staff = pane._staff[1]
        assert f"Owner {initials(staff.full_name, staff.username)}" in text


async def test_end_lands_on_the_true_last_claim_with_one_read_from_the_end(
    make_app, monkeypatch
) -> None:
    import medoffice_tui.ui.panes.claims as claims_pane

    monkeypatch.setattr(claims_pane, "PAGE_SIZE", 5)  # the queue is many pages long
    reads: list[dict] = []
    real = claims.list_claims

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the service read, counted
        page = real(*args, **kwargs)  # (an inline read stopped past its budget is not one)
        reads.append(kwargs)
        return page

    monkeypatch.setattr(claims, "list_claims", spy)
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        pane = app.query_one(ClaimsPane)
        listing = list_of(app, "#claims-list")
        for sort in claims.SORTS:
            whole = [r.id for r in real(open_only=True, sort=sort, limit=100_000).rows]
            assert len(whole) > 20  # more than a few pages of 5
            assert listing.rows[0].data.id == whole[0] and listing.has_more
            # the last page was read ahead once this filter's first page was shown
            ahead = [r for r in reads if r.get("from_end")]
            assert ahead and ahead[-1]["sort"] == sort and ahead[-1]["open_only"]
            reads.clear()
            await pilot.press("end")  # ... so End shows it in this frame
            assert listing.current.data.id == whole[-1]
            await settle(app, pilot)
            assert not [r for r in reads if r.get("from_end")]  # End read no last page
            assert not [r for r in reads if r.get("after") is not None]  # no walking pages
            assert listing.current.data.id == whole[-1]  # the true last claim
            assert listing.has_before and not listing.has_more
            assert [r.data.id for r in listing.rows] == whole[-len(listing.rows) :]
            assert "1 to end" in str(app.query_one("#claims-position").render())
            await pilot.press(*["up"] * 12)  # climbs into the pages above
            await settle(app, pilot)
            assert [r.data.id for r in listing.rows] == whole[-len(listing.rows) :]
            assert listing.current.data.id == whole[-13]
            await pilot.press("home")  # back to the first page
            await settle(app, pilot)
            assert listing.current.data.id == whole[0] and not listing.has_before
            await pilot.press("o")
            await settle(app, pilot)
        assert pane.sort == "urgent"
