"""The record's section forms: demographics, a coverage, an allergy, a vitals set, a note.

Each is a ``FormScreen``: Enter saves, Esc asks before dropping typed input, a refusal
naming a field is shown beside it. A field is checked by the service's own rule as the
desk leaves it (``FieldChecks``), and a save refused for several fields marks every
one of them at once. When another desk saved the same section first the
save is refused (``SectionStaleEdit``): the form says who changed which fields, shows
the value now on file beside each of them, and keeps this desk's typed values; Enter
then saves them over the new version, knowingly. Nothing is ever overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services import patients
from medoffice_tui.services.money import format_money
from medoffice_tui.services.text import display
from medoffice_tui.ui.forms import (
    ChoiceField,
    DateField,
    Field,
    FormScreen,
    MoneyField,
    PhoneField,
    TextField,
)
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.service_call import call_service

SEX_OPTIONS = [("U", "unknown"), ("F", "female"), ("M", "male"), ("X", "non-binary/other")]
CONTACT_OPTIONS = [("mobile", "cell phone"), ("home", "home phone"), ("work", "work phone"),
                   ("email", "email"), ("mail", "mail")]  # fmt: skip
RELATIONSHIP_OPTIONS = [("self", "self"), ("spouse", "spouse"), ("child", "child"),
                        ("other", "other")]  # fmt: skip
RANK_OPTIONS = [("1", "primary"), ("2", "secondary"), ("3", "tertiary")]
SEVERITY_OPTIONS = [(s, s) for s in ("unknown", "mild", "moderate", "severe")]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return us_date(value)
    return str(value)


def demographic_fields(values: dict[str, Any] | None = None) -> list[Field[Any]]:
    """Every demographic field, in the order a registration asks for them."""
    v = values or {}

    def text(name: str, label: str, max_length: int, **kw: Any) -> TextField:
        return TextField(name, label, value=_text(v.get(name)), max_length=max_length, **kw)

    def phone(name: str, label: str) -> PhoneField:
        return PhoneField(name, label, value=_text(v.get(name)))

    return [
        text("last_name", "Last name", 60, required=True),
        text("first_name", "First name", 60, required=True),
        text("middle_name", "Middle name", 60),
        text("suffix", "Suffix", 10, hint="Jr, III"),
        text("preferred_name", "Preferred name", 60),
        DateField("dob", "Date of birth", past=True, value=_text(v.get("dob")), required=True),
        ChoiceField("sex", "Sex", SEX_OPTIONS, value=v.get("sex") or "U"),
        phone("phone_mobile", "Cell phone"),
        phone("phone_home", "Home phone"),
        phone("phone_work", "Work phone"),
        ChoiceField(
            "preferred_contact",
            "Contact by",
            CONTACT_OPTIONS,
            value=v.get("preferred_contact") or "mobile",
        ),  # fmt: skip
        text("email", "Email", 120),
        text("address1", "Address", 120),
        text("address2", "Address 2", 120),
        text("city", "City", 60),
        text("state", "State", 20, hint="IL"),
        text("zip", "ZIP", 10, hint="60613"),
        text("preferred_language", "Language", 40, hint="English"),
        text("emergency_name", "Emergency name", 120),
        text("emergency_relationship", "  relationship", 30, hint="spouse"),
        phone("emergency_phone", "  phone"),
        text("ssn_last4", "SSN last 4", 4),
    ]


#: long forms keep the message and key lines inside 24 rows (their fields scroll)
LONG_FORM_CSS = """
{name} #form-fields {{ max-height: 14; }}
{name} #form-title {{ margin-bottom: 0; }}
"""


class FieldChecks:
    """For a FormScreen: each field checked by its service rule as the desk leaves it
    (the error beside it at once, not only on Enter), and a refusal naming several fields
    (``patients.FieldErrors``) shown beside each of them."""

    def field_rule_error(self, name: str, value: Any) -> InvalidInput | None:
        """What the service's rule for ``name`` refuses in ``value`` (None: fine)."""
        return patients.field_error(name, value)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """A field left: its rule checked (a mixin: Textual finds it by this name)."""
        item = next((a for a in event.input.ancestors if isinstance(a, Field)), None)
        if item is None or not item.is_attached or not item.raw().strip():
            return  # blank: a required field is reported on save
        try:
            value = item.value()
        except InvalidInput:
            return  # the field's own shape check says so
        try:
            error = self.field_rule_error(item.field_name, value)
        except DomainError as refused:  # a rule that cannot run now: leave it to the save
            error = refused if isinstance(refused, InvalidInput) else None
        if error is not None:
            item.set_error(str(error))

    def read_values(self) -> dict[str, Any] | None:
        """As the form reads them; when a field's shape is wrong (the save stops there),
        the other fields' rules are checked too, so every bad field is marked at once."""
        values = super().read_values()  # type: ignore[misc]
        if values is None:
            form: Any = self
            for item in form.fields:
                if item.has_class("-invalid") or not item.raw().strip():
                    continue
                try:
                    error = self.field_rule_error(item.field_name, item.value())
                except DomainError:
                    continue
                if error is not None:
                    item.set_error(str(error))
        return values

    def show_field_errors(self, error: DomainError) -> bool:
        """Mark every field a refusal names; True when it named several (shown here)."""
        if not isinstance(error, patients.FieldErrors):
            return False
        form: Any = self
        first: Field[Any] | None = None
        elsewhere = []
        for one in error.errors:
            target = form.field(one.field) if one.field else None
            if target is None:
                elsewhere.append(str(one))
                continue
            target.set_error(str(one))
            first = first or target
        if first is not None:
            first.focus_input()
        marked = len(error.errors) - len(elsewhere)
        form.show_message(
            " ".join([f"Please correct the {marked} marked fields." if marked else "", *elsewhere])
        )
        return True


class SectionForm(FieldChecks, FormScreen[Any]):
    """A form that saves one section of one record against the version it read."""

    DEFAULT_CSS = LONG_FORM_CSS.format(name="SectionForm")

    SECTION_FIELDS: Sequence[str] = ()

    def __init__(self, detail: patients.PatientDetail) -> None:
        super().__init__()
        self.detail = detail
        self.patient_id = detail.id
        self.expected_version = 1

    @property
    def actor(self) -> Any:
        return self.app.actor  # type: ignore[attr-defined]

    def changed_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {f.field_name: values[f.field_name] for f in self.fields if f.dirty}

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, patients.SectionStaleEdit):
            self.expected_version = error.current_version
            self.show_message(
                f"{error} Your values are kept: look at the marked fields, then Enter "
                "saves yours over it (Esc drops them)."
            )
            for name in error.changed_fields:
                item = self.field(name)
                if item is not None:
                    item.set_hint("changed")
            self.fetch_current(error.changed_fields)
            return
        if self.show_field_errors(error):
            return
        super().show_refusal(error)

    def fetch_current(self, names: Iterable[str]) -> None:
        """Show the value now on file beside each field another desk changed."""
        names = [n for n in names if self.field(n) is not None]
        if not names:
            return
        actor, patient_id = self.actor, self.patient_id
        call_service(
            self,
            lambda: patients.get_patient(actor, patient_id),
            on_result=lambda detail: self._show_current(detail, names),
            description="record re-read after a refused save",
        )

    def _show_current(self, detail: Any, names: list[str]) -> None:
        for name in names:
            item = self.field(name)
            if item is not None:
                now = self.current_value(detail, name)
                item.set_hint(f"now: {display(_text(now))[:22] or '(blank)'}")

    def current_value(self, detail: Any, name: str) -> Any:
        return getattr(detail, name, "")


class DemographicsForm(SectionForm):
    FORM_TITLE = "Edit demographics"

    def __init__(self, detail: patients.PatientDetail) -> None:
        super().__init__(detail)
        self.expected_version = detail.version
        self.initial = {f.field_name: getattr(detail, f.field_name, "")
                        for f in demographic_fields()}  # fmt: skip

    def form_title(self) -> str:
        return f"Edit demographics: {display(self.detail.display_name)}  {self.detail.mrn}"

    def compose_fields(self) -> ComposeResult:
        yield from demographic_fields(self.initial)

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        changed = self.changed_values(values)
        if not changed:
            return lambda: None
        read = {name: self.initial.get(name) for name in changed}
        actor, pid, version = self.actor, self.patient_id, self.expected_version
        return lambda: patients.update_patient(actor, pid, version, read=read, **changed)

    def saved(self, result: Any) -> None:
        self.dismiss(result if result is not None else None)


class CoverageForm(SectionForm):
    """Add a coverage (``coverage`` None) or change one."""

    def __init__(
        self,
        detail: patients.PatientDetail,
        coverage: Any | None,
        payers: Sequence[patients.PayerChoice],
    ) -> None:
        super().__init__(detail)
        self.coverage = coverage
        self.payers = list(payers)
        if coverage is not None:
            self.expected_version = coverage.version

    def form_title(self) -> str:
        what = "Change coverage" if self.coverage is not None else "Add a coverage"
        return f"{what}: {display(self.detail.display_name)}"

    def compose_fields(self) -> ComposeResult:
        c = self.coverage
        rank = str(c.rank) if c is not None else str(self._free_rank())
        yield payer_field(self.payers, str(c.payer_id) if c is not None else "")
        yield ChoiceField("rank", "Rank", RANK_OPTIONS, value=rank)
        yield TextField("member_id", "Member id", value=c.member_id if c else "", max_length=40,
                        required=True)  # fmt: skip
        yield TextField("group_number", "Group", value=c.group_number if c else "", max_length=40)
        relationship = c.relationship if c else "self"
        yield ChoiceField("relationship", "Patient is", RELATIONSHIP_OPTIONS, value=relationship,
                          hint="the subscriber's")  # fmt: skip
        yield TextField("subscriber_first", "Subscriber first",
                        value=c.subscriber_first if c else "", max_length=60)  # fmt: skip
        yield TextField("subscriber_last", "Subscriber last",
                        value=c.subscriber_last if c else "", max_length=60)  # fmt: skip
        yield DateField("subscriber_dob", "Subscriber DOB", past=True,
                        value=_text(c.subscriber_dob) if c else "")  # fmt: skip
        yield MoneyField("copay_cents", "Copay", cents=c.copay_cents if c else None)
        yield DateField("effective_from", "Effective from",
                        value=_text(c.effective_from) if c else "")  # fmt: skip
        yield DateField("effective_to", "Effective to", value=_text(c.effective_to) if c else "")
        yield DateField("eligibility_checked_on", "Elig. checked", past=True,
                        value=_text(c.eligibility_checked_on) if c else "",
                        hint="t = today")  # fmt: skip

    def field_rule_error(self, name: str, value: Any) -> InvalidInput | None:
        relationship = self.field("relationship")
        return patients.coverage_field_error(
            name, value, relationship=relationship.raw() if relationship else "self"
        )

    def _free_rank(self) -> int:
        taken = {c.rank for c in self.detail.coverages}
        return next((r for r in (1, 2, 3) if r not in taken), 1)

    def _values(self, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        payer = out.get("payer_id") or ""
        out["payer_id"] = int(payer) if str(payer).isdigit() else None
        out["rank"] = int(out.get("rank") or 1)
        if out.get("copay_cents") is None:
            out["copay_cents"] = 0
        return out

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, pid = self.actor, self.patient_id
        typed = self._values(values)
        if self.coverage is None:
            return lambda: patients.add_coverage(actor, pid, **typed)
        changed = {k: typed[k] for k in self.changed_values(values)}
        cid, version = self.coverage.id, self.expected_version
        read = {k: getattr(self.coverage, k, None) for k in changed}
        return lambda: patients.update_coverage(actor, cid, version, read=read, **changed)

    def current_value(self, detail: Any, name: str) -> Any:
        for cov in detail.coverages:
            if self.coverage is not None and cov.id == self.coverage.id:
                return getattr(cov, name, "")
        return ""


class AllergyForm(SectionForm):
    def __init__(self, detail: patients.PatientDetail, allergy: Any | None) -> None:
        super().__init__(detail)
        self.allergy = allergy
        if allergy is not None:
            self.expected_version = allergy.version

    def form_title(self) -> str:
        what = "Change allergy" if self.allergy is not None else "Add an allergy"
        return f"{what}: {display(self.detail.display_name)}"

    def compose_fields(self) -> ComposeResult:
        a = self.allergy
        yield TextField("substance", "Allergic to", value=a.substance if a else "",
                        max_length=120, required=True, hint="penicillin")  # fmt: skip
        yield TextField("reaction", "Reaction", value=a.reaction if a else "", max_length=120,
                        hint="hives")  # fmt: skip
        yield ChoiceField("severity", "Severity", SEVERITY_OPTIONS,
                          value=a.severity if a else "unknown")  # fmt: skip
        yield DateField("noted_on", "Noted on", past=True, value=_text(a.noted_on) if a else "",
                        hint="blank = today")  # fmt: skip

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, pid = self.actor, self.patient_id
        if self.allergy is None:
            return lambda: patients.add_allergy(actor, pid, **values)
        changed = self.changed_values(values)
        aid, version = self.allergy.id, self.expected_version
        read = {k: getattr(self.allergy, k, None) for k in changed}
        return lambda: patients.update_allergy(actor, aid, version, read=read, **changed)


class VitalsForm(SectionForm):
    """One set of vitals; the BMI is shown as weight and height are typed."""

    def form_title(self) -> str:
        return f"Vitals: {display(self.detail.display_name)}"

    def compose_fields(self) -> ComposeResult:
        yield TextField("systolic", "BP systolic", max_length=4, hint="120")
        yield TextField("diastolic", "BP diastolic", max_length=4, hint="80")
        yield TextField("pulse", "Pulse", max_length=4, hint="per minute")
        yield TextField("temperature", "Temperature", max_length=6)
        yield ChoiceField("temperature_unit", "  unit", [("F", "°F"), ("C", "°C")], value="F")
        yield TextField("weight", "Weight", max_length=7)
        yield ChoiceField("weight_unit", "  unit", [("lb", "lb"), ("kg", "kg")], value="lb")
        yield TextField("height", "Height", max_length=6, hint="BMI: -")
        yield ChoiceField("height_unit", "  unit", [("in", "in"), ("cm", "cm")], value="in")

    @on(Field.Changed)
    def _bmi(self, event: Field.Changed) -> None:
        if event.field.field_name not in ("weight", "weight_unit", "height", "height_unit"):
            return
        height = self.field("height")
        if height is None:
            return
        try:
            from medoffice_tui.services.patients.vitals import clean_vitals

            values = clean_vitals(
                weight=self.field("weight").raw(),  # type: ignore[union-attr]
                weight_unit=self.field("weight_unit").raw(),  # type: ignore[union-attr]
                height=height.raw(), height_unit=self.field("height_unit").raw(),  # type: ignore[union-attr]
            )  # fmt: skip
            bmi = patients.bmi(values.get("weight_lb"), values.get("height_in"))
        except DomainError:
            bmi = None
        height.set_hint(f"BMI: {bmi:g}" if bmi is not None else "BMI: -")

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, pid = self.actor, self.patient_id
        return lambda: patients.record_vitals(actor, pid, **values)


class NoteForm(SectionForm):
    FORM_TITLE = "Add a note"
    CONFIRM_DISCARD = True

    def compose_fields(self) -> ComposeResult:
        yield TextField("text", "Note", max_length=4000, required=True)

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, pid, text = self.actor, self.patient_id, values["text"]
        return lambda: patients.add_note(actor, pid, text)


def payer_field(
    payers: Sequence[patients.PayerChoice],
    value: str = "",
    *,
    none: str = "",
    name: str = "payer_id",
    label: str = "Insurance",
) -> ChoiceField:
    """The insurance company, from the practice's payers (``none``: a "no insurance" choice)."""
    options = [("", none)] if none else []
    options += [(str(p.id), display(p.name)) for p in payers]
    return ChoiceField(name, label, options or [("", "(no payers on file)")],
                       value=value or options[0][0] if options else "")  # fmt: skip


def money_text(cents: int | None) -> str:
    return format_money(cents) if cents else ""
