"""No key typed ahead of the screen is lost or lands in the wrong place.

Front-desk staff type ahead: the username, Enter, the password, Enter, F3 and a name,
all before the first screen has changed; over a slow SSH link a whole burst of keys
arrives in one packet. Textual hands each key to whatever has focus *when the app
reads the key*, while the effect of the key before it (a form opening, the focus
moving to a list) happens a few messages later. So the keys of a burst would go to
the screen that is about to go away (where "smi" could check a patient in) or
nowhere.

The gate makes keys take effect in order:

- a key that may change what has focus (anything but plain typing into a text box)
  closes the gate; the keys behind it wait (behind a cursor move a list declares in
  place, only until the list and the widgets above it have applied it);
- the gate opens again once the screen has *settled*: every widget of the screen
  that is now showing (and the app) has handled every message the key set off,
  including a new screen mounting and taking focus;
- the waiting keys are then handed on in order, each one closing the gate again
  if it needs to.

A key typed at human speed arrives long after the one before settled, so it is
never delayed; only bursts wait, and only for as long as the screen takes to catch
up. A safety timeout opens the gate after a few seconds whatever happens, so a bug
can delay keys but never eat them.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: keys never held: quitting must always work
UNHELD = frozenset({"ctrl+q"})
#: the most a hold may last, in seconds
SAFETY_S = 3.0
#: at most this many rounds of "has every widget handled its messages?" per settle
MAX_ROUNDS = 12
#: A text box inserts a printed character as soon as it reads the key, but every other
#: key it handles (Backspace, Left, Ctrl+U, ...) is a *binding*, run as an action a few
#: messages later: in a burst ("abc", Ctrl+U, "smi") the action would land after the
#: letters typed behind it and delete them. So only printable keys pass the gate
#: unheld; an editing key holds the keys behind it until it has been applied.


def _empty(nodes: list[MessagePump]) -> bool:
    return all(node._message_queue.empty() for node in nodes)


class KeyGate:
    def __init__(self, app: App) -> None:
        self.app = app
        self._holders: dict[str, int] = {}
        self._held: list[events.Key] = []
        self._replaying = False
        self._passing: events.Key | None = None
        self._safety: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # ----------------------------------------------------------------- state

    @property
    def holding(self) -> bool:
        return bool(self._holders)

    @property
    def held_keys(self) -> list[str]:
        return [event.key for event in self._held]

    def hold(self, reason: str) -> None:
        self._holders[reason] = self._holders.get(reason, 0) + 1
        if self._safety is None:
            loop = asyncio.get_running_loop()
            self._safety = loop.call_later(SAFETY_S, self.release_all)

    def release(self, reason: str) -> None:
        count = self._holders.get(reason, 0) - 1
        if count > 0:
            self._holders[reason] = count
        else:
            self._holders.pop(reason, None)
        if not self._holders:
            self._open()

    def release_when_settled(self, reason: str, scope: str = "screen") -> None:
        """Let go once the screen showing now (``scope="focus"``: the focused widget and
        those above it) has handled everything pending."""

        async def settle_then_release() -> None:
            try:
                await self.settle(scope)
            finally:
                self.release(reason)

        task = asyncio.get_running_loop().create_task(settle_then_release())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def release_all(self) -> None:
        self._holders.clear()
        self._open()

    # ------------------------------------------------------------------ keys

    def settling_for(self, event: events.Key) -> str | None:
        """How far the screen must settle before the keys behind ``event`` go on.

        None: plain typing into a text box, applied at once (it cannot move the focus
        or open anything). ``"focus"``: a key the focused widget declares in place
        (``KEYS_IN_PLACE``: Down in a list) cannot move the focus either, but its
        action runs only when the key has bubbled up to the app, so a priority key
        behind it (F2, Tab in a form) must still wait for that: the widgets from the
        focused one up to the app are enough. ``"screen"``: anything else may open a
        screen or move the focus; every widget of the screen must have caught up."""
        focused = self.app.focused
        if isinstance(focused, Input):
            return None if event.is_printable else "screen"
        if event.key in getattr(focused, "KEYS_IN_PLACE", ()):
            return "focus"
        return "screen"

    def offer(self, event: events.Event) -> bool:
        """Keep ``event`` for later if the gate is holding; True when it was kept."""
        if not isinstance(event, events.Key) or event.key in UNHELD:
            return False
        if event is self._passing:
            return False  # the key being replayed now
        if self._holders or (self._held and not self._replaying):
            self._held.append(event)
            return True
        return False

    async def settle(self, scope: str = "screen") -> None:
        """Wait until the app and every widget of the current screen have handled every
        message, including the ones that handling sets off (a key, a binding, a message
        to the pane, a screen pushed and mounted).

        A queue can look empty while its widget is busy with the message it just took,
        so one look is not enough. Each round asks every widget to call back once it has
        handled what it holds; the screen has settled after a round that starts and ends
        with every queue empty and the same widgets showing: any message being handled
        when the round began had finished by the widget's call-back, and what it set off
        would be sitting in a queue at the end.
        """
        for _ in range(MAX_ROUNDS):
            before = self._nodes(scope)
            if before is None:
                return
            quiet = _empty(before)
            done = asyncio.Event()
            pending = [0]

            def handled(pending: list[int] = pending, done: asyncio.Event = done) -> None:
                pending[0] -= 1
                if pending[0] == 0:
                    done.set()

            # one callback object for every widget, its parameter count already known:
            # call_later would wrap each in a new partial that Textual inspects anew
            callback = partial(handled)
            callback._param_count = 0  # type: ignore[attr-defined]  # textual._callback
            for node in before:
                if node.post_message(events.Callback(callback=callback)):
                    pending[0] += 1
            if pending[0]:
                try:
                    await asyncio.wait_for(done.wait(), timeout=SAFETY_S)
                except TimeoutError:
                    return
            after = self._nodes(scope)
            if after is None:
                return
            if quiet and _empty(after) and {id(n) for n in after} == {id(n) for n in before}:
                return

    def _nodes(self, scope: str = "screen") -> list[MessagePump] | None:
        try:
            focused = self.app.focused if scope == "focus" else None
            if focused is not None:
                return [*focused.ancestors_with_self]  # up to the screen and the app
            return [self.app, *self.app.screen.walk_children(with_self=True)]
        except Exception:  # noqa: BLE001 - no screen (shutting down): nothing to wait for
            return None

    def _open(self) -> None:
        if self._safety is not None:
            self._safety.cancel()
            self._safety = None
        if self._held and not self._replaying:
            self.app.call_later(self._replay)

    async def _replay(self) -> None:
        """Hand the kept keys on, in order; stop as soon as one closes the gate again."""
        self._replaying = True
        try:
            while self._held and not self._holders:
                event = self._held.pop(0)
                self._passing = event
                await self.app.on_event(event)
        finally:
            self._passing = None
            self._replaying = False
        if self._held and not self._holders:
            self.app.call_later(self._replay)
