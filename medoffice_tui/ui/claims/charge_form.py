"""Charge entry for a finished visit: diagnoses, procedure lines, payer and providers.

Diagnoses are typed in one box: codes (``J06.9 R05.9``) or words (``strep``); the
matches of what is being typed show under it (billable first) and Up/Down then Tab or
Enter takes one; each code entered is listed with its description and number, the
number a line's Dx column points at. A procedure line is code, modifiers (``25,RT``),
units, charge and pointers (``1,2``); the charge comes from the fee schedule (times the
units) as the code is typed, and stays editable. Ctrl+N adds a line. Saving makes (or
updates) a draft claim; the claim's screen then shows what the scrubber found.

Billing (``claim.edit``) also sees the claim's frequency (1 original, 7 replacement of
a claim the payer has, 8 void of one) and the payer's original claim number a 7 or 8
must carry (from the payer's remittance or letter); the service refuses them to others.
Opened from a scrubber finding (``focus``), the form starts on the field to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.claims.charges import ChargeContext, ChargeInput, ChargeLineInput
from medoffice_tui.services.claims.code_shapes import ICD10_SHAPE, looks_like_icd10, normalize_icd10
from medoffice_tui.services.money import format_money, parse_money
from medoffice_tui.services.text import display
from medoffice_tui.ui.claims.code_load import known_ready, with_codes
from medoffice_tui.ui.claims.multi_input import MultiInputForm
from medoffice_tui.ui.forms import ChoiceField, TextField
from medoffice_tui.ui.forms.fields import Field
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList
from medoffice_tui.ui.widgets.plain_input import PlainInput

MATCHES = 5
#: the claim frequency codes (CLM05-3) a desk sets, in words
FREQUENCIES = (
    ("1", "1 original"),
    ("7", "7 replacement of a claim"),
    ("8", "8 void a claim"),
)
#: empty procedure lines a new visit's form opens with: one, and every line typed into
#: gets an empty one below it (Ctrl+N adds one too); four empty lines up front were
#: ~40 widgets more to build before the form's first frame
LINES_SHOWN = 1
MAX_FORM_LINES = 12
_SPLIT = re.compile(r"[\s,;]+")


def split_diagnoses(text: str) -> tuple[list[str], str]:
    """(codes typed, the words still being searched) from the box's text."""
    tokens = [t for t in _SPLIT.split(text.strip()) if t]
    codes: list[str] = []
    index = 0
    while index < len(tokens) and looks_like_icd10(tokens[index]):
        codes.append(normalize_icd10(tokens[index]))
        index += 1
    rest = " ".join(tokens[index:])
    if not rest and codes and not text.endswith((" ", ",")):
        # the last code is still being typed: search it as a prefix too
        return codes, ""
    return codes, rest


class DiagnosisField(Field["tuple[str, ...]"]):
    """Up to 12 ICD-10-CM codes, found by code or words as they are typed."""

    DEFAULT_CSS = """
    DiagnosisField .dx-matches { display: none; margin-left: 16; }
    DiagnosisField.-searching .dx-matches { display: block; }
    DiagnosisField .dx-list { padding-left: 16; height: auto; color: $text-muted; }
    """

    def __init__(self, codes: tuple[str, ...] = ()) -> None:
        super().__init__("diagnoses", "Diagnoses", value=" ".join(codes), hint="codes or words")
        self.descriptions: dict[str, str] = {}
        self._said_loading = False

    def compose(self) -> ComposeResult:
        yield from self.compose_row()
        matches = PagedList(
            (Column("Code", 8), Column("Description", flex=1)),
            empty_text="No ICD-10-CM code matches",
            id="dx-matches",
            classes="dx-matches",
        )
        matches.styles.height = MATCHES + 1
        yield matches
        yield Static("", classes="dx-list", markup=False)

    def on_mount(self) -> None:
        self._describe()

    @property
    def matches(self) -> PagedList:
        return self.query_one("#dx-matches", PagedList)

    def parse(self, text: str) -> tuple[str, ...]:
        codes, rest = split_diagnoses(text)
        if rest:
            raise self.invalid("finish the diagnosis search: Up/Down to a code, then Tab")
        for number, code in enumerate(codes, 1):
            if not ICD10_SHAPE.match(code):
                raise self.invalid(f"diagnosis {number} is not shaped like an ICD-10-CM code")
        return tuple(codes)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_error()
        self.post_message(self.Changed(self))
        codes, rest = split_diagnoses(event.value)
        query = rest or (codes[-1] if codes and not event.value.endswith((" ", ",")) else "")
        self._describe()
        if not query:
            self.remove_class("-searching")
            return
        self.set_hint("looking...")
        call_service(
            self,
            with_codes(self, lambda: claims.codes_icd.lookup(query, MATCHES), self._first_use),
            on_result=self._show_matches,
            group="dx-lookup",
            exclusive=True,
            # the first lookup may be the code set's first-use load: the next key must
            # not stop it halfway (it would start again from nothing)
            interruptible=known_ready(),
            description="diagnosis lookup",
        )

    def _first_use(self, words: str) -> None:
        """The code set loads (first use): say so on the form, with how far it is."""
        self.set_hint("loading codes")
        show = getattr(self.screen, "show_message", None)
        if show is not None:
            show(words, info=True)
            self._said_loading = True

    def _show_matches(self, found: list[claims.codes_icd.DxMatch]) -> None:
        self.set_hint(self.hint)
        if self._said_loading:
            self._said_loading = False
            self.screen.show_message("")  # type: ignore[attr-defined]
        for match in found:
            self.descriptions[match.code] = match.description
        self.add_class("-searching")
        self.matches.set_rows(
            [
                ListRow(
                    (m.code, m.description + ("" if m.billable else "  (category: not billable)")),
                    data=m,
                    style="" if m.billable else "muted",
                )
                for m in found
            ]
        )
        self._describe()

    def _describe(self) -> None:
        """The numbered list of the codes entered, with their words."""
        codes, _rest = split_diagnoses(self.raw())
        missing = [c for c in codes if c not in self.descriptions]
        if missing:
            call_service(
                self,
                lambda: {
                    c: (
                        claims.codes_icd.get(c).description
                        if claims.codes_icd.get(c)
                        else "not in ICD-10-CM"
                    )
                    for c in missing
                },
                on_result=self._described,
                group="dx-describe",
                exclusive=True,
            )
        text = Text(end="")
        for number, code in enumerate(codes, 1):
            if number > 1:
                text.append("\n")
            text.append(f"{number} {code} ", style="bold")
            text.append(display(self.descriptions.get(code, ""))[:54])
        self.query_one(".dx-list", Static).update(text)

    def _described(self, found: dict[str, str]) -> None:
        self.descriptions.update(found)
        self._describe()

    def pick(self, match: claims.codes_icd.DxMatch) -> None:
        codes, rest = split_diagnoses(self.raw())
        if not rest and codes:
            codes = codes[:-1]  # the code being typed is replaced by the one picked
        self.descriptions[match.code] = match.description
        self.set_raw(" ".join([*codes, match.code]) + " ")
        widget = self.input
        if isinstance(widget, Input):
            widget.cursor_position = len(widget.value)
        self.remove_class("-searching")

    def take_tab(self) -> bool:
        """Tab while matches show takes the highlighted one (the form asks first)."""
        if self.has_class("-searching") and self.matches.current is not None:
            match = self.matches.current.data
            codes, rest = split_diagnoses(self.raw())
            complete = not rest and codes and codes[-1] == match.code
            self.pick(match)
            return not complete  # a code typed in full: Tab goes on to the next box
        return False

    def on_key(self, event: events.Key) -> None:
        if not self.has_class("-searching"):
            return
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            self.matches.move_cursor(self.matches.cursor_row + (1 if event.key == "down" else -1))

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        if self.has_class("-searching") and self.matches.current is not None:
            event.stop()
            self.pick(self.matches.current.data)

    @on(PagedList.Selected)
    def _clicked(self, event: PagedList.Selected) -> None:
        event.stop()
        self.pick(event.row.data)


class ChargeLineField(Field["ChargeLineInput | None"]):
    """One procedure line: code, modifiers, units, charge, pointers, and its words."""

    DEFAULT_CSS = """
    ChargeLineField { height: auto; }
    ChargeLineField .line-row { height: 1; margin-left: 3; }
    ChargeLineField > .line--no { color: $text-muted; }
    ChargeLineField Input {
        height: 1; border: none; padding: 0; margin-right: 1; background: $surface-lighten-1;
    }
    ChargeLineField Input:focus { background: $boost; }
    ChargeLineField .line-words { width: 1fr; color: $text-muted; }
    """

    BOXES = (("code", 6), ("mods", 11), ("units", 4), ("charge", 10), ("dx", 8))
    COMPONENT_CLASSES: ClassVar[set[str]] = {"line--no"}

    def __init__(
        self, number: int, line: ChargeLineInput | None, fees: dict[str, tuple[str, int]]
    ) -> None:
        super().__init__(f"line{number}", f"Line {number}")
        self.number = number
        self.line = line
        self.fees = fees
        self._auto_charge = line is None or line.charge_cents is None

    def compose(self) -> ComposeResult:
        line = self.line
        values = {
            "code": line.code if line else "",
            "mods": ",".join(line.modifiers) if line else "",
            "units": str(line.units) if line else "",
            "charge": format_money(line.charge_cents)
            if line and line.charge_cents is not None
            else "",
            "dx": ",".join(str(p) for p in line.pointers) if line else "",
        }
        with Horizontal(classes="line-row"):  # its number is drawn left of it (render)
            for name, width in self.BOXES:
                box = PlainInput(value=values[name], compact=True, id=self._box_id(name))
                box.styles.width = width
                yield box
            yield Static(self._words(values["code"]), classes="line-words", markup=False)

    def render(self) -> Text:
        """The line's number, in the three columns left of its boxes."""
        return Text(f"{self.number:>2}", style=self.get_component_rich_style("line--no"))

    def _box_id(self, name: str) -> str:
        return f"input-{self.field_name}" if name == "code" else f"input-{self.field_name}-{name}"

    def box(self, name: str) -> Input:
        return self.query_one(f"#{self._box_id(name)}", Input)

    def raw(self) -> str:
        return " ".join(self.box(n).value for n, _w in self.BOXES)

    @property
    def dirty(self) -> bool:
        initial = self.line
        return bool(self.raw().strip()) if initial is None else True

    def _words(self, code: str) -> str:
        fee = self.fees.get(code.strip().upper())
        return fee[0] if fee else ""

    def value(self) -> ChargeLineInput | None:
        code = self.box("code").value.strip().upper()
        if not self.raw().strip():
            return None
        if not code:
            raise self.invalid(f"line {self.number}: type the procedure code")
        mods = tuple(m for m in _SPLIT.split(self.box("mods").value.strip().upper()) if m)
        units_text = self.box("units").value.strip() or "1"
        if not units_text.isdigit():
            raise self.invalid(f"line {self.number}: units is a whole number")
        charge_text = self.box("charge").value.strip()
        try:
            charge = parse_money(charge_text, field=self.field_name) if charge_text else None
        except InvalidInput as error:
            raise self.invalid(f"line {self.number}: {error}") from None
        pointers_text = self.box("dx").value.strip() or "1"
        pointers = tuple(int(p) for p in _SPLIT.split(pointers_text) if p.isdigit())
        if not pointers or any(not p.isdigit() for p in _SPLIT.split(pointers_text) if p):
            raise self.invalid(f"line {self.number}: Dx is diagnosis numbers, e.g. 1,2")
        return ChargeLineInput(code, mods, int(units_text), charge, pointers)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_error()
        self.post_message(self.Changed(self))
        if event.input.id == self._box_id("charge") and event.input.has_focus:
            self._auto_charge = not event.value.strip()
        if event.input.id in (self._box_id("code"), self._box_id("units")):
            code = self.box("code").value.strip().upper()
            self.query_one(".line-words", Static).update(self._words(code))
            fee = self.fees.get(code)
            units = self.box("units").value.strip()
            if fee and self._auto_charge:
                count = int(units) if units.isdigit() and int(units) > 0 else 1
                self.box("charge").value = format_money(fee[1] * count)
                self._auto_charge = True


class ChargeForm(MultiInputForm):
    """A visit's charges, as a new draft claim or a change to one not yet with a payer."""

    FORM_TITLE = "Charges"
    SAVE_LABEL = "save the draft"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+n",
            "add_line",
            "Add a line",
            id="charges.add-line",
            tooltip="Add a procedure line",
        ),
    ]

    DEFAULT_CSS = """
    ChargeForm #form-fields { max-height: 19; }
    ChargeForm .lines-head { height: 1; color: $text-muted; text-style: bold; }
    """

    def __init__(self, actor: Actor, context: ChargeContext, focus: str | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.context = context
        self.focus_field = focus
        existing = context.existing
        self._lines = list(existing.lines) if existing else []

    def on_mount(self) -> None:
        wanted = self.field(self.focus_field) if self.focus_field else None
        if wanted is not None:
            self.call_after_refresh(wanted.focus_input)

    @property
    def may_resubmit(self) -> bool:
        """May this user set the frequency and the payer's claim number (billing)?"""
        from medoffice_tui.services import permissions

        return permissions.allowed(self.actor, "claim.edit")

    def form_title(self) -> str:
        c = self.context
        return f"Charges: {c.patient_name} ({c.mrn}), seen {us_date(c.service_date)}"

    def compose_fields(self) -> ComposeResult:
        c = self.context
        existing = c.existing
        providers = [(str(p.id), p.name) for p in c.providers]
        rendering = str(
            existing.rendering_provider_id
            if existing
            else c.rendering_provider_id or (c.providers[0].id if c.providers else "")
        )
        yield DiagnosisField(existing.diagnoses if existing else ())
        yield Static(
            "  #  Code   Modifiers   Units Charge     Dx       Description", classes="lines-head"
        )
        count = max(LINES_SHOWN, len(self._lines) + 1)
        for number in range(1, count + 1):
            line = self._lines[number - 1] if number <= len(self._lines) else None
            yield ChargeLineField(number, line, c.fees)
        coverages = [(str(cov.id), cov.label) for cov in c.coverages] or [("", "no insurance")]
        yield ChoiceField(
            "coverage",
            "Payer",
            coverages,
            value=str(existing.coverage_id)
            if existing and existing.coverage_id
            else coverages[0][0],
        )
        yield ChoiceField(
            "place_of_service",
            "Place",
            list(claims.PLACES_OF_SERVICE),
            value=existing.place_of_service if existing else "11",
        )
        yield ChoiceField("rendering_provider", "Rendering", providers, value=rendering)
        billing = [("", "the practice (group NPI)"), *providers]
        yield ChoiceField(
            "billing_provider",
            "Billing",
            billing,
            value=str(existing.billing_provider_id or "") if existing else "",
        )
        yield TextField(
            "prior_auth_number",
            "Prior auth",
            max_length=30,
            value=existing.prior_auth_number if existing else "",
            hint="when the payer needs one",
        )
        if self.may_resubmit:
            yield ChoiceField(
                "frequency_code",
                "Frequency",
                list(FREQUENCIES),
                value=existing.frequency_code if existing else "1",
            )
            yield TextField(
                "payer_claim_number",
                "Payer's no.",
                max_length=40,
                value=existing.payer_claim_number if existing else "",
                hint="original claim no., for 7/8",
            )

    @on(Field.Changed)
    def _empty_line_below(self, event: Field.Changed) -> None:
        """Typing into the last procedure line opens an empty one below it."""
        if not isinstance(event.field, ChargeLineField):
            return
        lines = list(self.query(ChargeLineField))
        last = lines[-1]
        if event.field is last and last.raw().strip() and len(lines) < MAX_FORM_LINES:
            field = ChargeLineField(len(lines) + 1, None, self.context.fees)
            self.query_one("#form-fields").mount(field, after=last)

    def action_add_line(self) -> None:
        lines = list(self.query(ChargeLineField))
        if len(lines) >= MAX_FORM_LINES:
            self.show_message(f"at most {MAX_FORM_LINES} lines here")
            return
        field = ChargeLineField(len(lines) + 1, None, self.context.fees)
        self.query_one("#form-fields").mount(field, after=lines[-1])
        self.call_after_refresh(lambda: field.box("code").focus())

    def save_call(self, values: dict[str, Any]) -> Callable[[], int]:
        c = self.context
        lines = tuple(v for k, v in values.items() if k.startswith("line") and v is not None)
        charges = ChargeInput(
            patient_id=c.patient_id,
            service_date=c.service_date,
            rendering_provider_id=int(values["rendering_provider"]),
            coverage_id=int(values["coverage"]) if values["coverage"] else None,
            diagnoses=values["diagnoses"],
            lines=lines,
            appointment_id=c.appointment_id,
            billing_provider_id=int(values["billing_provider"])
            if values["billing_provider"]
            else None,
            place_of_service=values["place_of_service"],
            prior_auth_number=values["prior_auth_number"],
            frequency_code=values.get(
                "frequency_code", c.existing.frequency_code if c.existing else "1"
            ),
            payer_claim_number=values.get(
                "payer_claim_number", c.existing.payer_claim_number if c.existing else ""
            ),
        )
        actor = self.actor
        if c.claim_id is not None:
            cid, version = c.claim_id, c.claim_version or 0
            return lambda: claims.update_charges(actor, cid, charges, version)
        return lambda: claims.enter_charges(actor, charges)
