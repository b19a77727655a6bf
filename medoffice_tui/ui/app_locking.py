"""Locking the desk: after the practice's idle minutes without a key, and on Ctrl+L.

The lock screen covers everything; the same user's password resumes exactly where
they were, another user's sign-in closes the first user's screens. While locked,
toasts wait (they may name a patient) and show only to the same user.
"""

from __future__ import annotations

from typing import Any

from medoffice_tui import clock
from medoffice_tui.services import staff
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.screens.lock import LockScreen, Unlocked
from medoffice_tui.ui.screens.sign_in import SignInScreen
from medoffice_tui.ui.screens.too_small import TooSmallScreen
from medoffice_tui.ui.service_call import call_service


class LockingMixin:
    """The idle lock, Ctrl+L, and what unlocking does (mixed into ``MedofficeApp``)."""

    @property
    def locked(self) -> bool:
        return any(
            isinstance(s, LockScreen | SignInScreen | TooSmallScreen) for s in self.screen_stack
        )

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
