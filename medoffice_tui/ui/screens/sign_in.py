"""The sign-in screen: the first thing the app shows, and nothing about any patient.

Username, Enter, password, Enter. A wrong password or unknown username gets the same
words; after five failures the account locks for ten minutes (the service counts and
audits them). On a demo database only, the demo accounts are listed to try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from medoffice_tui.errors import DomainError
from medoffice_tui.services import staff
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import after_typed, focus_now, hold_keys, release_keys
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.plain_input import PlainInput

SIGN_IN_CSS = """
SignInScreen, LockScreen {
    align: center middle;
    background: $background;
}
SignInScreen #sign-in-box, LockScreen #lock-box {
    width: 64;
    max-width: 100%;
    height: auto;
    border: round $primary;
    padding: 0 1;
}
SignInScreen .sign-in-title, LockScreen .sign-in-title { text-style: bold; margin-bottom: 1; }
SignInScreen .sign-in-row, LockScreen .sign-in-row { height: 1; layout: horizontal; }
SignInScreen .sign-in-label, LockScreen .sign-in-label { width: 10; }
SignInScreen Input, LockScreen Input { width: 1fr; height: 1; border: none; padding: 0; }
SignInScreen Input:focus, LockScreen Input:focus { background: $boost; }
SignInScreen #sign-in-message, LockScreen #lock-message {
    height: auto; color: $error; text-style: bold; margin-top: 1;
}
SignInScreen #sign-in-message.-info, LockScreen #lock-message.-info {
    color: $text-muted; text-style: none;
}
SignInScreen #sign-in-demo { color: $text-muted; margin-top: 1; height: auto; display: none; }
SignInScreen .sign-in-keys, LockScreen .sign-in-keys { color: $text-muted; margin-top: 1; }
"""


def demo_text(accounts: list[tuple[str, str, str]]) -> Text:
    text = Text(no_wrap=True, end="")
    text.append("Demo practice: try one of these accounts\n", style="bold")
    for username, password, role in accounts:
        text.append(f"  {username:<10} {password:<16} {role}\n")
    text.rstrip()
    return text


class SignInScreen(QuietFocus, Screen[Actor]):
    """Username and password; dismisses with the signed-in Actor."""

    DEFAULT_CSS = SIGN_IN_CSS
    TITLE = "Sign in"
    AUTO_FOCUS = "#sign-in-username"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "enter",
            "Sign in",
            priority=True,
            id="sign-in.enter",
            tooltip="Next field, then sign in",
        ),
        Binding(
            "escape",
            "clear",
            "Clear",
            id="sign-in.clear",
            tooltip="Clear the username and password",
        ),
    ]

    def __init__(
        self,
        practice: str | None = None,
        demo_accounts: list[tuple[str, str, str]] | None = None,
        first_load: Callable[[], object] | None = None,
    ) -> None:
        """``practice`` and ``demo_accounts`` when already read: the first frame is then
        the whole screen (otherwise :meth:`show_practice` fills them in).
        ``first_load`` runs on the sign-in's worker once the password is right (the
        first pane's data); its answer is :attr:`first_loaded` when the screen closes."""
        super().__init__()
        self._busy = False
        self._practice = practice
        self._demo_accounts = demo_accounts or []
        self._first_load = first_load
        self.first_loaded: object | None = None

    def compose(self) -> ComposeResult:
        title = f"medoffice  {display(self._practice)}" if self._practice else "medoffice"
        demo = Static(
            demo_text(self._demo_accounts) if self._demo_accounts else "",
            id="sign-in-demo",
            markup=False,
        )
        demo.display = bool(self._demo_accounts)
        with Vertical(id="sign-in-box"):
            yield Static(title, id="sign-in-title", classes="sign-in-title", markup=False)
            with Horizontal(classes="sign-in-row"):
                yield Label("Username", classes="sign-in-label")
                yield PlainInput(id="sign-in-username", compact=True, max_length=40)
            with Horizontal(classes="sign-in-row"):
                yield Label("Password", classes="sign-in-label")
                yield PlainInput(id="sign-in-password", compact=True, password=True)
            yield Static("", id="sign-in-message", markup=False)
            yield demo
            yield Static("Enter next / sign in   Esc clear   Ctrl+Q quit", classes="sign-in-keys")

    def show_practice(self, name: str, demo_accounts: list[tuple[str, str, str]]) -> None:
        """The practice's name, and (on a demo database only) the accounts to try."""
        self.query_one("#sign-in-title", Static).update(f"medoffice  {display(name)}")
        demo = self.query_one("#sign-in-demo", Static)
        demo.display = bool(demo_accounts)
        if demo_accounts:
            demo.update(demo_text(demo_accounts))

    @property
    def username_box(self) -> Input:
        return self.query_one("#sign-in-username", Input)

    @property
    def password_box(self) -> Input:
        return self.query_one("#sign-in-password", Input)

    def show_message(self, text: str, *, info: bool = False) -> None:
        message = self.query_one("#sign-in-message", Static)
        message.set_class(info, "-info")
        message.update(display(text))

    def action_clear(self) -> None:
        self.username_box.value = ""
        self.password_box.value = ""
        self.show_message("")
        focus_now(self.username_box)

    def action_enter(self) -> None:
        """Enter in the username box moves on at once, so the keys typed after it go to
        the password. In the password box it signs in, once the box has taken every key
        typed before the Enter (the call waits its turn in the box's own queue)."""
        if self.focused is self.username_box:
            focus_now(self.password_box)
            return
        hold_keys(self, "sign-in")  # keys typed after this Enter wait for the answer
        after_typed(self._sign_in, self.username_box, self.password_box)

    def _sign_in(self) -> None:
        if self._busy:
            release_keys(self, "sign-in")
            return
        username = self.username_box.value
        password = self.password_box.value
        if not username.strip():
            focus_now(self.username_box)
            self.show_message("Type your username first.")
            release_keys(self, "sign-in")
            return
        self._busy = True
        self.show_message("Signing in...", info=True)
        first_load = self._first_load

        def sign_in() -> tuple[Actor, object | None]:
            actor = staff.sign_in(username, password)
            return actor, first_load() if first_load is not None else None

        call_service(
            self,
            sign_in,
            on_result=self._signed_in,
            on_error=self._refused,
            on_done=self._done,
            group="sign-in",
            description="sign-in",
        )

    def _done(self) -> None:
        self._busy = False

    def _signed_in(self, result: tuple[Actor, object | None]) -> None:
        """Close with the actor; the app lets the waiting keys go once its pane is up."""
        actor, self.first_loaded = result
        self.password_box.value = ""
        self.dismiss(actor)

    def _refused(self, error: DomainError) -> None:
        self.password_box.value = ""
        self.show_message(str(error))
        focus_now(self.password_box)
        release_keys(self, "sign-in")
