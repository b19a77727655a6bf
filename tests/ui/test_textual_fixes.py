"""The app's two workarounds for Textual (``ui/textual_fixes.py``), each checked on a
bare Textual app so a Textual upgrade that changes either shows here first."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from medoffice_tui.ui import textual_fixes


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
    textual_fixes.install_one_layout_per_reflow()
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
