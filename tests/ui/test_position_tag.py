"""The schedule list's position (``12/118``) is a widget of its own over the right end
of the list's header line, and one-line texts are cut with an ellipsis: a cursor move
repaints the tag's cells, not the header line (what the terminal is sent)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from medoffice_tui.ui.widgets.day_grid import PositionTag, ProviderDay, TextLine

from .conftest import SIZE
from .test_app import settle


def strip_text(strip) -> str:  # noqa: ANN001 - a Strip
    return "".join(segment.text for segment in strip)


async def test_the_position_rides_over_the_header_and_moves_alone(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        day = app.query(ProviderDay).first()
        listing, tag = day.list, day.query_one(PositionTag)
        assert listing.row_count > listing.page_rows  # the position is shown
        header = strip_text(listing.render_line(0))
        cells = len(listing.position_text()) + 1
        assert header[-cells:] == " " * cells  # the list leaves those cells to the tag
        assert tag.region == listing.region._replace(
            x=listing.region.right - cells, width=cells, height=1
        )
        assert str(tag.render()).strip() == listing.position_text()
        before = listing.position_text()
        await pilot.press("down")
        await pilot.pause()
        assert listing.position_text() != before
        assert str(tag.render()).strip() == listing.position_text()


class LineApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextLine(id="line")


async def test_a_long_line_ends_in_an_ellipsis_and_a_short_one_is_padded_in_its_style() -> None:
    app = LineApp()
    async with app.run_test(size=(20, 3)) as pilot:
        line = app.query_one(TextLine)
        line.set_text("Jones, Barbara · Medication review · u: back to roomed")
        await pilot.pause()
        shown = line.render()
        assert isinstance(shown, Text) and shown.plain == "Jones, Barbara · Me…"
        line.set_text(Text("short", style="bold"))
        await pilot.pause()
        shown = line.render()
        assert shown.plain == "short" + " " * 15 and shown.cell_len == 20
