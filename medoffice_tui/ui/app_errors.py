"""Textual's last net for the app's own errors: reported by id, and the app goes on.

Errors outside any SafeDispatch screen (a widget's handler, a timer, a render, a
callback) reach ``App._handle_exception``; here they are logged by id (no message, no
locals: they hold whatever was on screen) and the desk is told the id.
"""

from __future__ import annotations

from medoffice_tui import clock, errorlog
from medoffice_tui.ui.service_call import notify_unexpected


class ErrorsMixin:
    """``_handle_exception`` for ``MedofficeApp``."""

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
