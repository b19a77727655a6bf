"""Form fields: a label, an input and a line for its error, one kind per type of value.

Each field knows the service's name for its value (``name``), reads and shape-checks
what was typed (:meth:`Field.value` raises ``InvalidInput(field=name)``), and shows
an error beside itself. The rules stay in the services: a field only checks the
shape (is this a date? ten digits?), reusing the services' own parsers, so the
date a form accepts is exactly the date the service accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import dates
from medoffice_tui.services.money import format_money, parse_money
from medoffice_tui.services.text import display, parse_phone
from medoffice_tui.ui.widgets.plain_input import PlainInput

V = TypeVar("V")

LABEL_WIDTH = 16
#: the most of a hint a plain field shows (a longer one ends in an ellipsis)
HINT_CELLS = 28


class Field(Vertical, Generic[V]):
    """Base of every field: label, input, optional hint, and an error line below.

    A plain field is two widgets, itself and its input: the label and the hint are
    drawn by the field's own ``render`` on either side of the input (which sits
    between them by its margins), and the error line is mounted only when there is
    an error. A form opens with a dozen fields; Textual's cost is per widget (each is
    styled, laid out and composed), so a field of five widgets (row, label, input,
    hint, error) cost about 2.5x as much to open. Fields with several boxes or a list
    under the input (a charge line, the diagnosis search, pickers) compose their own
    row of widgets with the classes ``field-row``, ``field-label``, ``field-hint`` and
    ``field-error`` instead.
    """

    DEFAULT_CSS = f"""
    Field {{
        height: auto;
        & > .field-row {{ height: 1; }}
        & .field-label {{ width: {LABEL_WIDTH}; color: $text; }}
        & .field-hint {{ width: auto; max-width: 24; color: $text-muted; padding-left: 1; }}
        & .field-error {{
            display: none; height: auto; color: $error; text-style: bold;
            padding-left: {LABEL_WIDTH};
        }}
        &.-invalid .field-error {{ display: block; }}
        &.-invalid .field-label {{ color: $error; text-style: bold; }}
        & Input {{ height: 1; border: none; padding: 0; width: 1fr; }}
        & Input:focus {{ background: $boost; }}
        & > .field--label {{ color: $text; }}
        & > .field--hint {{ color: $text-muted; }}
        & > .field--invalid {{ color: $error; text-style: bold; }}
    }}
    """
    #: a plain field's label, hint, and its label when invalid (as .field-label/-hint)
    COMPONENT_CLASSES: ClassVar[set[str]] = {"field--label", "field--hint", "field--invalid"}

    class Changed(Message):
        """The field's text changed (the form uses it to know it is dirty)."""

        def __init__(self, field: Field[Any]) -> None:
            super().__init__()
            self.field = field

    def __init__(
        self,
        name: str,
        label: str,
        *,
        value: str = "",
        required: bool = False,
        hint: str = "",
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id or f"field-{name}")
        self.field_name = name
        self.label = label
        self.required = required
        self.hint = hint
        self._initial = value
        self._draws_row = False  # a plain field draws its label and hint (``compose``)
        self._hint_text = ""
        self._row_styles: dict[str, Style] | None = None

    def notify_style_update(self) -> None:
        self._row_styles = None  # the theme or the CSS changed: read them again
        super().notify_style_update()

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield from self.compose_row()

    def compose_row(self) -> ComposeResult:
        """The label, the box and the hint on one line: only the box is a widget, the
        label and the hint are drawn by the field (``render``). A field with more under
        its box (a picker's matches) yields this first, then the rest."""
        self._draws_row = True
        widget = self.make_input()
        widget.add_class("field-input", update=False)  # styled when mounted
        self._hint_text = display(self.hint)
        widget.styles.margin = (0, self._hint_room(self._hint_text), 0, LABEL_WIDTH)
        yield widget

    @staticmethod
    def _hint_room(hint: str) -> int:
        """Columns kept right of the input for the hint: a space and at most HINT_CELLS cells."""
        return min(cell_len(hint), HINT_CELLS) + 1 if hint else 0

    def render(self) -> RenderResult:
        """A plain field's label (left of the input) and hint (right of it)."""
        if not self._draws_row:
            return ""
        styles = self._row_styles
        if styles is None:  # once per style change, not per frame
            styles = self._row_styles = {
                name: self.get_component_rich_style(name, partial=True)
                for name in ("field--label", "field--hint", "field--invalid")
            }
        label_style = styles["field--invalid" if self.has_class("-invalid") else "field--label"]
        line = Text(no_wrap=True, overflow="crop", end="")
        label = self.label + ("*" if self.required else "")
        line.append(label[:LABEL_WIDTH].ljust(LABEL_WIDTH), style=label_style)
        hint = Text(self._hint_text, end="")
        hint.truncate(HINT_CELLS, overflow="ellipsis")
        if hint:
            room = self.size.width - LABEL_WIDTH - hint.cell_len
            line.append(" " * max(room, 0))
            hint.stylize(styles["field--hint"])
            line.append_text(hint)
        return line

    def make_input(self) -> Widget:
        return PlainInput(value=self._initial, compact=True, id=f"input-{self.field_name}")

    @property
    def input(self) -> Widget:
        return self.query_one(f"#input-{self.field_name}")

    def focus_input(self) -> None:
        self.input.focus()

    # ------------------------------------------------------------------ value

    def raw(self) -> str:
        widget = self.input
        return widget.value if isinstance(widget, Input) else ""

    def set_raw(self, text: str) -> None:
        widget = self.input
        if isinstance(widget, Input):
            widget.value = text

    @property
    def dirty(self) -> bool:
        return self.raw() != self._initial

    def invalid(self, message: str) -> InvalidInput:
        return InvalidInput(message, field=self.field_name)

    def value(self) -> V:
        """What was typed, read and shape-checked; raises InvalidInput for this field."""
        text = self.raw().strip()
        if self.required and not text:
            raise self.invalid(f"{self.label.lower()} is required")
        return self.parse(text)

    def parse(self, text: str) -> V:
        return text  # type: ignore[return-value]

    # ----------------------------------------------------------------- errors

    def set_error(self, message: str) -> None:
        found = self.query_children(".field-error")
        if found:
            found.first(Static).update(display(message))
        else:  # a plain field's error line is mounted with its first error
            self.mount(Static(display(message), classes="field-error", markup=False))
        self.add_class("-invalid")
        self.refresh()  # the label turns red

    def clear_error(self) -> None:
        if self.has_class("-invalid"):
            self.remove_class("-invalid")
            found = self.query_children(".field-error")
            if found:
                found.first(Static).update("")
            self.refresh()

    def set_hint(self, text: str) -> None:
        if not self._draws_row:
            self.query_one(".field-hint", Static).update(display(text))
            return
        hint = display(text)
        if hint == self._hint_text:
            return
        # the room kept is at least the first hint's: a shorter one ("looking...")
        # moves nothing, so only a longer hint than the first costs a layout
        first = self._hint_room(display(self.hint))
        room = max(first, self._hint_room(hint))
        if room != max(first, self._hint_room(self._hint_text)):
            self.input.styles.margin = (0, room, 0, LABEL_WIDTH)
        self._hint_text = hint
        self.refresh()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_error()
        self.post_message(self.Changed(self))


class TextField(Field[str]):
    def __init__(self, name: str, label: str, *, max_length: int = 0, **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.max_length = max_length

    def make_input(self) -> Widget:
        return PlainInput(
            value=self._initial,
            compact=True,
            max_length=self.max_length,
            id=f"input-{self.field_name}",
        )

    def parse(self, text: str) -> str:
        return " ".join(text.split())


class PasswordField(Field[str]):
    """Typed characters show as dots; the value is never trimmed or shown."""

    def make_input(self) -> Widget:
        return PlainInput(compact=True, password=True, id=f"input-{self.field_name}")

    def value(self) -> str:
        text = self.raw()
        if self.required and not text:
            raise self.invalid(f"{self.label.lower()} is required")
        return text


class DateField(Field["dt.date | None"]):
    """A date through the shared date-entry module (``services/dates.py``).

    ``past=True`` is for dates of birth: ``1/2/45`` is 1945, never 2045.
    """

    def __init__(self, name: str, label: str, *, past: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "m/d/yyyy")
        super().__init__(name, label, **kwargs)
        self.past = past

    def parse(self, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dates.parse_date(text, past=self.past)
        except InvalidInput as error:
            raise self.invalid(str(error)) from None

    @on(Input.Blurred)
    def _show_reading(self) -> None:
        """Say how the date was read (``Tue 03/04/1980``), so a slip shows at once."""
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
            self.set_hint(day.strftime("%a %m/%d/%Y"))


class TimeField(Field["dt.time | None"]):
    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "9:30, 2pm")
        super().__init__(name, label, **kwargs)

    def parse(self, text: str) -> dt.time | None:
        if not text:
            return None
        return dates.parse_time(text, field=self.field_name)


class PhoneField(Field[str]):
    """Any way of typing a US number; shown back as ``(312) 555-0147`` when left."""

    def parse(self, text: str) -> str:
        return parse_phone(text, field=self.field_name)

    @on(Input.Blurred)
    def _tidy(self) -> None:
        try:
            shown = self.parse(self.raw())
        except InvalidInput as error:
            self.set_error(str(error))
            return
        if shown and shown != self.raw():
            self.set_raw(shown)


class MoneyField(Field["int | None"]):
    """Dollars and cents typed as text, read as exact whole cents (never a float)."""

    def __init__(self, name: str, label: str, *, cents: int | None = None, **kwargs: Any) -> None:
        if cents is not None:
            kwargs["value"] = format_money(cents)
        kwargs.setdefault("hint", "$")
        super().__init__(name, label, **kwargs)

    def parse(self, text: str) -> int | None:
        if not text:
            return None
        return parse_money(text, field=self.field_name)


class ChoiceInput(Widget, can_focus=True):
    """One of a few values: Left/Right or Space to cycle, a letter jumps to it."""

    DEFAULT_CSS = """
    ChoiceInput { height: 1; width: 1fr; }
    ChoiceInput:focus { background: $boost; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "step(-1)",
            "Previous",
            show=False,
            id="choice.previous",
            tooltip="Previous choice",
        ),  # fmt: skip
        Binding(
            "right,space", "step(1)", "Next", show=False, id="choice.next", tooltip="Next choice"
        ),  # fmt: skip
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, choice: ChoiceInput) -> None:
            super().__init__()
            self.choice = choice

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str | None,
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.options = list(options)
        values = [v for v, _ in self.options]
        self.set_reactive(ChoiceInput.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> str:
        return self.options[self.index][0] if self.options else ""

    def render(self) -> Text:
        if not self.options:
            return Text("-")
        label = self.options[self.index][1]
        return Text.assemble("< ", label, " >", f"  ({self.index + 1}/{len(self.options)})")

    def action_step(self, delta: int) -> None:
        if self.options:
            self.index = (self.index + delta) % len(self.options)
            self.post_message(self.Changed(self))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isalnum() and len(event.character) == 1:
            letter = event.character.lower()
            count = len(self.options)
            for step in range(1, count + 1):
                candidate = (self.index + step) % count
                if self.options[candidate][1][:1].lower() == letter:
                    event.stop()
                    self.index = candidate
                    self.post_message(self.Changed(self))
                    return


class ChoiceField(Field[str]):
    def __init__(
        self, name: str, label: str, options: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("hint", "<- ->")
        super().__init__(name, label, **kwargs)
        self.options = list(options)

    def make_input(self) -> Widget:
        return ChoiceInput(self.options, self._initial or None, id=f"input-{self.field_name}")

    def raw(self) -> str:
        widget = self.input
        return widget.value if isinstance(widget, ChoiceInput) else ""

    def set_raw(self, text: str) -> None:
        widget = self.input
        if isinstance(widget, ChoiceInput):
            values = [v for v, _ in widget.options]
            if text in values:
                widget.index = values.index(text)

    @property
    def dirty(self) -> bool:
        return self.raw() != (self._initial or (self.options[0][0] if self.options else ""))

    @on(ChoiceInput.Changed)
    def _choice_changed(self, event: ChoiceInput.Changed) -> None:
        event.stop()
        self.clear_error()
        self.post_message(self.Changed(self))
