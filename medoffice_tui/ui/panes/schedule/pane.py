"""The Schedule pane (F2): its widgets, layout and cursor; the rest comes from its mixins."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget

from medoffice_tui import clock
from medoffice_tui.services import schedule
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.schedule.bindings import BINDINGS
from medoffice_tui.ui.panes.schedule.booking_keys import BookingKeys
from medoffice_tui.ui.panes.schedule.lines import StatusLines
from medoffice_tui.ui.panes.schedule.lists import DayLists, first_day
from medoffice_tui.ui.panes.schedule.live_view import LiveDay
from medoffice_tui.ui.panes.schedule.navigation import Navigation
from medoffice_tui.ui.panes.schedule.status_keys import StatusKeys
from medoffice_tui.ui.panes.schedule_live import ChangeWatcher
from medoffice_tui.ui.widgets.day_grid import ProviderDay, ScheduleList, TextLine
from medoffice_tui.ui.widgets.paged_list import ListRow, PagedList

#: a provider column is at least this wide; below WIDE all providers is the agenda
COLUMN_WIDTH = 38
WIDE = 100
MAX_COLUMNS = 6


class SchedulePane(LiveDay, DayLists, StatusKeys, BookingKeys, Navigation, StatusLines, Pane):
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
    BINDINGS: ClassVar[list[BindingType]] = BINDINGS

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
        self._writes_since = 0.0
        #: status writes in flight per appointment, and the rows shown before their
        #: answer: appointment id -> (the row shown, the row the write starts from)
        self._in_flight: Counter[int] = Counter()
        self._previews: dict[int, tuple[schedule.AppointmentRow, schedule.AppointmentRow]] = {}
        #: refusals per appointment: a key typed while a refused change was previewed
        #: was meant for a row that never was, and is dropped (status_keys.py)
        self._refusals: Counter[int] = Counter()
        #: the change token the day read at sign-in was read after (``first_load``)
        self.first_token: int | None = None

    @classmethod
    def first_load(cls) -> object | None:
        return first_day()

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

    def reset(self) -> None:
        super().reset()
        self.day = clock.today()
        self.provider_index = None
        self.view = None
        self.grid = None
        self._appointments = {}
        self._shown = None
        self._kept = set()
        self._grid_of = None
        self._owed, self._owed_all = {}, False
        # nothing of the last user's session carries over: a booking asked for, a
        # cursor to place, writes in flight (one cancelled before it ran never reports
        # back, and live news would wait for it), a stale day waiting to be shown
        self._select_after = None
        self._book_for = None
        self._writes_out, self._writes_since = 0, 0.0
        self._in_flight = Counter()
        self._previews = {}
        self._refusals = Counter()
        self._stale = False
        if self._stale_timer is not None:
            self._stale_timer.stop()
            self._stale_timer = None
        for column in self.columns:
            column.list.set_rows([])

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
        detail line is redrawn in the cursor's frame). The key line needs nothing more:
        the list asked for it already, once its cursor had moved (a second ask would
        work every key's ``check_action`` out again for the same row)."""
        if moved is not self.focused_list:
            return
        self._sync_columns()
        self._render_detail()

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
