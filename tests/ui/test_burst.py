"""Keys typed faster than the screen changes are applied, in order, to what they were
meant for: a pane switch then a name, a form key then its first field, a screen then
its filter. Every key of each burst is posted at once (no pause between them), as a
fast typist or one SSH packet delivers them; a pty test writes them in one write()."""

from __future__ import annotations

import os
import select
import shutil
import sys
import time
from pathlib import Path

import pyte

from medoffice_tui.db.models import AuditEvent
from medoffice_tui.ui.forms.form_screen import FormScreen
from medoffice_tui.ui.panes.patients import PatientSearchInput
from medoffice_tui.ui.screens.audit import AuditScreen
from medoffice_tui.ui.screens.staff import StaffScreen

from .conftest import DEMO_TODAY, SIZE
from .test_app import list_of, list_text, settle
from .test_sign_in_and_lock import burst

F3 = "\x1bOR"  # what an xterm sends for F3


async def settled(app, pilot, rounds: int = 6) -> None:  # noqa: ANN001
    for _ in range(rounds):
        await settle(app, pilot)


async def test_f3_then_a_name_searches_that_name(make_app) -> None:
    app = make_app()
    last_before = AuditEvent.select().order_by(AuditEvent.id.desc()).first().id
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f3", *"smith")  # the patients pane is not even mounted yet
        await settled(app, pilot)
        assert app.query_one("#panes").current == "patients"
        assert app.query_one(PatientSearchInput).value == "smith"
        assert "Smith" in list_text(list_of(app, "#patients-list"))
        # no letter reached the schedule (where some letters are status keys)
        assert not AuditEvent.select().where(AuditEvent.id > last_before).exists()


async def test_pane_keys_in_a_row_end_on_the_last_with_what_followed_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f4", "f5", "f3", *"gar", "f2", "f3", *"cia")
        await settled(app, pilot)
        assert app.query_one("#panes").current == "patients"
        # F3 selects what the box held, so the name typed after it replaces the old one
        assert app.query_one(PatientSearchInput).value == "cia"


async def test_typing_while_a_form_opens_lands_in_its_first_field(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f9", "a", *"nina", "tab", *"Nina Park")
        await settled(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and isinstance(app.screen_stack[-2], StaffScreen)
        assert form.field("username").raw() == "nina"
        assert form.field("full_name").raw() == "Nina Park"


async def test_a_screen_then_its_filter_form_then_a_value(make_app) -> None:
    app = make_app(user="manager")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f8", "f", *"jreyes", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, AuditScreen)
        assert app.screen.filt.username == "jreyes"
        rows = app.screen.query_one("#audit-list").rows
        assert rows and {row.data.username for row in rows} == {"jreyes"}


def _read_until(fd: int, screen: pyte.Screen, stream: pyte.ByteStream, wanted, timeout: float):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wanted("\n".join(screen.display)):
            return True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                stream.feed(os.read(fd, 65536))
            except OSError:
                return False
    return wanted("\n".join(screen.display))


def test_a_whole_burst_in_one_write_over_a_pty(demo_db_file: Path, tmp_path: Path) -> None:
    """Sign in, F3 and a name, written to the terminal in one write(): all of it lands."""
    import pty

    demo_copy = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, demo_copy)

    argv = [sys.executable, "-m", "medoffice_tui", "--db", str(demo_copy),
            "--today", DEMO_TODAY.isoformat()]  # fmt: skip
    env = {"TERM": "xterm", "LINES": str(SIZE[1]), "COLUMNS": str(SIZE[0])}
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execvp(argv[0], argv)
    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        assert _read_until(fd, screen, stream, lambda t: "Username" in t, 30)
        os.write(fd, f"frontdesk\rfrontdesk-demo\r{F3}smith".encode())
        found = _read_until(
            fd, screen, stream, lambda t: "Patients" in t and "smith" in t and "Smith," in t, 20
        )
        assert found, "\n".join(screen.display)
        os.write(fd, b"\x11")  # Ctrl+Q
        _read_until(fd, screen, stream, lambda t: False, 2)
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)


async def test_editing_keys_in_a_burst_apply_in_order_in_a_text_box(make_app) -> None:
    """Textual runs a text box's editing keys (Backspace, Left, Ctrl+U) as actions a few
    messages after the key: unheld, "abc" Ctrl+U "smi" would end empty."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f3", *"abc", "ctrl+u", *"smi")
        await settled(app, pilot)
        box = app.query_one(PatientSearchInput)
        assert box.value == "smi"
        await burst(app, "backspace", "backspace", *"xt", "left", "left", "m", "end")
        await settled(app, pilot)
        assert box.value == "smxt" and box.cursor_position == 4
        await burst(app, "ctrl+u", *"smith")
        await settled(app, pilot)
        assert box.value == "smith" and "Smith" in list_text(list_of(app, "#patients-list"))


async def test_downs_in_a_list_pass_the_gate_and_enter_behind_them_opens_that_row(
    make_app,
) -> None:
    """Down only moves a list's cursor (KEYS_IN_PLACE): the keys behind it wait only for
    the list and the widgets above it, not the whole screen, and they still apply in
    order (Enter opens the row the Downs reached; a pane key behind a Down acts after
    it). Up waits for the screen: above the top row it hands the focus back."""
    from textual import events

    from medoffice_tui.ui.screens.patient import PatientScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await burst(app, "f3", *"m")
        await settled(app, pilot)
        results = list_of(app, "#patients-list")
        assert results.row_count > 4
        await burst(app, "down")  # from the box into the results
        await settled(app, pilot)
        assert app.focused is results
        assert app.key_gate.settling_for(events.Key("down", None)) == "focus"
        assert app.key_gate.settling_for(events.Key("pagedown", None)) == "focus"
        assert app.key_gate.settling_for(events.Key("up", None)) == "screen"
        assert app.key_gate.settling_for(events.Key("enter", "\r")) == "screen"
        wanted = results.rows[3].data
        await burst(app, "down", "down", "down", "enter")
        await settled(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        assert app.screen.patient_id == wanted.id


async def test_a_pane_key_right_behind_a_pgdn_lets_the_pgdn_land_first(make_app) -> None:
    """F2 is a priority key (it acts as the app reads it) and PgDn acts only once it has
    bubbled up: PgDn then F2 in one burst moves the claims queue, never the schedule."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        schedule_list = list_of(app, "#schedule-list")
        on_schedule = schedule_list.cursor_row
        await burst(app, "f4")
        await settled(app, pilot)
        claims_list = list_of(app, "#claims-list")
        claims_list.focus()
        await settled(app, pilot)
        assert app.focused is claims_list and claims_list.cursor_row == 0
        await burst(app, "pagedown", "f2")
        await settled(app, pilot)
        assert app.query_one("#panes").current == "schedule"
        assert claims_list.cursor_row > 0
        assert schedule_list.cursor_row == on_schedule
