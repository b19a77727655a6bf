"""Move focus *now*, so keys typed ahead land where they were meant to.

``Widget.focus()`` only schedules the change, after the keys already waiting in the
app's queue: a fast typist's "frontdesk<Enter>secret" would put "secret" in the
username box. A priority binding's action runs while the app handles the key, so
focusing synchronously there makes every following key go to the new widget.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give ``widget`` focus before the next key is handled."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # noqa: BLE001 - not on a screen yet: fall back to the scheduled way
        widget.focus()


def hold_keys(node: DOMNode, reason: str) -> None:
    """Keys typed from now on wait (``ui/key_gate.py``) until :func:`release_keys`."""
    gate = getattr(node.app, "key_gate", None)
    if gate is not None:
        gate.hold(reason)


def release_keys(node: DOMNode, reason: str) -> None:
    """Let the waiting keys go once the screen has been drawn."""
    gate = getattr(node.app, "key_gate", None)
    if gate is not None:
        gate.release_when_settled(reason)


def after_typed(callback: Callable[[], object], *widgets: Widget) -> None:
    """Run ``callback`` once every widget has handled the keys already sent to it.

    Each widget takes its keys from a queue of its own, so after a fast
    "manager<Enter>secret<Enter>" the password box may be done while the username box
    is still taking "manager". Chaining the call through each widget's queue waits for
    all of them, so a form never reads a field that has not caught up.
    """

    def step(index: int) -> None:
        if index >= len(widgets):
            callback()
            return
        if not widgets[index].call_later(step, index + 1):
            step(index + 1)  # the widget is gone: nothing left to wait for

    step(0)
