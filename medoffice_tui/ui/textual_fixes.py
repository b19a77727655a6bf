"""Three places where Textual 8 does more than the screen needs, and what the app does
about each (installed once, by the app; see each function for the measurements).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget

#: Textual's own ``Widget._size_updated``, before :func:`install_one_layout_per_reflow`
TEXTUAL_SIZE_UPDATED = Widget._size_updated
#: Textual's own ``Screen`` methods, before :func:`install_one_layout_per_screen_size`
TEXTUAL_SCREEN_REFRESH_LAYOUT = Screen._refresh_layout
TEXTUAL_SCREEN_ON_RESIZE = Screen._on_resize
TEXTUAL_SCREEN_RESIZED = Screen._screen_resized
_installed = False
_screen_installed = False
#: set while a screen handles the Resize its own layout sent it (no layout to redo);
#: one flag for the process: Textual's ``_on_resize`` never awaits, so no other
#: screen's handler runs while it is set
_laid_out_already = False


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


def install_one_layout_per_screen_size() -> None:
    """A screen laid out at a new size is not laid out again by the Resize event that
    layout sends it.

    ``Screen._refresh_layout`` posts a Resize to every widget whose size changed, the
    screen itself included: a dialog opened (its screen goes from no size to the
    terminal's) or the terminal resized. The screen's Resize handler then lays out the
    screen, and every screen behind it, again at the size they already have, and sends
    the whole screen a second time. Measured over a pty at 80x24: the sign-in's burst
    (the sign-in screen, then the workstation) went from 9,729 B to 7,332 B, and the
    booking form settles 78-83 ms after ``b`` instead of 93-118 ms at 1,000,000
    patients (it is still sent twice: once its children have mounted, Textual's
    ``AwaitMount`` asks for one more layout of a pushed screen). The mark is the size
    the screen's own layout gave it; a Resize of any other size (the terminal's), or
    one that comes when no layout just happened, is handled as before, and a screen
    behind that is not at the new size yet is laid out all the same.
    """
    global _screen_installed
    if _screen_installed:
        return
    _screen_installed = True

    def _refresh_layout(self: Screen, size: Any = None, scroll: bool = False) -> None:
        before = self._size
        TEXTUAL_SCREEN_REFRESH_LAYOUT(self, size, scroll)
        if self._size != before:
            self._medoffice_laid_out_at = self._size

    async def _on_resize(self: Screen, event: Any) -> None:
        global _laid_out_already
        mark = self.__dict__.pop("_medoffice_laid_out_at", None)
        if mark is None or mark != event.size or self._compositor.size != event.size:
            await TEXTUAL_SCREEN_ON_RESIZE(self, event)
            return
        _laid_out_already = True
        try:
            await TEXTUAL_SCREEN_ON_RESIZE(self, event)  # the rest of it (breakpoints)
        finally:
            _laid_out_already = False

    def _screen_resized(self: Screen, size: Any) -> None:
        # skipped only for a screen already laid out at that size: a screen behind one
        # that was covered while the terminal was resized still needs its layout
        if not (_laid_out_already and self._compositor.size == size):
            TEXTUAL_SCREEN_RESIZED(self, size)

    Screen._refresh_layout = _refresh_layout  # type: ignore[method-assign]
    Screen._on_resize = _on_resize  # type: ignore[method-assign]
    Screen._screen_resized = _screen_resized  # type: ignore[method-assign]
