"""A form field that finds a patient as you type, with the Patients pane's own search.

Type a name, MRN, DOB or phone (anything the Patients pane takes); up to six matches
appear under the field. Up/Down move among them, Enter or Tab takes the highlighted
one. The field's value is the patient's id; what it shows is name, DOB and MRN.
Typing again drops the choice and searches anew.

``include_inactive=True`` (the booking form) finds inactive records too, marked
"inactive" in the list, so the form can offer to reactivate one; ``picked=`` opens the
field with a patient already chosen (``b`` on a record).
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input

from medoffice_tui.services import patients
from medoffice_tui.ui.forms.fields import Field
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList
from medoffice_tui.ui.widgets.plain_input import PlainInput

MATCHES = 6

COLUMNS = (
    Column("Name", flex=1, min_width=14),
    Column("DOB", 10),
    Column("MRN", 9),
)


INACTIVE = "(inactive)"


def _label(row: patients.PatientRow) -> str:
    label = f"{row.display_name}  {us_date(row.dob)}  {row.mrn}"
    return label if row.active else f"{label}  {INACTIVE}"


def match_row(row: patients.PatientRow) -> ListRow:
    """A match: name (marked when the record is inactive), DOB, MRN."""
    name = row.display_name if row.active else f"{row.display_name} {INACTIVE}"
    return ListRow((name, us_date(row.dob), row.mrn), data=row,
                   cell_styles={} if row.active else {0: "warn"})  # fmt: skip


class PatientPickerField(Field["int | None"]):
    """Pick one patient; ``value()`` is their id (None when optional and left empty)."""

    DEFAULT_CSS = """
    PatientPickerField .picker-matches { display: none; margin-left: 16; }
    PatientPickerField.-searching .picker-matches { display: block; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        *,
        include_inactive: bool = False,
        picked: patients.PatientRow | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("hint", "picked" if picked is not None else "name, MRN, DOB")
        if picked is not None:
            kwargs["value"] = _label(picked)
        super().__init__(name, label, **kwargs)
        self.include_inactive = include_inactive
        self.picked: patients.PatientRow | None = picked

    def compose(self) -> ComposeResult:
        yield from self.compose_row()
        matches = PagedList(
            COLUMNS,
            empty_text="No patient matches",
            id=f"matches-{self.field_name}",
            classes="picker-matches",
        )
        matches.styles.height = MATCHES + 1  # the header and the matches, never more
        yield matches

    def make_input(self) -> PlainInput:
        return PlainInput(value=self._initial, compact=True, id=f"input-{self.field_name}")

    @property
    def matches(self) -> PagedList:
        return self.query_one(f"#matches-{self.field_name}", PagedList)

    def value(self) -> int | None:
        if self.picked is not None:
            return self.picked.id
        if self.raw().strip() or self.required:
            raise self.invalid("pick a patient from the list (type, then Up/Down and Enter)")
        return None

    class Picked(Message):
        """A patient was picked from the matches."""

        def __init__(self, field: PatientPickerField) -> None:
            super().__init__()
            self.field = field

    def pick(self, row: patients.PatientRow) -> None:
        self.picked = row
        self.set_raw(_label(row))
        self.set_hint("picked")
        self.remove_class("-searching")
        self.clear_error()
        self.post_message(self.Picked(self))

    def take_highlighted(self) -> bool:
        """Pick the highlighted match, if the matches are showing (what Tab does)."""
        if self.has_class("-searching") and self.matches.current is not None:
            self.pick(self.matches.current.data)
            return True
        return False

    # ----------------------------------------------------------------- search

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.picked is not None and event.value == _label(self.picked):
            return  # the box now shows the patient just picked
        self.clear_error()
        self.picked = None
        self.set_hint(self.hint)
        self.post_message(self.Changed(self))
        query = event.value.strip()
        if not query:
            self.remove_class("-searching")
            return
        inactive = self.include_inactive
        call_service(
            self,
            lambda: patients.search_patients(query, limit=MATCHES, include_inactive=inactive).rows,
            on_result=self._show_matches,
            group=f"picker-{self.field_name}",
            exclusive=True,
            description="patient picker search",
        )

    def _show_matches(self, rows: list[patients.PatientRow]) -> None:
        if self.picked is not None:
            return
        self.add_class("-searching")
        self.matches.set_rows([match_row(r) for r in rows])

    def on_key(self, event: events.Key) -> None:
        if not self.has_class("-searching"):
            return
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            step = 1 if event.key == "down" else -1
            self.matches.move_cursor(self.matches.cursor_row + step)
        elif event.key == "tab" and self.matches.current is not None:
            self.pick(self.matches.current.data)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter takes the highlighted match; with a patient picked, it saves the form."""
        if self.has_class("-searching") and self.matches.current is not None:
            event.stop()
            self.pick(self.matches.current.data)

    @on(PagedList.Selected)
    def _clicked(self, event: PagedList.Selected) -> None:
        event.stop()
        self.pick(event.row.data)
