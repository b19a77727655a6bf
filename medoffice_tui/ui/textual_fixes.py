"""Two places where Textual 8 does more than the screen needs, and what the app does
about each (installed once, by the app; see each function for the measurements).
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
