"""Signing in, failing to, locking (Ctrl+L and idle) and unlocking, by keys alone."""

from __future__ import annotations

from textual import events
from textual.widgets._toast import Toast

from medoffice_tui import clock
from medoffice_tui.db.models import AuditEvent, User
from medoffice_tui.ui.app import MedofficeApp
from medoffice_tui.ui.panes.patients import PatientSearchInput
from medoffice_tui.ui.screens.lock import LockScreen
from medoffice_tui.ui.screens.sign_in import SignInScreen

from .conftest import SIZE
from .test_app import settle


async def burst(app: MedofficeApp, *keys: str) -> None:
    """Keys posted all at once, as a fast typist or a laggy SSH link delivers them: none
    waits for the screen to catch up (``pilot.press`` would wait after each)."""
    for key in keys:
        char = key if len(key) == 1 else ("\r" if key == "enter" else None)
        app.post_message(events.Key(key, char))


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def screen_text(app: MedofficeApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query("Static"))


async def test_sign_in_by_keys_shows_the_demo_accounts_then_the_schedule(make_app) -> None:
    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen)
        shown = screen_text(app)
        assert "frontdesk-demo" in shown and "manager-demo" in shown  # a demo database
        await pilot.press(*"frontdesk", "enter", *"frontdesk-demo", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, SignInScreen)
        assert app.actor is not None and app.actor.username == "frontdesk"
        assert app.query_one("#panes").current == "schedule"
        assert AuditEvent.select().where(AuditEvent.action == "sign_in").count() >= 1


async def test_a_failed_sign_in_says_so_clears_the_password_and_counts(make_app) -> None:
    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*"frontdesk", "enter", *"guess-guess", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen) and app.actor is None
        assert "wrong username or password" in screen_text(app)
        assert screen.password_box.value == "" and screen.password_box.has_focus
        assert User.get(User.username == "frontdesk").failed_logins == 1
        # a password is never shown: the box masks it
        await pilot.press(*"abc")
        assert screen.password_box.password is True


async def test_keys_typed_before_the_screen_catches_up_land_where_meant(make_app) -> None:
    app = make_app(user=None)
    last_before = AuditEvent.select().order_by(AuditEvent.id.desc()).first().id
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, *"frontdesk", "enter", *"frontdesk-demo", "enter", "f3", *"smi")
        for _ in range(6):
            await settle(app, pilot)
        assert app.actor is not None
        assert app.query_one("#panes").current == "patients"
        assert app.query_one(PatientSearchInput).value == "smi"
        # the letters went to the search box, not to the schedule (where i is check-in)
        new = AuditEvent.select().where(AuditEvent.id > last_before)
        assert [e.action for e in new] == ["sign_in"]


async def test_ctrl_l_locks_at_once_and_the_password_resumes_with_typed_input(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smit")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)
        text = screen_text(app)
        assert "locked" in text and "Smith" not in text  # no patient data while locked
        await pilot.press(*"wrong-password", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen) and "wrong password" in screen_text(app)
        await pilot.press(*"frontdesk-demo", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, LockScreen)
        assert app.query_one(PatientSearchInput).value == "smit"  # exactly where they were
        actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(3)]
        assert actions == ["unlock", "sign_in_failed", "lock"]


async def test_the_screen_locks_after_the_idle_minutes_on_the_apps_clock(make_app) -> None:
    clock.fake_monotonic(1000.0)
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            clock.advance(4 * 60)
            app.check_idle_lock()
            assert not isinstance(app.screen, LockScreen)
            await pilot.press("down")  # a key restarts the wait
            clock.advance(4 * 60)
            app.check_idle_lock()
            assert not isinstance(app.screen, LockScreen)
            clock.advance(61)
            app.check_idle_lock()
            await settle(app, pilot)
            assert isinstance(app.screen, LockScreen)
            event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
            assert (event.action, event.detail) == ("lock", "idle")
    finally:
        clock.fake_monotonic(None)


async def test_the_idle_timer_is_armed_and_locks_with_no_key_pressed(make_app, monkeypatch) -> None:
    """Nobody calls check_idle_lock here: the app's own timer does, once the idle time has
    passed on the app's (fake) clock. The practice's minutes are shortened to 1.2 s so the
    real timer fires within the test."""
    monkeypatch.setattr(MedofficeApp, "idle_limit_s", property(lambda self: 1.2))
    clock.fake_monotonic(1000.0)
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            timer = app._idle_timer
            assert timer is not None and timer._active.is_set()  # armed at sign-in
            clock.advance(0.5)  # the timer wakes before the idle time is up on the clock:
            await pilot.pause(1.5)  # it re-arms for what is left instead of locking
            assert not isinstance(app.screen, LockScreen)
            assert app._idle_timer is not timer
            clock.advance(1.0)  # now past the idle time, and no key came
            await pilot.pause(1.5)
            await settle(app, pilot)
            assert isinstance(app.screen, LockScreen)
            event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
            assert (event.action, event.detail) == ("lock", "idle")
    finally:
        clock.fake_monotonic(None)


async def test_the_lock_screen_shows_no_toast_and_holds_new_ones_until_unlock(make_app) -> None:
    """A toast raised before Ctrl+L ("Booked Smith, Alex ...") goes with the lock; one
    raised while locked waits until the same user is back, and is dropped for another."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("Booked Smith, Alex (M0000001)", markup=False)
        await pilot.pause()
        assert any("Smith" in str(t.render()) for t in app.screen.query(Toast))
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)
        app.notify("Checked in Jones, Pat (M0000002)", markup=False)  # e.g. a worker's result
        await pilot.pause()
        assert list(app.screen.query(Toast)) == [] and not app._notifications
        assert "Smith" not in screen_text(app) and "Jones" not in screen_text(app)
        await pilot.press(*"frontdesk-demo", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, LockScreen)
        shown = [str(t.render()) for t in app.screen.query(Toast)]
        assert any("Jones" in t for t in shown) and not any("Smith" in t for t in shown)
        # locked again, and someone else signs in: what was held for the first user goes
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        app.notify("Booked Brown, Kim (M0000003)", markup=False)
        await pilot.press("ctrl+u", *"manager", "enter", *"manager-demo", "enter")
        await settle(app, pilot)
        assert app.actor is not None and app.actor.username == "manager"
        assert not any("Brown" in str(t.render()) for t in app.screen.query(Toast))


async def test_another_user_may_sign_in_at_the_lock_and_the_first_users_input_goes(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f3", *"smit")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await pilot.press("ctrl+u")
        assert "discarded" in screen_text(app)  # said before it happens
        await pilot.press(*"manager", "enter", *"manager-demo", "enter")
        await settle(app, pilot)
        assert app.actor is not None and app.actor.username == "manager"
        assert app.query_one(PatientSearchInput).value == ""
        assert app.query_one("#panes").current == "schedule"
        assert any("discarded" in str(t.render()) for t in app.screen.query(Toast))
        assert "Practice Manager" in str(app.query_one("AppHeader").render())


async def test_the_sign_in_screen_is_whole_in_its_first_frame_or_filled_in_after(
    make_app, monkeypatch
) -> None:
    """On SQLite the practice and the demo accounts are read before the screen is built
    (its first frame is complete); where they cannot be read inline (PostgreSQL), a
    worker fills them in a moment later."""
    from medoffice_tui.services import session

    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen
        assert isinstance(first, SignInScreen) and first._demo_accounts  # read before compose
        await settle(app, pilot)
        assert "frontdesk-demo" in screen_text(app)
    monkeypatch.setattr(session, "can_run_inline", lambda: False)
    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen) and not app.screen._demo_accounts
        await settle(app, pilot)
        assert "frontdesk-demo" in screen_text(app) and app.practice.name in screen_text(app)


async def signed_in_schedule(app: MedofficeApp, pilot):  # noqa: ANN001, ANN201 - a Pilot; the pane
    """Sign in as the front desk by keys; the schedule pane, showing today."""
    from medoffice_tui.ui.panes.schedule import SchedulePane

    await settle(app, pilot)
    await pilot.press(*"frontdesk", "enter", *"frontdesk-demo", "enter")
    await settle(app, pilot)
    pane = app.query_one(SchedulePane)
    assert app.actor is not None and pane.view is not None
    assert pane.view.day == clock.today()
    return pane


async def test_the_first_pane_shows_the_day_read_with_the_sign_in(make_app, monkeypatch) -> None:
    """The sign-in's worker reads today right after the password check; the schedule
    shows it with no load of its own, and its live view starts from the change token
    read before that day (a change made in between is reported, not missed)."""
    from medoffice_tui.services import schedule
    from medoffice_tui.ui.panes.schedule_live import ChangeWatcher

    reads: list[object] = []
    real_day_view = schedule.day_view
    monkeypatch.setattr(
        schedule, "day_view", lambda *a, **k: reads.append(a) or real_day_view(*a, **k)
    )
    started_from: list[int | None] = []
    real_start = ChangeWatcher.start
    monkeypatch.setattr(
        ChangeWatcher,
        "start",
        lambda self: started_from.append(self.last_token) or real_start(self),
    )
    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        pane = await signed_in_schedule(app, pilot)
        assert len(reads) == 1  # the sign-in's read only: the pane asked for nothing
        assert pane.first_token is not None and started_from[0] == pane.first_token
        today = real_day_view(clock.today(), include_cancelled=True).appointments
        assert [a.id for a in pane.view.appointments] == [
            a.id for a in today if a.status != "cancelled"
        ]


async def test_a_failed_first_read_leaves_the_pane_to_load_as_usual(make_app, monkeypatch) -> None:
    from medoffice_tui.ui.panes.schedule import SchedulePane

    def broken() -> object:
        raise RuntimeError("the first read failed")

    monkeypatch.setattr(SchedulePane, "first_load", classmethod(lambda cls: broken()))
    app = make_app(user=None)
    async with app.run_test(size=SIZE) as pilot:
        pane = await signed_in_schedule(app, pilot)
        assert pane.first_token is None
