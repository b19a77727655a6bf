"""FormScreen: the dialog every form in the app is, returning a typed result.

A subclass lists its fields (``compose_fields``) and says which service call saves
them (``save_call``). Then, for every form alike:

- Enter saves (from any field), Esc cancels, asking first when something was typed;
  Tab and Shift+Tab walk the fields in screen order; the first field has the cursor
  when the form opens, so type-ahead lands there.
- Saving reads each field's shape first (the cursor goes to the first bad one),
  then runs the service through ``call_service``. A refusal that names a field is
  shown beside it and the cursor put there; any other is shown above the keys.
  Nothing typed is lost on a refusal: the values stay for the desk to correct.
- The result of the service call is what ``push_screen`` gets back (``dismiss``).

The box fits 80x24 and the screen behind is not redrawn (an opaque background: a
see-through modal re-sends the whole screen below it over SSH).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import after_typed, focus_now
from medoffice_tui.ui.forms.confirm import ConfirmScreen
from medoffice_tui.ui.forms.fields import ChoiceInput, Field
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service

T = TypeVar("T")


class FormScreen(QuietFocus, ModalScreen[T], Generic[T]):
    """Base of every form: fields, a message line, and Enter/Esc."""

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
        background: $background;
    }
    FormScreen #form-box {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 1;
        background: $background;
    }
    FormScreen #form-title { height: 1; text-style: bold; margin-bottom: 1; }
    FormScreen #form-fields { height: auto; max-height: 18; }
    FormScreen #form-message { height: auto; color: $error; text-style: bold; }
    FormScreen #form-message.-info { color: $text-muted; text-style: none; }
    FormScreen #form-keys { height: 1; color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save (Enter does too)"),
        # priority: the move happens as the key arrives, so what is typed after a Tab goes
        # to the next field even when typed faster than the screen updates
        Binding(
            "tab",
            "next_field(1)",
            "Next field",
            show=False,
            priority=True,
            id="form.next-field",
            tooltip="Next field",
        ),  # fmt: skip
        Binding(
            "shift+tab",
            "next_field(-1)",
            "Previous field",
            show=False,
            priority=True,
            id="form.previous-field",
            tooltip="Previous field",
        ),  # fmt: skip
    ]

    AUTO_FOCUS = "Field Input, Field ChoiceInput"

    #: the box's first line
    FORM_TITLE: ClassVar[str] = ""
    #: what Enter does, for the key line
    SAVE_LABEL: ClassVar[str] = "save"
    #: ask before closing a form that holds typed input
    CONFIRM_DISCARD: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        self._saving = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.form_title(), id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="form-message", markup=False)
            yield Static(f"Enter {self.SAVE_LABEL}   Esc cancel   Tab next field", id="form-keys")

    def form_title(self) -> str:
        return self.FORM_TITLE

    def compose_fields(self) -> ComposeResult:
        """Yield the form's :class:`Field` widgets, in Tab order."""
        raise NotImplementedError

    @property
    def fields(self) -> list[Field[Any]]:
        return list(self.query(Field))

    def field(self, name: str) -> Field[Any] | None:
        for candidate in self.fields:
            if candidate.field_name == name:
                return candidate
        return None

    # ----------------------------------------------------------------- saving

    def save_call(self, values: dict[str, Any]) -> Callable[[], T]:
        """The service call that saves ``values`` (run on a worker thread)."""
        raise NotImplementedError

    def read_values(self) -> dict[str, Any] | None:
        """Every field's value, or None after marking the first field that is not valid."""
        values: dict[str, Any] = {}
        first_bad: Field[Any] | None = None
        for item in self.fields:
            try:
                values[item.field_name] = item.value()
            except InvalidInput as error:
                item.set_error(str(error))
                first_bad = first_bad or item
        if first_bad is not None:
            first_bad.focus_input()
            self.show_message("Please correct the marked field.")
            return None
        return values

    def action_save(self) -> None:
        """Save once every field has taken the keys typed before Enter."""
        after_typed(self._save, *[item.input for item in self.fields])

    def _save(self) -> None:
        if self._saving:
            return  # Enter pressed again while the first save is still running
        values = self.read_values()
        if values is None:
            return
        try:
            call = self.save_call(values)
        except DomainError as error:
            self.show_refusal(error)
            return
        self._saving = True
        self.show_message("Saving...", info=True)
        call_service(
            self,
            call,
            on_result=self.saved,
            on_error=self.show_refusal,
            on_done=self._done_saving,
            group="form-save",
            description=f"{type(self).__name__} save",
        )

    def _done_saving(self) -> None:
        self._saving = False

    def saved(self, result: T) -> None:
        """The service accepted: close with its result."""
        self.dismiss(result)

    def show_refusal(self, error: DomainError) -> None:
        target = self.field(error.field) if error.field else None
        if target is not None:
            target.set_error(str(error))
            target.focus_input()
            self.show_message("")
        else:
            self.show_message(str(error))

    def show_message(self, text: str, *, info: bool = False) -> None:
        message = self.query_one("#form-message", Static)
        message.set_class(info, "-info")
        message.update(display(text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def key_enter(self) -> None:
        """Enter on a choice (which is not a text box) saves as well."""
        if isinstance(self.focused, ChoiceInput):
            self.action_save()

    def action_next_field(self, step: int) -> None:
        """The next (or previous) field in the form's own order: no need to wait for the
        screen to be laid out, so a Tab typed ahead of it still lands right."""
        inputs = [item.input for item in self.fields]
        if not inputs:
            return
        current = self.focused
        index = next((i for i, w in enumerate(inputs) if w is current), -1)
        focus_now(inputs[(index + step) % len(inputs)])

    # ------------------------------------------------------------- cancelling

    @property
    def dirty(self) -> bool:
        return any(item.dirty for item in self.fields)

    def action_cancel(self) -> None:
        if self.CONFIRM_DISCARD and self.dirty:
            self.app.push_screen(
                ConfirmScreen("Close this form? What you typed will be lost."),
                self._confirmed_cancel,
            )
            return
        self.dismiss(None)

    def _confirmed_cancel(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
