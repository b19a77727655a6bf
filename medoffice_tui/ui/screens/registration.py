"""Registering a patient (``n`` on the Patients pane), through a duplicate warning.

The form holds every demographic field and the insurance: a primary coverage and,
optionally, a secondary one (``Insurance 2``). Each field is checked by the service's
rule as the desk leaves it; Enter checks every field (each refusal beside its field,
all of them at once) and then the duplicate check: when the person may
already be on file, :class:`DuplicateWarningScreen` lists who and why; Enter opens the
existing record instead (nothing is saved), ``r`` registers anyway, Esc goes back to the
form with everything typed still there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services import patients
from medoffice_tui.ui.forms import ChoiceField, DateField, FormScreen, TextField
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.patient_forms import (
    LONG_FORM_CSS,
    RELATIONSHIP_OPTIONS,
    FieldChecks,
    demographic_fields,
    payer_field,
)
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

#: the duplicate check's reasons, short enough for one column at 80 wide
SHORT_REASONS = {
    "same last name and date of birth": "last name + DOB",
    "similar name and same date of birth": "similar name + DOB",
    "same phone number": "phone",
}
COVERAGE_NAMES = ("payer_id", "member_id", "group_number", "relationship", "subscriber_first",
                  "subscriber_last", "subscriber_dob")  # fmt: skip
#: the secondary coverage's fields (the service's names for them)
SECONDARY = "secondary_"
SECONDARY_NAMES = tuple(SECONDARY + name for name in COVERAGE_NAMES)


def coverage_fields(
    payers: Sequence[patients.PayerChoice], prefix: str = "", title: str = "Insurance"
) -> ComposeResult:
    """One coverage's fields (``prefix``: ``secondary_`` for the second)."""
    yield payer_field(payers, none="none (self-pay)" if not prefix else "none",
                      name=f"{prefix}payer_id", label=title)  # fmt: skip
    yield TextField(f"{prefix}member_id", "Member id", max_length=40, hint="if insured")
    yield TextField(f"{prefix}group_number", "Group", max_length=40)
    yield ChoiceField(f"{prefix}relationship", "Patient is", RELATIONSHIP_OPTIONS, value="self",
                      hint="the subscriber's")  # fmt: skip
    yield TextField(f"{prefix}subscriber_first", "Subscriber first", max_length=60)
    yield TextField(f"{prefix}subscriber_last", "Subscriber last", max_length=60)
    yield DateField(f"{prefix}subscriber_dob", "Subscriber DOB", past=True)


class RegistrationForm(FieldChecks, FormScreen[Any]):
    """A new patient; dismisses with the new PatientRow, or ("open", id) of an existing one."""

    DEFAULT_CSS = LONG_FORM_CSS.format(name="RegistrationForm")
    FORM_TITLE = "Register a patient"
    SAVE_LABEL = "check and save"

    def __init__(self, payers: Sequence[patients.PayerChoice] = ()) -> None:
        super().__init__()
        self.payers = list(payers)
        self.accepted: list[int] = []
        self._shown: list[int] = []

    def compose_fields(self) -> ComposeResult:
        yield from demographic_fields()
        yield from coverage_fields(self.payers)
        yield from coverage_fields(self.payers, SECONDARY, "Insurance 2")

    def split(
        self, values: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]:
        """(demographics, primary coverage, secondary coverage) from the form's values."""
        fields = {
            k: v for k, v in values.items() if k not in COVERAGE_NAMES and k not in SECONDARY_NAMES
        }
        contact = self.field("preferred_contact")
        if contact is not None and not contact.dirty:
            fields.pop("preferred_contact", None)  # the default follows what was typed

        def coverage(prefix: str) -> dict[str, Any] | None:
            payer = values.get(f"{prefix}payer_id") or ""
            if not str(payer).isdigit():
                return None
            typed = {name: values.get(prefix + name) for name in COVERAGE_NAMES}
            out = {k: v for k, v in typed.items() if v not in ("", None)}
            out["payer_id"] = int(payer)
            out.setdefault("member_id", "")
            return out

        return fields, coverage(""), coverage(SECONDARY)

    def field_rule_error(self, name: str, value: Any) -> InvalidInput | None:
        prefix = SECONDARY if name.startswith(SECONDARY) else ""
        bare = name[len(prefix) :]
        if prefix or bare in COVERAGE_NAMES:
            payer = self.field(f"{prefix}payer_id")
            relationship = self.field(f"{prefix}relationship")
            error = patients.coverage_field_error(
                bare, value, insured=bool(payer and payer.raw().isdigit()),
                relationship=relationship.raw() if relationship else "self",
            )  # fmt: skip
            return InvalidInput(str(error), field=name) if error is not None else None
        return patients.field_error(name, value)

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        fields, coverage, secondary = self.split(values)
        actor = self.app.actor  # type: ignore[attr-defined]
        accepted = list(self.accepted)
        return lambda: patients.register(
            actor, fields, coverage, accept_duplicates=accepted, secondary=secondary
        )

    def show_refusal(self, error: DomainError) -> None:
        if not self.show_field_errors(error):
            super().show_refusal(error)

    def saved(self, result: Any) -> None:
        if result.patient is not None:
            self.dismiss(result.patient)
            return
        self.show_message("This patient may be on file already.", info=True)
        self._shown = [d.id for d in result.duplicates]
        self.app.push_screen(DuplicateWarningScreen(result.duplicates), self._decided)

    def _decided(self, choice: Any) -> None:
        if isinstance(choice, tuple) and choice[0] == "open":
            self.dismiss(choice)
        elif choice == "register":
            self.accepted = list(self._shown)
            self.action_save()
        else:
            self.show_message("Not saved yet: change what you need, then Enter.", info=True)


class DuplicateWarningScreen(QuietFocus, ModalScreen[Any]):
    """Who the new patient may already be, and why; the desk decides."""

    DEFAULT_CSS = """
    DuplicateWarningScreen { align: center middle; background: $background; }
    DuplicateWarningScreen #dup-box {
        width: 78; max-width: 100%; height: auto; border: round $warning; padding: 0 1;
    }
    DuplicateWarningScreen #dup-list { height: 3; }
    DuplicateWarningScreen #dup-keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,o",
            "open",
            "Open it",
            id="duplicates.open",
            tooltip="Open the highlighted record instead (nothing is saved)",
        ),  # fmt: skip
        Binding(
            "r",
            "register",
            "Register anyway",
            id="duplicates.register",
            tooltip="A different person: register the new patient",
        ),  # fmt: skip
        Binding(
            "escape",
            "back",
            "Back",
            id="duplicates.back",
            tooltip="Back to the form (what you typed is kept)",
        ),  # fmt: skip
    ]

    def __init__(self, duplicates: list[patients.DuplicateRow]) -> None:
        super().__init__()
        self.duplicates = duplicates

    def compose(self) -> ComposeResult:
        with Vertical(id="dup-box"):
            yield Static("Possible duplicate: this patient may already be on file",
                         id="dup-title", markup=False)  # fmt: skip
            yield PagedList(
                (Column("Name", flex=1, min_width=14), Column("DOB", 10), Column("MRN", 8),
                 Column("Phone", 14, optional=True), Column("Why", flex=2, min_width=20)),
                id="dup-list",
            )  # fmt: skip
            yield Static("Enter/o: open that record instead   r: register anyway   "
                         "Esc: back to the form", id="dup-keys", markup=False)  # fmt: skip

    def on_mount(self) -> None:
        listing = self.query_one("#dup-list", PagedList)
        listing.set_rows([
            ListRow((d.patient.display_name, us_date(d.patient.dob), d.patient.mrn,
                     d.patient.phone, ", ".join(SHORT_REASONS.get(r, r) for r in d.reasons)),
                    data=d)
            for d in self.duplicates
        ])  # fmt: skip
        listing.styles.height = min(max(len(self.duplicates), 1), 8) + 1
        listing.focus()

    def action_open(self) -> None:
        row = self.query_one("#dup-list", PagedList).current
        if row is not None:
            self.dismiss(("open", row.data.id))

    def action_register(self) -> None:
        self.dismiss("register")

    def action_back(self) -> None:
        self.dismiss(None)

    def on_paged_list_selected(self, event: PagedList.Selected) -> None:
        event.stop()
        self.dismiss(("open", event.row.data.id))
