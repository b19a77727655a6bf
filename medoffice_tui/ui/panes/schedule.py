"""Schedule pane (F2): the day the front desk lives in: book, move, run the day.

**What it shows.** With all providers at 80 columns: the *agenda*, every provider's
appointments and blocks in time order with the caseload of each provider on the line
above (booked/open, no-shows, overbooks). With one provider (``p``, or Left/Right):
that provider's *day grid*, a row per slot from the first working hour to the last,
free slots shown as free, lunch and other blocks, off-hours dimmed, the caseload
summary on top. From 100 columns up, all providers is a grid of provider columns side
by side (four at 160x48), lined up by time; Left/Right move between them.

*Why one provider at a time at 80x24, not six narrow columns:* six columns of 12
characters leave room for "Lee, A" and no status, and a desk cannot tell 9:00 from
9:15 across them; one provider at a time keeps the patient's whole name, the type,
the length and the status on one line, and the agenda answers the question 80-column
desks ask all day (who is arriving next, whoever they see). Wider terminals get the
side-by-side grid, where the columns are wide enough to read.

**The keymap**, settled so the common actions get the obvious letter:

- ``b`` book (also Enter on a free slot), ``m`` move, ``f`` find next available,
  ``x`` cancel (asks for a reason), ``u`` undo the last status change, ``h`` history;
- one key per status: ``c`` confirm, ``i`` check in (then the check-in essentials),
  ``r`` roomed, ``d`` done (checked out: for a role that enters charges, the charge
  form of the Claims pane follows when the visit has no claim yet), ``n`` no-show
  (kept from before: the desk's fingers know it; it asks once, as cancel does);
  arrived, roomed and done only on today's visits;
- ``[`` / ``]`` day, ``t`` today, ``g`` go to a day typed forgivingly (``tue``,
  ``next tue``, ``+2w``, ``12/1``); ``p`` and Left/Right choose the provider;
- ``R`` the confirmation calls for the next working day (capital: ``r`` is roomed, and
  calls are made once a day, not once a minute); Ctrl+R reloads.

Every write names the version the desk saw, and writes to one appointment run one at
a time (``call_service(key=...)``): a key pressed twice acts on the new version; a
change another desk made first is refused, said, and the day reloaded. Another desk's
changes arrive by themselves within about a second (``schedule_live.py``); only the
rows that changed are redrawn, so an idle screen sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget

from medoffice_tui import clock
from medoffice_tui.errors import DomainError, SlotTaken, StaleEdit
from medoffice_tui.services import schedule
from medoffice_tui.services.patients import PatientRow
from medoffice_tui.services.patients.search import row_by_id
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.forms import ConfirmScreen
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import long_date, words
from medoffice_tui.ui.panes.schedule_live import ChangeWatcher
from medoffice_tui.ui.service_call import call_service, notify_refusal
from medoffice_tui.ui.widgets.day_grid import (
    AGENDA_COLUMNS,
    GRID_COLUMNS,
    ProviderDay,
    ScheduleList,
    TextLine,
    agenda_rows,
    appointment_row,
    caseload_line,
    grid_rows,
    short_provider,
)
from medoffice_tui.ui.widgets.paged_list import ListRow, PagedList

# kept importable from here for the tests and screens that used them
__all__ = ["SchedulePane", "appointment_row", "short_provider"]

#: a provider column is at least this wide; below WIDE all providers is the agenda
COLUMN_WIDTH = 38
WIDE = 100
MAX_COLUMNS = 6
#: a change that arrived behind a dialog: how often to look whether the day is back in view
STALE_CHECK_S = 0.25


@dataclass(frozen=True)
class CheckedOut:
    """``d`` by a role that enters charges: the visit, and whether it still needs a claim."""

    appointment: schedule.AppointmentRow
    to_bill: bool


class SchedulePane(Pane):
    """One day: the agenda or provider grids, with every schedule action on a key."""

    TITLE = "Schedule"
    PANE_KEY = "f2"

    DEFAULT_CSS = """
    SchedulePane #schedule-columns { height: 1fr; }
    SchedulePane ProviderDay { margin-right: 1; }
    SchedulePane ProviderDay.-last { margin-right: 0; }
    SchedulePane ProviderDay.-hidden { display: none; }
    SchedulePane #schedule-detail { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "b",
            "book",
            "Book",
            id="schedule.book",
            tooltip="Book an appointment (Enter on a free slot too)",
        ),  # fmt: skip
        Binding(
            "c",
            "set_status('confirmed')",
            "Conf",
            id="schedule.confirm",
            tooltip="Confirm the appointment",
        ),  # fmt: skip
        Binding(
            "i",
            "set_status('arrived')",
            "In",
            id="schedule.arrived",
            tooltip="Check in (arrived): shows what to ask for",
        ),  # fmt: skip
        Binding(
            "r", "set_status('roomed')", "Room", id="schedule.roomed", tooltip="Patient roomed"
        ),  # fmt: skip
        Binding(
            "d",
            "set_status('completed')",
            "Done",
            id="schedule.completed",
            tooltip="Visit done (checked out); then its charges, if not yet billed",
        ),  # fmt: skip
        Binding(
            "n",
            "no_show",
            "No-show",
            id="schedule.no-show",
            tooltip="No-show (asks once; frees the slot)",
        ),  # fmt: skip
        Binding(
            "x",
            "cancel",
            "Cancel",
            id="schedule.cancel",
            tooltip="Cancel the appointment (asks for a reason)",
        ),  # fmt: skip
        Binding(
            "u",
            "undo",
            "Undo",
            id="schedule.undo",
            tooltip="Undo the last status change of this appointment",
        ),  # fmt: skip
        Binding(
            "m",
            "move",
            "Move",
            id="schedule.move",
            tooltip="Move (reschedule) to another time, day or provider",
        ),  # fmt: skip
        Binding(
            "f", "find", "Find", id="schedule.find", tooltip="Find next available slot"
        ),  # fmt: skip
        Binding(
            "g",
            "goto",
            "Go to",
            show=False,
            id="schedule.goto",
            tooltip="Go to a day (t, tue, next tue, +2w, 12/1)",
        ),  # fmt: skip
        Binding(
            "left_square_bracket",
            "day(-1)",
            "Day",
            key_display="[ ]",
            id="schedule.prev-day",
            tooltip="Previous day",
        ),  # fmt: skip
        Binding(
            "right_square_bracket",
            "day(1)",
            "Next day",
            key_display="]",
            show=False,
            id="schedule.next-day",
            tooltip="Next day",
        ),  # fmt: skip
        Binding("t", "today", "Today", show=False, id="schedule.today", tooltip="Back to today"),
        Binding(
            "p",
            "cycle_provider",
            "Provider",
            show=False,
            id="schedule.provider",
            tooltip="Provider: all, then each one",
        ),  # fmt: skip
        Binding(
            "left",
            "provider_step(-1)",
            "Provider",
            show=False,
            id="schedule.prev-provider",
            tooltip="Previous provider (column)",
        ),  # fmt: skip
        Binding(
            "right",
            "provider_step(1)",
            "Provider",
            show=False,
            id="schedule.next-provider",
            tooltip="Next provider (column)",
        ),  # fmt: skip
        Binding(
            "h",
            "history",
            "History",
            show=False,
            id="schedule.history",
            tooltip="The appointment's history: status changes, moves, calls",
        ),  # fmt: skip
        Binding(
            "R",
            "reminders",
            "Calls",
            show=False,
            id="schedule.reminders",
            tooltip="Confirmation calls for the next working day",
        ),  # fmt: skip
        Binding(
            "ctrl+r", "reload", "Reload", show=False, id="schedule.reload", tooltip="Reload the day"
        ),  # fmt: skip
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.day: dt.date = clock.today()
        self.providers: list[schedule.ProviderColumn] = []
        self.types: list[schedule.AppointmentTypeRow] = []
        #: index into self.providers, or None for all providers
        self.provider_index: int | None = None
        self.view: schedule.DayView | None = None
        self.grid: schedule.DayGrid | None = None
        #: the view ``grid`` was built from (every provider of the day, on shared rows)
        self._grid_of: schedule.DayView | None = None
        self._appointments: dict[int, schedule.AppointmentRow] = {}
        #: the day the lists show (the cursor is kept when the same day reloads)
        self._shown: tuple[dt.date, str] | None = None
        #: wide grid: the first provider column shown, and the focused one
        self.col_offset = 0
        self.focus_col = 0
        self._fit = 1
        #: after a booking or move: put the cursor on this appointment once shown
        self._select_after: int | None = None
        #: b on a record: the patient to book once the day is shown
        self._book_for: int | None = None
        self._stale = False
        self._stale_timer: Timer | None = None
        self.watcher: ChangeWatcher | None = None
        #: appointments cancelled at this desk today: they stay on screen, greyed, so
        #: ``u`` can take a cancellation back (other cancelled visits are not shown)
        self._kept: set[int] = set()
        self._columns: list[ProviderDay] = []
        #: what the watcher saw change that this desk has not judged yet: appointment id
        #: -> its version now (``_owed_all``: something else changed: reload)
        self._owed: dict[int, int] = {}
        self._owed_all = False
        #: this desk's status writes sent and not yet shown (their versions are not
        #: drawn yet: the watcher's news is judged once they have landed)
        self._writes_out = 0

    def compose(self) -> ComposeResult:
        yield TextLine(id="schedule-status", classes="pane-status")
        with Horizontal(id="schedule-columns"):
            for index in range(MAX_COLUMNS):
                yield ProviderDay(index, id=f"schedule-col-{index}",
                                  classes="-hidden" if index else "")  # fmt: skip
        yield TextLine(id="schedule-detail")

    # ---------------------------------------------------------------- layout

    @property
    def columns(self) -> list[ProviderDay]:
        """The provider columns (found once: every key's ``check_action`` asks)."""
        if not self._columns:
            self._columns = list(self.query(ProviderDay))
            for column in self._columns:
                column.list.on_cursor = self._cursor_now
        return self._columns

    @property
    def list(self) -> ScheduleList:
        """The first list (the agenda, or the first provider's grid)."""
        return self.columns[0].list

    @property
    def focused_list(self) -> ScheduleList:
        columns = self.columns
        return columns[min(self.focus_col, len(columns) - 1)].list

    @property
    def focus_target(self) -> Widget | None:
        if not self.columns:
            return None
        return self.focused_list

    @property
    def provider_filter(self) -> schedule.ProviderColumn | None:
        if self.provider_index is None or not self.providers:
            return None
        return self.providers[self.provider_index % len(self.providers)]

    @property
    def slot_minutes(self) -> int:
        practice = getattr(self.app, "practice", None)
        return max(int(getattr(practice, "slot_minutes", 15) or 15), 1)

    def _fit_for(self, width: int) -> int:
        if width < WIDE:
            return 1
        return max(1, min(MAX_COLUMNS, (width + 1) // (COLUMN_WIDTH + 1)))

    def mode(self) -> tuple[str, list[schedule.ProviderColumn]]:
        """("agenda", all providers) or ("grid", the providers shown as columns)."""
        chosen = self.provider_filter
        if chosen is not None:
            return "grid", [chosen]
        if self._fit == 1 or not self.providers:
            return "agenda", list(self.providers)
        offset = max(0, min(self.col_offset, len(self.providers) - self._fit))
        self.col_offset = offset
        return "grid", self.providers[offset : offset + self._fit]

    def on_resize(self, event: events.Resize) -> None:
        fit = self._fit_for(event.size.width)
        if fit != self._fit:
            self._fit = fit
            self.focus_col = min(self.focus_col, fit - 1)
            if self.view is not None:
                self._show_lists(keep_cursor=True)

    # ----------------------------------------------------------- loading

    def activate(self) -> None:
        self._fit = self._fit_for(self.size.width or self.app.size.width)
        super().activate()
        if self.watcher is None:
            self.watcher = ChangeWatcher(self.app.call_from_thread, self._live_changed,
                                         describe=schedule.appointments_touched)  # fmt: skip
        self.watcher.start()
        self._stop_stale_timer()
        if self._stale and self._loaded:
            self._stale = False
            self.reload(quiet=True)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def _live_changed(self, touched: dict[int, int] | None = None) -> None:
        """The change token moved: ``touched`` is what the watcher read of it (the
        appointments written, with their versions now; None: something else changed)."""
        if not self._loaded:
            return
        if touched is None:
            self._owed_all = True
        else:
            self._owed.update(touched)
        self._judge_owed()

    def _judge_owed(self) -> None:
        """Reload only if the day shows something older than what the watcher saw: this
        desk's own change was drawn when its write returned (one reload, not two)."""
        if self._writes_out:
            return  # judged again when the write in flight has been drawn
        owed, self._owed = self._owed, {}
        stale, self._owed_all = self._owed_all, False
        if not stale:
            for appt_id, version in owed.items():
                shown = self._appointments.get(appt_id)
                if shown is None or shown.version != version:
                    stale = True
                    break
        if not stale:
            return
        if not self._looked_at:
            self._stale = True
            if self.display and self._stale_timer is None:
                # a dialog (F1, a form, check-in, history, a question, the lock screen)
                # covers the day: look again when it has closed, with no key needed
                self._stale_timer = self.set_interval(STALE_CHECK_S, self._check_stale)
            return
        self.reload(quiet=True)

    @property
    def _looked_at(self) -> bool:
        return bool(self.display and not getattr(self.app, "locked", False) and self.is_on_screen)

    def _check_stale(self) -> None:
        """While a change waits behind a dialog: once the day is in view again, show it
        (this draws nothing until then; another pane shown instead: ``activate`` does)."""
        if not self._stale or not self.display:
            self._stop_stale_timer()
            return
        if self._looked_at:
            self._stop_stale_timer()
            self._stale = False
            self.reload(quiet=True)

    def _stop_stale_timer(self) -> None:
        if self._stale_timer is not None:
            self._stale_timer.stop()
            self._stale_timer = None

    @property
    def is_on_screen(self) -> bool:
        try:
            return self.screen is self.app.screen
        except Exception:  # noqa: BLE001 - not mounted any more
            return False

    def reset(self) -> None:
        super().reset()
        self.day = clock.today()
        self.provider_index = None
        self.view = None
        self.grid = None
        self._appointments = {}
        self._shown = None
        self._kept = set()
        for column in self.columns:
            column.list.set_rows([])

    def reload(self, quiet: bool = False) -> None:
        """Fetch the day (every provider: a provider switch then needs no query)."""
        if not quiet:
            self._render_status(loading=True)
        day = self.day
        with_lists = not self.providers

        def load() -> tuple[
            schedule.DayView,
            list[schedule.ProviderColumn] | None,
            list[schedule.AppointmentTypeRow] | None,
        ]:
            providers = schedule.list_providers() if with_lists else None
            types = schedule.list_appointment_types() if with_lists else None
            return schedule.day_view(day, include_cancelled=True), providers, types

        call_service(
            self,
            load,
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
                column.set_title(self._column_title(provider))
                self._put_rows(column.list, grid_rows(self.grid, provider.id), keep)
        if not keep:
            self._place_cursor(mode, first_show)
        self._select_new()
        self._sync_columns()
        self._render_status()
        self._render_detail()
        self.refresh_bindings()

    def _column_title(self, provider: schedule.ProviderColumn) -> Text:
        """A provider column's heading: the name and the day's caseload."""
        summary = self.grid.summaries.get(provider.id) if self.grid is not None else None
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        title.append(display(short_provider(provider.name)))
        if summary is not None:
            title.append(f"  {summary.text()}", style="not bold")
        return title

    @staticmethod
    def _put_rows(target: PagedList, rows: list[ListRow], keep: bool) -> None:
        """Redraw only the rows that changed when the shape is the same (a live update
        or one status change sends a line or two, not the whole list)."""
        if keep and target.row_count == len(rows) and target.row_count:
            for index, (old, new) in enumerate(zip(target.rows, rows, strict=True)):
                if old != new:
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

    # ------------------------------------------------------------ cursor

    def _current(self) -> ListRow | None:
        return self.focused_list.current

    def current_appointment(self) -> schedule.AppointmentRow | None:
        """The appointment under the cursor (its latest version), if any."""
        row = self._current()
        data = row.data if row is not None else None
        if isinstance(data, schedule.GridCell) and data.appointment is not None:
            data = data.appointment
        if isinstance(data, schedule.AppointmentRow):
            return self._appointments.get(data.id, data)
        return None

    def _booking_target(self) -> tuple[int | None, dt.datetime | None]:
        """Where ``b`` books: the free slot under the cursor, else the time after what is
        there, for that row's provider."""
        row = self._current()
        data = row.data if row is not None else None
        column = self.columns[self.focus_col]
        provider_id = column.provider_id or (self.providers[0].id if self.providers else None)
        if isinstance(data, schedule.GridCell):
            if data.kind in ("appointment", "continued") and data.appointment is not None:
                return data.provider_id, data.appointment.end
            if data.kind == "block_cont" and data.block is not None:
                return data.provider_id, data.block.end
            return data.provider_id, data.start
        if isinstance(data, schedule.AppointmentRow):
            return data.provider_id, data.end
        if isinstance(data, schedule.BlockRow):
            return data.provider_id, data.end
        start = None
        if self.day == clock.today():
            now = clock.now()
            step = self.slot_minutes
            start = now.replace(second=0, microsecond=0) + dt.timedelta(
                minutes=(-now.minute) % step)  # fmt: skip
        else:
            start = dt.datetime.combine(self.day, dt.time(8))
        return provider_id, start

    @on(PagedList.Highlighted)
    def _cursor_moved(self, event: PagedList.Highlighted) -> None:
        self._cursor_now(event.control)

    def _cursor_now(self, moved: PagedList) -> None:
        """The row under a column's cursor changed (called by the list itself, so the
        detail line is redrawn in the cursor's frame)."""
        if moved is not self.focused_list:
            return
        self._sync_columns()
        self._render_detail()
        self.refresh_bindings()

    @on(PagedList.Selected)
    def _enter(self, event: PagedList.Selected) -> None:
        """Enter: an appointment opens the patient's record; a free slot books it."""
        data = event.row.data
        if isinstance(data, schedule.AppointmentRow):
            from medoffice_tui.ui.screens.patient import PatientScreen

            self.app.push_screen(PatientScreen(data.patient_id))
        elif isinstance(data, schedule.GridCell) and data.bookable:
            self.action_book()
        elif isinstance(data, schedule.GridCell) and data.appointment is not None:
            from medoffice_tui.ui.screens.patient import PatientScreen

            self.app.push_screen(PatientScreen(data.appointment.patient_id))

    # ----------------------------------------------------- keys that apply

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys the role lacks are hidden; keys this appointment cannot take are dimmed."""
        appt = self.current_appointment() if self.is_mounted else None
        if action in ("set_status", "no_show", "cancel", "undo"):
            if not self.may("appointment.status"):
                return False
            if appt is None:
                return None
            target = {"no_show": "no_show", "cancel": "cancelled"}.get(action)
            if action == "set_status":
                target = str(parameters[0])
            if action == "undo":
                return True if appt.undo_to else None
            return True if target in schedule.allowed_statuses(appt) else None
        if action == "move":
            if not self.may("appointment.move"):
                return False
            return True if appt is not None and appt.status in schedule.MOVABLE else None
        if action in ("book", "find"):
            return True if self.may("appointment.book") else False
        if action == "history":
            return True if appt is not None else None
        if action == "reminders":
            return True if self.may("appointment.status") else False
        return True

    # ------------------------------------------------------- navigation

    def action_day(self, delta: int) -> None:
        self.day += dt.timedelta(days=delta)
        self.reload()

    def action_today(self) -> None:
        self.day = clock.today()
        self.reload()

    def action_goto(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import GoToDateForm

        def go(day: dt.date | None) -> None:
            if day is not None:
                self.day = day
                self.reload()

        self.app.push_screen(GoToDateForm(), go)

    def action_cycle_provider(self) -> None:
        if not self.providers:
            return
        if self.provider_index is None:
            self.provider_index = 0
        elif self.provider_index + 1 < len(self.providers):
            self.provider_index += 1
        else:
            self.provider_index = None
        self.focus_col = 0
        self._show_lists(keep_cursor=False, same_rows=True)

    def action_provider_step(self, step: int) -> None:
        """Left/Right: the next column side by side; else the previous/next provider."""
        if not self.providers:
            return
        mode, shown = self.mode()
        if mode == "grid" and len(shown) > 1:
            row = self.focused_list.cursor_row
            target = self.focus_col + step
            if 0 <= target < len(shown):
                self._set_focus_col(target)
            elif 0 <= self.col_offset + step <= len(self.providers) - self._fit:
                self.col_offset += step
                self._show_lists(keep_cursor=True, same_rows=True)
            self.focused_list.move_cursor(row)
            self._render_detail()
            return
        count = len(self.providers)
        order: list[int | None] = [None, *range(count)]
        index = order.index(self.provider_index) if self.provider_index in order else 0
        self.provider_index = order[(index + step) % len(order)]
        self.focus_col = 0
        self._show_lists(keep_cursor=False, same_rows=True)

    def _set_focus_col(self, index: int) -> None:
        self.focus_col = index
        for n, column in enumerate(self.columns):
            column.set_class(n == index and not column.has_class("-hidden"), "-focused")
        focus_now(self.focused_list)
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()

    # ------------------------------------------------------------ status

    def action_set_status(self, status: str) -> None:
        appt = self.current_appointment()
        if appt is None:
            self.notify("Put the cursor on an appointment first", severity="warning", markup=False)
            return
        self._status_call(appt.id, status)

    def _status_call(self, appt_id: int, status: str, reason: str = "") -> None:
        actor = self.actor

        def prepare() -> Callable[[], object] | None:
            """Runs when this change's turn comes: after this desk's earlier change to the
            same appointment has landed and been shown, so its version is the new one."""
            current = self._appointments.get(appt_id)
            if current is None:
                return None
            if status not in schedule.next_statuses(current.status):
                if current.status != status:  # pressing the same key twice is no error
                    self.notify(
                        f"A {words(current.status)} appointment cannot become {words(status)}",
                        severity="warning",
                        markup=False,
                    )
                return None
            version = current.version
            if status == "arrived":
                return lambda: (
                    schedule.set_status(actor, appt_id, status, expected_version=version),
                    schedule.checkin_essentials(actor, appt_id),
                )
            if status == "completed" and self.may("charge.enter"):
                # checking out: the charge form follows for a visit not yet billed
                return lambda: CheckedOut(
                    schedule.set_status(actor, appt_id, status, expected_version=version),
                    not schedule.visit_has_claim(appt_id),
                )
            return lambda: schedule.set_status(
                actor, appt_id, status, expected_version=version, reason=reason
            )

        self._writes_out += 1
        call_service(
            self,
            prepare=prepare,
            key=f"appointment:{appt_id}",
            on_result=self._status_done,
            on_error=self._refused,
            on_done=self._write_done,
            group="schedule-write",
            description="appointment status",
        )

    def _write_done(self) -> None:
        """A status write finished (before its result is drawn: judge the watcher's news
        after that, in a later callback)."""
        self._writes_out = max(self._writes_out - 1, 0)
        if not self._writes_out and (self._owed or self._owed_all):
            self.call_later(self._judge_owed)

    def _status_done(self, result: object) -> None:
        if isinstance(result, CheckedOut):
            self.show_changed(result.appointment)
            if result.to_bill:
                from medoffice_tui.ui.claims.actions import open_charge_form

                open_charge_form(self, appointment_id=result.appointment.id)
            return
        if isinstance(result, tuple):
            updated, essentials = result
            self.show_changed(updated)
            from medoffice_tui.ui.screens.schedule_dialogs import CheckInScreen

            self.app.push_screen(CheckInScreen(essentials))
            return
        if isinstance(result, schedule.AppointmentRow):
            self.show_changed(result)

    def _refused(self, error: DomainError) -> None:
        notify_refusal(self, error)
        if isinstance(error, StaleEdit | SlotTaken):
            self.reload()  # another desk changed it first: show what is true now

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
            if first.list.rows[index] != row:
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
                    column.set_title(self._column_title(provider))
        self._render_status()
        self._render_detail()
        self.refresh_bindings()
        return True

    def _fresh_then(self, then: Callable[[schedule.AppointmentRow], object]) -> None:
        """Read the appointment again before asking the desk anything about it: a question
        about a row another desk has changed is never asked."""
        appt = self.current_appointment()
        if appt is None:
            return
        shown = appt.version

        def answer(fresh: schedule.AppointmentRow) -> None:
            if fresh.version != shown:
                self._refused(StaleEdit())
                return
            then(fresh)

        # one read by primary key: inline, so the question opens in the key's own frame
        call_service(self, lambda: schedule.get_appointment(appt.id), on_result=answer,
                     on_error=self._refused, inline=True,
                     description="appointment check")  # fmt: skip

    def action_no_show(self) -> None:
        def ask(fresh: schedule.AppointmentRow) -> None:
            if "no_show" not in schedule.allowed_statuses(fresh):
                return
            question = (f"Mark {fresh.start:%H:%M} {fresh.patient_name} "
                        f"({short_provider(fresh.provider_name)}) a no-show?")  # fmt: skip
            self.app.push_screen(
                ConfirmScreen(question, yes="no-show", no="keep it"),
                lambda yes: self._status_call(fresh.id, "no_show") if yes else None,
            )

        self._fresh_then(ask)

    def action_cancel(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import CancelForm

        def ask(fresh: schedule.AppointmentRow) -> None:
            if "cancelled" not in schedule.allowed_statuses(fresh):
                return
            self.app.push_screen(CancelForm(self.actor, fresh), self._written)

        self._fresh_then(ask)

    def action_undo(self) -> None:
        appt = self.current_appointment()
        if appt is None:
            return
        actor, appt_id = self.actor, appt.id

        def prepare() -> Callable[[], schedule.AppointmentRow] | None:
            current = self._appointments.get(appt_id)
            if current is None or not current.undo_to:
                return None
            version = current.version
            return lambda: schedule.undo_status(actor, appt_id, version)

        self._writes_out += 1
        call_service(self, prepare=prepare, key=f"appointment:{appt_id}",
                     on_result=self._undone, on_error=self._refused, on_done=self._write_done,
                     group="schedule-write", description="undo status")  # fmt: skip

    def _undone(self, updated: schedule.AppointmentRow) -> None:
        self.notify(f"Undone: back to {words(updated.status)}", markup=False)
        self._kept.discard(updated.id)
        self.show_changed(updated)

    # --------------------------------------------------- booking and moving

    def action_book(self, provider_id: int | None = None, start: dt.datetime | None = None,
                    appt_type_id: int | None = None,
                    patient: PatientRow | None = None) -> None:  # fmt: skip
        from medoffice_tui.ui.screens.booking import BookingForm

        if not self.may("appointment.book"):
            return
        if provider_id is None or start is None:
            provider_id, start = self._booking_target()
        self.app.push_screen(
            BookingForm(
                self.actor,
                self.providers,
                self.types,
                provider_id=provider_id,
                start=start,
                appt_type_id=appt_type_id,
                patient=patient,
                on_taken=self.reload,
            ),  # fmt: skip
            self._written,
        )

    def book_patient(self, patient_id: int) -> None:
        """Book this patient (``b`` on a record): the booking form opens with the patient
        picked, at the free slot under the cursor, else the day's next free slot (today:
        from now on) of the provider shown, or of any provider in the agenda."""
        if not self.may("appointment.book"):
            self.notify("Your role may not book appointments", severity="warning",
                        markup=False)  # fmt: skip
            return
        self._book_for = patient_id
        if self.view is not None and self.providers:
            self._open_pending_booking()
        # else: the day is loading (the pane's first show); _show_day opens it

    def _open_pending_booking(self) -> None:
        patient_id, self._book_for = self._book_for, None
        if patient_id is None:
            return

        def opened(row: PatientRow | None) -> None:
            if row is None:
                self.notify("That record no longer exists", severity="warning", markup=False)
                return
            provider_id, start = self._free_target()
            self.action_book(provider_id, start, patient=row)

        call_service(self, lambda: row_by_id(patient_id), on_result=opened, inline=True,
                     description="patient to book")  # fmt: skip

    def _free_target(self) -> tuple[int | None, dt.datetime | None]:
        """The free slot under the cursor, else the first free slot of the day (from now on
        today) among the providers shown; else where ``b`` would book."""
        row = self._current()
        data = row.data if row is not None else None
        if isinstance(data, schedule.GridCell) and data.kind == "free":
            return data.provider_id, data.start
        mode, shown = self.mode()
        if self.grid is not None:
            ids = [p.id for p in shown]
            if mode == "grid" and len(shown) > 1:
                focused = self.columns[self.focus_col].provider_id
                ids = [focused, *[i for i in ids if i != focused]] if focused else ids
            since = clock.now() if self.day == clock.today() else None
            best: schedule.GridCell | None = None
            for pid in ids:
                cell = next((c for c in self.grid.cells.get(pid, []) if c.kind == "free"
                             and (since is None or c.start >= since)), None)  # fmt: skip
                if cell is not None and (best is None or cell.start < best.start):
                    best = cell
            if best is not None:
                return best.provider_id, best.start
        return self._booking_target()

    def action_move(self) -> None:
        from medoffice_tui.ui.screens.booking import MoveForm

        appt = self.current_appointment()
        if appt is None or appt.status not in schedule.MOVABLE:
            return
        self.app.push_screen(
            MoveForm(self.actor, self.providers, appt, on_taken=self.reload), self._written
        )

    def action_find(self) -> None:
        from medoffice_tui.ui.screens.find_slot import FindSlotScreen, FoundSlot

        column = self.columns[self.focus_col]
        provider = column.provider_id if self.provider_filter is not None else None

        def found(result: FoundSlot | None) -> None:
            if result is not None:
                self.action_book(result.slot.provider_id, result.slot.start,
                                 result.appt_type_id, patient=result.patient)  # fmt: skip

        screen = FindSlotScreen(self.providers, self.types, provider_id=provider)
        screen.prefetch(self)  # the first slots arrive with the screen's first paint
        self.app.push_screen(screen, found)

    def _written(self, result: schedule.AppointmentRow | None) -> None:
        """A booking, move or cancellation was saved: show its day with it selected."""
        if result is None:
            return
        if result.status == "cancelled":
            self.show_changed(result)  # it stays on screen, greyed: u can take it back
            return
        if result.status != "cancelled":
            self._select_after = result.id
            if self.provider_filter is not None and self.provider_filter.id != result.provider_id:
                self.provider_index = next(
                    (i for i, p in enumerate(self.providers) if p.id == result.provider_id),
                    None,
                )
        if result.start.date() != self.day:
            self.day = result.start.date()
        self.reload()

    # ------------------------------------------------------------ more

    def action_history(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import HistoryScreen

        appt = self.current_appointment()
        if appt is None:
            return
        call_service(
            self,
            lambda: schedule.appointment_history(appt.id),
            on_result=lambda rows: self.app.push_screen(HistoryScreen(appt, rows)),
            inline=True,  # one appointment's few events: opens in the key's own frame
            description="appointment history",
        )

    def action_reminders(self) -> None:
        from medoffice_tui.ui.screens.reminders import RemindersScreen

        if self.may("appointment.status"):
            self.app.push_screen(RemindersScreen(self.actor), lambda _: self.reload(quiet=True))

    # -------------------------------------------------------------- lines

    def _render_status(self, loading: bool = False) -> None:
        filt = self.provider_filter
        who = "All providers" if filt is None else short_provider(filt.name)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(long_date(self.day), style="bold")
        if self.day == clock.today():
            line.append(" (today)")
        line.append(f"  {display(who)}  ")
        if loading:
            line.append("loading...", style="dim")
        else:
            shown = [a for a in self._appointments.values() if a.status != "cancelled"]
            if filt is not None:
                shown = [a for a in shown if a.provider_id == filt.id]
            counts = Counter(a.status for a in shown)
            booked = counts["booked"] + counts["confirmed"]
            here = counts["arrived"] + counts["roomed"]
            line.append(
                f"{len(shown)}: {booked} booked {here} in "
                f"{counts['completed']} done {counts['no_show']} no-show"
            )
        self.query_one("#schedule-status", TextLine).set_text(line)

    def _render_detail(self) -> None:
        row = self._current()
        data = row.data if row is not None else None
        text = ""
        if isinstance(data, schedule.GridCell) and data.kind == "continued":
            data = data.appointment
        if isinstance(data, schedule.AppointmentRow):
            a = self._appointments.get(data.id, data)
            parts = [f"{a.start:%H:%M}-{a.end:%H:%M} {a.patient_name} (MRN {a.mrn})"]
            if not a.patient_active:
                parts.insert(0, "! record inactive")
            if a.reason:
                parts.append(a.reason)
            if a.overbooked:
                parts.append(f"overbook: {a.overbook_reason}")
            if a.reminder_outcome:
                parts.append(f"call: {schedule.OUTCOME_WORDS.get(a.reminder_outcome, '')}")
            if a.undo_to:
                parts.append(f"u: back to {words(a.undo_to)}")
            text = " · ".join(parts)
        elif isinstance(data, schedule.GridCell):
            if data.kind == "free":
                text = f"Free {data.start:%H:%M}-{data.end:%H:%M}: Enter or b books it"
            elif data.kind == "off":
                text = "Outside the provider's hours: only an overbook (manager)"
            elif data.block is not None:
                b = data.block
                text = f"{b.label} {b.start:%H:%M}-{b.end:%H:%M}: only an overbook (manager)"
        elif isinstance(data, schedule.BlockRow):
            text = f"{data.label} {data.start:%H:%M}-{data.end:%H:%M}"
        self.query_one("#schedule-detail", TextLine).set_text(text)
