"""The ``medoffice`` full-screen app: sign-in, a header, four panes behind F2-F5, a key line.

Nothing about any patient is on screen until someone signs in: the app opens on the
sign-in screen and the panes load their data only after it. The signed-in user is
``app.actor``; every service call a screen makes passes it on.

Global keys are priority bindings on the App so they work from anywhere, even from
inside a text box; each pane declares its own keys on its own class. F1 and the
command palette (Ctrl+P) are both generated from those BINDINGS lists, so neither
can drift from what the keyboard really does.

After the practice's idle minutes without a key (and at once on Ctrl+L) the lock
screen covers everything; the same user's password resumes exactly where they were.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.actions import parse as parse_action
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher
from textual.worker import get_current_worker

from medoffice_tui import clock, errorlog
from medoffice_tui.config import AppConfig
from medoffice_tui.services import permissions, session, staff
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.permissions import ROLE_NAMES
from medoffice_tui.services.practice import NO_PRACTICE, PracticeInfo, get_practice
from medoffice_tui.ui.key_gate import KeyGate
from medoffice_tui.ui.panes import registry
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.registry import DEFAULT_PANE, PANES
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screens.lock import LockScreen, Unlocked
from medoffice_tui.ui.screens.sign_in import SignInScreen
from medoffice_tui.ui.screens.too_small import TooSmallScreen, too_small
from medoffice_tui.ui.service_call import call_service, notify_unexpected
from medoffice_tui.ui.theme import MEDOFFICE_THEME, resolve_theme
from medoffice_tui.ui.widgets.app_header import AppHeader
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import PagedList

if TYPE_CHECKING:
    from medoffice_tui.ui.screens.help import HelpSection

# The panes, the help, staff and audit screens are imported when first needed
# (``ui/panes/registry.py``): the sign-in screen needs none of them.

log = logging.getLogger(__name__)


def make_bindings(source: Iterable[BindingType]) -> list[Binding]:
    """Bindings as declared (tuples turned into Binding objects)."""
    return list(Binding.make_bindings(source))


def describe(binding: Binding) -> str:
    """The long description (tooltip) where there is one; the footer keeps the short one."""
    return binding.tooltip or binding.description


class MainScreen(SafeDispatch, Screen[None]):
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


class MedofficeApp(SafeDispatch, App[None], inherit_bindings=False):
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f1",
            "help",
            "Help",
            key_display="F1",
            priority=True,
            id="app.help",
            tooltip="Keys of this pane",
        ),
        Binding(
            "f2",
            "show_pane('schedule')",
            "Schedule",
            show=False,
            priority=True,
            id="app.schedule",
            tooltip="Schedule pane",
        ),
        Binding(
            "f3",
            "show_pane('patients')",
            "Patients",
            show=False,
            priority=True,
            id="app.patients",
            tooltip="Patients pane",
        ),
        Binding(
            "f4",
            "show_pane('claims')",
            "Claims",
            show=False,
            priority=True,
            id="app.claims",
            tooltip="Claims pane",
        ),
        Binding(
            "f5",
            "show_pane('stock')",
            "Stock",
            show=False,
            priority=True,
            id="app.stock",
            tooltip="Stock pane",
        ),
        Binding(
            "f8",
            "audit",
            "Audit",
            show=False,
            priority=True,
            id="app.audit",
            tooltip="Audit trail (manager)",
        ),
        Binding(
            "f9",
            "staff",
            "Staff",
            show=False,
            priority=True,
            id="app.staff",
            tooltip="Staff accounts, passwords",
        ),
        Binding(
            "ctrl+l",
            "lock",
            "Lock",
            show=False,
            priority=True,
            id="app.lock",
            tooltip="Lock the screen now",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="Run any action by name",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="app.quit",
            tooltip="Quit medoffice",
        ),
        Binding(
            "ctrl+c",
            "help_quit",
            "How to quit",
            show=False,
            id="app.help-quit",
            tooltip="Explains that Ctrl+Q quits",
        ),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
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
        self.key_gate = KeyGate(self)
        self._mounting: set[str] = set()
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
        )
        if self.config.actor is None:
            practice = None if self.practice is NO_PRACTICE else self.practice
            self.push_screen(
                SignInScreen(
                    practice.name if practice else None,
                    self._demo_accounts if practice else None,
                ),
                self.signed_in,
            )
        else:
            self.signed_in(self.config.actor)
        self._watch_signals()
        self.call_after_refresh(self._first_frame_drawn)
        self._up = True

    def _first_frame_drawn(self) -> None:
        """The first screen is on its way to the terminal: the collector resumes
        (``launch.resume_gc``), and the panes are imported while the desk types."""
        from medoffice_tui import launch

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

    def signed_in(self, actor: Actor | None) -> None:
        if actor is None:
            return
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
            switcher.mount(pane)
            return pane

    def may(self, action: str) -> bool:
        """May the signed-in user do ``action``? (Keys follow this; services decide.)"""
        return self.actor is not None and permissions.allowed(self.actor, action)

    # ------------------------------------------------------------- locking

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self._last_input = clock.monotonic()
        if not getattr(event, "is_forwarded", False) and self.key_gate.offer(event):
            return  # the screen is still catching up: the key waits its turn (key_gate.py)
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self.key_gate.needs_settling(event)
        ):
            self.key_gate.hold("key")
            try:
                await super().on_event(event)
            finally:
                self.key_gate.release_when_settled("key")
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

    @property
    def locked(self) -> bool:
        return any(
            isinstance(s, LockScreen | SignInScreen | TooSmallScreen) for s in self.screen_stack
        )

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

    @property
    def idle_limit_s(self) -> float:
        return max(self.practice.idle_lock_minutes, 1) * 60.0

    def _arm_idle_lock(self, delay: float | None = None) -> None:
        """One timer, due when the screen would lock if no key came: it wakes the app once
        per idle period, not every few seconds (an idle app sends nothing)."""
        if self._idle_timer is not None:
            self._idle_timer.stop()
        wait = self.idle_limit_s if delay is None else max(delay, 1.0)
        self._idle_timer = self.set_timer(wait, self.check_idle_lock, name="idle-lock")

    def check_idle_lock(self) -> None:
        """Lock once the practice's idle minutes have passed without a key."""
        if self.actor is None or self.locked:
            return
        idle = clock.monotonic() - self._last_input
        if idle >= self.idle_limit_s:
            self.lock("idle")
        else:
            self._arm_idle_lock(self.idle_limit_s - idle)

    def action_lock(self) -> None:
        if self.actor is not None and not self.locked:
            self.lock("Ctrl+L")

    def lock(self, reason: str) -> None:
        actor = self.actor
        if actor is None:
            return
        # toasts may name a patient ("Booked Smith, Alex ..."): none stays on the lock
        # screen, and none raised while locked shows until the same user is back
        self._held_notices = []
        self.clear_notifications()
        call_service(self, lambda: staff.lock_session(actor, reason), group="lock")
        self.push_screen(LockScreen(actor, reason), self._unlocked)

    def notify(self, message: str, **kwargs: Any) -> None:
        """Textual's notify, except while the screen is locked: then the notice waits and
        shows after the same user unlocks (dropped if someone else signs in instead)."""
        held = self._held_notices
        if held is not None:
            if len(held) < 20:
                held.append((message, kwargs))
            return
        super().notify(message, **kwargs)

    def _release_notices(self, show: bool) -> None:
        held, self._held_notices = self._held_notices, None
        if show:
            for message, kwargs in held or ():
                super().notify(message, **kwargs)

    def _unlocked(self, result: Unlocked | None) -> None:
        if result is None:
            return
        self._last_input = clock.monotonic()
        self._arm_idle_lock()
        self.key_gate.release_when_settled("unlock")
        self._release_notices(show=not result.switched)
        if not result.switched:
            self.actor = result.actor
            return
        previous = self.actor
        if previous is not None:
            call_service(self, lambda: staff.sign_out(previous), group="lock")
        # another user: the first user's screens and typed input go; the panes reload
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.notify(
            "Signed in as someone else: the previous user's open forms were closed "
            "and what was typed in them discarded.",
            severity="warning",
            markup=False,
        )
        for pane in self.main_screen.query(Pane):
            pane.reset()
        self.signed_in(result.actor)

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
        pane.display = False
        self._mounting.add(pane_id)
        self.key_gate.hold("mount")

        async def finish() -> None:
            try:
                await switcher.mount(pane)
            finally:
                self._mounting.discard(pane_id)
                self.key_gate.release_when_settled("mount")
            if self._wanted_pane == pane_id and self.actor is not None and not self.locked:
                self._switch_to(pane)

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

    def action_help(self) -> None:
        from medoffice_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        # one help screen per pane, kept installed: pushing a mounted screen paints
        # once, where composing a new one paints several frames (bytes over SSH)
        over = self.screen if len(self.screen_stack) > 1 else None
        role = self.actor.role if self.actor else ""
        name = f"help-{type(over).__name__ if over else self.active_pane.id}-{role}"
        if not self.is_screen_installed(name):
            left, right = self.help_sections(over)
            below = permissions.summary_for(self.actor) if self.actor else []
            title = f"As {self.actor.role_label} you may" if self.actor else ""
            roles = [(permissions.ROLE_LABELS[r], permissions.ROLE_SHORT[r]) for r in ROLE_NAMES]
            screen = HelpScreen(
                left,
                right,
                below,
                title,
                permission_rows=permissions.permission_rows(),
                roles=roles,
                own_role=self.actor.role_label if self.actor else "",
            )
            self.install_screen(screen, name)
        self.push_screen(name)

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

    # ------------------------------------------------------------------- help

    def key_text(self, binding: Binding) -> str:
        """How to type one key: ``F2``, ``^r``, ``[`` (its own key, not a footer label)."""
        display = self.get_key_display(Binding(binding.key, binding.action))
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        return display

    def grouped(self, bindings: Iterable[Binding]) -> list[tuple[Binding, str]]:
        """One entry per action with all its keys: (first binding, ``[ / ←``)."""
        groups: dict[str, tuple[Binding, list[str]]] = {}
        for binding in bindings:
            groups.setdefault(binding.action, (binding, []))[1].append(self.key_text(binding))
        return [(first, " / ".join(keys)) for first, keys in groups.values()]

    def key_rows(self, bindings: Iterable[Binding]) -> list[tuple[str, str]]:
        """Help lines: (keys, what they do)."""
        return [(keys, describe(binding)) for binding, keys in self.grouped(bindings)]

    def pane_bindings(self, pane: Pane) -> list[Binding]:
        return make_bindings(type(pane).BINDINGS)

    def help_sections(
        self, over: Screen | None = None
    ) -> tuple[list[HelpSection], list[HelpSection]]:
        """(pane keys, global keys) from the BINDINGS declared on the pane, list and app,
        plus what the signed-in role may do (the permission table)."""
        if over is not None:
            title = getattr(over, "TITLE", None) or type(over).__name__
            local = self.key_rows(make_bindings(type(over).BINDINGS))
        else:
            title = self.active_pane.TITLE
            local = self.key_rows(self.pane_bindings(self.active_pane))
        list_keys = self.key_rows(make_bindings(PagedList.BINDINGS))
        app_keys = self.key_rows(make_bindings(self.BINDINGS))
        left: list[HelpSection] = [(f"{title} keys", local)]
        right: list[HelpSection] = [("Global keys", app_keys), ("In a list", list_keys)]
        return left, right

    # --------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own actions only: pane switches, the active pane's keys, admin."""
        if self.actor is None or self.locked:
            return
        for pane_id, entry in PANES.items():
            yield SystemCommand(
                f"Go to {entry.title}",
                f"Show the {entry.title} pane ({entry.key.upper()})",
                partial(self.action_show_pane, pane_id),
            )
        yield SystemCommand("Help: list keys", "Every key of this pane (F1)", self.action_help)
        yield SystemCommand("Lock the screen", "Lock now (Ctrl+L)", self.action_lock)
        yield SystemCommand("Staff accounts", "Accounts and passwords (F9)", self.action_staff)
        if self.may("audit.view"):
            yield SystemCommand("Audit trail", "Who did what (F8)", self.action_audit)
        if screen is self.main_screen:
            pane = self.active_pane
            for binding, keys in self.grouped(self.pane_bindings(pane)):
                _namespace, name, params = parse_action(binding.action)
                if pane.check_action(name, params) is False:
                    continue
                yield SystemCommand(
                    f"{pane.TITLE}: {describe(binding)}",
                    f"Key {keys}",
                    partial(self.run_action, binding.action, pane),
                )
        yield SystemCommand("Quit", "Quit medoffice (Ctrl+Q)", self.action_quit)

    # ---------------------------------------------------------------- errors

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last net, for errors outside any SafeDispatch screen: a widget's
        handler, a timer, a render, a callback.

        Once the app is up, the error is logged by id (no message, no locals) and the desk
        shown the id, and the app keeps running (a widget whose own handler raised stops
        answering, which is Textual's doing; screens and panes do not). While the first
        screen is still being built there is nothing usable to keep: the app exits with
        status 1 and a short message, never a traceback with local variables (they hold
        whatever was on screen)."""
        if self._up and not self._exit:
            self._carry_on_after(error)
            return
        error_id = notify_unexpected(self, error, "unhandled")
        self._return_code = 1
        self._exit_renderables.append(
            f"medoffice stopped after an unexpected error (error {error_id}); "
            f"the details are in {errorlog.log_path()}"
        )
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def _carry_on_after(self, error: Exception) -> None:
        """Log ``error`` by id; tell the desk, at most one notice every few seconds (a
        render that fails on every frame must not bury the screen in toasts)."""
        now = clock.monotonic()
        if now - self._last_error_notice >= 3.0:
            self._last_error_notice = now
            error_id = notify_unexpected(self, error, "unhandled")
        else:
            error_id = errorlog.report(error, "unhandled (repeat)")
        self.unexpected_errors.append(error_id)
