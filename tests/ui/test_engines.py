"""The whole UI path (thread workers, per-thread connections, every pane) on each engine.

The other UI tests use one SQLite demo file for speed; this one builds a small demo on
whichever engine ``db_url`` gives (PostgreSQL when MEDOFFICE_TEST_PG is set).
"""

from __future__ import annotations

from medoffice_tui.config import AppConfig
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.models import Appointment
from medoffice_tui.demo import build_demo
from medoffice_tui.services import schedule
from medoffice_tui.ui.app import MedofficeApp
from medoffice_tui.ui.screens.patient import PatientScreen

from .conftest import DEMO_TODAY, SIZE, demo_actor
from .test_app import list_of, settle


async def test_every_pane_works_on_this_engine(db_url: str, frozen_clock: None) -> None:
    upgrade(open_database(db_url))
    build_demo(patients=60, seed=7, today=DEMO_TODAY)
    try:
        app = MedofficeApp(AppConfig(db_url=db_url, actor=demo_actor("frontdesk")))
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            appointments = list_of(app, "#schedule-list")
            index = appointments.index_where(
                lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
            )
            assert index is not None
            appt_id = appointments.rows[index].data.id
            appointments.move_cursor(index)
            await pilot.press("c")
            await settle(app, pilot)
            assert Appointment.get_by_id(appt_id).status == "confirmed"

            await pilot.press("f3", *"a")
            await settle(app, pilot)
            assert list_of(app, "#patients-list").row_count > 0
            await pilot.press("down", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, PatientScreen)
            assert "MRN" in str(app.screen.query_one("#patient-detail").render())

            await pilot.press("f4")
            await settle(app, pilot)
            assert list_of(app, "#claims-list").row_count > 0
            await pilot.press("f5")
            await settle(app, pilot)
            assert list_of(app, "#stock-low").row_count > 0
    finally:
        close_database()
