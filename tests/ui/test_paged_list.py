"""PagedList: literal text, two-line repaints, paging requests, keys."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from medoffice_tui.ui.widgets import paged_list
from medoffice_tui.ui.widgets.paged_list import (
    Column,
    ListRow,
    PagedList,
    column_widths,
    fit_cell,
)

COLUMNS = (Column("Name", flex=1, min_width=10), Column("MRN", 8), Column("Note", 6, optional=True))


def rows(n: int, start: int = 0) -> list[ListRow]:
    return [ListRow((f"Patient {i:04}", f"M{i:05}", "x"), data=i) for i in range(start, start + n)]


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield PagedList(COLUMNS, id="list")

    def on_paged_list_more_wanted(self, message: PagedList.MoreWanted) -> None:
        self.messages.append(message)

    def on_paged_list_selected(self, message: PagedList.Selected) -> None:
        self.messages.append(message)

    def on_paged_list_above_top(self, message: PagedList.AboveTop) -> None:
        self.messages.append(message)


def line_text(widget: PagedList, y: int) -> str:
    return "".join(segment.text for segment in widget.render_line(y))


def test_column_widths_fill_the_width_and_drop_optional_columns_when_narrow() -> None:
    assert column_widths(COLUMNS, 40) == [24, 8, 6]  # 24 + 8 + 6 + 2 one-cell gaps = 40
    assert column_widths(COLUMNS, 60) == [44, 8, 6]
    narrow = column_widths(COLUMNS, 20)
    assert narrow[2] == 0, "the optional column goes first"
    assert narrow[0] >= 10 and narrow[1] == 8


async def test_markup_and_escape_bytes_render_literally() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 10)):
        widget = app.query_one(PagedList)
        widget.set_rows(
            [
                ListRow(("Smith [/], Ann", "M1", "")),
                ListRow(("[b]O'Brien, Bo", "M2", "")),
                ListRow(("Evil\x1b[31m, Eve", "M3", "")),
            ]
        )
        assert "Smith [/], Ann" in line_text(widget, 1)
        assert "[b]O'Brien, Bo" in line_text(widget, 2)
        third = line_text(widget, 3)
        assert "\x1b" not in third and "Evil?[31m" in third


def cells_of(strip) -> list[tuple[str, object]]:  # noqa: ANN001 - a Strip
    """Each character of a line with its style (how a line looks, whatever its segments)."""
    return [(ch, segment.style) for segment in strip for ch in segment.text]


def test_fit_cell_cuts_with_an_ellipsis_and_pads_like_rich_text() -> None:
    from rich.text import Text

    for text in ("", "Ann", "Nelson, Ann", "Nguyễn, Án", "山田太郎", "😀 smile", "x" * 30):
        for width in (1, 2, 3, 5, 8, 11, 12):
            for align in ("left", "center", "right"):
                rich = Text(text, no_wrap=True, end="")
                rich.truncate(width, overflow="ellipsis")
                rich.align(align, width)
                assert fit_cell(text, width, align) == rich.plain, (text, width, align)


async def test_rows_draw_as_the_rich_text_rendering_did() -> None:
    """A data line built from the strings looks exactly like the line rendered through a
    Rich Text per cell (cut, aligned, a style per named cell, the cursor's one style)."""
    columns = (
        Column("Seen", 8),
        Column("Patient", flex=2, min_width=8),
        Column("Payer", flex=1, min_width=6),
        Column("Owed", 7, align="right"),
        Column("Status", 9, align="center"),
        Column("Note", 6, optional=True),
    )
    samples = [
        ListRow(("06/02/25", "Nelson, Ann", "Cigna", "285.00", "corrected", "x")),
        ListRow(
            (
                "06/17/25",
                "Jefferson-Smythe, Bartholomew",
                "UnitedHealthcare",
                "1,250.00",
                "returned",
                "late",
            ),
            cell_styles={4: "warn", 5: "bad"},
        ),  # fmt: skip
        ListRow(("", "Nguyễn, Án 山田", "😀", "0.00", "draft"), style="muted"),
        ListRow(("07/03/25", "[b]O'Brien[/b]", "Aetna", "9.5", "paid", ""), cell_styles={0: "ok"}),
        ListRow(("07/04/25",), style="accent", cell_styles={1: "info"}),
    ]
    for width in (80, 60, 40, 25):
        app = ListApp()
        async with app.run_test(size=(width, 12)) as pilot:
            widget = app.query_one(PagedList)
            widget.columns = columns
            widget.set_rows(samples)
            widget.focus()
            await pilot.pause()
            line_width = widget.scrollable_content_region.width
            base = widget.rich_style
            for index, row in enumerate(samples):
                for is_cursor in (False, True):
                    drawn = widget._row_strip(row, is_cursor, base, line_width)
                    if is_cursor:
                        style = base + widget._style("cursor")
                        text = widget._line_text(row.cells, line_width)
                    else:
                        style = base + widget._style(row.style) if row.style else base
                        text = widget._line_text(row.cells, line_width, row.cell_styles)
                    expected = widget._strip(text, style, line_width)
                    assert drawn.cell_length == line_width
                    assert cells_of(drawn) == cells_of(expected), (width, index, is_cursor)


async def test_cursor_move_repaints_only_the_two_lines_it_touches() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(PagedList)
        widget.set_rows(rows(100))
        widget.focus()
        await pilot.pause()
        regions: list[Region] = []
        original = widget.refresh

        def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            regions.extend(a for a in args if isinstance(a, Region))
            if not args:
                regions.append(widget.size.region)
            return original(*args, **kwargs)

        widget.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        assert widget.cursor_row == 1
        assert [r.height for r in regions] == [1, 1, 1]
        # the two rows, and the position at the header's right end (no scrollbar)
        assert [r.y for r in regions] == [1, 2, 0]
        position = regions[2]
        assert position.right == widget.scrollable_content_region.width
        assert position.width <= 16
        assert widget.position_text() == "2/100"


async def test_more_is_wanted_once_near_the_end_and_appended_rows_follow() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(PagedList)
        widget.set_rows(rows(30), has_more=True)
        widget.focus()
        await pilot.pause()
        assert not [m for m in app.messages if isinstance(m, PagedList.MoreWanted)]
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        wanted = [m for m in app.messages if isinstance(m, PagedList.MoreWanted)]
        assert len(wanted) == 1
        await pilot.press("down")
        await pilot.pause()
        assert len([m for m in app.messages if isinstance(m, PagedList.MoreWanted)]) == 1
        widget.append_rows(rows(30, start=30), has_more=False)
        assert widget.row_count == 60
        await pilot.press("end")
        assert widget.cursor_row == 59
        assert widget.current is not None and widget.current.data == 59


async def test_enter_selects_and_up_at_top_reports_above_top() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one(PagedList)
        widget.set_rows(rows(5))
        widget.focus()
        await pilot.press("down", "enter", "home", "up")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, PagedList.Selected)]
        assert [m.row.data for m in selected] == [1]
        assert any(isinstance(m, PagedList.AboveTop) for m in app.messages)


async def test_empty_list_shows_its_empty_text() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)):
        widget = app.query_one(PagedList)
        widget.empty_text = "Type to search"
        widget.set_rows([])
        assert "Type to search" in line_text(widget, 1)
        assert widget.current is None


class DeskListApp(ListApp):
    """The list with the app's own stylesheet for it (no scrollbar)."""

    CSS_PATH = str(Path(paged_list.__file__).with_name("paged_list.tcss"))


def wheel(widget: PagedList, down: bool = True) -> None:
    kind = events.MouseScrollDown if down else events.MouseScrollUp
    widget.post_message(kind(widget, 1, 1, 0, 1 if down else -1, 0, False, False, False))


async def test_the_wheel_moves_the_cursor_and_the_view_follows_without_a_scrollbar() -> None:
    """No scrollbar (overflow hidden, paged_list.tcss): the wheel moves the cursor, the
    view scrolls to it, and a page past the rows held is asked for as keys ask."""
    app = DeskListApp()
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one(PagedList)
        widget.set_rows(rows(30), has_more=True)
        widget.focus()
        await pilot.pause()
        assert widget.show_vertical_scrollbar is False
        for _ in range(4):
            wheel(widget)
        await pilot.pause()
        assert widget.cursor_row == 4 * paged_list.WHEEL_ROWS
        top = int(widget.scroll_offset.y)
        assert top > 0 and top <= widget.cursor_row < top + widget.page_rows
        wheel(widget, down=False)
        await pilot.pause()
        assert widget.cursor_row == 3 * paged_list.WHEEL_ROWS
        for _ in range(10):
            wheel(widget)
        await pilot.pause()
        assert widget.cursor_row == 29  # the last row held; the rest is owed to the next page
        assert any(isinstance(m, PagedList.MoreWanted) for m in app.messages)


async def test_a_page_read_below_the_view_asks_for_no_layout() -> None:
    """Rows added below (or above) the view change the list's virtual size without a
    layout of the screen: that layout repainted the whole list in a frame of its own."""

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PagedList([Column("n", flex=1)])

    app = ListApp()
    async with app.run_test(size=(30, 10)) as pilot:
        listing = app.query_one(PagedList)
        listing.set_rows([ListRow((str(n),), data=n) for n in range(20)], has_more=True)
        await pilot.pause()
        listing.append_rows([ListRow((str(n),), data=n) for n in range(20, 40)], has_more=False)
        assert listing.virtual_size.height == 41 and listing.max_scroll_y > 0
        assert not listing._layout_required and not app.screen._layout_required
        await pilot.press("end")
        assert listing.current.data == 39 and listing.scroll_offset.y == listing.max_scroll_y


class _HiddenListApp(App[None]):
    """A list on a pane not shown yet (not laid out: no height)."""

    def compose(self) -> ComposeResult:
        from textual.widgets import ContentSwitcher, Static

        with ContentSwitcher(initial="first"):
            yield Static("first pane", id="first")
            yield PagedList(COLUMNS, id="second")


async def _shown_after_a_near_top_move(pilot, count: int, index: int) -> list[float]:  # noqa: ANN001
    """Rows, a near-top move to ``index`` before the list's first layout, then the pane
    shown: where the list was scrolled each time it was drawn."""
    from textual.widgets import ContentSwitcher

    from medoffice_tui.ui import textual_fixes

    textual_fixes.install_one_layout_per_reflow()  # as the app runs (one layout a show)
    app = pilot.app
    await pilot.pause()
    listing = app.query_one(PagedList)
    listing.set_rows(rows(count))
    listing.move_cursor(index, near_top=True)
    assert listing.size.height == 0  # not laid out yet: the scroll waits for it
    scrolls: list[float] = []
    render_lines = listing.render_lines
    listing.render_lines = lambda crop: scrolls.append(listing.scroll_y) or render_lines(crop)
    app.query_one(ContentSwitcher).current = "second"
    for _ in range(5):
        await pilot.pause()
    return scrolls


async def test_a_near_top_move_before_the_first_layout_is_in_the_first_frame() -> None:
    """ "Now" in a day shown for the first time: the list is drawn scrolled from its first
    frame on, never drawn at the top and then again scrolled."""
    app = _HiddenListApp()
    async with app.run_test(size=(60, 10)) as pilot:
        scrolls = await _shown_after_a_near_top_move(pilot, 100, 30)
        listing = app.query_one(PagedList)
        assert listing.scroll_offset.y == 28 and listing.current.data == 30
        assert line_text(listing, 1).startswith("Patient 0028")  # row 30 on the 3rd line
        assert scrolls and set(scrolls) == {28.0}
        # laid out already: the move scrolls at once
        listing.move_cursor(70, near_top=True)
        assert listing.scroll_offset.y == 68


async def test_a_near_top_move_is_clamped_to_the_last_page() -> None:
    app = _HiddenListApp()
    async with app.run_test(size=(60, 10)) as pilot:
        scrolls = await _shown_after_a_near_top_move(pilot, 20, 19)
        listing = app.query_one(PagedList)
        assert listing.scroll_offset.y == listing.max_scroll_y > 0
        assert set(scrolls) == {listing.max_scroll_y}  # never drawn at the top first
        assert line_text(listing, listing.size.height - 1).startswith("Patient 0019")


async def test_a_move_of_the_desks_own_before_the_first_layout_wins() -> None:
    """A near-top move waiting for the list's height is dropped by the next move (a key
    typed ahead): the list then scrolls as that move needs, not to the old target."""
    from textual.widgets import ContentSwitcher

    app = _HiddenListApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        listing = app.query_one(PagedList)
        listing.set_rows(rows(100))
        listing.move_cursor(50, near_top=True)
        listing.move_cursor(3)
        app.query_one(ContentSwitcher).current = "second"
        for _ in range(5):
            await pilot.pause()
        assert listing.current.data == 3
        assert listing.scroll_offset.y <= 3 < listing.scroll_offset.y + listing.page_rows  # seen
