"""Schedule pane: the day's appointments for every provider, with one-key status changes.

The desk's busiest screen. It lists the day from ``schedule.day_view`` (blocks such
as lunch shown as muted rows), moves a day with ``[`` / ``]``, and walks an
appointment through confirmed -> arrived -> roomed -> completed with single keys.
Each change names the version it read (``expected_version``): if another desk got
there first the service refuses, the desk is told, and the day is reloaded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.errors import DomainError, StaleEdit
from medoffice_tui.services import schedule
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import hhmm, long_date, minutes_between, words
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.service_call import call_service, notify_refusal
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

COLUMNS = (
    Column("Time", 5),
    Column("Len", 4, align="right"),
    Column("Provider", 10, flex=1, min_width=10),
    Column("Patient", flex=3, min_width=14),
    Column("Type", 10, flex=1, min_width=8),
    Column("Status", 9),
)

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
    return ListRow(
        cells=(
            hhmm(appt.start),
            minutes_between(appt.start, appt.end),
            short_provider(appt.provider_name),
            appt.patient_name,
            appt.type_name,
            words(appt.status),
        ),
        data=appt,
        style="muted" if appt.status == "cancelled" else "",
        cell_styles={5: STATUS_STYLE.get(appt.status, "")},
    )


def block_row(block: schedule.BlockRow, provider_names: dict[int, str]) -> ListRow:
    words_ = [block.kind.capitalize()]
    if block.note and block.note.lower() != block.kind.lower():
        words_.append(block.note)
    label = f"-- {': '.join(words_)} --"
    return ListRow(
        cells=(
            hhmm(block.start),
            minutes_between(block.start, block.end),
            short_provider(provider_names.get(block.provider_id, "")),
            label,
            "",
            "",
        ),
        data=block,
        style="muted",
    )


class SchedulePane(Pane):
    """One day of appointments, all providers or one, with status keys."""

    TITLE = "Schedule"
    PANE_KEY = "f2"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "set_status('confirmed')",
            "Confirm",
            id="schedule.confirm",
            tooltip="Confirm the appointment",
        ),
        Binding(
            "i",
            "set_status('arrived')",
            "In",
            id="schedule.arrived",
            tooltip="Check in (arrived)",
        ),
        Binding(
            "r",
            "set_status('roomed')",
            "Room",
            id="schedule.roomed",
            tooltip="Patient roomed",
        ),
        Binding(
            "d",
            "set_status('completed')",
            "Done",
            id="schedule.completed",
            tooltip="Visit done (completed)",
        ),
        Binding(
            "n",
            "set_status('no_show')",
            "No-show",
            id="schedule.no-show",
            tooltip="No-show (frees the slot)",
        ),
        Binding(
            "left_square_bracket,left",
            "day(-1)",
            "Day",
            key_display="[ ]",
            id="schedule.prev-day",
            tooltip="Previous day",
        ),
        Binding(
            "right_square_bracket,right",
            "day(1)",
            "Next day",
            key_display="]",
            show=False,
            id="schedule.next-day",
            tooltip="Next day",
        ),
        Binding("t", "today", "Today", id="schedule.today", tooltip="Back to today"),
        Binding(
            "p",
            "cycle_provider",
            "Provider",
            id="schedule.provider",
            tooltip="Provider filter: all / each",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="schedule.reload",
            tooltip="Reload the day",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.day: dt.date = clock.today()
        self.providers: list[schedule.ProviderColumn] = []
        #: index into self.providers, or None for all providers
        self.provider_index: int | None = None
        self._appointments: list[schedule.AppointmentRow] = []
        #: the day the list shows (the cursor is kept when the same day reloads)
        self._shown_day: dt.date | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="schedule-status", classes="pane-status", markup=False)
        yield PagedList(COLUMNS, empty_text="No appointments this day", id="schedule-list")

    @property
    def list(self) -> PagedList:
        return self.query_one("#schedule-list", PagedList)

    @property
    def focus_target(self) -> Widget | None:
        return self.list

    @property
    def provider_filter(self) -> schedule.ProviderColumn | None:
        if self.provider_index is None or not self.providers:
            return None
        return self.providers[self.provider_index % len(self.providers)]

    # ------------------------------------------------------------- actions

    def action_day(self, delta: int) -> None:
        self.day += dt.timedelta(days=delta)
        self.reload()

    def action_today(self) -> None:
        self.day = clock.today()
        self.reload()

    def action_cycle_provider(self) -> None:
        if not self.providers:
            return
        if self.provider_index is None:
            self.provider_index = 0
        elif self.provider_index + 1 < len(self.providers):
            self.provider_index += 1
        else:
            self.provider_index = None
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Status keys: hidden without the role; dimmed when this appointment can't take it."""
        if action != "set_status":
            return True
        if not self.may("appointment.status"):
            return False
        row = self.list.current
        if row is None or not isinstance(row.data, schedule.AppointmentRow):
            return None
        return True if parameters[0] in schedule.next_statuses(row.data.status) else None

    @on(PagedList.Highlighted, "#schedule-list")
    def _cursor_moved(self) -> None:
        self.refresh_bindings()

    def action_set_status(self, status: str) -> None:
        row = self.list.current
        if row is None or not isinstance(row.data, schedule.AppointmentRow):
            self.notify("Put the cursor on an appointment first", severity="warning", markup=False)
            return
        appt_id = row.data.id
        actor = self.actor

        def prepare() -> Callable[[], schedule.AppointmentRow] | None:
            """Runs when this change's turn comes: after this desk's earlier change to the
            same appointment has landed and been shown, so its version is the new one."""
            current = self._appointment(appt_id)
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
            return lambda: schedule.set_status(actor, appt_id, status, expected_version=version)

        call_service(
            self,
            prepare=prepare,
            key=f"appointment:{appt_id}",
            on_result=self._show_changed,
            on_error=self._status_refused,
            group="schedule-write",
            description="appointment status",
        )

    def _appointment(self, appt_id: int) -> schedule.AppointmentRow | None:
        for appt in self._appointments:
            if appt.id == appt_id:
                return appt
        return None

    def _status_refused(self, error: DomainError) -> None:
        notify_refusal(self, error)
        if isinstance(error, StaleEdit):
            self.reload()  # another desk changed it first: show what is true now

    @on(PagedList.Selected, "#schedule-list")
    def _open_patient(self, event: PagedList.Selected) -> None:
        """Enter on an appointment opens that patient's record."""
        appt = event.row.data
        if isinstance(appt, schedule.AppointmentRow):
            self.app.push_screen(PatientScreen(appt.patient_id))

    # ------------------------------------------------------------- loading

    def reset(self) -> None:
        super().reset()
        self.day = clock.today()
        self.provider_index = None
        self._appointments = []
        self._shown_day = None
        self.list.set_rows([])

    def reload(self) -> None:
        self._render_status(loading=True)
        filt = self.provider_filter
        day = self.day
        provider_ids = None if filt is None else [filt.id]
        with_providers = not self.providers

        def load() -> tuple[schedule.DayView, list[schedule.ProviderColumn] | None]:
            providers = schedule.list_providers() if with_providers else None
            return schedule.day_view(day, provider_ids), providers

        call_service(
            self,
            load,
            on_result=lambda loaded: self._show_day(*loaded),
            group="schedule-load",
            exclusive=True,
            description="schedule day",
        )

    def _show_day(
        self, view: schedule.DayView, providers: list[schedule.ProviderColumn] | None
    ) -> None:
        if providers is not None:
            self.providers = providers
        names = {p.id: p.name for p in [*self.providers, *view.providers]}
        self._appointments = list(view.appointments)
        rows: list[tuple[dt.datetime, int, ListRow]] = [
            (a.start, 1, appointment_row(a)) for a in view.appointments
        ]
        rows += [(b.start, 0, block_row(b, names)) for b in view.blocks]
        rows.sort(key=lambda item: (item[0], item[1]))
        keep = self.list.row_count > 0 and view.day == self._shown_day
        self._shown_day = view.day
        self.list.set_rows([r for _, _, r in rows], keep_cursor=keep)
        if not keep and view.day == clock.today():
            self.list.move_cursor(self._now_index(), near_top=True)
        self._render_status()

    def _now_index(self) -> int:
        """The first appointment not yet over: where the desk's attention is."""
        now = clock.now()
        found = self.list.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.end > now
        )
        return found if found is not None else 0

    def _show_changed(self, updated: schedule.AppointmentRow) -> None:
        index = self.list.index_where(
            lambda d: isinstance(d, schedule.AppointmentRow) and d.id == updated.id
        )
        self._appointments = [updated if a.id == updated.id else a for a in self._appointments]
        if index is not None:
            self.list.replace_row(index, appointment_row(updated))
        self._render_status()

    # -------------------------------------------------------------- status

    def _render_status(self, loading: bool = False) -> None:
        filt = self.provider_filter
        who = "All providers" if filt is None else short_provider(filt.name)
        line = Text(no_wrap=True, end="")
        line.append(long_date(self.day), style="bold")
        if self.day == clock.today():
            line.append(" (today)")
        line.append(f"  {who}  ")
        if loading:
            line.append("loading...", style="dim")
        else:
            counts = Counter(a.status for a in self._appointments)
            booked = counts["booked"] + counts["confirmed"]
            here = counts["arrived"] + counts["roomed"]
            line.append(
                f"{len(self._appointments)}: {booked} booked {here} in "
                f"{counts['completed']} done {counts['no_show']} no-show"
            )
        self.query_one("#schedule-status", Static).update(line)
