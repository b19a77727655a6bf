"""PagedList: literal text, two-line repaints, paging requests, keys."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList, column_widths

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
