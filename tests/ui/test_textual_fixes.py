"""The app's workarounds for Textual (``ui/textual_fixes.py``, ``ui/screen_focus.py``),
each checked on a bare Textual app so a Textual upgrade that changes either shows here first."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Static

from medoffice_tui.ui import textual_fixes
from medoffice_tui.ui.screen_focus import QuietFocus


def install_the_apps_fixes() -> None:
    """Every fix, as ``MedofficeApp`` installs them (each test of a fix runs with all
    of them, as the app does, whichever tests ran before it in this worker; a test of
    Textual without one puts that one's original back for itself)."""
    textual_fixes.install_one_layout_per_reflow()
    textual_fixes.install_one_layout_per_screen_size()
    textual_fixes.install_one_frame_per_update()
    textual_fixes.install_no_second_paint_after_a_screen_closes()
    textual_fixes.install_no_repaint_after_a_screen_mounts()


class Wire:
    """What a terminal would show: every update the app sends (a held one is dropped
    by Textual, so it is not counted), replayed from the app's start into a terminal
    emulator; ``matches`` compares it with the screen drawn whole now (stale cells
    left by a skipped repaint show there)."""

    def __init__(self, app: App[None], size: tuple[int, int]) -> None:
        import pyte

        self.size = size
        self.terminal = pyte.Screen(*size)
        self._feed = pyte.Stream(self.terminal).feed
        self.sent: list[object] = []
        display = app._display

        def sending(screen: Screen, update: object) -> None:
            if update is not None and not app._batch_count:
                self.sent.append(update)
                self._feed(update.render_segments(app.console))  # type: ignore[attr-defined]
            display(screen, update)

        app._display = sending  # type: ignore[method-assign]

    def matches(self, app: App[None]) -> bool:
        import pyte

        whole = pyte.Screen(*self.size)
        update = app.screen._compositor.render_update(full=True)
        pyte.Stream(whole).feed(update.render_segments(app.console))
        return self.terminal.display == whole.display


class SwitchApp(App[None]):
    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="first"):
            yield Static("first pane", id="first")
            with Vertical(id="second"):
                yield Static("a line")
                with Horizontal():
                    yield Static("left")
                    yield Static("right")


async def layouts_for_first_show(monkeypatch) -> int:  # noqa: ANN001
    """How many full layouts showing a never-shown pane takes."""
    counted: list[int] = []
    real = Screen._refresh_layout

    def counting(self: Screen, size=None, scroll: bool = False) -> None:  # noqa: ANN001
        counted.append(1)
        real(self, size, scroll)

    app = SwitchApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        app.query_one(ContentSwitcher).current = "second"
        for _ in range(5):
            await pilot.pause()
        assert app.query_one("#second").region.height == 10
    return len(counted)


async def test_a_first_show_takes_one_layout_and_one_paint(monkeypatch) -> None:
    install_the_apps_fixes()
    assert await layouts_for_first_show(monkeypatch) == 1


async def test_without_it_textual_lays_the_pane_out_twice(monkeypatch) -> None:
    """What the fix is for: Textual's own ``_size_updated`` asks for a second layout
    (if this starts failing, Textual no longer does: the fix can go)."""
    from textual.widget import Widget

    monkeypatch.setattr(Widget, "_size_updated", textual_fixes.TEXTUAL_SIZE_UPDATED)
    assert await layouts_for_first_show(monkeypatch) == 2


def test_release_closed_widgets_empties_textuals_style_cache() -> None:
    from textual._styles_cache import StylesCache

    textual_fixes.release_closed_widgets()
    assert StylesCache.get_inner_outer.cache_info().currsize == 0


# ---------------------------------------------------------------- QuietFocus


class _Box(Static, can_focus=True):
    DEFAULT_CSS = "_Box:focus { background: blue; }"


class _Plain(Screen[None]):
    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="one"):
            yield _Box("first pane", id="one")
            yield _Box("second pane", id="two")


class _Quiet(QuietFocus, _Plain):
    pass


class _FocusApp(App[None]):
    def __init__(self, screen_class: type[Screen[None]]) -> None:
        super().__init__()
        self.screen_class = screen_class

    def on_mount(self) -> None:
        self.push_screen(self.screen_class())


async def paints_for_a_switch_that_moves_focus(screen_class: type[Screen[None]]) -> int:
    """How many updates the screen sends when a pane switch moves the focus (a
    ContentSwitcher flip and a focus change in one turn, as F2-F5 do)."""
    app = _FocusApp(screen_class)
    sent: list[object] = []
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        app.screen.query_one("#one").focus()
        await pilot.pause()
        real = app._display

        def counting(screen: Screen, update: object) -> None:  # noqa: ANN001
            if update is not None:
                sent.append(update)
            real(screen, update)

        app._display = counting  # type: ignore[method-assign]
        app.screen.query_one(ContentSwitcher).current = "two"
        app.screen.query_one("#two").focus()
        for _ in range(5):
            await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#two")
    return len(sent)


async def test_a_switch_that_moves_focus_sends_the_screen_once_with_quiet_focus() -> None:
    install_the_apps_fixes()
    assert await paints_for_a_switch_that_moves_focus(_Quiet) == 1


async def test_without_it_textual_sends_the_screen_twice(monkeypatch) -> None:  # noqa: ANN001
    """If this fails, Textual stopped repainting the screen on a focus change: QuietFocus
    (``ui/screen_focus.py``) can go. (Textual's own update timer: the app's sends a layout
    and a whole repaint as one frame, but a whole one, where QuietFocus sends only what
    the switch changed.)"""
    install_the_apps_fixes()
    monkeypatch.setattr(Screen, "_on_timer_update", textual_fixes.TEXTUAL_SCREEN_TIMER_UPDATE)
    assert await paints_for_a_switch_that_moves_focus(_Plain) == 2


class _Dialog(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("a dialog")
            yield Static("over the app")


async def layouts_for_a_dialog_and_a_resize(monkeypatch) -> tuple[int, int]:  # noqa: ANN001
    """Full layouts (any screen) for opening a dialog, then for a terminal resize."""
    counted: list[Screen] = []
    real = Screen._refresh_layout

    def counting(self: Screen, size=None, scroll: bool = False) -> None:  # noqa: ANN001
        counted.append(self)
        real(self, size, scroll)

    app = SwitchApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        await app.push_screen(_Dialog())
        for _ in range(5):
            await pilot.pause()
        opened = len(counted)
        counted.clear()
        await pilot.resize_terminal(30, 8)
        for _ in range(5):
            await pilot.pause()
        # laid out at the new size all the same, the dialog and the screen behind it
        assert app.screen.size == (30, 8) and app.screen_stack[0].size == (30, 8)
        assert app.screen.query_one(Vertical).region.width <= 30
    return opened, len(counted)


async def test_a_screen_is_not_laid_out_again_for_its_own_resize(monkeypatch) -> None:
    install_the_apps_fixes()
    opened, resized = await layouts_for_a_dialog_and_a_resize(monkeypatch)
    assert opened == 2  # the dialog's first layout and the one its mount asks for
    assert resized == 2  # the dialog and the screen behind it, each once


async def test_without_it_textual_lays_the_screens_out_again(monkeypatch) -> None:
    """What the fix is for (if this starts failing, Textual no longer does it)."""
    monkeypatch.setattr(Screen, "_refresh_layout", textual_fixes.TEXTUAL_SCREEN_REFRESH_LAYOUT)
    monkeypatch.setattr(Screen, "_on_resize", textual_fixes.TEXTUAL_SCREEN_ON_RESIZE)
    monkeypatch.setattr(Screen, "_screen_resized", textual_fixes.TEXTUAL_SCREEN_RESIZED)
    opened, resized = await layouts_for_a_dialog_and_a_resize(monkeypatch)
    assert opened == 4  # and again for the dialog and the screen behind it
    assert resized > 2


async def test_a_screen_behind_a_dialog_is_laid_out_after_a_resize_it_missed() -> None:
    """Resized while an opaque screen covered it, the screen behind a dialog is laid out
    at the new size once the dialog is back on top (the dialog's own second layout is
    skipped, not the one the screen behind still needs)."""
    install_the_apps_fixes()
    app = SwitchApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        await app.push_screen(_Dialog())
        await app.push_screen(Screen())
        await app.push_screen(Screen())
        await pilot.pause()
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        for _ in range(2):
            app.pop_screen()
            for _ in range(5):
                await pilot.pause()
        assert isinstance(app.screen, _Dialog) and app.screen.size == (30, 8)
        assert app.screen_stack[0].size == (30, 8)
        assert app.screen_stack[0].query_one("#first").region.width == 30


# ------------------------------------------- one frame per update, one paint per close


async def paints_for_a_layout_and_a_whole_repaint() -> list[object]:
    """Updates sent when a widget's size changes and the whole screen is asked to
    repaint in the same turn (a screen coming back on top while its widgets change)."""
    app = SwitchApp()
    wire = Wire(app, (40, 10))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        wire.sent.clear()
        app.query_one("#first").styles.height = 3
        app.screen.refresh()
        for _ in range(5):
            await pilot.pause()
        assert app.query_one("#first").region.height == 3
        assert wire.matches(app)
    return wire.sent


async def test_a_layout_and_a_whole_repaint_are_sent_as_one_frame() -> None:
    install_the_apps_fixes()
    sent = await paints_for_a_layout_and_a_whole_repaint()
    assert len(sent) == 1 and type(sent[0]).__name__ == "LayoutUpdate"  # the whole screen


async def test_without_it_textual_sends_them_as_two(monkeypatch) -> None:  # noqa: ANN001
    """What the fix is for (if this starts failing, Textual no longer does it)."""
    install_the_apps_fixes()
    monkeypatch.setattr(Screen, "_on_timer_update", textual_fixes.TEXTUAL_SCREEN_TIMER_UPDATE)
    assert len(await paints_for_a_layout_and_a_whole_repaint()) == 2


async def paints_for_closing_a_dialog() -> tuple[int, str]:
    """Updates sent when a dialog is closed (Esc), and what the terminal shows after
    (replayed from everything sent, checked against the screen drawn whole)."""
    app = SwitchApp()
    wire = Wire(app, (40, 10))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        await app.push_screen(_Dialog())
        for _ in range(5):
            await pilot.pause()
        assert "a dialog" in "".join(wire.terminal.display)
        wire.sent.clear()
        app.pop_screen()
        for _ in range(5):
            await pilot.pause()
        assert not isinstance(app.screen, _Dialog) and len(app.screen_stack) == 1
        assert wire.matches(app)  # no cell of the dialog left behind
    return len(wire.sent), "".join(wire.terminal.display)


async def test_closing_a_dialog_sends_the_screen_under_it_once() -> None:
    install_the_apps_fixes()
    sent, text = await paints_for_closing_a_dialog()
    assert sent == 1
    assert "first pane" in text and "a dialog" not in text  # the dialog is gone


async def test_without_it_textual_sends_it_twice(monkeypatch) -> None:  # noqa: ANN001
    """What the fix is for (if this starts failing, Textual no longer does it)."""
    install_the_apps_fixes()
    monkeypatch.setattr(App, "_prune", textual_fixes.TEXTUAL_APP_PRUNE)
    sent, _ = await paints_for_closing_a_dialog()
    assert sent == 2


async def test_removing_widgets_from_a_container_is_still_textuals_own() -> None:
    """Only a closed screen's removal skips the refresh: widgets removed from a pane
    still lay it out again (what is left moves up)."""
    install_the_apps_fixes()
    app = SwitchApp()
    async with app.run_test(size=(40, 10)) as pilot:
        app.query_one(ContentSwitcher).current = "second"
        await pilot.pause()
        line = app.query_one("#second > Static")
        below = app.query_one("#second > Horizontal")
        assert below.region.y == 1
        await line.remove()
        for _ in range(3):
            await pilot.pause()
        assert below.region.y == 0


class _Form(Screen[None]):
    """A whole screen with a few widgets, as a form or a record is."""

    def compose(self) -> ComposeResult:
        with Vertical():
            for n in range(6):
                yield Static(f"field {n}")


class _PushApp(App[None]):
    """The app's own main screen under the pushed one (it draws nothing while a whole
    screen covers it, as in the app; Textual's plain screen sends its repaints up)."""

    def get_default_screen(self) -> Screen[None]:
        from medoffice_tui.ui.app import MainScreen

        class _Base(MainScreen):
            def compose(self) -> ComposeResult:
                yield Static("under the form")

        return _Base()


async def updates_for_pushing_a_screen(*, held: bool = False) -> list[object]:
    """The updates sent when a screen is pushed (``held``: while repaints are held)."""
    from medoffice_tui.ui.repaint_hold import hold_repaints

    app = _PushApp()
    wire = Wire(app, (40, 10))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        sent = wire.sent
        sent.clear()
        end = hold_repaints(app) if held else None
        await app.push_screen(_Form())
        for _ in range(5):
            await pilot.pause()
        if end is not None:
            assert sent == []
            end()
            for _ in range(5):
                await pilot.pause()
        text = "".join(wire.terminal.display)
        assert "field 0" in text and "field 5" in text and "under the form" not in text
        assert wire.matches(app)
    return sent


async def test_a_pushed_screen_is_sent_once() -> None:
    install_the_apps_fixes()
    assert len(await updates_for_pushing_a_screen()) == 1


async def test_a_screen_pushed_while_repaints_are_held_is_drawn_when_they_end() -> None:
    install_the_apps_fixes()
    sent = await updates_for_pushing_a_screen(held=True)
    assert len(sent) == 1 and type(sent[0]).__name__ == "LayoutUpdate"  # whole


async def test_without_it_textual_sends_a_pushed_screen_again(monkeypatch) -> None:  # noqa: ANN001
    """What the fix is for (if this starts failing, Textual no longer does it)."""
    from textual.widget import AwaitMount

    install_the_apps_fixes()
    monkeypatch.setattr(AwaitMount, "__await__", textual_fixes.TEXTUAL_AWAIT_MOUNT)
    monkeypatch.setattr(Screen, "_on_screen_resume", textual_fixes.TEXTUAL_SCREEN_RESUME)
    assert len(await updates_for_pushing_a_screen()) >= 2
