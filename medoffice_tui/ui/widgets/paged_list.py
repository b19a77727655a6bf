"""A keyboard list that draws one line per row and fetches its rows a page at a time.

Why not DataTable: DataTable measures every cell of every row through Rich markup
(slow for thousands of rows, and a patient called ``Smith [/]`` crashes it). This is a
line-API widget in the style of Toolong's ``LogLines``: ``render_line`` (in
``row_lines.py``) builds one ``Strip`` per visible row from plain strings (never
markup: each cell is cut or padded to its column and becomes one ``Segment``, without
building a ``rich.text.Text``), so first paint costs the same for 50 rows or 50,000,
and a cursor move repaints exactly the two lines that changed (a few hundred bytes
over SSH).

The list never queries anything itself. Its owner supplies rows with
:meth:`PagedList.set_rows` / :meth:`PagedList.append_rows`; when the cursor comes
within a page of the end and the owner said more rows exist, the list posts
:class:`PagedList.MoreWanted` once, and waits for the next ``append_rows``.

The rows held are a window: End with more rows to come posts :class:`EndWanted`,
and the owner loads the *last* page (a reverse keyset query) with
``set_rows(..., has_before=True, cursor_at_end=True)``; from there the list asks for
the rows above it (:class:`EarlierWanted`, answered with :meth:`prepend_rows`) as
the cursor nears the top, and Home with rows above posts :class:`StartWanted`. So
End lands on the true last row without loading everything in between. A list fed by a
:class:`~medoffice_tui.ui.widgets.list_pager.ListPager` asks it directly instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView

from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.widgets.list_columns import (
    ROW_STYLES,
    Align,
    Column,
    ListRow,
    column_widths,
    fit_cell,
)
from medoffice_tui.ui.widgets.row_lines import RowLines

__all__ = ["ROW_STYLES", "Align", "Column", "ListRow", "PagedList", "column_widths", "fit_cell"]

#: rows the cursor moves per mouse-wheel step
WHEEL_ROWS = 3


class PagedList(SafeDispatch, RowLines, ScrollView, can_focus=True):
    """A row-cursor list with a fixed header line, drawn line by line."""

    #: keys that only move the cursor further down the list: they never move the focus
    #: or change the screen (Up can: above the top row it hands the focus back), so the
    #: key gate lets the keys typed behind them through at once (ui/key_gate.py)
    KEYS_IN_PLACE: ClassVar[frozenset[str]] = frozenset({"down", "pagedown"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page-down"),
        Binding("home", "first", "First row", show=False, id="list.first"),
        Binding("end", "last", "Last row", show=False, id="list.last"),
        Binding("enter", "select", "Open", show=False, id="list.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-list--header",
        "paged-list--cursor",
        "paged-list--cursor-blurred",
        "paged-list--empty",
        *(f"paged-list--{name}" for name in ROW_STYLES),
    }

    class ListMessage(Message):
        """Base of this widget's messages: ``control`` is the list that sent it."""

        def __init__(self, paged_list: PagedList) -> None:
            super().__init__()
            self.paged_list = paged_list

        @property
        def control(self) -> PagedList:
            return self.paged_list

    class Selected(ListMessage):
        """Enter was pressed on a row."""

        def __init__(self, paged_list: PagedList, index: int, row: ListRow) -> None:
            super().__init__(paged_list)
            self.index = index
            self.row = row

    class Highlighted(ListMessage):
        """The cursor moved to another row (or the rows under it changed)."""

    class MoreWanted(ListMessage):
        """The cursor is within a page of the end and the owner said more rows exist."""

    class EndWanted(ListMessage):
        """End was pressed with rows still to come: load the last page (reverse query)."""

    class EarlierWanted(ListMessage):
        """The cursor is within a page of the top of a window that does not start at the
        first row: load the page above (``prepend_rows``)."""

    class StartWanted(ListMessage):
        """Home was pressed on a window that does not start at the first row."""

    class AboveTop(ListMessage):
        """Up was pressed on the first row (an owner may move focus to a search box)."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "Nothing to show",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.empty_text = empty_text
        self._rows: list[ListRow] = []
        self._cursor = 0
        self._has_more = False
        self._more_pending = False
        self._has_before = False
        self._before_pending = False
        #: cursor moves typed past the rows held while the next (+) or earlier (-) page
        #: was being read: applied when it arrives, so no key of a fast burst is lost
        self._owed = 0
        #: the scroll a ``near_top`` move wants once the list has its height (its first
        #: layout): applied in that layout, so its first frame is already scrolled
        self._top_wanted: int | None = None
        self._widths_for: tuple[int, list[int]] = (-1, [])
        #: ``rich_style`` while ``render_lines`` draws (one look-up per repaint)
        self._pass_style: Style | None = None
        #: a ListPager feeding this list (``ui/widgets/list_pager.py``): asked directly
        #: for more rows, the end or the start, instead of the messages below
        self.pager: Any | None = None
        #: the owner's "row under the cursor changed" step, called at once so what it
        #: redraws (a detail line, the key line) lands in the cursor's own frame; the
        #: Highlighted message would reach the owner a frame later. With it set, the
        #: message is not posted.
        self.on_cursor: Callable[[PagedList], None] | None = None
        #: shows :meth:`position_text` in a widget of its own over the header's right
        #: end (``POSITION_TAG_WIDTH`` cells): the terminal gets a partial line from the
        #: start of the widget it is in, so a cursor move then sends those few cells,
        #: not the whole header line. None: the header draws the position itself.
        self.position_tag: Callable[[str], None] | None = None
        self._tag_covers = 0

    # ------------------------------------------------------------------ data

    @property
    def rows(self) -> Sequence[ListRow]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def has_more(self) -> bool:
        return self._has_more

    @property
    def paging_idle(self) -> bool:
        """No page asked for and no cursor move owed to one: rows swapped in place
        (``replace_row``) leave nothing of an older list's paging behind."""
        return not self._more_pending and not self._before_pending and not self._owed

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def current(self) -> ListRow | None:
        """The row under the cursor, or None when the list is empty."""
        if 0 <= self._cursor < len(self._rows):
            return self._rows[self._cursor]
        return None

    @property
    def has_before(self) -> bool:
        """Are there rows above the first one held (a window loaded from the end)?"""
        return self._has_before

    def set_rows(
        self,
        rows: Sequence[ListRow],
        *,
        has_more: bool = False,
        keep_cursor: bool = False,
        has_before: bool = False,
        cursor_at_end: bool = False,
    ) -> None:
        """Replace every row (a new query). The cursor goes to the top unless kept (or to
        the last row with ``cursor_at_end``: the owner's answer to EndWanted)."""
        self._rows = list(rows)
        self._has_more = has_more
        self._more_pending = False
        self._has_before = has_before
        self._before_pending = False
        self._owed = 0
        self._top_wanted = None
        cursor = min(self._cursor, len(self._rows) - 1) if keep_cursor else 0
        if cursor_at_end:
            cursor = len(self._rows) - 1
        self._cursor = max(cursor, 0)
        self._update_virtual_size()
        if not keep_cursor and not cursor_at_end:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._scroll_cursor_into_view()
        self.refresh()
        self._maybe_want_more()
        self._highlighted()

    def append_rows(self, rows: Sequence[ListRow], *, has_more: bool) -> None:
        """Add the next page below the rows already held."""
        start = len(self._rows)
        self._rows.extend(rows)
        self._has_more = has_more
        self._more_pending = False
        self._update_virtual_size()
        self.refresh_lines(start + 1, max(len(rows), 1))
        self._refresh_position()
        if self._owed > 0:
            owed, self._owed = self._owed, 0
            self._move_by(owed)
        self._maybe_want_more()

    def prepend_rows(self, rows: Sequence[ListRow], *, has_before: bool) -> None:
        """Add the page above the rows already held; the cursor stays on its row."""
        count = len(rows)
        self._rows[:0] = rows
        self._cursor += count
        self._has_before = has_before
        self._before_pending = False
        self._update_virtual_size()
        self.scroll_to(
            y=int(self.scroll_offset.y) + count, animate=False, immediate=True, force=True
        )
        self.refresh()
        self._refresh_position()
        if self._owed < 0:
            owed, self._owed = self._owed, 0
            self._move_by(owed)

    def replace_row(self, index: int, row: ListRow) -> None:
        """Swap one row (e.g. after a status change) and repaint only its line."""
        self._rows[index] = row
        self._refresh_row(index)
        if index == self._cursor:
            self._highlighted()

    def index_where(self, predicate: Any) -> int | None:
        """First row index whose ``data`` satisfies ``predicate``."""
        for index, row in enumerate(self._rows):
            if predicate(row.data):
                return index
        return None

    def move_cursor(self, index: int, *, near_top: bool = False) -> None:
        """Put the cursor on ``index`` (clamped), repainting only the lines that change.

        ``near_top`` scrolls the row to the third line of the view (e.g. "now" in a day),
        so what comes next is visible below it.
        """
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        old = self._cursor
        self._top_wanted = None
        if near_top:
            self._cursor = index
            top = max(index - 2, 0)
            if self.size.height:
                self.scroll_to(y=top, animate=False, immediate=True, force=True)
            else:  # not laid out yet (a first show): in its first layout, not a frame later
                self._top_wanted = top
            self.refresh()
            self._maybe_want_more()
            if index != old:
                self._highlighted()
            return
        if index == old:
            return
        self._cursor = index
        if not self._scroll_cursor_into_view():
            self._refresh_row(old)
            self._refresh_row(index)
            self._refresh_position()
        self._maybe_want_more()
        self._highlighted()

    # --------------------------------------------------------------- actions

    @property
    def page_rows(self) -> int:
        """How many data rows fit below the header."""
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor_up(self) -> None:
        if self._cursor == 0 and not self._has_before:
            self.post_message(self.AboveTop(self))
            return
        self._move_by(-1)

    def action_cursor_down(self) -> None:
        self._move_by(1)

    def action_page_up(self) -> None:
        self._move_by(-self.page_rows)

    def action_page_down(self) -> None:
        self._move_by(self.page_rows)

    def _move_by(self, step: int) -> None:
        """Move the cursor ``step`` rows; what goes past the rows held, while there are
        more rows that way, is owed and applied when their page arrives (keys typed
        ahead of a page read are never dropped; moves the other way net against it)."""
        target = self._cursor + self._owed + step
        self._owed = 0
        self._top_wanted = None  # the desk moved on: its own move decides the scroll
        last = len(self._rows) - 1
        if target < 0 and self._has_before:
            self._owed = target
            target = 0
        elif target > last and self._has_more:
            self._owed = target - last
            target = last
        self.move_cursor(target)
        if self._owed:
            self._maybe_want_more()

    def action_first(self) -> None:
        if self._has_before:
            if self.pager is not None:
                self.pager.to_start()  # in this key's turn, as End
            else:
                self.post_message(self.StartWanted(self))
            return
        self.move_cursor(0)

    def action_last(self) -> None:
        if self._has_more and self.pager is not None:
            self._more_pending = True  # the pager goes to the end; no page-by-page fetch
            self.pager.to_end()  # in this key's turn: a page kept for End shows in its frame
            return
        if self._has_more:
            # an owner that can load the last page answers this (and drops the MoreWanted
            # moving the cursor may also post); one that cannot just goes on paging
            self.post_message(self.EndWanted(self))
        self.move_cursor(len(self._rows) - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, self._cursor, row))

    async def _on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self._rows):
            self.focus()
            if index == self._cursor and event.chain > 1:
                self.action_select()
            self.move_cursor(index)

    # Focus in or out changes one line (the cursor row's colours). Textual's own
    # handlers repaint the whole widget, which after a pane switch is a second full
    # frame; these do what those do (has_focus, tell the parent) and repaint one row.
    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        # the list has no scrollbar (overflow hidden: see paged_list.tcss): the wheel
        # moves the cursor, which scrolls the view and pages on as the keys do
        event.stop()
        self._move_by(WHEEL_ROWS)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._move_by(-WHEEL_ROWS)

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self.has_focus = True
        self._refresh_row(self._cursor)
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        self._refresh_row(self._cursor)
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Given its size by a layout: a ``near_top`` scroll waiting for it is made now,
        before that layout's frame is drawn (the Resize event comes after it)."""
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if self._top_wanted is not None and size.height:
            top, self._top_wanted = self._top_wanted, None
            self._update_virtual_size()
            # set without its watcher: the list is drawn whole in this layout's frame
            # (its first), and the watcher's repaint would send it again after it
            top = max(min(top, int(self.max_scroll_y)), 0)
            self.set_reactive(ScrollView.scroll_target_y, float(top))
            self.set_reactive(ScrollView.scroll_y, float(top))
        return changed

    def _on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        if self.position_tag is not None:
            self._show_tag()  # more or fewer rows fit: the position may come or go

    # ------------------------------------------------------------ internals

    def _highlighted(self) -> None:
        """The row under the cursor changed: tell the owner, and let the key line show
        what the keys can do for this row now, in the same frame as the cursor (the
        owner's ``check_action`` reads ``current``; its Highlighted handler comes a
        message later, a frame after the cursor moved)."""
        if self.position_tag is not None:
            self._show_tag()
        if self.is_attached and self.is_mounted:
            self.screen.refresh_bindings()
        if self.on_cursor is not None:
            self.on_cursor(self)
            return
        self.post_message(self.Highlighted(self))

    def position_text(self) -> str:
        """Where the cursor is, for the header's right end (the lists have no
        scrollbar): ``12/118``, ``12/200+`` with more to load, ``3 to end`` in a window
        read from the end; empty when every row fits on the screen."""
        count = len(self._rows)
        if not count:
            return ""
        if self._has_before:
            return f"{count - self._cursor} to end"
        if count <= self.page_rows and not self._has_more:
            return ""
        return f"{self._cursor + 1}/{count}{'+' if self._has_more else ''}"

    def _refresh_position(self) -> None:
        """Repaint the right end of the header, where the position is (a few bytes)."""
        if self.position_tag is not None:
            self._show_tag()
            return
        room = len(self.position_text()) + 2
        width = self.scrollable_content_region.width
        if room > 2 and self.scrollable_content_region.height:
            self.refresh(Region(max(width - room - 4, 0), 0, room + 4, 1))

    def _tag_cells(self) -> int:
        """Cells the position tag covers: the position and a space before it."""
        where = self.position_text()
        return len(where) + 1 if where else 0

    def _show_tag(self) -> None:
        cells = self._tag_cells()
        if cells != self._tag_covers:  # the header's own part grows or shrinks
            self._tag_covers = cells
            self.refresh(Region(0, 0, self.size.width, 1))
        if self.position_tag is not None:
            self.position_tag(self.position_text())

    def _update_virtual_size(self) -> None:
        # one column wide: lines are cut to the view, never scrolled sideways, and a
        # width that followed the view would make every resize (a pane shown again, the
        # scrollbar coming or going) a second layout pass and a second full repaint.
        # Set without its watcher: ``virtual_size`` is a layout reactive, and a page read
        # below (or above) the view would lay out the whole screen and repaint the list
        # in a frame of its own; the scroll limits read the value itself, and the list
        # has no scrollbar to resize (``overflow-y: hidden``)
        size = Size(1, len(self._rows) + 1)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll so the cursor row is visible. True when the view moved (full repaint)."""
        top = int(self.scroll_offset.y)
        page = self.page_rows
        if self._cursor < top:
            target = self._cursor
        elif self._cursor >= top + page:
            target = self._cursor - page + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return int(self.scroll_offset.y) != top

    def _refresh_row(self, index: int) -> None:
        """Repaint one data row (header is line 0, so row i is virtual line i+1)."""
        line = index + 1 - int(self.scroll_offset.y)
        if 1 <= line < self.scrollable_content_region.height:
            self.refresh(Region(0, line, self.size.width, 1))

    def _maybe_want_more(self) -> None:
        if self._has_before and not self._before_pending and self._cursor <= self.page_rows:
            self._before_pending = True
            if self.pager is not None:
                self.call_later(self.pager.earlier)
            else:
                self.post_message(self.EarlierWanted(self))
        if (
            self._has_more
            and not self._more_pending
            and self._cursor >= len(self._rows) - 1 - self.page_rows
        ):
            self._more_pending = True
            if self.pager is not None:
                self.call_later(self.pager.more)
            else:
                self.post_message(self.MoreWanted(self))
