"""The schedule's lists: the day's agenda (every provider) and one provider's day grid.

Both are ``PagedList`` rows (plain text cells, never markup), built here from what
``services.schedule`` returns, so the pane only decides which to show:

- **agenda** (all providers, one list): appointments and blocks in time order, each
  with its provider: who is coming next, whoever they see; the desk checks patients
  in from here;
- **grid** (one provider per column): a row per time slot from ``schedule.build_grid``:
  appointments (``┆`` below one while it lasts), blocks, free slots shown as free,
  and off-hours; columns side by side line up by time.

A row's ``data`` is the ``AppointmentRow`` for an appointment (so every list of the
schedule finds appointments the same way), else the grid's ``GridCell`` or the
agenda's ``BlockRow``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from medoffice_tui.services import schedule
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.fmt import hhmm, minutes_between, words
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

AGENDA_COLUMNS = (
    Column("Time", 5),
    Column("Len", 4, align="right"),
    Column("Provider", 10, flex=1, min_width=10),
    Column("Patient", flex=3, min_width=14),
    Column("Type", 10, flex=1, min_width=8, optional=True),
    Column("Status", 9),
    Column("", 2),
)
GRID_COLUMNS = (
    Column("Time", 5),
    Column("Patient", flex=3, min_width=12),
    Column("Type", 10, flex=1, min_width=8, optional=True),
    Column("Len", 4, align="right", optional=True),
    Column("Status", 9),
    Column("", 2),
)
#: the flag column: an overbook; a record made inactive since it was booked
OVERBOOK_FLAG = "OB"
INACTIVE_FLAG = "!"


def flag(appt: schedule.AppointmentRow) -> str:
    if not appt.patient_active:
        return INACTIVE_FLAG
    return OVERBOOK_FLAG if appt.overbooked else ""


#: status word colour (a PagedList row style) for each appointment status
STATUS_STYLE = {
    "booked": "",
    "confirmed": "info",
    "arrived": "warn",
    "roomed": "accent",
    "completed": "ok",
    "no_show": "bad",
    "cancelled": "muted",
}


def short_provider(name: str) -> str:
    """``J. Rivera, MD`` -> ``J. Rivera``: the credential does not help find a row."""
    return name.split(",", 1)[0]


def appointment_row(appt: schedule.AppointmentRow) -> ListRow:
    """An agenda row."""
    mark = flag(appt)
    return ListRow(
        cells=(
            hhmm(appt.start),
            minutes_between(appt.start, appt.end),
            short_provider(appt.provider_name),
            appt.patient_name,
            appt.type_name,
            words(appt.status),
            mark,
        ),
        data=appt,
        style="muted" if appt.status == "cancelled" else "",
        cell_styles=_cell_styles(appt, mark),
    )


def _cell_styles(appt: schedule.AppointmentRow, mark: str) -> dict[int, str]:
    """The status's colour, and the flag's when there is one (an empty flag cell in
    its colour would cost a colour change on the wire for two blanks)."""
    styles = {5: STATUS_STYLE.get(appt.status, "")}
    if mark.strip():
        styles[6] = "warn"
    return styles


def block_row(block: schedule.BlockRow, provider_names: dict[int, str]) -> ListRow:
    """An agenda row for lunch, a meeting, time off."""
    return ListRow(
        cells=(
            hhmm(block.start),
            minutes_between(block.start, block.end),
            short_provider(provider_names.get(block.provider_id, "")),
            f"-- {block.label} --",
            "",
            "",
            "",
        ),
        data=block,
        style="muted",
    )


def agenda_rows(view: schedule.DayView) -> list[ListRow]:
    """Every provider's appointments and blocks of the day, in time order."""
    names = {p.id: p.name for p in view.providers}
    rows = [(a.start, 1, appointment_row(a)) for a in view.appointments]
    rows += [(b.start, 0, block_row(b, names)) for b in view.blocks]
    rows.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in rows]


def grid_row(cell: schedule.GridCell) -> ListRow:
    """One row of a provider's day grid."""
    time = hhmm(cell.start)
    kind = cell.kind
    if kind == "appointment" and cell.appointment is not None:
        appt = cell.appointment
        return ListRow(
            cells=(
                time,
                appt.patient_name,
                appt.type_name,
                minutes_between(appt.start, appt.end),
                words(appt.status),
                flag(appt),
            ),
            data=appt,
            style="muted" if not appt.is_live else "",
            cell_styles={4: STATUS_STYLE.get(appt.status, ""), 5: "warn"},
        )
    if kind == "continued":
        return ListRow((time, "  ┆", "", "", "", ""), data=cell, style="muted")
    if kind == "block" and cell.block is not None:
        label = f"-- {cell.block.label} --"
        return ListRow((time, label, "", minutes_between(cell.start, cell.end), "", ""),
                       data=cell, style="muted")  # fmt: skip
    if kind == "block_cont" and cell.block is not None:
        return ListRow((time, f"  ┆ {cell.block.kind}", "", "", "", ""), data=cell, style="muted")
    if kind == "free":
        return ListRow((time, "free", "", "", "", ""), data=cell, style="ok")
    if kind == "off":
        return ListRow((time, "·", "", "", "", ""), data=cell, style="muted")
    return ListRow(("", "", "", "", "", ""), data=cell)


def grid_rows(grid: schedule.DayGrid, provider_id: int) -> list[ListRow]:
    return [grid_row(cell) for cell in grid.cells.get(provider_id, [])]


class TextLine(Widget):
    """One line of text that repaints itself when the text changes, and only then.

    ``Static.update`` asks for a layout pass of the whole screen each time; a line of
    fixed height needs only its own repaint (a cursor move that changes the detail
    line then costs what the line costs). Database text is never read as markup.
    """

    DEFAULT_CSS = """
    TextLine { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._text = Text("")

    def set_text(self, text: str | Text) -> None:
        value = text if isinstance(text, Text) else Text(display(text))
        value.no_wrap = True
        value.overflow = "ellipsis"
        value.end = ""
        if value.plain != self._text.plain or value.spans != self._text.spans:
            self._text = value
            self.refresh()

    def render(self) -> Text:
        text = self._text
        width = self.size.width
        if width and "\n" not in text.plain and text.cell_len != width:
            # cut to the width with an ellipsis (Textual would wrap a long line at a word
            # and show only its first part), or padded in the text's own style: the
            # blanks then go out in the same run of bytes as the words
            text = text.copy()
            text.truncate(width, overflow="ellipsis", pad=True)
        return text


class PositionTag(TextLine):
    """Where a list's cursor is (``12/118``), drawn over the right end of the list's
    header line: a widget of its own, so a cursor move repaints these cells only."""

    DEFAULT_CSS = """
    PositionTag {
        /* over the list, taking no room from it (overlay: an absolute widget still
           counts in its container's heights) */
        position: absolute;
        overlay: screen;
        width: 1;
        display: none;
        text-style: bold underline;
        background: $background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        #: how many cells it covers: the position and a space (0: hidden)
        self.cells = 0


class ScheduleList(PagedList):
    """A ``PagedList`` that can switch between the agenda's columns and the grid's."""

    def set_columns(self, columns: Sequence[Column]) -> None:
        columns = tuple(columns)
        if columns != self.columns:
            self.columns = columns
            self._widths_for = (-1, [])  # the column widths are cached per width
            self.refresh()


class ProviderDay(Vertical):
    """One column: the provider's name and caseload on one line, then their day grid.

    In the agenda the heading line shows every provider's caseload instead.
    """

    DEFAULT_CSS = """
    ProviderDay {
        width: 1fr;
        height: 1fr;
    }
    ProviderDay > .provider-day--title {
        color: $secondary;
        text-style: bold;
    }
    ProviderDay.-focused > .provider-day--title {
        color: $foreground;
        background: $primary;
    }
    """

    def __init__(self, index: int, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.index = index
        self.provider_id: int | None = None

    def compose(self) -> ComposeResult:
        yield TextLine(classes="provider-day--title")
        list_id = "schedule-list" if self.index == 0 else f"schedule-list-{self.index + 1}"
        listing = ScheduleList(GRID_COLUMNS, empty_text="No appointments this day", id=list_id)
        tag = PositionTag()
        listing.position_tag = self._show_position
        yield listing
        yield tag  # after the list: drawn over its header's right end

    def on_resize(self, event: events.Resize) -> None:
        self._place_tag()

    def _show_position(self, where: str) -> None:
        """The list's position in the tag, sized to it (a new size is a layout, but
        only when the count gains a digit)."""
        tag = self.query_one(PositionTag)
        cells = len(where) + 1 if where else 0
        if cells != tag.cells:
            tag.cells = cells
            tag.styles.width = max(cells, 1)
            tag.display = bool(cells)
            self._place_tag()
        tag.set_text(Text(where.rjust(cells)))

    def _place_tag(self) -> None:
        """The tag over the list's header line, at its right end (below the title)."""
        tag = self.query_one(PositionTag)
        title = self.query_one(TextLine)
        height = title.styles.height.value if title.styles.height is not None else 1
        offset = (max(self.size.width - tag.cells, 0), int(height))
        if tuple(tag.styles.offset.resolve(self.size, self.size)) != offset:
            tag.styles.offset = offset

    @property
    def list(self) -> ScheduleList:
        return self.query_one(ScheduleList)

    def set_title(self, text: str | Text) -> None:
        """The heading: one line, or two when the caseload needs them (``caseload_line``)."""
        title = self.query_one(TextLine)
        lines = (text.plain if isinstance(text, Text) else text).count("\n") + 1
        if title.styles.height is None or title.styles.height.value != lines:
            title.styles.height = lines
            self._place_tag()
        title.set_text(text)


#: the agenda heading's legend, dropped only when the names cannot shrink further
CASELOAD_LEGEND = "Booked/open "
#: how long a provider's name may be in the caseload line, longest first
_NAME_LENGTHS = (9, 8, 7, 6, 5, 4)


def caseload_line(grid: schedule.DayGrid, width: int = 80) -> Text:
    """``Booked/open  Okafor 20/4  Chen 15/9 1ns ...`` for the agenda's heading line.

    Every provider's booked/open, no-shows (``ns``) and overbooks (``ob``) must show at
    ``width`` (six providers at 80 columns): the names are cut shorter until the line
    fits (``Okafor`` -> ``Okaf``, never shorter than four letters), then the legend
    goes; a day that still does not fit (flags on most providers) takes two lines,
    half the providers on each, rather than names cut to nothing.
    """
    entries = []
    for provider in grid.providers:
        summary = grid.summaries.get(provider.id)
        if summary is not None:
            entries.append((short_provider(provider.name).split(" ", 1)[-1], summary))
    tries = [(CASELOAD_LEGEND, n) for n in _NAME_LENGTHS] + [("", 5), ("", 4)]
    for legend, length in tries:
        line = _caseload(entries, legend, length)
        if line.cell_len <= width:
            return line
    # too many flags for one line even so: two lines, half the providers on each
    half = (len(entries) + 1) // 2
    for length in (*_NAME_LENGTHS, 3):
        first = _caseload(entries[:half], CASELOAD_LEGEND, length)
        second = _caseload(entries[half:], " " * len(CASELOAD_LEGEND), length)
        if max(first.cell_len, second.cell_len) <= width or length == 3:
            break
    return Text("\n", no_wrap=True, overflow="ellipsis", end="").join([first, second])


def _caseload(entries: list[tuple[str, schedule.ProviderSummary]], legend: str,
              length: int) -> Text:  # fmt: skip
    line = Text(legend, style="dim", no_wrap=True, overflow="ellipsis", end="")
    for name, summary in entries:
        if len(line):
            line.append(" ")
        line.append(f"{display(name)[:length]} ")
        line.append(f"{summary.booked}/{summary.open}", style="bold")
        if summary.no_show:
            line.append(f" {summary.no_show}ns", style="red")
        if summary.overbooked:
            line.append(f" {summary.overbooked}ob", style="yellow")
    return line
