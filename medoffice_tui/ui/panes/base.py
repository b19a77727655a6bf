"""What every pane shares: a title, a first load on first show, and safe DB calls.

Panes run every query in a thread worker (``@work(thread=True, exclusive=True)``) so
the screen never freezes on a slow disk or a busy PostgreSQL. Peewee connections are
per thread, so each call is wrapped in ``db.connection_context()``. A
:class:`~medoffice_tui.services.errors.DomainError` carries a message written for the
desk and is shown as a notification; anything else is reported by its type only,
because an exception's text may carry patient data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.containers import Vertical
from textual.widget import Widget
from textual.worker import get_current_worker

from medoffice_tui.db import db
from medoffice_tui.services.errors import DomainError
from medoffice_tui.services.text import display

T = TypeVar("T")

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The worker was cancelled (a newer request replaced it), or its call failed
    and the desk has already been told."""


class Refused(Cancelled):
    """The service refused the call with a :class:`DomainError` (already shown)."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(type(error).__name__)
        self.error = error


class Pane(Vertical):
    """Base for the four top-level panes shown in the app's ContentSwitcher."""

    #: shown in the header and the help screen
    TITLE: ClassVar[str] = ""
    #: the app binding that shows this pane, e.g. "f2"
    PANE_KEY: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._loaded = False

    @property
    def focus_target(self) -> Widget | None:
        """The widget that takes focus when the pane is shown."""
        return None

    def activate(self) -> None:
        """Called by the app when this pane becomes the visible one."""
        target = self.focus_target
        if target is not None:
            target.focus()
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Fetch this pane's data again (subclasses start their workers here)."""

    # ------------------------------------------------------------- DB calls

    def fetch(self, call: Callable[[], T]) -> T:
        """Run ``call`` on this worker thread's own connection.

        Raises :class:`Cancelled` when the worker was cancelled before or after the
        call, and after reporting it, for any error: the caller just returns.
        """
        worker = get_current_worker()
        if worker.is_cancelled:
            raise Cancelled
        try:
            with db.connection_context():
                result = call()
        except DomainError as exc:
            self.app.call_from_thread(
                self.notify, display(str(exc)), severity="error", markup=False
            )
            raise Refused(exc) from None
        except Exception as exc:  # noqa: BLE001 - reported without its text (may hold PHI)
            log.warning("database call failed: %s", type(exc).__name__)
            self.app.call_from_thread(
                self.notify,
                f"Database error ({type(exc).__name__}); try again or tell the office admin",
                severity="error",
                markup=False,
            )
            raise Cancelled from None
        if worker.is_cancelled:
            raise Cancelled
        return result
