"""How a :class:`~medoffice_tui.ui.widgets.paged_list.PagedList` draws its lines.

The list's state (rows, cursor, paging) and keys are in ``paged_list.py``; this is the
drawing alone: the header line with the position, one ``Strip`` per visible row built
from plain strings (each cell cut or padded to its column, one ``Segment`` per run of
cells in one style; never Rich markup), and the empty-list line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from medoffice_tui.services.text import display
from medoffice_tui.ui.widgets.list_columns import Column, ListRow, column_widths, fit_cell

if TYPE_CHECKING:
    from collections.abc import Callable


class RowLines:
    """The drawing half of ``PagedList``: a mixin placed before ``ScrollView``, using
    the list's state below and its ``position_text`` / ``_tag_cells``."""

    # set by PagedList.__init__
    columns: tuple[Column, ...]
    empty_text: str
    _rows: list[ListRow]
    _cursor: int
    _widths_for: tuple[int, list[int]]
    _pass_style: Style | None
    position_tag: Callable[[str], None] | None

    def _widths(self, width: int) -> list[int]:
        if self._widths_for[0] != width:
            self._widths_for = (width, column_widths(self.columns, width))
        return self._widths_for[1]

    def _line_text(
        self, cells: Sequence[str], width: int, cell_styles: dict[int, str] | None = None
    ) -> Text:
        """Pad or cut each cell to its column and join them with one space."""
        text = Text(no_wrap=True, end="")
        widths = self._widths(width)
        first = True
        for index, (column, cell_width) in enumerate(zip(self.columns, widths, strict=False)):
            if not cell_width:
                continue
            if not first:
                text.append(" ")
            first = False
            raw = cells[index] if index < len(cells) else ""
            cell = Text(display(raw), no_wrap=True, end="")
            cell.truncate(cell_width, overflow="ellipsis")
            cell.align(column.align, cell_width)
            if cell_styles and cell_styles.get(index):
                cell.stylize(self._style(cell_styles[index]))
            text.append_text(cell)
        return text

    def _line_strip(
        self,
        cells: Sequence[str],
        width: int,
        style: Style,
        cell_styles: dict[int, str] | None = None,
    ) -> Strip:
        """One data line as a Strip: what ``_strip(_line_text(...))`` draws, built from
        the strings directly (a Rich Text per cell, styled and rendered through the
        console, cost about 0.35 ms a line: a full repaint of the list 8 ms)."""
        widths = self._widths(width)
        segments: list[Segment] = []
        text = ""  # the run of cells (and gaps) in one style, not yet a Segment
        run_style = style
        for index, (column, cell_width) in enumerate(zip(self.columns, widths, strict=False)):
            if not cell_width:
                continue
            if text or segments:
                gap = " "  # the one-cell gap between columns, in the line's style
                if run_style is not style:
                    segments.append(Segment(text, run_style))
                    text, run_style = "", style
                text += gap
            named = cell_styles.get(index) if cell_styles else None
            cell_style = style + self._style(named) if named else style
            if cell_style is not run_style:
                if text:
                    segments.append(Segment(text, run_style))
                text, run_style = "", cell_style
            raw = cells[index] if index < len(cells) else ""
            text += fit_cell(display(raw), cell_width, column.align)
        if text:
            segments.append(Segment(text, run_style))
        return Strip(segments).adjust_cell_length(width, style)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"paged-list--{name}")

    def render_lines(self, crop: Region) -> list[Strip]:
        # the widget's own style walks its ancestors' styles: read once per repaint,
        # not once per line (it was a third of a line's cost)
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style if self._pass_style is None else self._pass_style
        if y == 0:
            tag = self.position_tag
            titles = [c.title for c in self.columns]
            if tag is not None:  # the tag's widget covers the header's right end
                header = self._line_text(titles, width)
                header.truncate(max(width - self._tag_cells(), 1), pad=True)
                return self._strip(header, base + self._style("header"), width)
            header = self._line_text(titles, width)
            where = self.position_text()
            if where and width > len(where) + 8:
                header.truncate(width - len(where) - 1, pad=True)
                header.append(" " + where)
            return self._strip(header, base + self._style("header"), width)
        index = int(self.scroll_offset.y) + y - 1
        if not self._rows:
            if y == 1:
                return self._strip(Text(self.empty_text), base + self._style("empty"), width)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        try:
            return self._row_strip(self._rows[index], index == self._cursor, base, width)
        except Exception:  # noqa: BLE001 - one unreadable row must not blank the screen
            return self._strip(Text("(this row could not be shown)"), base, width)

    def _row_strip(self, row: ListRow, is_cursor: bool, base: Style, width: int) -> Strip:
        if is_cursor:
            # one style for the whole cursor line: legible in 16 colours, fewest bytes
            cursor = "cursor" if self.has_focus else "cursor-blurred"
            return self._line_strip(row.cells, width, base + self._style(cursor))
        style = base + self._style(row.style) if row.style else base
        return self._line_strip(row.cells, width, style, row.cell_styles)

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        text.stylize_before(style)
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, style).simplify()
