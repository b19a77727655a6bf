"""The app driven by keys (Pilot) on the demo practice: panes, search, status keys, help."""

from __future__ import annotations

from textual.actions import parse as parse_action
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input, LoadingIndicator
from textual.widgets._toast import Toast
from textual.worker import WorkerCancelled

from medoffice_tui import clock
from medoffice_tui.config import AppConfig
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.models import OPEN_CLAIM_STATUSES, Appointment
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims, patients, schedule, staff, stock
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.practice import get_practice
from medoffice_tui.ui.app import MedofficeApp
from medoffice_tui.ui.panes.claims import FIRST_PAGE
from medoffice_tui.ui.panes.patients import PatientSearchInput
from medoffice_tui.ui.panes.schedule import SchedulePane
from medoffice_tui.ui.screens.help import HelpScreen
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.widgets.app_header import AppHeader
from medoffice_tui.ui.widgets.paged_list import PagedList

from .conftest import DEMO_NOW, DEMO_TODAY, SIZE, demo_actor


async def settle(app: MedofficeApp, pilot: Pilot) -> None:
    """Let every DB worker finish and its results reach the screen (paging may chain)."""
    for _ in range(3):
        for _ in range(50):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:  # stale work a newer request cancelled: by design
                await pilot.pause()
        await pilot.pause()
        for _ in range(100):  # a pane shown for the first time is mounted first
            if not getattr(app, "_mounting", None):
                break
            await pilot.pause(0.01)
        await app.key_gate.settle()


def list_of(app: MedofficeApp, selector: str) -> PagedList:
    return app.query_one(selector, PagedList)


def list_text(widget: PagedList) -> str:
    """What the list shows on screen right now, line by line."""
    height = widget.scrollable_content_region.height
    return "\n".join(
        "".join(segment.text for segment in widget.render_line(y)) for y in range(height)
    )


def running_timers(app: MedofficeApp) -> list[str]:
    """Timers that would wake the app (and send bytes) while nobody touches it."""
    nodes = [app, *[n for s in app.screen_stack for n in s.walk_children(with_self=True)]]
    return [
        f"{type(node).__name__}:{timer.name}"
        for node in nodes
        for timer in list(node._timers)
        if timer._task is not None and not timer._task.done() and timer._active.is_set()
    ]


async def test_schedule_is_the_default_pane_with_todays_appointments(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.query_one("#panes", ContentSwitcher).current == "schedule"
        view = schedule.day_view(DEMO_TODAY)
        rows = list_of(app, "#schedule-list").rows
        shown = [r.data.id for r in rows if isinstance(r.data, schedule.AppointmentRow)]
        assert shown and sorted(shown) == sorted(a.id for a in view.appointments)
        header = str(app.query_one(AppHeader).render())
        assert get_practice().name in header and "Mon 23 Nov 2026" in header
        assert "Front Desk" in header and "Schedule" in header
        status = str(app.query_one("#schedule-status").render())
        assert "Mon 23 Nov 2026" in status and f"{len(view.appointments)}:" in status
        # the cursor starts at the first appointment not yet over at 10:30
        listing = list_of(app, "#schedule-list")
        current = listing.current
        assert current is not None and current.data.end.hour * 60 + current.data.end.minute > 630
        # ... and that row is on screen, near the top, with what comes next below it
        top = int(listing.scroll_offset.y)
        assert top < listing.cursor_row < top + listing.page_rows // 2


async def test_function_keys_switch_panes_and_each_shows_real_data(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        switcher = app.query_one("#panes", ContentSwitcher)

        await pilot.press("f4")
        await settle(app, pilot)
        assert switcher.current == "claims"
        first = claims.list_claims(open_only=True, limit=100).rows[0]  # opens on open claims
        claim_list = list_of(app, "#claims-list")
        assert claim_list.rows[0].data.claim_number == first.claim_number
        assert claim_list.has_focus

        await pilot.press("f5")
        await settle(app, pilot)
        assert switcher.current == "stock"
        low = stock.low_stock().rows
        expiring = stock.expiring_lots(30).rows
        assert [r.data.sku for r in list_of(app, "#stock-low").rows] == [s.sku for s in low]
        assert [r.data.lot_id for r in list_of(app, "#stock-expiring").rows] == [
            lot.lot_id for lot in expiring
        ]
        await pilot.press("tab")
        assert list_of(app, "#stock-expiring").has_focus

        await pilot.press("f3")
        await settle(app, pilot)
        assert switcher.current == "patients"
        assert isinstance(app.focused, PatientSearchInput)

        await pilot.press("f2")
        await settle(app, pilot)
        assert switcher.current == "schedule"
        assert list_of(app, "#schedule-list").has_focus


async def test_typing_a_name_shows_matching_patients_and_enter_opens_the_record(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smi")
        await settle(app, pilot)
        expected = patients.search_patients("smi", limit=50)
        results = list_of(app, "#patients-list")
        assert [r.data.id for r in results.rows] == [p.id for p in expected.rows]
        assert results.row_count > 0
        assert all(r.data.last_name.lower().startswith("smi") for r in results.rows)

        await pilot.press("down")  # from the box into the list
        assert results.has_focus
        await pilot.press("up")  # up on the first row: back to the box
        assert isinstance(app.focused, PatientSearchInput)

        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        chosen = results.rows[1].data
        assert app.screen.patient_id == chosen.id
        detail = str(app.screen.query_one("#patient-detail").render())
        assert chosen.mrn in detail and "Insurance" in detail and "Allergies" in detail

        await pilot.press("f1")  # help on the record lists the record's keys
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-column"))
        assert "Patient record keys" in text and "Back to the list" in text
        await pilot.press("escape")
        assert isinstance(app.screen, PatientScreen)

        await pilot.press("escape")
        assert not isinstance(app.screen, PatientScreen)
        assert results.has_focus


async def test_a_newer_keystroke_replaces_the_older_search(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smi", "backspace", "backspace", "backspace", *"jo")
        await settle(app, pilot)
        shown = [r.data.id for r in list_of(app, "#patients-list").rows]
        assert shown == [p.id for p in patients.search_patients("jo", limit=50).rows]


async def test_a_misspelt_name_offers_close_matches(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        target = patients.search_patients("smith", limit=1).rows[0]
        typo = f"{target.first_name[:1]}{target.first_name[2:]} smiht".lower()
        await pilot.press("f3", *typo)
        await settle(app, pilot)
        assert patients.search_patients(typo).rows == []  # no exact prefix match...
        shown = [r.data.id for r in list_of(app, "#patients-list").rows]
        assert target.id in shown  # ...but the intended patient is offered
        hint = str(app.screen.query_one("#patients-hint").render())
        assert "Did you mean" in hint

        await pilot.press(*"x" * 6)  # nothing close to that either: the usual hint returns
        await settle(app, pilot)
        assert list_of(app, "#patients-list").row_count == 0
        assert "Did you mean" not in str(app.screen.query_one("#patients-hint").render())


async def test_markup_and_escape_byte_names_render_literally(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+t", *"smith")  # "Smith [/]" is an inactive record
        await settle(app, pilot)
        results = list_of(app, "#patients-list")  # the pane is mounted on first show
        assert "Smith [/], Alex" in list_text(results)

        await pilot.press("escape", *"[b]O'Brien")
        await settle(app, pilot)
        assert "[b]O'Brien, Morgan" in list_text(results)

        await pilot.press("escape", *"escape")
        await settle(app, pilot)
        text = list_text(results)
        assert "Escape, Eve?[31m" in text and "\x1b" not in text

        await pilot.press("down", "enter")  # the record screen renders it literally too
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert "\x1b" not in str(app.screen.query_one("#patient-detail").render())


async def test_status_key_changes_the_appointment_in_the_database(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        schedule_list = list_of(app, "#schedule-list")
        index = schedule_list.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
        )
        assert index is not None
        appt = schedule_list.rows[index].data
        schedule_list.move_cursor(index)
        await pilot.press("i")
        await settle(app, pilot)
        assert Appointment.get_by_id(appt.id).status == "arrived"
        row = schedule_list.rows[index]
        assert row.data.status == "arrived" and "arrived" in row.cells
        assert "arrived" in list_text(schedule_list)


async def test_a_stale_or_refused_status_change_is_reported_not_crashed(make_app) -> None:
    app = make_app()
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.notify = lambda message, *a, severity="information", **k: notes.append(  # type: ignore[method-assign]
            (str(message), severity)
        )
        schedule_list = list_of(app, "#schedule-list")
        index = schedule_list.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
        )
        appt = schedule_list.rows[index].data
        # another desk confirms it first
        schedule.set_status(demo_actor("jreyes"), appt.id, "confirmed", appt.version)
        schedule_list.move_cursor(index)
        await pilot.press("n")
        await settle(app, pilot)
        assert any(severity == "error" for _, severity in notes)
        assert Appointment.get_by_id(appt.id).status == "confirmed"
        # the day was reloaded: the row now shows what the other desk did
        fresh = next(r.data for r in schedule_list.rows if getattr(r.data, "id", None) == appt.id)
        assert fresh.status == "confirmed"


async def test_day_and_provider_keys_change_what_the_schedule_shows(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "Tue 24 Nov 2026" in str(app.query_one("#schedule-status").render())
        tomorrow = schedule.day_view(DEMO_TODAY.fromordinal(DEMO_TODAY.toordinal() + 1))
        rows = list_of(app, "#schedule-list").rows
        assert sorted(r.data.id for r in rows if hasattr(r.data, "patient_id")) == sorted(
            a.id for a in tomorrow.appointments
        )
        await pilot.press("t", "p")
        await settle(app, pilot)
        pane = app.query_one(SchedulePane)
        first = schedule.list_providers()[0]
        assert pane.provider_filter == first
        rows = list_of(app, "#schedule-list").rows
        assert rows and {r.data.provider_id for r in rows} == {first.id}


async def test_claims_filters_cycle_and_change_the_rows(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        claim_list = list_of(app, "#claims-list")
        # it opens on what needs work: the open claims
        assert {r.data.status for r in claim_list.rows} <= set(OPEN_CLAIM_STATUSES)
        opened = claims.list_claims(open_only=True, limit=FIRST_PAGE).rows
        assert [r.data.id for r in claim_list.rows] == [c.id for c in opened]

        await pilot.press("s")  # every claim
        await settle(app, pilot)
        every = claims.list_claims(limit=FIRST_PAGE)
        assert [r.data.id for r in claim_list.rows] == [c.id for c in every.rows]
        assert every.has_more and claim_list.has_more  # the rest follow the cursor

        await pilot.press("s")  # the first status: draft
        await settle(app, pilot)
        drafts = claims.list_claims(status="draft", limit=FIRST_PAGE).rows
        assert [r.data.id for r in claim_list.rows] == [c.id for c in drafts]

        await pilot.press("b")  # draft claims 0-30 days old
        await settle(app, pilot)
        assert all(r.data.bucket == "0-30" for r in claim_list.rows)
        assert "Bucket 0-30" in str(app.query_one("#claims-filter").render())
        aging = str(app.query_one("#claims-chart").render())
        assert all(bucket in aging for bucket in claims.AGING_BUCKETS)


async def test_f1_help_lists_every_key_of_the_pane_and_the_global_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-column"))
        for binding in app.pane_bindings(app.active_pane):
            assert app.key_text(binding) in text
            assert (binding.tooltip or binding.description) in text
        for key in ("F2", "F3", "F4", "F5", "^p", "^q"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

        await pilot.press("f4", "f1")
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-column"))
        assert "Claims keys" in text and "Aging bucket" in text


async def test_f1_shows_the_permission_table_for_every_role(make_app) -> None:
    """F1 holds the one permission table (every action, a column per role), not only what
    the signed-in role may do; it reads at 80x24 (no line cut short)."""
    from medoffice_tui.services import permissions

    app = make_app(user="billing")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-permissions")
        lines = str(table.render()).splitlines()
        assert lines[0] == "Who may do what"
        heads = [permissions.ROLE_SHORT[r] for r in permissions.ROLE_NAMES]
        by_label = {}
        for line in lines[1:]:
            if line.startswith("  "):
                by_label[line[2:40].rstrip()] = line[40:].split()
            elif line.split()[-len(heads) :] == heads:
                continue  # an area's line repeats the role heads
        for _area, label, roles in permissions.permission_rows():
            marks = by_label[label]
            assert marks == [
                "yes" if permissions.ROLE_LABELS[r] in roles else "-"
                for r in permissions.ROLE_NAMES
            ], label
        assert by_label["Posting a payment"] == ["-", "yes", "-", "yes"]
        assert by_label["Managing staff accounts"] == ["-", "-", "-", "yes"]
        assert table.region.width <= SIZE[0] and all(len(line.rstrip()) <= 75 for line in lines)
        await pilot.press("end")
        await pilot.pause()
        assert table.region.height > 0  # scrolled into view at the end of the help


async def test_command_palette_offers_every_pane_action_and_pane_switch(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("f2", "f3", "f4"):
            await pilot.press(key)
            await settle(app, pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            pane = app.active_pane
            for binding in app.pane_bindings(pane):
                _ns, name, params = parse_action(binding.action)
                if pane.check_action(name, params) is False:
                    continue  # a key the signed-in role lacks is hidden, in the palette too
                assert f"{pane.TITLE}: {binding.tooltip or binding.description}" in titles
            for name in ("Schedule", "Patients", "Claims", "Stock"):
                assert f"Go to {name}" in titles
            assert "Quit the application" in titles or "Quit" in " ".join(titles)
        # typing a pane action's name in the palette runs it on the pane
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"
        await pilot.press(*"claims status")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Status all" in str(app.query_one("#claims-filter").render())  # from open


async def test_an_idle_app_runs_no_timers_and_nothing_blinks(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("f3", "s", "m", "i", "f4", "f5", "f2", "f1", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.pause(0.3)
        # what is left wakes the app rarely: the idle lock's timer, minutes away, and the
        # header clock's, at the next minute (nothing that ticks every second or blinks)
        assert sorted(running_timers(app)) == ["AppHeader:clock", "MedofficeApp:idle-lock"]
        assert app._idle_timer is not None and app._idle_timer._interval >= 60
        inputs = list(app.query(Input))
        assert inputs and all(not i.cursor_blink for i in inputs)
        assert not list(app.query(LoadingIndicator))
        assert not any(w.loading for w in app.query("*"))


async def test_unknown_theme_falls_back_and_builtin_themes_work(make_app) -> None:
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=SIZE):
        assert app.theme == "medoffice"
    app = make_app(theme="textual-dark")
    async with app.run_test(size=SIZE):
        assert app.theme == "textual-dark"


async def test_error_text_that_looks_like_markup_is_shown_as_is(make_app, monkeypatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise InvalidInput("cannot do [/] that to [b]this\x1b[31m")

    monkeypatch.setattr(schedule, "set_status", refuse)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        schedule_list = list_of(app, "#schedule-list")
        booked = schedule_list.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.status == "booked"
        )
        schedule_list.move_cursor(booked)
        await pilot.press("c")
        await settle(app, pilot)
        toasts = list(app.screen.query(Toast))
        assert toasts, "the refusal is shown"
        shown = " ".join(str(t.render()) for t in toasts)
        assert "cannot do [/] that to [b]this?[31m" in shown
        assert app.is_running


async def test_claims_page_in_as_the_cursor_nears_the_end(make_app) -> None:
    """One page held at first; End then reads the last page backwards and lands on the
    true last claim (not on the last row held)."""
    from medoffice_tui.ui.panes.claims import PAGE_SIZE

    first = claims.list_claims(open_only=True, limit=PAGE_SIZE + FIRST_PAGE)
    assert first.has_more, "the demo has more than a first page and a page of claims"
    last = claims.list_claims(open_only=True, limit=FIRST_PAGE, from_end=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        claim_list = list_of(app, "#claims-list")
        assert claim_list.row_count == FIRST_PAGE  # a first page held, not the table
        await pilot.press("pagedown", "pagedown")
        await settle(app, pilot)
        assert claim_list.row_count == FIRST_PAGE + PAGE_SIZE  # the next page, as it neared
        assert [r.data.id for r in claim_list.rows] == [c.id for c in first.rows]
        await pilot.press("end")
        await settle(app, pilot)
        assert claim_list.current.data.id == last.rows[-1].id
        assert [r.data.id for r in claim_list.rows][-len(last.rows) :] == [c.id for c in last.rows]


async def test_enter_on_an_appointment_opens_its_patient(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        current = list_of(app, "#schedule-list").current
        assert current is not None and isinstance(current.data, schedule.AppointmentRow)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert app.screen.patient_id == current.data.patient_id
        await pilot.press("f4")  # a pane key from the record closes it and switches
        assert not isinstance(app.screen, PatientScreen)
        assert app.query_one("#panes", ContentSwitcher).current == "claims"


async def test_typing_in_the_results_goes_on_with_the_search(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smi")
        await settle(app, pilot)
        await pilot.press("down")
        assert list_of(app, "#patients-list").has_focus
        await pilot.press("t")
        await settle(app, pilot)
        box = app.query_one(PatientSearchInput)
        assert box.has_focus and box.value == "smit"
        shown = [r.data.id for r in list_of(app, "#patients-list").rows]
        assert shown == [p.id for p in patients.search_patients("smit", limit=50).rows]


async def test_an_empty_practice_opens_with_empty_lists(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(open_database(url))
    clock.pin(now=DEMO_NOW)
    try:
        manager = staff.add_user(staff.system_actor(), "boss", "The Boss", "manager", "boss-pass-1")
        actor = Actor(manager.id, manager.username, manager.full_name, manager.role)
        app = MedofficeApp(AppConfig(db_url=url, actor=actor))
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert "No appointments this day" in list_text(list_of(app, "#schedule-list"))
            await pilot.press("p", "c", "enter", "f3", *"smith", "enter", "f4", "s", "b", "f5")
            await settle(app, pilot)
            assert list_of(app, "#claims-list").row_count == 0
            assert "Nothing below its reorder point" in list_text(list_of(app, "#stock-low"))
            assert app.is_running
    finally:
        close_database()
        clock.pin()


async def test_enter_in_the_box_opens_a_single_match(make_app) -> None:
    target = patients.search_patients("smi", limit=1).rows[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *target.mrn)
        await settle(app, pilot)
        assert list_of(app, "#patients-list").row_count == 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert app.screen.patient_id == target.id
