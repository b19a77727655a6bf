"""Booking by keys, the harder cases: ``b`` on a patient's record, an inactive record found
by the picker and reactivated, find next available for a given patient (and on a
Sunday), losing a race to another desk, checking out into the charge form, and the
caseload line that must show every provider at 80 columns."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from medoffice_tui.db.models import Appointment, Claim, Patient
from medoffice_tui.services import schedule
from medoffice_tui.ui.forms.form_screen import FormScreen
from medoffice_tui.ui.forms.patient_picker import INACTIVE
from medoffice_tui.ui.screens.booking import BookingForm
from medoffice_tui.ui.screens.find_slot import WEEKDAYS, FindSlotScreen
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.widgets.day_grid import caseload_line

from .conftest import DEMO_NOW, DEMO_TODAY, demo_actor
from .test_app import list_of, settle
from .test_schedule import SIZE, free_patient, on_row, pick_patient_and_save


def _title(app) -> str:  # noqa: ANN001
    pane = app.query_one("#schedule")
    return pane.columns[0].query_one(".provider-day--title").render().plain


async def test_b_on_a_record_books_that_patient_at_the_next_free_slot(make_app) -> None:
    patient = free_patient()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PatientScreen(patient.id))
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        picker = form.field("patient")
        assert picker.picked is not None and picker.picked.id == patient.id
        pane = app.query_one("#schedule")
        grid = schedule.build_grid(schedule.day_view(DEMO_TODAY), pane.slot_minutes)
        free = [c for cells in grid.cells.values() for c in cells
                if c.kind == "free" and c.start >= DEMO_NOW]  # fmt: skip
        first = min(c.start for c in free)
        assert form.field("day").raw() == DEMO_TODAY.strftime("%m/%d/%Y")
        assert form.field("start").raw() == first.strftime("%H:%M")
        await pilot.press("enter")  # the patient is picked already: Enter books
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        booked = Appointment.get((Appointment.patient == patient.id)
                                 & (Appointment.start == first))  # fmt: skip
        assert booked.status == "booked"
        assert list_of(app, "#schedule-list").current.data.id == booked.id


async def test_an_inactive_record_is_found_marked_and_reactivated_when_booked(make_app) -> None:
    inactive = (
        Patient.select()
        .where(~Patient.active & Patient.merged_into.is_null())
        .order_by(Patient.id)
        .first()
    )
    assert inactive is not None, "the demo has an inactive record"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await on_row(app, pilot, lambda d: isinstance(d, schedule.GridCell)
                     and d.kind == "free" and d.start >= DEMO_NOW)  # fmt: skip
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        await pilot.press(*inactive.mrn)
        await settle(app, pilot)
        matches = form.field("patient").matches
        assert matches.rows and INACTIVE in matches.rows[0].cells[0]
        await pilot.press("enter")  # takes the match
        await pilot.press("enter")  # saves: refused, the record is inactive
        await settle(app, pilot)
        assert "Reactivate it and book?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert Patient.get_by_id(inactive.id).active
        assert Appointment.select().where(Appointment.patient == inactive.id,
                                          Appointment.start >= DEMO_NOW).exists()  # fmt: skip


async def test_find_for_a_patient_never_offers_their_booked_time(make_app) -> None:
    # a patient with a visit to come: no slot overlapping it may be offered, any provider
    appt = (
        Appointment.select()
        .where(Appointment.start > DEMO_NOW + dt.timedelta(days=1),
               Appointment.status == "booked")
        .order_by(Appointment.start)
        .first()
    )  # fmt: skip
    patient = Patient.get_by_id(appt.patient_id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        finder = app.screen
        assert isinstance(finder, FindSlotScreen)
        await pilot.press(*patient.mrn)
        await settle(app, pilot)
        await pilot.press("enter")  # picks the patient: the slots are asked again
        await settle(app, pilot)
        assert finder.patient_id == patient.id
        slots = [r.data for r in finder.results.rows]
        types = schedule.list_appointment_types()
        expected = schedule.find_slots(None, appt_type_id=types[0].id, limit=60,
                                       per_provider_day=3, patient_id=patient.id)  # fmt: skip
        assert slots == expected
        mine = [
            (a.start, a.end)
            for a in Appointment.select().where(
                Appointment.patient == patient.id, Appointment.status.in_(("booked", "confirmed"))
            )
        ]
        assert not [s for s in slots for a, b in mine if s.start < b and a < s.end]
        # Sunday is among the weekdays; then back to any day and book the first slot
        assert WEEKDAYS[-1] == ("6", "Sunday")
        await pilot.press("down", "down", "down", *["left"])  # weekday: any day -> Sunday
        await settle(app, pilot)
        assert all(r.data.start.weekday() == 6 for r in finder.results.rows)
        await pilot.press("right")  # back to any day
        await settle(app, pilot)
        await pilot.press("down", "down")  # time of day, then the list
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        assert form.field("patient").picked.id == patient.id
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        booked = Appointment.select().order_by(Appointment.id.desc()).first()
        assert (booked.patient_id, booked.start) == (patient.id, slots[0].start)


async def test_the_desk_that_loses_a_race_is_told_and_the_grid_refreshes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        cell = await on_row(app, pilot, lambda d: isinstance(d, schedule.GridCell)
                            and d.kind == "free" and d.start >= DEMO_NOW)  # fmt: skip
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        # another desk books that very time while this one picks the patient
        ours, theirs = (
            free_patient(),
            (Patient.select().where(Patient.active).order_by(Patient.id.desc()).first()),
        )
        other = demo_actor("jreyes")
        won = schedule.book_appointment(other, theirs.id, cell.provider_id, cell.start)
        await pick_patient_and_save(app, pilot, ours)
        assert app.screen is form  # the form stays, with what was typed
        error = str(form.field("start").query_one(".field-error").render())
        assert "that time was just taken" in error and "Jasmine Reyes" in error
        assert theirs.last_name not in error  # never the other patient's name
        assert (
            not Appointment.select()
            .where(Appointment.patient == ours.id, Appointment.start == cell.start)
            .exists()
        )
        shown = [r.data for r in list_of(app, "#schedule-list").rows]
        assert any(isinstance(d, schedule.AppointmentRow) and d.id == won.id for d in shown)


def _visit_to_check_out() -> Appointment:
    return (
        Appointment.select()
        .where(Appointment.status.in_(("arrived", "roomed")),
               Appointment.start >= dt.datetime.combine(DEMO_TODAY, dt.time()),
               Appointment.id.not_in(Claim.select(Claim.appointment)
                                     .where(Claim.appointment.is_null(False))))
        .order_by(Appointment.start)
        .first()
    )  # fmt: skip


async def test_checking_out_opens_the_charge_form_for_a_visit_not_yet_billed(make_app) -> None:
    from medoffice_tui.ui.claims.charge_form import ChargeForm

    visit = _visit_to_check_out()
    assert visit is not None, "the demo has a visit in progress today"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await on_row(app, pilot, lambda d: isinstance(d, schedule.AppointmentRow)
                     and d.id == visit.id)  # fmt: skip
        await pilot.press("d")
        await settle(app, pilot)
        assert Appointment.get_by_id(visit.id).status == "completed"
        assert isinstance(app.screen, ChargeForm)
        assert app.screen.context.appointment_id == visit.id


async def test_checking_out_by_a_role_without_charges_only_marks_it_done(make_app) -> None:
    visit = _visit_to_check_out()
    app = make_app(user="clinical")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        await on_row(app, pilot, lambda d: isinstance(d, schedule.AppointmentRow)
                     and d.id == visit.id)  # fmt: skip
        await pilot.press("d")
        await settle(app, pilot)
        assert Appointment.get_by_id(visit.id).status == "completed"
        assert app.screen is main


async def test_the_caseload_line_shows_every_provider_at_80_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        title = _title(app)
        assert len(pane.providers) == 6
        assert len(title) <= 80 and not title.endswith("…")
        for provider in pane.providers:
            summary = pane.grid.summaries[provider.id]
            last = provider.short_name.split(" ", 1)[-1]
            assert f"{last[:4]}" in title and f"{summary.booked}/{summary.open}" in title


def test_the_caseload_line_fits_six_long_names_with_every_flag() -> None:
    names = ["Okafor", "Hernández", "Chen", "Kowalski", "Brooks", "O'Connor"]
    providers = [schedule.ProviderColumn(i, f"A. {n}, MD") for i, n in enumerate(names)]
    summaries = {p.id: schedule.ProviderSummary(p.id, booked=27, open=13, no_show=2,
                                                overbooked=1) for p in providers}  # fmt: skip
    grid = schedule.DayGrid(DEMO_TODAY, 15, providers, [], {}, summaries)
    line = caseload_line(grid, 80)  # too much for one line: two, every flag on them
    assert isinstance(line, Text)
    rows = line.plain.split("\n")
    assert len(rows) == 2 and all(len(r) <= 80 for r in rows)
    for name in names:
        assert name[:4] in line.plain
    assert line.plain.count("27/13 2ns 1ob") == 6
    quiet = {p.id: schedule.ProviderSummary(p.id, booked=27, open=13) for p in providers}
    one = caseload_line(schedule.DayGrid(DEMO_TODAY, 15, providers, [], {}, quiet), 80).plain
    assert "\n" not in one and len(one) <= 80 and one.count("27/13") == 6
    wide = caseload_line(grid, 160).plain
    assert all(name in wide for name in names) and wide.startswith("Booked/open")


async def test_p_keeps_the_headings_height_when_the_caseload_takes_two_lines(
    make_app, monkeypatch
) -> None:
    """A day whose caseload line needs two lines (20 providers at 80 columns): the
    one-provider heading takes two as well, so p repaints without a new layout."""
    from medoffice_tui.ui.panes.schedule import lists

    real = lists.caseload_line

    def two_lines(grid, width=80):  # noqa: ANN001, ANN202
        return Text("\n", end="").join([real(grid, width), Text("more providers", end="")])

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        title = pane.columns[0].query_one(".provider-day--title")
        await pilot.press("p")
        await settle(app, pilot)
        assert "\n" not in _title(app)  # a one-line caseload: a one-line heading
        assert title.size.height == 1
        await pilot.press("p", "p", "p", "p", "p", "p")  # back to the agenda
        await settle(app, pilot)
        monkeypatch.setattr(lists, "caseload_line", two_lines)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert pane.mode()[0] == "agenda" and title.size.height == 2
        await pilot.press("p")
        await settle(app, pilot)
        assert pane.mode()[0] == "grid" and title.size.height == 2
        first, second = _title(app).split("\n")
        assert "booked" in first and "Booked/open" not in first  # the provider's own
        assert second.startswith("provider 1 of 6")


async def test_find_next_available_keeps_what_is_typed_while_it_opens(make_app) -> None:
    """f and an MRN typed in one burst: the screen's first slots were read with the key
    (before the screen was pushed) and the MRN typed meanwhile lands in the picker."""
    patient = free_patient()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f", *patient.mrn)
        await settle(app, pilot)
        finder = app.screen
        assert isinstance(finder, FindSlotScreen)
        assert finder.picker.input.value == patient.mrn
        assert finder.results.row_count > 0
        assert "open slots" in finder.status.render().plain


async def test_the_calls_list_arrives_with_its_screen_and_closing_it_reloads_only_after_calls(
    make_app,
) -> None:
    from medoffice_tui.ui.screens.reminders import RemindersScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        reloads: list[bool] = []
        original = pane.reload

        def counting(quiet: bool = False) -> None:
            reloads.append(quiet)
            original(quiet=quiet)

        pane.reload = counting  # type: ignore[method-assign]
        await pilot.press("R")
        await settle(app, pilot)
        calls = app.screen
        assert isinstance(calls, RemindersScreen)
        assert calls.list.row_count > 0 and calls.day is not None
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is not calls
        assert reloads == []  # nothing recorded: the day behind is as it was
