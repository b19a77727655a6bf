"""Find next available (``f``): the next open slots across the coming 8 weeks, on one screen.

The patient first (optional: type a name, MRN or DOB and pick), then four choices
(provider or any, appointment type, weekday Monday to Sunday, time of day); the list
below answers as each choice changes (``services.schedule.find_slots``: hours, blocks
and booked time, and with a patient picked that patient's other appointments too, so
no slot is offered that the booking would then refuse). Down (or Tab) goes on to the
list, Enter on a slot closes this screen with it, and the schedule opens the booking
form there, the patient already picked.

The first search starts before the screen is shown (``prefetch``, from the schedule),
so its slots are usually there for the screen's first paint instead of a second one;
a choice changed meanwhile starts its own search and the early answer is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui.services import schedule
from medoffice_tui.services.patients import PatientRow
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.forms.fields import ChoiceField, ChoiceInput, Field
from medoffice_tui.ui.forms.patient_picker import PatientPickerField
from medoffice_tui.ui.panes.fmt import hhmm
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.day_grid import TextLine, short_provider
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

COLUMNS = (
    Column("Day", 10),
    Column("Time", 5),
    Column("Provider", flex=1, min_width=12),
    Column("Length", 6, align="right"),
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = [("", "any day"), *[(str(i), name) for i, name in enumerate(_DAYS)]]
TIMES = [("", "any time"), ("morning", "morning"), ("afternoon", "afternoon"),
         ("evening", "evening")]  # fmt: skip


@dataclass(frozen=True)
class FoundSlot:
    """What the screen returns: where to book, and the type chosen for it."""

    slot: schedule.OpenSlot
    appt_type_id: int | None
    patient: PatientRow | None = None


def slot_search(
    provider: str, type_id: int | None, weekday: str, time_of_day: str | None,
    patient_id: int | None,
) -> Callable[[], list[schedule.OpenSlot]]:  # fmt: skip
    """The search for one set of choices (provider and weekday as the choices hold them:
    "" for any)."""

    def find() -> list[schedule.OpenSlot]:
        return schedule.find_slots(
            [int(provider)] if provider else None,
            appt_type_id=type_id,
            weekdays=[int(weekday)] if weekday else None,
            time_of_day=time_of_day,
            limit=60,
            per_provider_day=None if provider else 3,
            patient_id=patient_id,
        )

    return find


def slot_row(slot: schedule.OpenSlot) -> ListRow:
    minutes = int((slot.end - slot.start).total_seconds() // 60)
    return ListRow(
        (
            slot.start.strftime("%a %m/%d"),
            hhmm(slot.start),
            short_provider(slot.provider_name),
            f"{minutes}m",
        ),  # fmt: skip
        data=slot,
    )


class FindSlotScreen(SafeDispatch, QuietFocus, ModalScreen[FoundSlot]):
    """Criteria above, open slots below; Enter books the highlighted one."""

    TITLE = "Find next available"
    DEFAULT_CSS = """
    FindSlotScreen { align: center middle; background: $background; }
    FindSlotScreen #find-box {
        width: 78; max-width: 100%; height: 100%; max-height: 24;
        border: round $primary; padding: 0 1; background: $background;
    }
    FindSlotScreen #find-title { height: 1; text-style: bold; }
    FindSlotScreen #find-status { height: 1; color: $text-muted; }
    FindSlotScreen #find-list { height: 1fr; }
    FindSlotScreen #find-keys { height: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="find.close", tooltip="Close without booking"),
        Binding(
            "tab",
            "next(1)",
            "Next",
            show=False,
            priority=True,
            id="find.next",
            tooltip="Next choice, then the list",
        ),  # fmt: skip
        Binding(
            "shift+tab",
            "next(-1)",
            "Previous",
            show=False,
            priority=True,
            id="find.previous",
            tooltip="Previous choice",
        ),  # fmt: skip
        Binding(
            "down",
            "down",
            "Next",
            show=False,
            id="find.down",
            tooltip="From a choice: the next one, then the slots",
        ),  # fmt: skip
    ]

    def __init__(
        self,
        providers: list[schedule.ProviderColumn],
        types: list[schedule.AppointmentTypeRow],
        *,
        provider_id: int | None = None,
        appt_type_id: int | None = None,
        patient: PatientRow | None = None,
    ) -> None:
        super().__init__()
        self.patient = patient
        self._searched_for: int | None = None
        self.providers = providers
        self.types = types
        self.provider_id = provider_id
        self.appt_type_id = appt_type_id or (types[0].id if types else None)
        #: each search's number: an answer to an older one than the last is dropped
        self._generation = 0
        self._early: list[schedule.OpenSlot] | None = None
        #: the search started before the screen was pushed ended with no answer
        self._prefetch_failed = False

    def prefetch(self, node: Widget) -> None:
        """Start the first search now, on ``node`` (the schedule), before this screen is
        pushed: the initial choices are known from the arguments."""
        self._generation += 1
        generation = self._generation
        patient_id = self._searched_for = self.patient.id if self.patient else None
        find = slot_search(str(self.provider_id or ""), self.appt_type_id, "", None, patient_id)

        answered = [False]

        def arrived(slots: list[schedule.OpenSlot]) -> None:
            answered[0] = True
            if generation != self._generation:
                return  # a choice changed meanwhile: its own search answers
            if self.is_mounted:
                self._show(slots)
            else:
                self._early = slots

        def judge() -> None:
            if answered[0] or generation != self._generation:
                return  # answered, or a newer search answers
            if self.is_mounted:  # no answer came (refused, failed): search again, once
                self.search()
            else:
                self._prefetch_failed = True

        def done() -> None:  # runs before the answer is handed over: judge after it
            node.call_later(judge)

        call_service(node, find, on_result=arrived, on_done=done, group="find-slots-first",
                     description="find next available")  # fmt: skip

    def compose(self) -> ComposeResult:
        with Vertical(id="find-box"):
            yield Static(self.TITLE + ": the next 8 weeks", id="find-title", markup=False)
            yield PatientPickerField("patient", "Patient", include_inactive=True,
                                     picked=self.patient, hint="optional")  # fmt: skip
            yield ChoiceField("provider", "Provider", [("", "any provider"),
                              *[(str(p.id), p.name) for p in self.providers]],
                              value=str(self.provider_id or ""))  # fmt: skip
            yield ChoiceField("appt_type", "Type", [("", "(no type)"), *[
                (str(t.id), f"{t.name} ({t.minutes}m)") for t in self.types]],
                value=str(self.appt_type_id or ""))  # fmt: skip
            yield ChoiceField("weekday", "Weekday", WEEKDAYS)
            yield ChoiceField("time_of_day", "Time of day", TIMES)
            yield TextLine(id="find-status")
            yield PagedList(COLUMNS, empty_text="No open slot in the next 8 weeks",
                            id="find-list")  # fmt: skip
            yield Static("<- -> change a choice   Tab next   Enter book   Esc close",
                         id="find-keys")  # fmt: skip

    def on_mount(self) -> None:
        focus_now(self.picker.input if self.patient is None else self._choices()[1])
        if self._early is not None:
            slots, self._early = self._early, None
            self._show(slots)
        elif self._generation and not self._prefetch_failed:
            self.status.set_text("searching...")  # prefetched: the answer is on its way
        else:
            self.search()

    @property
    def status(self) -> TextLine:
        return self.query_one("#find-status", TextLine)

    @property
    def picker(self) -> PatientPickerField:
        return self.query_one(PatientPickerField)

    def _choices(self) -> list[Widget]:
        """The inputs Tab and Down go through, in order: the patient, then the choices."""
        return [self.picker.input, *self.query(ChoiceInput)]

    @property
    def patient_id(self) -> int | None:
        picked = self.picker.picked
        return picked.id if picked is not None else None

    @property
    def results(self) -> PagedList:
        return self.query_one("#find-list", PagedList)

    def _choice(self, name: str) -> str:
        return self.query_one(f"#input-{name}", ChoiceInput).value

    def search(self) -> None:
        provider = self._choice("provider")
        type_id = int(self._choice("appt_type")) if self._choice("appt_type") else None
        weekday = self._choice("weekday")
        time_of_day = self._choice("time_of_day") or None
        patient_id = self._searched_for = self.patient_id
        self._generation += 1
        self.status.set_text("searching...")
        find = slot_search(provider, type_id, weekday, time_of_day, patient_id)
        call_service(self, find, on_result=self._show, group="find-slots", exclusive=True,
                     description="find next available")  # fmt: skip

    def _show(self, slots: list[schedule.OpenSlot]) -> None:
        self.results.set_rows([slot_row(s) for s in slots])
        first = slots[0].start if slots else None
        when = f"first {first:%a %m/%d %H:%M}" if first else "nothing open"
        also = ", the patient free" if self.patient_id is not None else ""
        self.status.set_text(f"{len(slots)} open slots{also}, {when}")

    @on(Field.Changed)
    def _criteria_changed(self, event: Field.Changed) -> None:
        if event.field.field_name == "patient" and self.patient_id == self._searched_for:
            return  # typing a name: the slots change once a patient is picked (or dropped)
        self.search()

    @on(PatientPickerField.Picked)
    def _patient_picked(self) -> None:
        self.search()

    def action_next(self, step: int) -> None:
        picker = self.picker
        if self.focused is picker.input and step > 0:
            picker.take_highlighted()  # Tab takes the highlighted match, as in a form
        order = [*self._choices(), self.results]
        current = self.focused
        index = next((i for i, w in enumerate(order) if w is current), -1)
        focus_now(order[(index + step) % len(order)])

    def action_down(self) -> None:
        """Down from a choice goes on to the next one, then into the list (which has its
        own Down once it has the cursor)."""
        if isinstance(self.focused, ChoiceInput) or self.focused is self.picker.input:
            self.action_next(1)

    @on(PagedList.AboveTop, "#find-list")
    def _back_to_choices(self) -> None:
        focus_now(self._choices()[-1])

    @on(PagedList.Selected, "#find-list")
    def _chosen(self, event: PagedList.Selected) -> None:
        slot = event.row.data
        if isinstance(slot, schedule.OpenSlot):
            type_id = int(self._choice("appt_type")) if self._choice("appt_type") else None
            self.dismiss(FoundSlot(slot, type_id, self.picker.picked))

    def action_close(self) -> None:
        self.dismiss(None)
