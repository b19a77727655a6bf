"""The Schedule pane by keys alone: book from a free slot and through find next available,
check in, no-show, cancel with a reason, undo, move, overbook refused for the front desk
and allowed for a manager, go to a day, the confirmation calls marked and exported, and
the side-by-side grid at 160 columns."""

from __future__ import annotations

import csv
import datetime as dt
import stat
import time

import pytest
from textual.pilot import Pilot

from medoffice_tui.db.models import Appointment, AppointmentEvent, Patient
from medoffice_tui.services import schedule
from medoffice_tui.ui.app import MedofficeApp
from medoffice_tui.ui.forms.form_screen import FormScreen
from medoffice_tui.ui.screens.booking import BookingForm, MoveForm
from medoffice_tui.ui.screens.find_slot import FindSlotScreen
from medoffice_tui.ui.screens.reminders import RemindersScreen
from medoffice_tui.ui.screens.schedule_dialogs import CancelForm, CheckInScreen

from .conftest import DEMO_NOW, DEMO_TODAY, demo_actor
from .test_app import list_of, list_text, settle

SIZE = (80, 24)
TOMORROW = DEMO_TODAY + dt.timedelta(days=1)


def free_patient(day: dt.date = DEMO_TODAY) -> Patient:
    """An active patient with nothing booked that day (so no patient-overlap refusal)."""
    start = dt.datetime.combine(day, dt.time())
    busy = Appointment.select(Appointment.patient).where(
        (Appointment.start >= start) & (Appointment.start < start + dt.timedelta(days=2))
    )
    return (
        Patient.select()
        .where(Patient.active & Patient.id.not_in(busy))
        .order_by(Patient.id)
        .first()
    )


async def cursor_to(pilot: Pilot, listing, index: int) -> None:  # noqa: ANN001
    """Move the cursor with the arrow keys, as the desk would."""
    step = "down" if index > listing.cursor_row else "up"
    await pilot.press(*[step] * abs(index - listing.cursor_row))
    assert listing.cursor_row == index


async def on_row(app: MedofficeApp, pilot: Pilot, predicate) -> object:  # noqa: ANN001
    listing = list_of(app, "#schedule-list")
    index = listing.index_where(predicate)
    assert index is not None, "no such row today"
    await cursor_to(pilot, listing, index)
    return listing.rows[index].data


def is_appt(status: str, after: dt.datetime | None = None):  # noqa: ANN201
    return lambda d: (
        isinstance(d, schedule.AppointmentRow)
        and d.status == status
        and (after is None or d.start >= after)
    )


async def pick_patient_and_save(app: MedofficeApp, pilot: Pilot, patient: Patient) -> None:
    await pilot.press(*patient.mrn)
    await settle(app, pilot)
    await pilot.press("enter")  # the picker takes the match
    await pilot.press("enter")  # the form saves
    await settle(app, pilot)


async def test_book_from_a_free_slot_of_a_providers_grid(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")  # the first provider's day grid
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        first = schedule.list_providers()[0]
        assert pane.provider_filter == first
        assert "free" in list_text(list_of(app, "#schedule-list"))
        cell = await on_row(app, pilot, lambda d: isinstance(d, schedule.GridCell)
                            and d.kind == "free" and d.start >= DEMO_NOW)  # fmt: skip
        await pilot.press("enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        assert form.field("provider").raw() == str(first.id)
        assert form.field("start").raw() == cell.start.strftime("%H:%M")
        patient = free_patient()
        await pick_patient_and_save(app, pilot, patient)
        assert not isinstance(app.screen, FormScreen)
        booked = Appointment.get(
            (Appointment.patient == patient.id) & (Appointment.start == cell.start)
        )
        assert (booked.provider_id, booked.status, booked.created_by_id) == (
            first.id, "booked", demo_actor().user_id
        )  # fmt: skip
        current = list_of(app, "#schedule-list").current
        assert isinstance(current.data, schedule.AppointmentRow) and current.data.id == booked.id


async def test_book_through_find_next_available(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        finder = app.screen
        assert isinstance(finder, FindSlotScreen)
        slots = [r.data for r in finder.results.rows]
        assert slots and all(s.start >= DEMO_NOW for s in slots)
        await pilot.press("down")  # past the (optional) patient
        await pilot.press("right")  # the first provider only
        await settle(app, pilot)
        mine = [r.data for r in finder.results.rows]
        first = schedule.list_providers()[0]
        assert mine and {s.provider_id for s in mine} == {first.id}
        await pilot.press("down", "down", "down", "down", "down")  # past the choices, 2nd slot
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingForm)
        patient = free_patient()
        await pick_patient_and_save(app, pilot, patient)
        booked = Appointment.select().order_by(Appointment.id.desc()).first()
        assert (booked.patient_id, booked.provider_id, booked.start) == (
            patient.id, first.id, mine[1].start
        )  # fmt: skip


async def test_check_in_shows_what_to_ask_for(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, lambda d: isinstance(d, schedule.AppointmentRow)
                            and d.status in ("booked", "confirmed"))  # fmt: skip
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckInScreen)
        body = str(app.screen.query_one("#info-body").render())
        for label in ("Insurance", "Copay", "Balance", "Allergies"):
            assert label in body
        assert Appointment.get_by_id(appt.id).status == "arrived"
        await pilot.press("escape")
        assert not isinstance(app.screen, CheckInScreen)
        assert list_of(app, "#schedule-list").current.data.status == "arrived"


async def test_no_show_asks_once_and_undo_takes_it_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("booked"))
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("n")  # the question: "n" keeps it
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "booked"
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "no_show"
        pane = app.query_one("#schedule")
        assert pane.check_action("undo", ()) is True
        await pilot.press("u")
        await settle(app, pilot)
        stored = Appointment.get_by_id(appt.id)
        assert (stored.status, stored.no_show_at) == ("booked", None)
        assert pane.check_action("undo", ()) is None  # once only
        kinds = [
            e.kind for e in AppointmentEvent.select().where(AppointmentEvent.appointment == appt.id)
        ]
        assert kinds[-2:] == ["status", "undo"]


async def test_cancel_with_a_reason_stays_greyed_and_can_be_undone(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("confirmed", after=DEMO_NOW))
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, CancelForm)
        await pilot.press("right", "enter")  # the second reason on the list
        await settle(app, pilot)
        stored = Appointment.get_by_id(appt.id)
        assert (stored.status, stored.cancel_reason) == ("cancelled", schedule.CANCEL_REASONS[1])
        current = list_of(app, "#schedule-list").current
        assert current.data.id == appt.id and "cancelled" in current.cells
        await pilot.press("u")
        await settle(app, pilot)
        stored = Appointment.get_by_id(appt.id)
        assert (stored.status, stored.cancel_reason) == ("confirmed", "")


async def test_tomorrows_visit_cannot_be_checked_in_or_completed_today(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("confirmed"))
        pane = app.query_one("#schedule")
        assert pane.check_action("set_status", ("arrived",)) is None
        assert pane.check_action("set_status", ("completed",)) is None
        await pilot.press("i", "d")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "confirmed"


async def test_move_to_another_day_keeps_the_history(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("booked", after=DEMO_NOW))
        target = schedule.find_slots([appt.provider_id], minutes=appt.minutes,
                                     after=dt.datetime.combine(TOMORROW, dt.time(8)), limit=1,
                                     patient_id=appt.patient_id)[0]  # fmt: skip
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, MoveForm)
        await pilot.press(*"tomorrow", "tab", *target.start.strftime("%H:%M"), "enter")
        await settle(app, pilot)
        stored = Appointment.get_by_id(appt.id)
        assert (stored.start, stored.provider_id) == (target.start, appt.provider_id)
        pane = app.query_one("#schedule")
        assert pane.day == TOMORROW  # the schedule follows the appointment
        history = schedule.appointment_history(appt.id)
        assert history[-1].kind == "moved" and history[-1].from_start == appt.start
        assert list_of(app, "#schedule-list").current.data.id == appt.id


async def _book_into_lunch(app: MedofficeApp, pilot: Pilot) -> None:
    await settle(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    await on_row(app, pilot, lambda d: isinstance(d, schedule.GridCell) and d.kind == "block")
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, BookingForm)
    await pick_patient_and_save(app, pilot, free_patient())


async def test_an_overbook_is_refused_for_the_front_desk(make_app) -> None:
    app = make_app()
    before = Appointment.select().count()
    async with app.run_test(size=SIZE) as pilot:
        await _book_into_lunch(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm)
        error = str(form.field("start").query_one(".field-error").render())
        assert "lunch" in error and "needs the Manager role" in error
    assert Appointment.select().count() == before


async def test_an_overbook_is_allowed_for_a_manager_with_a_reason(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await _book_into_lunch(app, pilot)
        assert "overbook" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, BookingForm) and form.field("overbook_reason") is not None
        await pilot.press(*"urgent: fever", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        booked = Appointment.select().order_by(Appointment.id.desc()).first()
        assert booked.overbooked and booked.overbook_reason == "urgent: fever"
        assert "OB" in list_of(app, "#schedule-list").current.cells


async def test_go_to_a_day_typed_forgivingly(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g", *"someday", "enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "not a day" in str(form.field("day").query_one(".field-error").render())
        await pilot.press(*["backspace"] * 7, *"next tue", "enter")
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        assert pane.day == dt.date(2026, 12, 1)
        assert "Tue 01 Dec 2026" in str(app.query_one("#schedule-status").render())


async def test_confirmation_calls_are_marked_and_exported(make_app, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RemindersScreen) and screen.day == TOMORROW
        rows = [r.data for r in screen.list.rows]
        assert rows and all(r.start.date() == TOMORROW for r in rows)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        first, second = (Appointment.get_by_id(r.appointment_id) for r in rows[:2])
        assert (first.status, first.reminder_outcome) == ("confirmed", "confirmed")
        assert (second.status, second.reminder_outcome) == ("booked", "left_message")
        assert second.reminder_at == DEMO_NOW
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        out = tmp_path / f"confirmations-{TOMORROW.isoformat()}.csv"
        assert out.exists() and stat.S_IMODE(out.stat().st_mode) == 0o600
        lines = list(csv.reader(out.open()))
        assert len(lines) == len(rows)  # the header, and every row but the confirmed one
        assert "left message" in {line[8] for line in lines[1:]}
        await pilot.press("escape")
        assert not isinstance(app.screen, RemindersScreen)


@pytest.mark.slow
async def test_side_by_side_at_160_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        mode, shown = pane.mode()
        assert mode == "grid" and len(shown) == 4
        lists = [c.list for c in pane.columns[:4]]
        times = [[r.cells[0] for r in lst.rows] for lst in lists]
        assert all(t == times[0] for t in times)  # every column lines up by time
        await pilot.press("right", "right")
        assert pane.focus_col == 2 and app.focused is lists[2]
        assert lists[2].cursor_row == lists[0].cursor_row
        await pilot.press("right", "right")  # past the fourth: the window moves on by one
        assert pane.focus_col == 3
        assert [p.id for p in pane.mode()[1]] == [p.id for p in schedule.list_providers()[1:5]]


def shown_status(app: MedofficeApp, appt_id: int) -> str | None:
    for row in list_of(app, "#schedule-list").rows:
        if isinstance(row.data, schedule.AppointmentRow) and row.data.id == appt_id:
            return row.data.status
    return None


async def test_a_status_key_shows_in_its_own_frame_and_its_answer_draws_nothing(make_app) -> None:
    """c: the row reads "confirmed" before the write has answered; the answer reads the
    same (status, and undo back to booked), so nothing is drawn again."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("booked"))
        pane = app.query_one("#schedule")
        pane.action_set_status("confirmed")  # as the key does, without waiting for idle
        assert shown_status(app, appt.id) == "confirmed"
        assert pane.current_appointment().undo_to == "booked"
        assert Appointment.get_by_id(appt.id).status == "booked"  # not written yet
        listing = list_of(app, "#schedule-list")
        shown = [row.cells for row in listing.rows]
        replaced: list[int] = []
        original = listing.replace_row

        def counting(index, row):  # noqa: ANN001, ANN202
            replaced.append(index)
            return original(index, row)

        listing.replace_row = counting  # type: ignore[method-assign]
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "confirmed"
        assert [row.cells for row in listing.rows] == shown
        assert replaced == []  # the answer drew nothing more
        assert pane.current_appointment().version == appt.version + 1


async def test_a_refused_status_key_puts_the_row_back(make_app) -> None:
    """Another desk cancelled the visit first: c shows "confirmed" at once, the write is
    refused, and the day shows what is true (the visit gone from the agenda)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        pane.watcher.stop()  # this desk must not hear of it before the key
        appt = await on_row(app, pilot, is_appt("booked"))
        schedule.set_status(demo_actor("jreyes"), appt.id, "cancelled", appt.version,
                            reason="patient called")  # fmt: skip
        await pilot.press("c")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "cancelled"
        assert shown_status(app, appt.id) is None  # reloaded: another desk's cancellation


async def test_a_status_write_that_fails_puts_the_row_back(make_app, monkeypatch) -> None:
    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the disk is full")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("booked"))
        monkeypatch.setattr(schedule, "set_status", broken)
        await pilot.press("c")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "booked"
        assert shown_status(app, appt.id) == "booked"
        assert app.query_one("#schedule").current_appointment() == appt


async def test_u_typed_over_a_refused_change_is_dropped_not_applied_to_the_real_row(
    make_app, monkeypatch
) -> None:
    """i shows "arrived" at once and u, typed right behind it while the arrival is on
    its way, means "take the arrival back"; the arrival is refused, so u has nothing of
    its own to undo and must not undo the confirmation made before (the change really
    on the row)."""
    from medoffice_tui.errors import InvalidInput

    from .test_sign_in_and_lock import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        appt = await on_row(app, pilot, is_appt("booked"))
        await pilot.press("c")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "confirmed"

        def refused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            time.sleep(0.5)  # u is read while the arrival is still on its way
            raise InvalidInput("refused for the test")

        monkeypatch.setattr(schedule, "set_status", refused)
        await burst(app, "i", "u")
        for _ in range(4):
            await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "confirmed"
        assert shown_status(app, appt.id) == "confirmed"
        # a u pressed now, with the row as it really is, undoes the confirmation
        await pilot.press("u")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "booked"


async def test_a_sign_in_reset_forgets_the_last_users_pending_work(make_app) -> None:
    """Nothing of the last user's session carries over to the next: a booking asked for
    (b on a record) never opens for the next user, and a write of theirs cancelled
    before it ran (it never reports back) does not hold up another desk's news."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        appt = await on_row(app, pilot, is_appt("booked"))
        pane._book_for = appt.patient_id
        pane._select_after = appt.id
        pane._writes_out = 1
        pane._in_flight[appt.id] += 1
        pane._refusals[appt.id] += 1
        pane.reset()
        assert pane._book_for is None and pane._select_after is None
        assert pane._writes_out == 0 and not pane._in_flight and not pane._previews
        assert not pane._refusals and not pane._stale and pane._stale_timer is None


#: the read behind each early-reading screen, and the screen
EARLY_READS = {"f": ("find_slots", FindSlotScreen), "R": ("confirmation_list", RemindersScreen)}


async def _open_counting_reads(make_app, monkeypatch, key: str, refuse_first: bool):  # noqa: ANN001, ANN202
    """Press ``key`` with its read counted (the first one refused if asked); returns the
    app's screen once settled and the number of reads."""
    from medoffice_tui.errors import InvalidInput

    name, screen_type = EARLY_READS[key]
    real = getattr(schedule, name)
    calls = []

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if refuse_first and len(calls) == 1:
            raise InvalidInput("the database was busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(schedule, name, counted)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        for _ in range(3):
            await settle(app, pilot)
        assert isinstance(app.screen, screen_type)
        listing = app.screen.query_one("PagedList")
        status = str(app.screen.status.render()) if key == "f" else ""
        return listing.row_count, status, len(calls)


@pytest.mark.parametrize("key", ["f", "R"], ids=["find next available", "confirmation calls"])
async def test_a_first_read_that_fails_is_read_again_once_the_screen_shows(
    make_app, monkeypatch, key: str
) -> None:
    """f and R read before their screen is pushed; when that read is refused, the screen
    reads again once shown instead of saying "searching..." or "nobody left" for ever."""
    rows, status, calls = await _open_counting_reads(make_app, monkeypatch, key, True)
    assert calls == 2
    if key == "f":
        assert rows > 0
        assert "searching" not in status


@pytest.mark.parametrize("key", ["f", "R"], ids=["find next available", "confirmation calls"])
async def test_f_and_r_read_once_per_open(make_app, monkeypatch, key: str) -> None:
    """The early read's answer is the screen's first: no second read after it."""
    _rows, _status, calls = await _open_counting_reads(make_app, monkeypatch, key, False)
    assert calls == 1
