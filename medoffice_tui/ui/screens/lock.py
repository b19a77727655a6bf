"""The lock screen: covers everything, shows no patient data, sends a few hundred bytes.

Shown after the practice's idle minutes, or at once with Ctrl+L. The same user's
password resumes exactly where they were (the screens beneath, with whatever was
typed in them, are kept). Ctrl+U lets someone else sign in instead; the first user's
open forms are then closed and what was typed in them is discarded (said on screen
before it happens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

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
from medoffice_tui.ui.screens.sign_in import SIGN_IN_CSS
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.plain_input import PlainInput


@dataclass(frozen=True)
class Unlocked:
    """How the lock ended: the same user resumed, or another signed in (``switched``)."""

    actor: Actor
    switched: bool


class LockScreen(QuietFocus, Screen[Unlocked]):
    DEFAULT_CSS = (
        SIGN_IN_CSS
        + """
    LockScreen #lock-user-row { display: none; }
    LockScreen.-switching #lock-user-row { display: block; }
    LockScreen #lock-warning { display: none; color: $warning; margin-top: 1; height: auto; }
    LockScreen.-switching #lock-warning { display: block; }
    """
    )
    TITLE = "Locked"
    AUTO_FOCUS = "#lock-password"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "enter",
            "Unlock",
            priority=True,
            id="lock.enter",
            tooltip="Next field, then unlock",
        ),
        Binding(
            "ctrl+u",
            "switch_user",
            "Other user",
            priority=True,
            id="lock.switch-user",
            tooltip="Sign in as someone else",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            priority=True,
            id="lock.back",
            tooltip="Back to the same user",
        ),
    ]

    def __init__(self, actor: Actor, reason: str) -> None:
        super().__init__()
        self.actor = actor
        self.reason = reason
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static("medoffice is locked", classes="sign-in-title", markup=False)
            yield Static(
                f"Signed in: {display(self.actor.full_name)} ({self.actor.role_label})",
                id="lock-who",
                markup=False,
            )
            with Horizontal(classes="sign-in-row", id="lock-user-row"):
                yield Label("Username", classes="sign-in-label")
                yield PlainInput(id="lock-username", compact=True, max_length=40)
            with Horizontal(classes="sign-in-row"):
                yield Label("Password", classes="sign-in-label")
                yield PlainInput(id="lock-password", compact=True, password=True)
            yield Static(
                f"Signing in as someone else closes {display(self.actor.full_name)}'s open "
                "forms; anything typed in them is discarded.",
                id="lock-warning",
                markup=False,
            )
            yield Static("", id="lock-message", markup=False)
            yield Static("Enter unlock   Ctrl+U other user   Ctrl+Q quit", classes="sign-in-keys")

    @property
    def switching(self) -> bool:
        return self.has_class("-switching")

    def action_switch_user(self) -> None:
        self.add_class("-switching")
        focus_now(self.query_one("#lock-username", Input))
        self.show_message("")

    def action_back(self) -> None:
        if self.switching:
            self.remove_class("-switching")
            self.query_one("#lock-username", Input).value = ""
            focus_now(self.query_one("#lock-password", Input))

    def action_enter(self) -> None:
        """As on the sign-in screen: move on at once, submit after the typed keys."""
        password = self.query_one("#lock-password", Input)
        if self.focused is self.query_one("#lock-username", Input):
            focus_now(password)
            return
        hold_keys(self, "unlock")  # keys typed after this Enter wait for the answer
        after_typed(self._unlock, self.query_one("#lock-username", Input), password)

    def show_message(self, text: str, *, info: bool = False) -> None:
        message = self.query_one("#lock-message", Static)
        message.set_class(info, "-info")
        message.update(display(text))

    def _unlock(self) -> None:
        if self._busy:
            release_keys(self, "unlock")
            return
        password = self.query_one("#lock-password", Input).value
        username = self.query_one("#lock-username", Input).value.strip()
        actor = self.actor
        if self.switching and username and username.lower() != actor.username:
            call = lambda: Unlocked(staff.sign_in(username, password), switched=True)  # noqa: E731
        else:
            call = lambda: Unlocked(staff.unlock_session(actor, password), switched=False)  # noqa: E731
        self._busy = True
        self.show_message("Checking...", info=True)
        call_service(
            self,
            call,
            on_result=self._unlocked,
            on_error=self._refused,
            on_done=self._done,
            group="unlock",
            description="unlock",
        )

    def _done(self) -> None:
        self._busy = False

    def _unlocked(self, result: Unlocked) -> None:
        self.query_one("#lock-password", Input).value = ""
        self.dismiss(result)

    def _refused(self, error: DomainError) -> None:
        box = self.query_one("#lock-password", Input)
        box.value = ""
        focus_now(box)
        self.show_message(str(error))
        release_keys(self, "unlock")
