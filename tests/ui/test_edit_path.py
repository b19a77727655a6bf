"""The edit path every form and write uses: forms by keys, field errors, one write at a
time per record, keys that cannot apply shown disabled or hidden, and errors that never
end the app or show patient data."""

from __future__ import annotations

from textual.widgets._toast import Toast

from medoffice_tui import errorlog
from medoffice_tui.db.models import Appointment, AuditEvent, Patient, User
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import schedule
from medoffice_tui.ui.forms.form_screen import FormScreen
from medoffice_tui.ui.panes.patients import PatientSearchInput
from medoffice_tui.ui.screens.audit import AuditScreen
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.screens.staff import StaffScreen

from .conftest import SIZE
from .test_app import list_of, settle


def toasts(app) -> list[str]:  # noqa: ANN001
    return [str(t.render()) for t in app.screen.query(Toast)]


def key_line(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("KeyLine").render())


async def test_a_manager_adds_a_user_by_keys_and_field_errors_point_at_the_field(
    make_app,
) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        assert app.screen.query_one("#staff-list").row_count == 8
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        # username, name, role (a choice: Right twice = Clinical assistant), password x2
        await pilot.press(*"nina", "tab", *"Nina Park", "tab", "right", "right", "tab")
        await pilot.press(*"short", "tab", *"short", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)  # refused: still open, values kept
        password = form.field("password")
        assert password.has_class("-invalid") and "at least 8" in str(
            password.query_one(".field-error").render()
        )
        assert password.input.has_focus
        assert form.field("username").raw() == "nina"
        await pilot.press("ctrl+u", *"nina-pass-1", "tab", "ctrl+u", *"nina-pass-1", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)
        user = User.get(User.username == "nina")
        assert (user.full_name, user.role.name) == ("Nina Park", "clinical")
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert (event.action, event.object_type, event.object_id) == ("create", "user", user.id)


async def test_esc_on_a_form_with_typing_asks_first(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9", "a", *"temp")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "What you typed will be lost" in str(
            app.screen.query_one("#confirm-question").render()
        )
        await pilot.press("n")  # keep typing
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.field("username").raw() == "temp"
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)


async def test_front_desk_sees_only_its_own_account_and_no_audit_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await settle(app, pilot)
        assert not isinstance(app.screen, AuditScreen)  # F8 is hidden for this role
        await pilot.press("f9")
        await settle(app, pilot)
        assert [r.data.username for r in app.screen.query_one("#staff-list").rows] == ["frontdesk"]
        keys = key_line(app)
        assert "Password" in keys and "Add" not in keys and "Unlock" not in keys
        await pilot.press("a")  # hidden: does nothing
        await settle(app, pilot)
        assert isinstance(app.screen, StaffScreen)


async def test_a_status_key_pressed_twice_quickly_is_one_change_not_a_conflict(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        listing = list_of(app, "#schedule-list")
        index = listing.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
        )
        listing.move_cursor(index)
        appt = listing.rows[index].data
        await pilot.press("c", "c")  # the second before the first has landed
        await settle(app, pilot)
        stored = Appointment.get_by_id(appt.id)
        assert (stored.status, stored.version) == ("confirmed", appt.version + 1)
        assert not any("changed this record" in t for t in toasts(app))
        assert listing.rows[index].data.status == "confirmed"


async def test_status_keys_the_appointment_cannot_take_are_shown_disabled(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        listing = list_of(app, "#schedule-list")
        pane = app.query_one("#schedule")
        for status, allowed in (("booked", {"confirmed", "arrived", "no_show"}),
                                ("completed", set())):  # fmt: skip
            index = listing.index_where(
                lambda d, s=status: isinstance(d, schedule.AppointmentRow) and d.status == s
            )
            listing.move_cursor(index)
            await settle(app, pilot)
            for target in ("confirmed", "arrived", "roomed", "completed", "no_show"):
                state = pane.check_action("set_status", (target,))
                assert (state is True) == (target in allowed), (status, target)
        # a completed visit: pressing i does nothing and says nothing went wrong
        before = Appointment.get_by_id(listing.current.data.id).version
        await pilot.press("i")
        await settle(app, pilot)
        assert Appointment.get_by_id(listing.current.data.id).version == before


async def test_a_role_without_the_permission_does_not_see_status_keys(make_app) -> None:
    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one("#schedule")
        assert pane.check_action("set_status", ("confirmed",)) is False
        assert "Confirm" not in key_line(app)


async def test_a_damaged_row_shows_a_placeholder_and_the_app_stays_up(make_app) -> None:
    victim = Patient.select().where(Patient.last_name == "Smith").order_by(Patient.id).first()
    with writing_as("test:damage"):
        Patient.update(dob="garbage").where(Patient.id == victim.id).execute()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f3", *"smith")
        await settle(app, pilot)
        listing = list_of(app, "#patients-list")
        row = next(r for r in listing.rows if r.data.id == victim.id)
        assert "unreadable" in row.cells
        index = listing.rows.index(row)
        await pilot.press("down")
        listing.move_cursor(index)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert "unreadable" in str(app.screen.query_one("#patient-detail").render())
        assert app.is_running and app._exception is None


async def test_an_unexpected_error_shows_an_id_logs_no_data_and_the_app_goes_on(
    make_app, monkeypatch
) -> None:
    from medoffice_tui.services import patients

    def explode(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("Zebediah Quill 03/04/1980 (312) 555-0147")  # PHI in the text

    monkeypatch.setattr(patients, "search_patients", explode)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f3", *"smi")
        await settle(app, pilot)
        shown = " ".join(toasts(app))
        assert "error" in shown and "Zebediah" not in shown
        log_text = errorlog.log_path().read_text()
        assert "RuntimeError" in log_text and "Zebediah" not in log_text
        assert "555-0147" not in log_text and "1980" not in log_text
        await pilot.press("escape", *"jo")  # still answering keys
        assert app.query_one(PatientSearchInput).value == "jo"
        assert app.is_running


async def test_an_error_outside_any_screen_handler_is_reported_and_the_app_goes_on(
    make_app, monkeypatch
) -> None:
    """Errors that reach Textual's last net (an app-level key's action, a timer) no longer
    end the app: a short message with the error id, the details in the log without the
    patient text the error carried, and the keys still work."""
    from medoffice_tui.ui.app import MedofficeApp

    def explode(self, *args) -> None:  # noqa: ANN001, ANN002
        raise RuntimeError("Zebediah Quill 03/04/1980 (312) 555-0147")  # PHI in the text

    monkeypatch.setattr(MedofficeApp, "action_help", explode)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")  # a global key: the app's own handler raises
        await settle(app, pilot)
        assert app.is_running and app._exception is None and app.return_code is None
        shown = " ".join(toasts(app))
        assert "error" in shown and "still running" in shown and "Zebediah" not in shown
        log_text = errorlog.log_path().read_text()
        ids = [line.split()[4] for line in log_text.splitlines() if "MedofficeApp" in line]
        assert ids and ids[-1] in shown  # "<stamp> UTC error <id> MedofficeApp Key"
        app.clear_notifications()
        app.set_timer(0.01, lambda: explode(app))  # a timer's callback raises
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert app.is_running and app._exception is None
        assert app.unexpected_errors and app.unexpected_errors[-1] in " ".join(toasts(app))
        log_text = errorlog.log_path().read_text()
        assert f"error {app.unexpected_errors[-1]} unhandled" in log_text
        for secret in ("Zebediah", "Quill", "1980", "555-0147"):
            assert secret not in log_text
        await pilot.press("f3", *"jo")  # still answering keys
        await settle(app, pilot)
        assert app.query_one(PatientSearchInput).value == "jo"


async def test_the_audit_view_verifies_the_chain_and_exports_by_keys(make_app, tmp_path) -> None:
    """On the manager's audit view, v checks the chain and says so (intact, then broken
    at the event someone changed), x asks for a file and writes the CSV of what is shown."""
    from medoffice_tui.db.connection import db
    from medoffice_tui.db.engines import engine_for

    app = make_app(user="manager")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("v")
        await settle(app, pilot)
        assert any("audit chain intact" in t for t in toasts(app)), toasts(app)
        app.clear_notifications()
        with writing_as("test:tamper"), db.atomic(), engine_for().lifted_audit_guard():
            AuditEvent.update(detail="edited").where(AuditEvent.id == 5).execute()
        await pilot.press("v")
        await settle(app, pilot)
        assert any("#5" in t and "BROKEN" in t for t in toasts(app)), toasts(app)
        app.clear_notifications()

        out = tmp_path / "trail.csv"
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+u", *str(out), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("id,time_utc,user,action") and len(lines) > 100
        assert any(f"Exported {len(lines) - 1:,} events" in t for t in toasts(app)), toasts(app)
        assert (out.stat().st_mode & 0o777) == 0o600
        exported = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
        assert (exported.action, exported.object_type) == ("export", "audit")
        # a file that exists already is refused beside the field, nothing overwritten
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("ctrl+u", *str(out), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "exists already" in " ".join(
            str(w.render()) for w in app.screen.query("Static")
        )
