"""The confirmation list (``R`` on the schedule): who to call for a day, one key per outcome.

Opens on the next working day. Each row is a visit not yet confirmed, with the
patient's preferred contact and the number to call. ``c`` confirmed (the visit
becomes confirmed and leaves the list), ``l`` left a message, ``n`` no answer, ``w``
wrong number: kept on the appointment with the time and who called. ``x`` writes
the list as CSV to a new owner-only file (``medoffice schedule reminders`` does the
same from the command line). ``[`` / ``]`` change the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget

from medoffice_tui.errors import DomainError, StaleEdit
from medoffice_tui.services import schedule
from medoffice_tui.services.actor import Actor
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.forms import FormScreen, TextField
from medoffice_tui.ui.panes.fmt import hhmm, long_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service, notify_refusal
from medoffice_tui.ui.widgets.day_grid import TextLine, short_provider
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

COLUMNS = (
    Column("Time", 5),
    Column("Provider", 10, flex=1, min_width=9),
    Column("Patient", flex=3, min_width=14),
    Column("Via", 6),
    Column("Phone", 14),
    Column("Call", 16),
)
OUTCOME_STYLE = {"": "", "confirmed": "ok", "left_message": "info", "no_answer": "warn",
                 "wrong_number": "bad"}  # fmt: skip


def reminder_row(row: schedule.ReminderRow) -> ListRow:
    outcome = row.outcome_words
    if row.outcome_at is not None:
        outcome = f"{outcome} {row.outcome_at:%H:%M}"
    return ListRow(
        (
            hhmm(row.start),
            short_provider(row.provider_name),
            row.patient_name,
            row.contact,
            row.phone or row.email,
            outcome,
        ),  # fmt: skip
        data=row,
        cell_styles={5: OUTCOME_STYLE.get(row.outcome, "")},
    )


class ExportForm(FormScreen[int]):
    """Where to write the list as CSV (a new file, created owner-only)."""

    FORM_TITLE = "Export the confirmation list as CSV"
    SAVE_LABEL = "export"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, day: dt.date) -> None:
        super().__init__()
        self.actor = actor
        self.day = day

    def compose_fields(self) -> ComposeResult:
        default = Path.home() / f"confirmations-{self.day.isoformat()}.csv"
        yield TextField("path", "File", value=str(default), required=True, max_length=400)

    def save_call(self, values: dict[str, Any]) -> Callable[[], int]:
        actor, day, path = self.actor, self.day, Path(values["path"]).expanduser()
        return lambda: schedule.export_confirmation_list(actor, day, path)


class RemindersScreen(SafeDispatch, QuietFocus, Screen[None]):
    """The day's confirmation calls."""

    TITLE = "Confirmation calls"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "outcome('confirmed')",
            "Confirmed",
            id="calls.confirmed",
            tooltip="They confirmed: the visit is confirmed",
        ),  # fmt: skip
        Binding(
            "l",
            "outcome('left_message')",
            "Left msg",
            id="calls.left-message",
            tooltip="Left a message",
        ),  # fmt: skip
        Binding(
            "n", "outcome('no_answer')", "No answer", id="calls.no-answer", tooltip="No answer"
        ),  # fmt: skip
        Binding(
            "w",
            "outcome('wrong_number')",
            "Wrong no.",
            id="calls.wrong-number",
            tooltip="Wrong number",
        ),  # fmt: skip
        Binding("x", "export", "Export", id="calls.export", tooltip="Export the list as CSV"),
        Binding(
            "left_square_bracket",
            "day(-1)",
            "Day",
            key_display="[ ]",
            id="calls.prev-day",
            tooltip="Previous day",
        ),  # fmt: skip
        Binding(
            "right_square_bracket",
            "day(1)",
            "Next day",
            show=False,
            id="calls.next-day",
            tooltip="Next day",
        ),  # fmt: skip
        Binding("ctrl+r", "reload", "Reload", show=False, id="calls.reload", tooltip="Reload"),
        Binding("escape", "close", "Back", id="calls.close", tooltip="Back to the schedule"),
    ]

    def __init__(self, actor: Actor, day: dt.date | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.day = day
        self._rows: list[schedule.ReminderRow] = []
        #: outcomes recorded here (the schedule behind reloads on close only if any)
        self.calls_made = 0
        self._early: tuple[dt.date, list[schedule.ReminderRow]] | None = None
        self._prefetching = False

    def prefetch(self, node: Widget) -> None:
        """Read the list now, on ``node`` (the schedule), before this screen is pushed:
        the calls then arrive with the screen's first paint instead of a second one."""
        self._prefetching = True

        def arrived(loaded: tuple[dt.date, list[schedule.ReminderRow]]) -> None:
            if not self._prefetching:
                return  # the desk asked for another day meanwhile
            self._prefetching = False
            if self.is_mounted:
                self._show(loaded)
            else:
                self._early = loaded

        def judge() -> None:
            if self._prefetching:  # no answer came (refused, failed): read it once shown
                self._prefetching = False
                if self.is_mounted:
                    self.reload()

        def done() -> None:  # runs before the answer is handed over: judge after it
            node.call_later(judge)

        call_service(node, self._load_call(), on_result=arrived, on_done=done,
                     group="calls-first", description="confirmation list")  # fmt: skip

    def compose(self) -> ComposeResult:
        yield TextLine(id="calls-status", classes="pane-status")
        yield PagedList(COLUMNS, empty_text="Nobody left to call for this day", id="calls-list")
        yield KeyLine()

    @property
    def list(self) -> PagedList:
        return self.query_one("#calls-list", PagedList)

    def on_mount(self) -> None:
        focus_now(self.list)
        if self._early is not None:
            loaded, self._early = self._early, None
            self._show(loaded)
        elif not self._prefetching:
            self.reload()

    def _load_call(self) -> Callable[[], tuple[dt.date, list[schedule.ReminderRow]]]:
        actor, day = self.actor, self.day

        def load() -> tuple[dt.date, list[schedule.ReminderRow]]:
            target = day or schedule.next_working_day()
            return target, schedule.confirmation_list(actor, target)

        return load

    def reload(self) -> None:
        self._prefetching = False  # a newer read replaces the early one
        call_service(self, self._load_call(), on_result=self._show, group="calls-load",
                     exclusive=True, description="confirmation list")  # fmt: skip

    def _show(self, loaded: tuple[dt.date, list[schedule.ReminderRow]]) -> None:
        self.day, self._rows = loaded
        self.list.set_rows([reminder_row(r) for r in self._rows], keep_cursor=True)
        self._status()

    def _status(self) -> None:
        called = sum(1 for r in self._rows if r.outcome)
        day = self.day or dt.date.today()
        self.query_one("#calls-status", TextLine).set_text(
            f"Confirmation calls for {long_date(day)}: {len(self._rows)} not yet confirmed, "
            f"{called} called"
        )

    def action_day(self, delta: int) -> None:
        if self.day is not None:
            self.day += dt.timedelta(days=delta)
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_outcome(self, outcome: str) -> None:
        row = self.list.current
        if row is None or not isinstance(row.data, schedule.ReminderRow):
            return
        target = row.data
        actor = self.actor

        def prepare() -> Callable[[], schedule.AppointmentRow] | None:
            current = next((r for r in self._rows if r.appointment_id == target.appointment_id),
                           None)  # fmt: skip
            if current is None:
                return None
            version = current.version
            return lambda: schedule.record_call(actor, current.appointment_id, version, outcome)

        call_service(self, prepare=prepare, key=f"appointment:{target.appointment_id}",
                     on_result=self._called, on_error=self._refused,
                     description="confirmation call")  # fmt: skip

    def _called(self, updated: schedule.AppointmentRow) -> None:
        self.calls_made += 1
        self.reload()  # a confirmed visit leaves the list; an outcome shows its time
        if self.list.cursor_row + 1 < self.list.row_count and updated.status != "confirmed":
            self.list.move_cursor(self.list.cursor_row + 1)  # on to the next call

    def _refused(self, error: DomainError) -> None:
        notify_refusal(self, error)
        if isinstance(error, StaleEdit):
            self.reload()

    def action_export(self) -> None:
        if self.day is None:
            return
        self.app.push_screen(ExportForm(self.actor, self.day), self._exported)

    def _exported(self, count: int | None) -> None:
        if count is not None:
            self.notify(f"Exported {count} appointments (owner-only file)", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(PagedList.Selected, "#calls-list")
    def _enter(self) -> None:
        """Enter does nothing here: the outcome keys say what the call came to."""
