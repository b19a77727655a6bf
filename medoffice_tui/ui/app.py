"""The ``medoffice`` full-screen app: sign-in, a header, four panes behind F2-F5, a key line.

Nothing about any patient is on screen until someone signs in: the app opens on the
sign-in screen and the panes load their data only after it. The signed-in user is
``app.actor``; every service call a screen makes passes it on.

This module is the shell: starting (the sign-in screen whole in its first frame),
the panes (mounted on first show), screen changes (typed-ahead keys held until the
new screen is up), hang-up and quit. The rest of the app object lives beside it, one
job a module: the global keys (``app_bindings``), locking (``app_locking``), F1
(``app_help``), Ctrl+P (``app_commands``) and the last net for errors (``app_errors``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher
from textual.worker import get_current_worker

from medoffice_tui import clock, errorlog, launch
from medoffice_tui.config import AppConfig
from medoffice_tui.services import permissions, session, staff
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.practice import NO_PRACTICE, PracticeInfo, get_practice
from medoffice_tui.ui.app_bindings import APP_BINDINGS
from medoffice_tui.ui.app_commands import CommandsMixin
from medoffice_tui.ui.app_errors import ErrorsMixin
from medoffice_tui.ui.app_garbage import IdleCollectMixin
from medoffice_tui.ui.app_help import HelpMixin
from medoffice_tui.ui.app_locking import LockingMixin
from medoffice_tui.ui.key_gate import KeyGate
from medoffice_tui.ui.panes import registry
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.registry import DEFAULT_PANE
from medoffice_tui.ui.repaint_hold import hold_repaints
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.sign_in import SignInScreen
from medoffice_tui.ui.screens.too_small import TooSmallScreen, too_small
from medoffice_tui.ui.service_call import call_service, read_off_thread
from medoffice_tui.ui.textual_fixes import (
    install_no_repaint_after_a_screen_mounts,
    install_no_second_paint_after_a_screen_closes,
    install_one_frame_per_update,
    install_one_layout_per_reflow,
    install_one_layout_per_screen_size,
)
from medoffice_tui.ui.theme import MEDOFFICE_THEME, resolve_theme
from medoffice_tui.ui.widgets.app_header import AppHeader
from medoffice_tui.ui.widgets.key_line import KeyLine

# The panes, the help, staff and audit screens are imported when first needed
# (``ui/panes/registry.py``): the sign-in screen needs none of them.

log = logging.getLogger(__name__)

#: the most the practice's name and the demo accounts may take inline before the first
#: frame (nothing can be typed yet); a first read on a cold cache or a busy machine
#: takes more than a keystroke's 3 ms, and past this it goes to a worker as usual
FIRST_FRAME_BUDGET_S = 0.05
#: a pane's first show waits this long at most for its first data (``Pane.first_load``)
#: before it is shown without it (a slow server: the pane then loads as usual)
FIRST_SHOW_WAIT_S = 0.3


class MainScreen(SafeDispatch, QuietFocus, Screen[None]):
    """The screen the panes live on (an error in one of its handlers never ends the app).

    Textual treats the screen just below the top one as showing through it whatever
    the top one is, so every change here (a reload, the clock, a layout pass) repaints
    the region again on the screen above. Under a dialog (a ``ModalScreen``) the panes
    do show; under a whole screen (sign-in, lock, a patient's record, help) they do
    not, and those repaints are bytes on the wire for nothing: the cold start drew the
    sign-in screen a second time because of them, and the record screen would repaint
    whenever the schedule behind it reloaded. Here they are skipped; this screen
    repaints whole when it is on top again (``Screen._on_screen_resume``).
    """

    def _compositor_refresh(self) -> None:
        top = self.app.screen
        if top is not self and not isinstance(top, ModalScreen):
            return  # hidden behind a whole screen: nothing of this one shows
        super()._compositor_refresh()


class MedofficeApp(
    LockingMixin,
    HelpMixin,
    CommandsMixin,
    ErrorsMixin,
    IdleCollectMixin,
    SafeDispatch,
    App[None],
    inherit_bindings=False,
):
    """Front-desk workstation: schedule, patients, claims, stock.

    An error in one of the app's own handlers (a global key's action, a resize) is
    reported by id and the app goes on (``SafeDispatch``); so is one that reaches
    Textual's last net from a widget, a timer or a render once the app is up
    (``_handle_exception``).
    """

    TITLE = "medoffice"
    #: the shell's own CSS, parsed at start; the panes' and the screens' are parsed at
    #: sign-in (``_load_desk_css``): nothing on the sign-in screen uses them
    CSS_PATH: ClassVar[list[str]] = ["app.tcss"]
    DESK_CSS: ClassVar[tuple[str, ...]] = (
        "widgets/paged_list.tcss",
        "panes/panes.tcss",
        "screens/screens.tcss",
    )
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        install_one_layout_per_reflow()
        install_one_layout_per_screen_size()
        install_one_frame_per_update()
        install_no_second_paint_after_a_screen_closes()
        install_no_repaint_after_a_screen_mounts()
        self.config = config
        self.register_theme(MEDOFFICE_THEME)
        self._set_theme_before_start(resolve_theme(config.theme))
        self.actor: Actor | None = None
        self.practice: PracticeInfo = NO_PRACTICE
        self._demo_accounts: list[tuple[str, str, str]] = []
        self._preloading = False
        self._desk_css_loaded = False
        self._last_input = clock.monotonic()
        self._idle_timer: Timer | None = None
        self._collect_timer: Timer | None = None
        self._last_frame = 0.0  # when a frame last went to the terminal (``_display``)
        self.key_gate = KeyGate(self)
        self._mounting: set[str] = set()
        #: pane id -> its data read at sign-in (``Pane.first_load``), until it is mounted
        self._first_loaded: dict[str, object] = {}
        self._wanted_pane = DEFAULT_PANE
        #: set once the first screen is up: later unexpected errors are reported, not fatal
        self._up = False
        self._last_error_notice = float("-inf")
        #: error ids of unexpected errors the app carried on after (tests read these)
        self.unexpected_errors: list[str] = []
        #: while the lock screen is up, notifications wait here (they may name patients)
        self._held_notices: list[tuple[str, dict[str, Any]]] | None = None

    # ----------------------------------------------------------------- layout

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def get_driver_class(self) -> type:
        """Textual's driver, but one that leaves when the terminal goes (``ui/driver.py``)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from medoffice_tui.ui.driver import OfficeDriver

            return OfficeDriver
        return driver

    def compose(self) -> ComposeResult:
        yield AppHeader(id="app-header")
        # panes are mounted on first show (``pane()``): a start, and a sign-in, build
        # only the one pane shown; the others cost nothing until asked for
        yield ContentSwitcher(initial=None, id="panes")
        yield KeyLine(id="key-line")

    def _set_theme_before_start(self, name: str) -> None:
        """Set the theme before the app runs, without the full CSS re-parse that
        assigning ``self.theme`` schedules (Textual's theme watcher re-parses every
        stylesheet on the first turn of the loop, then the first widgets parse them
        again: one whole parse of all the CSS, a tenth of the start). Nothing is parsed
        yet, so setting the variables now is all a theme change needs."""
        if self.is_running:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes[f"-theme-{theme.name}"] = True
        classes["-dark-mode"] = theme.dark
        classes["-light-mode"] = not theme.dark
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def on_mount(self) -> None:
        if not session.is_open():  # the CLI opens the database; tests and embedders may not
            session.open_url(self.config.db_url)
        # the practice's name and the demo accounts are one indexed read each: read them
        # here (inline, on SQLite) so the sign-in screen is complete in its first frame
        # (no second layout, no late repaint); a slow server gets a worker as usual
        call_service(
            self,
            lambda: (get_practice(), staff.demo_accounts()),
            on_result=self._practice_loaded,
            group="practice",
            inline=True,
            inline_budget_s=FIRST_FRAME_BUDGET_S,
        )
        if self.config.actor is None:
            practice = None if self.practice is NO_PRACTICE else self.practice
            sign_in = SignInScreen(
                practice.name if practice else None,
                self._demo_accounts if practice else None,
                first_load=partial(registry.first_load, DEFAULT_PANE),
            )
            self.push_screen(
                sign_in,
                lambda actor: self.signed_in(actor, first_loaded=sign_in.first_loaded),
            )
        else:
            self.signed_in(self.config.actor)
        self._watch_signals()
        self.call_after_refresh(self._first_frame_drawn)
        self._up = True

    def _first_frame_drawn(self) -> None:
        """The first screen is on its way to the terminal: the collector resumes
        (``launch.resume_gc``), and the panes are imported while the desk types."""
        launch.resume_gc()
        if self.practice is not NO_PRACTICE:
            self._preload_panes()

    def _watch_signals(self) -> None:
        """SIGHUP (the terminal closed, the SSH link dropped) and SIGTERM end the app
        cleanly: sign out, close the database, exit."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.hang_up, sig.name)

    def hang_up(self, reason: str) -> None:
        """The terminal is gone (or we were told to stop): leave at once, cleanly."""
        if getattr(self, "_hanging_up", False):
            return
        self._hanging_up = True
        log.info("leaving: %s", reason)
        self.call_later(self._leave)

    async def _leave(self) -> None:
        self.workers.cancel_group(self, "preload")  # stops after the pane it is importing
        actor = self.actor
        if actor is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.run_in_thread_with_connection(lambda: staff.sign_out(actor)), 0.5
                )
        self.exit()

    def _practice_loaded(self, loaded: tuple[PracticeInfo, list[tuple[str, str, str]]]) -> None:
        practice, demo_accounts = loaded
        first = self.practice is NO_PRACTICE
        self.practice = practice
        self._demo_accounts = demo_accounts
        self.header.practice = practice.name
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.show_practice(practice.name, demo_accounts)
        if first and self._up:
            # read on a worker (not inline): the sign-in screen is complete only now
            self.call_after_refresh(self._preload_panes)

    def _preload_panes(self) -> None:
        if self._preloading:
            return
        self._preloading = True

        def preload() -> None:
            worker = get_current_worker()
            registry.preload(stop=lambda: worker.is_cancelled)
            launch.keep_built()  # the modules stay for the whole session

        self.run_worker(preload, thread=True, group="preload", exit_on_error=False)

    def _load_desk_css(self) -> None:
        """The panes' and screens' CSS, once, before the first pane is mounted: only
        these files are parsed now (Textual keeps the parse of the others)."""
        if self._desk_css_loaded:
            return
        self._desk_css_loaded = True
        here = Path(__file__).parent
        for name in self.DESK_CSS:
            path = here / name
            self.css_path.append(path)  # ``textual run --dev`` watches these too
            self.stylesheet.read(path)
        self.stylesheet.update(self)
        for screen in self.screen_stack:
            self.stylesheet.update(screen)

    def signed_in(self, actor: Actor | None, *, first_loaded: object | None = None) -> None:
        """``first_loaded``: the first pane's data, read on the sign-in's worker."""
        if actor is None:
            return
        self._first_loaded = {DEFAULT_PANE: first_loaded} if first_loaded is not None else {}
        self._load_desk_css()
        self.actor = actor
        self.header.user = actor.full_name
        self._last_input = clock.monotonic()
        self._arm_idle_lock()
        self.refresh_bindings()
        self.action_show_pane(DEFAULT_PANE)
        self.key_gate.release_when_settled("sign-in")  # keys typed during the check

    @property
    def header(self) -> AppHeader:
        return self.screen_stack[0].query_one(AppHeader)

    @property
    def main_screen(self) -> Screen:
        return self.screen_stack[0]

    @property
    def active_pane(self) -> Pane:
        switcher = self.main_screen.query_one("#panes", ContentSwitcher)
        return self.pane(switcher.current or DEFAULT_PANE)

    def pane(self, pane_id: str) -> Pane:
        """The pane ``pane_id``, mounted now if it has not been shown yet.

        A pane mounted here composes its widgets a moment later; ``Pane.activate``
        waits for that, so calling it straight after is safe.
        """
        switcher = self.main_screen.query_one("#panes", ContentSwitcher)
        try:
            return switcher.get_child_by_id(pane_id, Pane)
        except NoMatches:
            pane = registry.pane_class(pane_id)(id=pane_id)
            pane.prefetched = self._first_loaded.pop(pane_id, None)
            switcher.mount(pane)
            return pane

    def may(self, action: str) -> bool:
        """May the signed-in user do ``action``? (Keys follow this; services decide.)"""
        return self.actor is not None and permissions.allowed(self.actor, action)

    # ------------------------------------------------------------- locking

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self._last_input = clock.monotonic()
            self._collect_after_key()
        if not getattr(event, "is_forwarded", False) and self.key_gate.offer(event):
            return  # the screen is still catching up: the key waits its turn (key_gate.py)
        scope = (
            self.key_gate.settling_for(event)
            if isinstance(event, events.Key) and not event.is_forwarded
            else None
        )
        if scope is not None:
            self.key_gate.hold("key")
            try:
                await super().on_event(event)
            finally:
                self.key_gate.release_when_settled("key", scope)
            return
        await super().on_event(event)

    # every screen change holds typed-ahead keys until the new screen has drawn and
    # taken focus, so they land in it and not in the screen that was there before

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        self.key_gate.hold("screen")
        try:
            result = super().push_screen(screen, *args, **kwargs)
        except BaseException:
            self.key_gate.release("screen")
            raise
        self.key_gate.release_when_settled("screen")
        return result

    def pop_screen(self) -> Any:
        self.key_gate.hold("screen")
        try:
            return super().pop_screen()
        finally:
            self.key_gate.release_when_settled("screen")

    def on_resize(self, event: events.Resize) -> None:
        """Below the smallest size the screens work at, say so instead of drawing them."""
        small = too_small(event.size.width, event.size.height)
        shown = self.screen if isinstance(self.screen, TooSmallScreen) else None
        if small and shown is None:
            self.push_screen(TooSmallScreen())
        elif small and shown is not None:
            shown.show(event.size.width, event.size.height)
        elif not small and shown is not None:
            self.pop_screen()

    # ---------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show_pane", "help", "lock", "staff", "audit") and self.actor is None:
            return False
        if action == "audit" and not self.may("audit.view"):
            return False
        return True

    def action_show_pane(self, pane_id: str) -> None:
        """Show a pane (from any screen: a pushed screen is closed first)."""
        if self.actor is None or self.locked:
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        switcher = self.main_screen.query_one("#panes", ContentSwitcher)
        try:
            pane = switcher.get_child_by_id(pane_id, Pane)
        except NoMatches:
            self._mount_then_show(pane_id)
            return
        self._switch_to(pane)

    def _switch_to(self, pane: Pane) -> None:
        """One frame: the pane, its title and its focus change together."""
        with self.batch_update():
            self.main_screen.query_one("#panes", ContentSwitcher).current = pane.id
            self.header.pane_title = pane.TITLE
            pane.activate()

    def _mount_then_show(self, pane_id: str) -> None:
        """First show of a pane: mount it hidden, and switch once it is composed, so the
        screen goes from the old pane straight to the new one (no blank pane between).
        Keys typed meanwhile wait (the key gate) and then go to the new pane."""
        self._wanted_pane = pane_id
        if pane_id in self._mounting:
            return
        switcher = self.main_screen.query_one("#panes", ContentSwitcher)
        pane = registry.pane_class(pane_id)(id=pane_id)
        pane.prefetched = self._first_loaded.pop(pane_id, None)
        pane.display = False
        self._mounting.add(pane_id)
        self.key_gate.hold("mount")

        reading: asyncio.Future[object | None] | None = None
        if pane.prefetched is None and registry.has_first_load(pane_id):
            # the first show's data, read while the pane mounts: the screen then goes
            # from the old pane straight to the new one with its rows (one frame, not
            # an empty pane and then its rows)
            reading = asyncio.ensure_future(read_off_thread(partial(registry.first_load, pane_id)))
            # an answer that comes after the wait (or fails) is dropped, never left unread
            reading.add_done_callback(lambda done: done.cancelled() or done.exception())

        # nothing is drawn until the new pane is shown: a frame drawn while it mounts
        # (a slow first read) repainted the whole old pane for nothing (2.9 KB at
        # 1,000,000 patients, measured in a pty)
        end_batch = hold_repaints(self.app)

        async def finish() -> None:
            try:
                try:
                    await switcher.mount(pane)
                    if reading is not None:
                        # too slow, or the read failed (no connection): the pane is shown
                        # all the same, and its own first load reads and reports as usual
                        with contextlib.suppress(Exception):
                            pane.prefetched = await asyncio.wait_for(
                                asyncio.shield(reading), FIRST_SHOW_WAIT_S
                            )
                finally:
                    self._mounting.discard(pane_id)
                    self.key_gate.release_when_settled("mount")
                if self._wanted_pane == pane_id and self.actor is not None and not self.locked:
                    self._switch_to(pane)
                self.call_after_refresh(launch.keep_built)  # the pane stays: out of gc's way
            finally:
                end_batch()

        self.call_later(finish)

    def action_staff(self) -> None:
        if self.actor is not None and not self.locked:
            from medoffice_tui.ui.screens.staff import StaffScreen

            self._replace_top(StaffScreen())

    def action_audit(self) -> None:
        if self.may("audit.view") and not self.locked:
            from medoffice_tui.ui.screens.audit import AuditScreen

            self._replace_top(AuditScreen())

    def _replace_top(self, screen: Screen[Any]) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    async def action_quit(self) -> None:
        actor = self.actor
        if actor is not None:
            try:
                await self.run_in_thread_with_connection(lambda: staff.sign_out(actor))
            except Exception as exc:  # noqa: BLE001 - quitting must not fail
                errorlog.report(exc, "sign-out at quit")
        self.exit()

    async def run_in_thread_with_connection(self, call: Any) -> Any:
        def work() -> Any:
            with session.connection():
                return call()

        return await asyncio.to_thread(work)
