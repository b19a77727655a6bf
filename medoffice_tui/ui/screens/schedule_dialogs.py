"""The schedule's small dialogs: go to a date, cancel with a reason, check-in essentials,
an appointment's history.

Each is one screen the desk answers with a key or two; none runs a query of its own
on the UI thread (the check-in essentials and the history arrive already loaded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import schedule
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.text import display
from medoffice_tui.ui.forms import ChoiceField, FormScreen, TextField
from medoffice_tui.ui.panes.fmt import long_date, words
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.booking import DayField

OTHER = "other"


class GoToDateForm(FormScreen[dt.date]):
    """``g``: a day typed forgivingly; Enter goes there."""

    FORM_TITLE = "Go to a day"
    SAVE_LABEL = "go"
    CONFIRM_DISCARD = False

    def compose_fields(self) -> ComposeResult:
        yield DayField("day", "Day", required=True, hint="t, tue, next tue, +2w, 12/1")

    def save_call(self, values: dict[str, Any]) -> Callable[[], dt.date]:
        day = values["day"]
        return lambda: day


class CancelForm(FormScreen[schedule.AppointmentRow]):
    """``x``: cancel one appointment, with a reason from the short list or in words."""

    SAVE_LABEL = "cancel the appointment"

    def on_mount(self) -> None:
        keys = self.query_one("#form-keys", Static)
        keys.update("Enter cancel the appointment   Esc keep it   Tab next field")

    def __init__(self, actor: Actor, appointment: schedule.AppointmentRow) -> None:
        super().__init__()
        self.actor = actor
        self.appointment = appointment

    def form_title(self) -> str:
        a = self.appointment
        return f"Cancel {a.patient_name}, {long_date(a.start.date())} {a.start:%H:%M}?"

    def compose_fields(self) -> ComposeResult:
        choices = [(r, r) for r in schedule.CANCEL_REASONS] + [(OTHER, "Other (say why)")]
        yield ChoiceField("choice", "Reason", choices)
        yield TextField("details", "In words", max_length=200, hint="for Other, or more")

    def save_call(self, values: dict[str, Any]) -> Callable[[], schedule.AppointmentRow]:
        details = values.get("details", "")
        if values["choice"] == OTHER:
            if not details:
                raise InvalidInput("say why it is cancelled", field="details")
            reason = details
        else:
            reason = values["choice"] + (f": {details}" if details else "")
        actor, a = self.actor, self.appointment
        return lambda: schedule.set_status(actor, a.id, "cancelled", a.version, reason=reason)


class _InfoScreen(SafeDispatch, QuietFocus, ModalScreen[None]):
    """A box of lines; Enter or Esc closes it."""

    DEFAULT_CSS = """
    _InfoScreen { align: center middle; background: $background; }
    _InfoScreen #info-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1;
    }
    _InfoScreen #info-title { text-style: bold; margin-bottom: 1; }
    _InfoScreen #info-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="info.close", tooltip="Close"),
    ]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="info-box"):
            yield Static(display(self.title_text), id="info-title", markup=False)
            yield Static(self.body, id="info-body")
            yield Static("Enter or Esc: close", id="info-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class CheckInScreen(_InfoScreen):
    """After ``i``: what to ask for before the patient sits down."""

    TITLE = "Check-in"

    def __init__(self, essentials: schedule.CheckInEssentials) -> None:
        body = Text()
        for n, item in enumerate(essentials.items):
            if n:
                body.append("\n")
            mark = "! " if item.attention else "  "
            body.append(mark, style="bold yellow" if item.attention else "")
            body.append(f"{item.label:<12}", style="bold")
            body.append(display(item.text))
        todo = len(essentials.needs_attention)
        body.append(f"\n\n{todo} thing{'s' if todo != 1 else ''} to ask for" if todo
                    else "\n\nNothing to ask for")  # fmt: skip
        title = f"Checked in: {essentials.patient_name} ({essentials.mrn})"
        super().__init__(title, body)


def history_line(row: schedule.HistoryRow) -> str:
    when = row.at.strftime("%m/%d %H:%M")
    who = row.by or "?"
    if row.kind == "booked":
        what = f"booked for {row.to_start:%m/%d %H:%M} with {row.to_provider}"
    elif row.kind == "moved":
        what = (f"moved from {row.from_start:%m/%d %H:%M} {row.from_provider} "
                f"to {row.to_start:%m/%d %H:%M} {row.to_provider}")  # fmt: skip
    elif row.kind == "undo":
        what = f"undid {words(row.from_status)}: back to {words(row.to_status)}"
    elif row.kind == "reminder":
        what = f"called: {schedule.OUTCOME_WORDS.get(row.detail, row.detail)}"
    else:
        what = f"{words(row.from_status)} -> {words(row.to_status)}"
    detail = f" ({row.detail})" if row.detail and row.kind not in ("reminder",) else ""
    return f"{when}  {who}: {what}{detail}"


class HistoryScreen(_InfoScreen):
    """``h``: everything that happened to one appointment, oldest first."""

    TITLE = "Appointment history"

    def __init__(self, appointment: schedule.AppointmentRow, rows: list[schedule.HistoryRow]):
        body = Text()
        for n, row in enumerate(rows):
            body.append(("\n" if n else "") + display(history_line(row)))
        if not rows:
            body.append("No history kept for this appointment (booked before history was).")
        a = appointment
        title = f"History: {a.patient_name}, {long_date(a.start.date())} {a.start:%H:%M}"
        super().__init__(title, body)
