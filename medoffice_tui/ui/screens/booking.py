"""Booking and moving an appointment: one form each, the rules all in the service.

The booking form opens prefilled from where the cursor was (provider, day, time);
the patient comes from the instant patient picker; the type sets the default length.
Enter books. What the service refuses is shown beside the field it names, and:

- outside the provider's hours or in a block (``NeedsOverbook``): a role that may
  overbook is asked once ("book it as an overbook?"), then gives the reason in a field
  that appears for it; any other role is told which role may;
- an inactive record (``PatientInactive``): the picker finds inactive records too
  (marked "inactive"), and the desk is asked once whether to reactivate it (a role
  that may edit records); a merged record is refused (book the surviving one);
- the time was just taken (``SlotTaken``): said beside the time, and the grid behind
  is refreshed (``on_taken``), so the desk picks another time without losing the form.

The move form is the same without the patient: day, time, provider and length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from medoffice_tui.errors import DomainError, InvalidInput, SlotTaken
from medoffice_tui.services import dates, schedule
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.patients import PatientRow
from medoffice_tui.ui.focus import focus_now, hold_keys, release_keys
from medoffice_tui.ui.forms import (
    ChoiceField,
    ConfirmScreen,
    Field,
    FormScreen,
    TextField,
    TimeField,
)
from medoffice_tui.ui.forms.patient_picker import PatientPickerField
from medoffice_tui.ui.panes.fmt import long_date


class DayField(Field["dt.date | None"]):
    """A day typed forgivingly (``tue``, ``next tue``, ``+2w``, ``12/1``), through
    ``services.dates.parse_day``; shows how it was read when the cursor leaves it."""

    def __init__(self, name: str, label: str, *, future: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "t, tue, +2w, 12/1")
        super().__init__(name, label, **kwargs)
        self.future = future

    def parse(self, text: str) -> dt.date | None:
        if not text:
            return None
        return dates.parse_day(text, future=self.future, field=self.field_name)

    @on(Input.Blurred)
    def _show_reading(self) -> None:
        text = self.raw().strip()
        if not text:
            self.set_hint(self.hint)
            return
        try:
            day = self.parse(text)
        except InvalidInput as error:
            self.set_error(str(error))
            return
        if day is not None:
            self.set_hint(long_date(day))


def _day_text(day: dt.date) -> str:
    return day.strftime("%m/%d/%Y")


def _start(values: dict[str, Any]) -> dt.datetime:
    day, time = values.get("day"), values.get("start")
    if day is None:
        raise InvalidInput("enter a day", field="day")
    if time is None:
        raise InvalidInput("enter a time", field="start")
    return dt.datetime.combine(day, time)


def _minutes(values: dict[str, Any]) -> int | None:
    text = (values.get("minutes") or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput("the length is a number of minutes", field="minutes")
    return int(text)


class _ScheduleForm(FormScreen[schedule.AppointmentRow]):
    """What booking and moving share: the overbook step, SlotTaken refreshing the grid."""

    DEFAULT_CSS = """
    _ScheduleForm #overbook-note { height: auto; color: $warning; }
    """

    def __init__(
        self,
        actor: Actor,
        providers: list[schedule.ProviderColumn],
        *,
        on_taken: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.actor = actor
        self.providers = providers
        self.on_taken = on_taken
        self.overbook = False

    def provider_choices(self) -> list[tuple[str, str]]:
        return [(str(p.id), p.name) for p in self.providers]

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, schedule.NeedsOverbook) and error.may_overbook and not self.overbook:
            self.app.push_screen(
                ConfirmScreen(f"{error}. Book it as an overbook?", yes="overbook", no="no"),
                self._overbook_answer,
            )
            return
        super().show_refusal(error)
        if isinstance(error, SlotTaken) and self.on_taken is not None:
            self.on_taken()  # the grid behind shows who has the time now

    def _overbook_answer(self, yes: bool | None) -> None:
        if not yes:
            self.show_message("Not booked: choose a time inside the provider's hours.")
            return
        self.overbook = True
        hold_keys(self, "overbook-reason")  # what is typed next is the reason
        self.call_later(self._add_reason_field)

    async def _add_reason_field(self) -> None:
        try:
            field = TextField("overbook_reason", "Overbook reason", required=True,
                              max_length=200, hint="why it cannot wait")  # fmt: skip
            await self.query_one("#form-fields").mount(field)
            focus_now(field.input)
            self.show_message("An overbook: give its reason, then Enter.", info=True)
        finally:
            release_keys(self, "overbook-reason")

    def overbook_values(self, values: dict[str, Any]) -> dict[str, Any]:
        if not self.overbook:
            return {}
        return {"overbook": True, "overbook_reason": values.get("overbook_reason", "")}


class BookingForm(_ScheduleForm):
    """Book a visit: patient, provider, day, time, type, length, reason."""

    FORM_TITLE = "Book an appointment"
    SAVE_LABEL = "book"

    def __init__(
        self,
        actor: Actor,
        providers: list[schedule.ProviderColumn],
        types: list[schedule.AppointmentTypeRow],
        *,
        provider_id: int | None = None,
        start: dt.datetime | None = None,
        appt_type_id: int | None = None,
        patient: PatientRow | None = None,
        on_taken: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(actor, providers, on_taken=on_taken)
        self.patient = patient
        self.types = types
        self.provider_id = provider_id
        self.start = start
        self.appt_type_id = appt_type_id
        self.reactivate = False
        self._minutes_typed = False

    def _type_minutes(self, type_id: str) -> str:
        for t in self.types:
            if str(t.id) == type_id:
                return str(t.minutes)
        return ""

    def compose_fields(self) -> ComposeResult:
        start = self.start
        type_value = str(self.appt_type_id) if self.appt_type_id else ""
        yield PatientPickerField("patient", "Patient", required=True, include_inactive=True,
                                 picked=self.patient)  # fmt: skip
        yield ChoiceField("provider", "Provider", self.provider_choices(),
                          value=str(self.provider_id or ""))  # fmt: skip
        yield DayField("day", "Day", future=True, value=_day_text(start) if start else "",
                       required=True)  # fmt: skip
        yield TimeField("start", "Time", value=start.strftime("%H:%M") if start else "",
                        required=True)  # fmt: skip
        yield ChoiceField("appt_type", "Type", [("", "(no type)"), *[(str(t.id), t.name)
                          for t in self.types]], value=type_value)  # fmt: skip
        yield TextField("minutes", "Length", value=self._type_minutes(type_value),
                        hint="minutes", max_length=3)  # fmt: skip
        yield TextField("reason", "Reason", max_length=200)

    @on(Field.Changed)
    def _field_changed(self, event: Field.Changed) -> None:
        name = event.field.field_name
        if name == "minutes" and event.field.has_focus_within:
            self._minutes_typed = True
        elif name == "appt_type" and not self._minutes_typed:
            minutes = self.field("minutes")
            if minutes is not None:
                minutes.set_raw(self._type_minutes(event.field.raw()))

    def save_call(self, values: dict[str, Any]) -> Callable[[], schedule.AppointmentRow]:
        actor = self.actor
        start = _start(values)
        minutes = _minutes(values)
        type_id = int(values["appt_type"]) if values.get("appt_type") else None
        kwargs = {**self.overbook_values(values), "reactivate": self.reactivate}
        patient, provider = values["patient"], int(values["provider"])
        reason = values.get("reason", "")
        return lambda: schedule.book_appointment(
            actor, patient, provider, start, minutes, type_id, reason, **kwargs
        )

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, schedule.PatientInactive) and self.actor.may("patient.edit"):
            self.app.push_screen(
                ConfirmScreen(
                    "This patient's record is inactive. Reactivate it and book?",
                    yes="reactivate and book",
                    no="no",
                ),  # fmt: skip
                self._reactivate_answer,
            )
            return
        super().show_refusal(error)

    def _reactivate_answer(self, yes: bool | None) -> None:
        if yes:
            self.reactivate = True
            self.action_save()
        else:
            self.show_message("Not booked: the record stays inactive.")


class MoveForm(_ScheduleForm):
    """Move a booked or confirmed visit to another day, time, provider or length."""

    FORM_TITLE = "Move the appointment"
    SAVE_LABEL = "move"

    def __init__(
        self,
        actor: Actor,
        providers: list[schedule.ProviderColumn],
        appointment: schedule.AppointmentRow,
        *,
        on_taken: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(actor, providers, on_taken=on_taken)
        self.appointment = appointment

    def form_title(self) -> str:
        a = self.appointment
        return f"Move {a.patient_name}: {long_date(a.start.date())} {a.start:%H:%M}"

    def compose_fields(self) -> ComposeResult:
        a = self.appointment
        yield Static(f"now with {a.provider_name}, {a.minutes} minutes", id="move-from",
                     markup=False)  # fmt: skip
        yield DayField("day", "Day", future=True, value=_day_text(a.start.date()), required=True)
        yield TimeField("start", "Time", value=a.start.strftime("%H:%M"), required=True)
        yield ChoiceField("provider", "Provider", self.provider_choices(), value=str(a.provider_id))
        yield TextField("minutes", "Length", value=str(a.minutes), hint="minutes", max_length=3)

    def save_call(self, values: dict[str, Any]) -> Callable[[], schedule.AppointmentRow]:
        actor, a = self.actor, self.appointment
        start = _start(values)
        minutes = _minutes(values)
        provider = int(values["provider"])
        extra = self.overbook_values(values)
        return lambda: schedule.move_appointment(
            actor, a.id, a.version, start, provider, minutes, **extra
        )
