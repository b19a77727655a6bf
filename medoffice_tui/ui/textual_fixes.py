"""Three places where Textual 8 does more than the screen needs (or later than it
could), and what the app does about each (see each function for the measurements).
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

#: Textual's own ``Widget._size_updated``, before :func:`install_one_layout_per_reflow`
TEXTUAL_SIZE_UPDATED = Widget._size_updated
_installed = False


def release_closed_widgets() -> None:
    """Let go of what Textual keeps of widgets already removed (a closed form's).

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so it holds up to
    1,024 widgets' style caches (each with its rendered lines) after their widgets are
    gone (Textual issue 6665): every form opened and closed left ~30 of them, and the
    full collections that walk them grew slower with each. Clearing it costs one
    recomputation of two colours per widget drawn next."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


def send_refresh_now(widget: Widget) -> None:
    """Tell the screen now, not at the widget's next idle, that ``widget`` must be
    repainted (or scrolled): what one key changed then comes in one frame.

    Each widget posts its repaint (``Update``) and scroll (``UpdateScroll``) to the
    screen from its own idle handler, and every widget idles in its own task: when a
    key scrolled a list and changed a line beside it, the screen drew the scroll as
    soon as the list idled and the line in the next frame. Measured over a pty at 80x24
    (claims queue at 100,000 patients): End drew the rows at 12-17 ms and its position
    ("1 to end") in a second frame at 38-50 ms. Called at the end of the change, for
    each widget it touched, the messages reach the screen together, before it draws.
    """
    check = getattr(widget, "_check_refresh", None)  # Textual's own idle step
    if check is not None and widget.is_attached:
        check()


def install_one_layout_per_reflow() -> None:
    """A widget given a new size in a full reflow asks for no second layout.

    ``Screen._refresh_layout`` hands every widget the size it has just arranged, with
    ``layout=True``: each widget whose size is new (every widget of a pane shown for
    the first time, of a screen or dialog opened, after a terminal resize) sets its
    ``virtual_size`` reactive, which asks for another full layout, and that layout
    repaints everything those widgets cover once more. Measured over a pty at 80x24:
    the claims queue's first show sent 11.2 KB in two frames, 7.7 KB in one with this.
    The sizes set are the ones the reflow computed (Textual's partial-layout path
    already passes ``layout=False``); a scrollbar that comes or goes still asks for its
    own layout (``_refresh_scrollbars``), which is the one case that needs one.
    """
    global _installed
    if _installed:
        return
    _installed = True

    def _size_updated(self: Widget, size: Any, virtual_size: Any, container_size: Any,
                      layout: bool = True) -> bool:  # fmt: skip
        return TEXTUAL_SIZE_UPDATED(self, size, virtual_size, container_size, False)

    Widget._size_updated = _size_updated  # type: ignore[method-assign]
