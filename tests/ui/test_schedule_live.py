"""Live across desks: two app instances on one database; a booking made at one desk shows
at the other within 2 seconds with no key pressed, also when it arrived while a dialog
covered the day; and an idle screen sends nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest

from medoffice_tui.config import AppConfig
from medoffice_tui.db.models import Appointment, Patient
from medoffice_tui.services import schedule
from medoffice_tui.ui.app import MedofficeApp

from .conftest import DEMO_TODAY, SIZE, demo_actor
from .test_app import list_of, settle

# timed against the wall clock (a hang-up within a second, a change within two): run
# alone, after the rest, so parallel workers do not slow them past their limits
pytestmark = pytest.mark.serial


def _free_patient(day: dt.date) -> Patient:
    start = dt.datetime.combine(day, dt.time())
    busy = Appointment.select(Appointment.patient).where(
        (Appointment.start >= start) & (Appointment.start < start + dt.timedelta(days=1))
    )
    return (
        Patient.select()
        .where(Patient.active & Patient.id.not_in(busy))
        .order_by(Patient.id)
        .first()
    )


def _shown_ids(app: MedofficeApp) -> set[int]:
    rows = list_of(app, "#schedule-list").rows
    return {r.data.id for r in rows if isinstance(r.data, schedule.AppointmentRow)}


async def test_a_booking_at_one_desk_appears_at_the_other_within_two_seconds(demo_url) -> None:
    desk_a = MedofficeApp(AppConfig(db_url=demo_url, actor=demo_actor("frontdesk")))
    desk_b = MedofficeApp(AppConfig(db_url=demo_url, actor=demo_actor("jreyes")))
    async with desk_a.run_test(size=SIZE) as pilot_a, desk_b.run_test(size=SIZE) as pilot_b:
        await settle(desk_a, pilot_a)
        await settle(desk_b, pilot_b)
        pane_b = desk_b.query_one("#schedule")
        assert pane_b.watcher is not None and pane_b.watcher.running
        before = _shown_ids(desk_b)
        # desk A books through its own screen, by keys: find next available, the first slot
        patient = _free_patient(DEMO_TODAY)
        await pilot_a.press("f")
        await settle(desk_a, pilot_a)
        await pilot_a.press("down", "down", "down", "down", "down", "enter")  # past the choices
        await settle(desk_a, pilot_a)
        form = desk_a.screen
        slot_start = form.start
        await pilot_a.press(*patient.mrn)
        await settle(desk_a, pilot_a)
        await pilot_a.press("enter")  # takes the match
        await pilot_a.press("enter")  # books
        await settle(desk_a, pilot_a)
        booked = Appointment.get(
            (Appointment.patient == patient.id) & (Appointment.start == slot_start)
        )
        assert booked.id in _shown_ids(desk_a)
        # desk B: nobody touches it
        began = time.monotonic()
        while booked.id not in _shown_ids(desk_b) and time.monotonic() - began < 2.0:
            await asyncio.sleep(0.05)
        waited = time.monotonic() - began
        assert booked.id in _shown_ids(desk_b), "desk B never showed the booking"
        assert waited < 2.0
        assert _shown_ids(desk_b) - before == {booked.id}
        # and a status change at desk B reaches desk A the same way
        schedule.set_status(demo_actor("jreyes"), booked.id, "confirmed", booked.version)
        began = time.monotonic()
        rows_a = list_of(desk_a, "#schedule-list")
        while time.monotonic() - began < 2.0:
            found = [
                r.data
                for r in rows_a.rows
                if isinstance(r.data, schedule.AppointmentRow) and r.data.id == booked.id
            ]
            if found and found[0].status == "confirmed":
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("desk A never showed desk B's confirmation")


async def test_when_nothing_changes_the_watcher_draws_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        listing = list_of(app, "#schedule-list")
        drawn: list[int] = []
        original = listing.refresh

        def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            drawn.append(1)
            return original(*args, **kwargs)

        listing.refresh = counting  # type: ignore[method-assign]
        token = pane.watcher.last_token
        await asyncio.sleep(2.5)  # two and a half polls
        assert pane.watcher.last_token == token
        assert drawn == []
        # a change that moves the token but not the day (a record view): still nothing
        from medoffice_tui.services import patients

        patients.get_patient(demo_actor("frontdesk"), _free_patient(DEMO_TODAY).id)
        await asyncio.sleep(1.6)
        await settle(app, pilot)
        assert pane.watcher.last_token != token
        assert drawn == []


async def _wait_for(condition, seconds: float = 2.0) -> float:  # noqa: ANN001
    """Seconds until ``condition()`` held (no key pressed meanwhile); fails after ``seconds``."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > seconds:
            raise AssertionError(f"not seen within {seconds} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - began


def _status_shown(app: MedofficeApp, appt_id: int) -> str | None:
    for row in list_of(app, "#schedule-list").rows:
        if isinstance(row.data, schedule.AppointmentRow) and row.data.id == appt_id:
            return row.data.status
    return None


async def _to_first_booked(app, pilot):  # noqa: ANN001, ANN202 - app, Pilot -> AppointmentRow
    """Put the schedule's cursor on the day's first booked (unconfirmed) visit."""
    listing = list_of(app, "#schedule-list")
    index = listing.index_where(
        lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
    )
    await pilot.press(*["down"] * (index - listing.cursor_row))
    return listing.current.data


@pytest.mark.parametrize("opens", ["f1", "b", "h"], ids=["help", "booking form", "history"])
async def test_a_change_made_behind_a_dialog_shows_once_it_closes(make_app, opens: str) -> None:
    """Another desk confirms a visit while this desk has a dialog open over the day: when
    the dialog closes, the day shows the change within 2 s, with no key pressed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        appt = await _to_first_booked(app, pilot)
        main = app.screen
        await pilot.press(opens)
        await settle(app, pilot)
        assert app.screen is not main
        stored = Appointment.get_by_id(appt.id)
        schedule.set_status(demo_actor("jreyes"), appt.id, "confirmed", stored.version)
        await _wait_for(lambda: pane._stale, 3.0)  # the watcher saw it; the dialog hides it
        assert _status_shown(app, appt.id) == "booked"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        await _wait_for(lambda: _status_shown(app, appt.id) == "confirmed", 2.0)
        assert pane._stale_timer is None  # nothing left running once shown


async def test_this_desks_own_status_change_is_not_loaded_again(make_app) -> None:
    """c at this desk is drawn when the write returns; the watcher sees the token move
    but the day already shows that version: no second reload (and no second query)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        appt = await _to_first_booked(app, pilot)
        reloads: list[bool] = []
        original = pane.reload

        def counting(quiet: bool = False) -> None:
            reloads.append(quiet)
            original(quiet=quiet)

        pane.reload = counting  # type: ignore[method-assign]
        token = pane.watcher.last_token
        await pilot.press("c")
        await settle(app, pilot)
        assert _status_shown(app, appt.id) == "confirmed"
        await _wait_for(lambda: pane.watcher.last_token != token, 3.0)
        await asyncio.sleep(0.2)
        await settle(app, pilot)
        assert reloads == []
        # another desk's change to the same visit still arrives by itself
        stored = Appointment.get_by_id(appt.id)
        schedule.undo_status(demo_actor("jreyes"), appt.id, stored.version)
        await _wait_for(lambda: _status_shown(app, appt.id) == "booked", 2.0)
        assert reloads == [True]
