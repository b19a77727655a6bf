"""The medoffice theme in 16 colours (TERM=xterm over SSH): what must stay distinguishable."""

from __future__ import annotations

from rich.color import Color, ColorSystem
from rich.style import Style

from medoffice_tui.ui.theme import THEME_NAME, resolve_theme, theme_names
from medoffice_tui.ui.widgets.app_header import AppHeader
from medoffice_tui.ui.widgets.paged_list import PagedList

from .conftest import SIZE

#: what a 16-colour terminal shows for the terminal's default colour
DEFAULT = -1


def c16(color: Color | None) -> int:
    """The ANSI colour number a 16-colour terminal will show (-1: terminal default)."""
    if color is None or color.is_default:
        return DEFAULT
    return color.downgrade(ColorSystem.STANDARD).number


def fg_bg(style: Style) -> tuple[int, int]:
    return c16(style.color), c16(style.bgcolor)


async def test_cursor_header_and_status_colours_stay_apart_in_16_colours(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one("#schedule-list", PagedList)
        listing.focus()
        await pilot.pause()
        header = fg_bg(app.query_one(AppHeader).rich_style)
        cursor = fg_bg(listing.get_component_rich_style("paged-list--cursor"))
        normal = fg_bg(listing.rich_style)

        # each is legible: text colour differs from its background
        for fg, bg in (header, cursor):
            assert fg != bg
        # the cursor row cannot be mistaken for the header or a plain row
        assert cursor[1] != header[1]
        assert cursor[1] != normal[1]

        statuses = {
            name: c16(listing.get_component_rich_style(f"paged-list--{name}").color)
            for name in ("ok", "info", "warn", "bad", "accent")
        }
        # every status has its own colour, none is the background or the cursor's
        assert len(set(statuses.values())) == len(statuses)
        assert normal[1] not in statuses.values()
        assert all(colour != DEFAULT for colour in statuses.values())


def test_theme_names_accept_builtins_and_fall_back_to_ours() -> None:
    assert theme_names()[0] == THEME_NAME
    assert "ansi-dark" in theme_names() and "textual-dark" in theme_names()
    assert resolve_theme("nord") == "nord"
    assert resolve_theme("") == THEME_NAME
    assert resolve_theme("not-a-theme") == THEME_NAME
