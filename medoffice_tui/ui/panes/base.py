"""What every pane shares: a title, a first load on first show, and its service calls.

Panes never query anything on the UI thread: each load goes through
``call_service`` (``ui/service_call.py``), which runs it on a worker thread with its
own connection and hands the result back. A pane keeps a generation number per
list, so an answer to a request the desk has already replaced is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.containers import Vertical
from textual.widget import Widget

from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.safe import SafeDispatch

if TYPE_CHECKING:
    from medoffice_tui.services.actor import Actor


class Pane(SafeDispatch, Vertical):
    """Base for the four top-level panes shown in the app's ContentSwitcher."""

    #: shown in the header and the help screen
    TITLE: ClassVar[str] = ""
    #: the app binding that shows this pane, e.g. "f2"
    PANE_KEY: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._loaded = False
        self._composed = False
        self._activate_when_composed = False
        #: what :meth:`first_load` fetched at sign-in, for the first show (then None)
        self.prefetched: object | None = None

    @classmethod
    def first_load(cls) -> object | None:
        """The first show's data, fetched on the sign-in's worker thread right after the
        password check, while the app mounts this pane (the first pane then needs no
        worker of its own). None: the pane loads on its first show as usual."""
        return None

    @property
    def actor(self) -> Actor:
        """The signed-in user (panes are only shown after sign-in)."""
        actor = getattr(self.app, "actor", None)
        assert actor is not None, "a pane was used before anyone signed in"
        return actor

    def may(self, action: str) -> bool:
        may = getattr(self.app, "may", None)
        return bool(may and may(action))

    @property
    def focus_target(self) -> Widget | None:
        """The widget that takes focus when the pane is shown."""
        return None

    def _on_mount(self) -> None:
        # runs after the subclass's own on_mount: the pane's widgets are all there
        self._composed = True
        if self._activate_when_composed:
            self._activate_when_composed = False
            self.activate()

    def activate(self) -> None:
        """Called by the app when this pane becomes the visible one (a pane mounted
        just now is activated once its widgets are composed)."""
        if not self._composed:
            self._activate_when_composed = True
            return
        target = self.focus_target
        if target is not None:
            focus_now(target)  # keys typed right after the F-key land here
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Fetch this pane's data again (subclasses start their service calls here)."""

    def reset(self) -> None:
        """Forget what is shown (another user signed in): the next show loads afresh."""
        self._loaded = False
