"""An error in one handler of a screen or pane never ends the app.

Textual stops a widget's message loop, and then the whole app, on the first
exception a handler raises, printing a traceback with local variables (which hold
whatever the screen held: names, MRNs, phones). Screens and panes that mix in
:class:`SafeDispatch` instead log the error by id (``errorlog``: no message, no
locals), tell the desk the id, and go on handling the next key.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from medoffice_tui.ui.service_call import notify_unexpected


class SafeDispatch:
    """Mix in before the Textual class: ``class MyScreen(SafeDispatch, Screen)``."""

    async def _dispatch_message(self, message: Message) -> Any:
        try:
            return await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - reported by id, then carry on
            notify_unexpected(self, exc, f"{type(self).__name__} {type(message).__name__}")  # type: ignore[arg-type]
            return None
