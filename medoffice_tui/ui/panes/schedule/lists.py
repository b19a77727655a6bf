"""Loading the day and putting it into the lists: the agenda, one provider's grid or the
columns side by side, from one grid built per day shown; a change made here redraws
only what it touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from rich.text import Text

from medoffice_tui import clock
from medoffice_tui.services import changes, schedule
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.day_grid import (
    AGENDA_COLUMNS,
    GRID_COLUMNS,
    agenda_rows,
    appointment_row,
    caseload_line,
    grid_rows,
    short_provider,
)
from medoffice_tui.ui.widgets.paged_list import ListRow, PagedList


def looks_same(old: ListRow, new: ListRow) -> bool:
    """Would ``new`` draw exactly what ``old`` does, for the same appointment (or slot)?

    Then it is not drawn again: a status change's answer reads as the change shown when
    the key was pressed (only its version differs, and every use of a row's appointment
    goes through the pane's ``_appointments``, which has the newest). A row for another
    slot, provider or appointment is always replaced, even if it reads the same."""
    if old == new:
        return True
    if (old.cells, old.style, old.cell_styles) != (new.cells, new.style, new.cell_styles):
        return False
    a, b = old.data, new.data
    if isinstance(a, schedule.GridCell) and isinstance(b, schedule.GridCell):
        if replace(a, appointment=None) != replace(b, appointment=None):
            return False
        a, b = a.appointment, b.appointment
    if not (isinstance(a, schedule.AppointmentRow) and isinstance(b, schedule.AppointmentRow)):
        return False
    return replace(a, version=b.version, undo_to=b.undo_to) == b


LoadedDay = tuple[
    schedule.DayView,
    list[schedule.ProviderColumn] | None,
    list[schedule.AppointmentTypeRow] | None,
]


def load_day(day: dt.date, with_lists: bool) -> LoadedDay:
    """The day (every provider: a provider switch then needs no query), and the
    providers and appointment types when the pane has none yet (worker thread)."""
    providers = schedule.list_providers() if with_lists else None
    types = schedule.list_appointment_types() if with_lists else None
    return schedule.day_view(day, include_cancelled=True), providers, types


@dataclass(frozen=True)
class FirstDay:
    """Today, read at sign-in (``SchedulePane.first_load``), with the change token read
    just before it: the live view reports anything written since, none of it missed."""

    token: int
    loaded: LoadedDay

    @property
    def day(self) -> dt.date:
        return self.loaded[0].day


def first_day() -> FirstDay:
    """Today with its providers and types, for the first show (worker thread)."""
    token = changes.change_token()
    return FirstDay(token, load_day(clock.today(), with_lists=True))


class DayLists:
    """Mixin of ``SchedulePane``: the day's data into its lists."""

    def reload(self, quiet: bool = False) -> None:
        """Fetch the day, or show the one read at sign-in (``first_load``)."""
        prefetched, self.prefetched = self.prefetched, None
        if isinstance(prefetched, FirstDay) and prefetched.day == self.day and not self.providers:
            self.first_token = prefetched.token  # the live view starts from it
            self._show_day(*prefetched.loaded, quiet=quiet)
            return
        if not quiet:
            self._render_status(loading=True)
        day = self.day
        with_lists = not self.providers
        call_service(
            self,
            lambda: load_day(day, with_lists),
            on_result=lambda loaded: self._show_day(*loaded, quiet=quiet),
            group="schedule-load",
            exclusive=True,
            description="schedule day",
        )

    def _show_day(
        self,
        view: schedule.DayView,
        providers: list[schedule.ProviderColumn] | None,
        types: list[schedule.AppointmentTypeRow] | None,
        *,
        quiet: bool = False,
    ) -> None:
        if view.day != self.day:
            return  # the desk has already moved to another day
        if providers is not None:
            self.providers = providers
        if types is not None:
            self.types = types
        kept = self._kept
        view = schedule.DayView(
            view.day,
            view.providers,
            [a for a in view.appointments if a.status != "cancelled" or a.id in kept],
            view.blocks,
            view.hours,
        )
        if quiet and view == self.view:
            return  # nothing changed: nothing is drawn
        self.view = view
        self._appointments = {a.id: a for a in view.appointments}
        self._show_lists(keep_cursor=True)
        if self._book_for is not None:
            self._open_pending_booking()  # b on a record, before the day had loaded

    def _show_lists(self, keep_cursor: bool, same_rows: bool = False) -> None:
        """Put the day into the lists for the current mode and width.

        The grid is built once per day shown, for every provider on the same rows (one
        time per row): the agenda's caseload line, one provider's grid and the columns
        side by side all read it, so choosing another provider (``same_rows``: Left,
        Right, ``p``) builds nothing and keeps the cursor on its time; only the rows
        that differ between the two providers are repainted."""
        view = self.view
        if view is None:
            return
        mode, shown = self.mode()
        key = (view.day, f"{mode}:{','.join(str(p.id) for p in shown)}")
        previous = self._shown
        keep = keep_cursor and previous == key
        if same_rows and mode == "grid" and previous is not None and previous[0] == view.day:
            keep = previous[1].startswith("grid:")
        first_show = previous is None or previous[0] != view.day
        self._shown = key
        if self.grid is None or self._grid_of is not view:
            self.grid = schedule.build_grid(view, self.slot_minutes)
            self._grid_of = view
        columns = self.columns
        count = 1 if mode == "agenda" else len(shown)
        self.focus_col = min(self.focus_col, count - 1)
        for index, column in enumerate(columns):
            column.set_class(index >= count, "-hidden")
            column.set_class(index == count - 1, "-last")
            column.set_class(count > 1 and index == self.focus_col, "-focused")
        first = columns[0]
        if mode == "agenda":
            first.provider_id = None
            first.list.set_columns(AGENDA_COLUMNS)
            first.list.empty_text = "No appointments this day"
            width = first.size.width or self.size.width or self.app.size.width
            first.set_title(caseload_line(self.grid, width))
            self._put_rows(first.list, agenda_rows(view), keep)
        else:
            for index, provider in enumerate(shown):
                column = columns[index]
                column.provider_id = provider.id
                column.list.set_columns(GRID_COLUMNS)
                column.list.empty_text = "Not working this day"
                column.set_title(self._column_title(provider, count == 1))
                self._put_rows(column.list, grid_rows(self.grid, provider.id), keep)
        if not keep:
            self._place_cursor(mode, first_show)
        self._select_new()
        self._sync_columns()
        self._render_status()
        self._render_detail()
        self.refresh_bindings()

    def _column_title(self, provider: schedule.ProviderColumn, alone: bool = False) -> Text:
        """A provider column's heading: the name and the day's caseload.

        ``alone`` (one provider in place of the agenda): when the agenda's caseload line
        takes two lines this day, so does this heading, its second line saying which
        provider of how many this is. Switching between the two with ``p`` then keeps
        the heading's height, and the screen is repainted without a new layout."""
        summary = self.grid.summaries.get(provider.id) if self.grid is not None else None
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        title.append(display(short_provider(provider.name)))
        if summary is not None:
            title.append(f"  {summary.text()}", style="not bold")
        if alone and self.grid is not None:
            width = self.columns[0].size.width or self.size.width or self.app.size.width
            if len(caseload_line(self.grid, width).split()) > 1:
                place = next((n for n, p in enumerate(self.providers, 1) if p.id == provider.id), 1)
                title.append("\n")
                title.append(
                    f"provider {place} of {len(self.providers)}: p or Left/Right for the next",
                    style="not bold dim",
                )
        return title

    @staticmethod
    def _put_rows(target: PagedList, rows: list[ListRow], keep: bool) -> None:
        """Redraw only the rows that changed when the shape is the same (a live update
        or one status change sends a line or two, not the whole list)."""
        if keep and target.row_count == len(rows) and target.row_count:
            for index, (old, new) in enumerate(zip(target.rows, rows, strict=True)):
                if not looks_same(old, new):
                    target.replace_row(index, new)
            return
        target.set_rows(rows, keep_cursor=keep)

    def _place_cursor(self, mode: str, first_show: bool) -> None:
        target = self.focused_list
        if self.view is None or self.view.day != clock.today():
            if first_show and mode == "grid" and self.grid is not None:
                target.move_cursor(self.grid.row_at(dt.datetime.combine(self.day, dt.time(8))))
            return
        now = clock.now()
        if mode == "agenda":
            found = target.index_where(
                lambda d: isinstance(d, schedule.AppointmentRow) and d.end > now
            )
            target.move_cursor(found if found is not None else 0, near_top=True)
        elif self.grid is not None:
            target.move_cursor(self.grid.row_at(now), near_top=True)

    def _select_new(self) -> None:
        wanted = self._select_after
        if wanted is None or wanted not in self._appointments:
            return
        self._select_after = None
        for column in self.columns:
            if column.has_class("-hidden"):
                continue
            index = column.list.index_where(
                lambda d: isinstance(d, schedule.AppointmentRow) and d.id == wanted
            )
            if index is not None:
                self.focus_col = self.columns.index(column)
                focus_now(column.list)
                column.list.move_cursor(index)
                return

    def _sync_columns(self) -> None:
        """Side by side, every column's cursor sits on the focused column's row (time)."""
        lists = [c.list for c in self.columns if not c.has_class("-hidden")]
        if len(lists) < 2:
            return
        row = self.focused_list.cursor_row
        for other in lists:
            if other is not self.focused_list and other.cursor_row != row:
                other.move_cursor(row)

    def show_changed(self, updated: schedule.AppointmentRow) -> None:
        """One appointment changed here: show it without a query.

        A status change (the same provider, start and end) leaves the grid's rows as
        they were: only that provider's column is worked out again and only the rows
        that differ are repainted (in the agenda: the one row). A change of time or
        provider rebuilds the lists shown (still without a query)."""
        before = self._appointments.get(updated.id)
        self._appointments[updated.id] = updated
        if self.view is None:
            return
        if updated.status == "cancelled":
            self._kept.add(updated.id)
        appointments = [updated if a.id == updated.id else a for a in self.view.appointments]
        if updated.start.date() != self.view.day:
            appointments = [a for a in appointments if a.id != updated.id]
        self.view = schedule.DayView(self.view.day, self.view.providers, appointments,
                                     self.view.blocks, self.view.hours)  # fmt: skip
        same_place = before is not None and (before.provider_id, before.start, before.end) == (
            updated.provider_id, updated.start, updated.end)  # fmt: skip
        if not same_place or self.grid is None or not self._show_one(updated):
            self._show_lists(keep_cursor=True)

    def _show_one(self, updated: schedule.AppointmentRow) -> bool:
        """Redraw what one appointment's status change touches; False if it cannot."""
        assert self.view is not None and self.grid is not None
        pid = updated.provider_id
        mode, shown = self.mode()
        key = (self.view.day, f"{mode}:{','.join(str(p.id) for p in shown)}")
        if self._shown != key:
            return False
        if pid in self.grid.cells:
            old_summary = self.grid.summaries.get(pid)
            sub = schedule.DayView(
                self.view.day,
                [p for p in self.view.providers if p.id == pid],
                [a for a in self.view.appointments if a.provider_id == pid],
                [b for b in self.view.blocks if b.provider_id == pid],
                {pid: self.view.hours.get(pid, [])},
            )
            self.grid = schedule.with_provider(self.grid, sub, pid)
            self._grid_of = self.view
            summary_changed = self.grid.summaries.get(pid) != old_summary
        else:
            summary_changed = False
        columns = self.columns
        if mode == "agenda":
            first = columns[0]
            index = first.list.index_where(
                lambda d: isinstance(d, schedule.AppointmentRow) and d.id == updated.id
            )
            if index is None:
                return False
            row = appointment_row(updated)
            if not looks_same(first.list.rows[index], row):
                first.list.replace_row(index, row)
            if summary_changed:
                width = first.size.width or self.size.width or self.app.size.width
                first.set_title(caseload_line(self.grid, width))
        else:
            for index, provider in enumerate(shown):
                if provider.id != pid:
                    continue
                column = columns[index]
                self._put_rows(column.list, grid_rows(self.grid, pid), keep=True)
                if summary_changed:
                    column.set_title(self._column_title(provider, len(shown) == 1))
        self._render_status()
        self._render_detail()
        self.refresh_bindings()
        return True
