"""Seven places where Textual 8 does more than the screen needs, and what the app does
about each (installed once, by the app; see each function for the measurements).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import wraps
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widget import AwaitMount, Widget

#: Textual's own ``Widget._size_updated``, before :func:`install_one_layout_per_reflow`
TEXTUAL_SIZE_UPDATED = Widget._size_updated
#: Textual's own ``Screen`` methods, before :func:`install_one_layout_per_screen_size`
TEXTUAL_SCREEN_REFRESH_LAYOUT = Screen._refresh_layout
TEXTUAL_SCREEN_ON_RESIZE = Screen._on_resize
TEXTUAL_SCREEN_RESIZED = Screen._screen_resized
#: Textual's own ``Screen._on_timer_update``, before :func:`install_one_frame_per_update`
TEXTUAL_SCREEN_TIMER_UPDATE = Screen._on_timer_update
#: Textual's own ``App._prune``, before :func:`install_no_second_paint_after_a_screen_closes`
TEXTUAL_APP_PRUNE = App._prune
#: Textual's own ``AwaitMount.__await__``, before :func:`install_no_repaint_after_a_screen_mounts`
TEXTUAL_AWAIT_MOUNT = AwaitMount.__await__
#: Textual's own ``Screen._on_screen_resume`` (see the same function)
TEXTUAL_SCREEN_RESUME = Screen._on_screen_resume
#: set while a screen handles the Resize its own layout sent it (no layout to redo);
#: one flag for the process: Textual's ``_on_resize`` never awaits, so no other
#: screen's handler runs while it is set
_laid_out_already = False


def _once(install: Callable[[], None]) -> Callable[[], None]:
    """An install that patches Textual the first time it is called, and never again."""
    done = False

    @wraps(install)
    def install_once() -> None:
        nonlocal done
        if not done:
            done = True
            install()

    return install_once


def release_closed_widgets() -> None:
    """Let go of what Textual keeps of widgets already removed (a closed form's).

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so it holds up to
    1,024 widgets' style caches (each with its rendered lines) after their widgets are
    gone (Textual issue 6665): every form opened and closed left ~30 of them, and the
    full collections that walk them grew slower with each. Clearing it costs one
    recomputation of two colours per widget drawn next."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


@_once
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

    def _size_updated(self: Widget, size: Any, virtual_size: Any, container_size: Any,
                      layout: bool = True) -> bool:  # fmt: skip
        return TEXTUAL_SIZE_UPDATED(self, size, virtual_size, container_size, False)

    Widget._size_updated = _size_updated  # type: ignore[method-assign]


@_once
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


@_once
def install_one_frame_per_update() -> None:
    """A screen due both a layout and a whole repaint is sent once, not twice.

    ``Screen._on_timer_update`` lays the screen out (which sends what the layout
    changed), then, when the whole screen was also asked to repaint, sends all of it
    again in the same turn. That is what happens when a screen comes back on top (its
    ``ScreenResume`` repaints it whole) while its widgets change: the sign-in's end
    sent the workstation as a layout's update, then whole a second time. Here the whole
    screen is marked for the layout's own update instead, so the one frame holds both.
    """

    def _on_timer_update(self: Screen) -> None:
        if (
            self._repaint_required
            and (self._layout_required or self._scroll_required)
            and self.is_current
            and not self.app._batch_count
        ):
            self._repaint_required = False
            self._dirty_widgets.add(self)  # the layout's update is the whole screen
        TEXTUAL_SCREEN_TIMER_UPDATE(self)

    Screen._on_timer_update = _on_timer_update  # type: ignore[method-assign]


@_once
def install_no_second_paint_after_a_screen_closes() -> None:
    """A closed screen's removal does not repaint the screen under it a second time.

    When a screen is popped, the one under it repaints itself whole as it comes back on
    top (``Screen._on_screen_resume``). Then, once the closed screen's widgets are gone,
    ``App._prune`` calls ``App.refresh(layout=True)``, which repaints the top screen
    whole once more and lays it out: Esc out of a dialog, and the end of the sign-in,
    sent the whole screen twice. Here a screen removed from the app only updates the
    mouse-over, as Textual's does first; the screen on top was repainted already.
    Any other removal (widgets from a container) is Textual's own.
    """

    def _prune(self: App, *nodes: Any, parent: Any = None) -> Any:
        if parent is not self or not nodes or not all(isinstance(n, Screen) for n in nodes):
            return TEXTUAL_APP_PRUNE(self, *nodes, parent=parent)
        removal = TEXTUAL_APP_PRUNE(self, *nodes, parent=None)

        def update_mouse_over() -> None:
            if self._screen_stack and self.screen._running:
                self._update_mouse_over(self.screen)

        removal._post_remove = update_mouse_over  # it runs later (``call_next``)
        return removal

    App._prune = _prune  # type: ignore[method-assign]


@_once
def install_no_repaint_after_a_screen_mounts() -> None:
    """A pushed screen is sent once, not three times.

    A screen pushed for the first time comes on top (``Screen._on_screen_resume``) at a
    size it has not had: it is laid out, which draws all of it, and then asked to
    repaint whole. And ``push_screen`` returns an ``AwaitMount`` that, once the screen's
    widgets have mounted, calls ``screen.refresh(layout=True)``: a layout and a whole
    repaint again, 20-30 ms after the first frame, which had those widgets already.
    Measured over a pty at 80x24 on 20,000 patients: ``b`` (the booking form) sent the
    whole screen twice, 3,000 B each. Here a screen that the resume has just laid out,
    and so drawn, is not repainted again (unless repaints are held: then the layout's
    frame is not drawn and the repaint is what draws it), and the mount's refresh is a
    layout only (it sends what moved, if anything did). A mount into a widget (not a
    screen) is Textual's own.
    """

    def __await__(self: AwaitMount) -> Any:
        if not isinstance(self._parent, Screen):
            return TEXTUAL_AWAIT_MOUNT(self)
        screen = self._parent

        async def await_mount() -> None:
            if self._widgets:
                aws = [
                    asyncio.create_task(widget._mounted_event.wait(), name="await mount")
                    for widget in self._widgets
                ]
                await asyncio.wait(aws)
                screen.refresh(layout=True, repaint=False)
                if screen.is_attached and screen._running:
                    screen.app._update_mouse_over(screen)

        return await_mount().__await__()

    def _on_screen_resume(self: Screen, event: Any) -> None:
        laid_out = self.is_attached and self._size != self.app.size
        TEXTUAL_SCREEN_RESUME(self, event)
        if laid_out and self.is_current and not self.app._batch_count:
            self._repaint_required = False  # the layout's frame was the whole screen

    AwaitMount.__await__ = __await__  # type: ignore[method-assign]
    Screen._on_screen_resume = _on_screen_resume  # type: ignore[method-assign]
