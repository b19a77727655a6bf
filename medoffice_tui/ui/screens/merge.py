"""Merging a duplicate record (manager, ``m`` on a record).

First :class:`MergePickForm` names the other record and which one survives; then
:class:`MergeScreen` shows the two side by side, field by field: Left/Right (or Space)
picks whose value the survivor keeps for the highlighted field, ``s`` swaps which record
survives, Enter merges (after a yes/no). Everything attached to the duplicate
(appointments, insurance, claims, payments, allergies, vitals, notes) moves to the
survivor in one transaction; the duplicate stays, inactive, pointing at the survivor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui.errors import DomainError
from medoffice_tui.services import patients
from medoffice_tui.services.text import display
from medoffice_tui.ui.forms import ChoiceField, FormScreen
from medoffice_tui.ui.forms.confirm import ConfirmScreen
from medoffice_tui.ui.forms.patient_picker import PatientPickerField
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

LABELS = {name: rule.label for name, rule in patients.DEMOGRAPHICS.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return us_date(value)
    return str(value)


class MergePickForm(FormScreen[Any]):
    """Which record this one is merged with, and which survives."""

    FORM_TITLE = "Merge duplicate records"
    SAVE_LABEL = "compare"
    CONFIRM_DISCARD = False

    def __init__(self, detail: patients.PatientDetail) -> None:
        super().__init__()
        self.detail = detail

    def form_title(self) -> str:
        hint = ""
        if self.detail.possible_duplicates:
            hint = f"  (possible duplicate: {self.detail.possible_duplicates[0].mrn})"
        return f"Merge {display(self.detail.display_name)} {self.detail.mrn}{hint}"

    def compose_fields(self) -> ComposeResult:
        yield PatientPickerField("other", "Other record", required=True)
        yield ChoiceField(
            "keep", "Keep", [("this", "this record"), ("other", "the other record")],
            value="this", hint="survives",
        )  # fmt: skip

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        other = values["other"]
        this = self.detail.id
        keep, drop = (this, other) if values["keep"] == "this" else (other, this)
        actor = self.app.actor  # type: ignore[attr-defined]
        return lambda: patients.merge_pair(actor, keep, drop)

    def saved(self, result: Any) -> None:
        survivor, duplicate = result
        self.app.push_screen(MergeScreen(survivor, duplicate), self._merged)

    def _merged(self, survivor_id: Any) -> None:
        if survivor_id is not None:
            self.dismiss(survivor_id)


class MergeScreen(SafeDispatch, QuietFocus, Screen[Any]):
    """Survivor and duplicate side by side; choose field by field, then merge."""

    TITLE = "Merge records"

    DEFAULT_CSS = """
    MergeScreen #merge-title { height: 1; text-style: bold; padding: 0 1; }
    MergeScreen #merge-list { height: 1fr; }
    MergeScreen #merge-moves { height: auto; padding: 0 1; }
    MergeScreen #merge-status { height: auto; padding: 0 1; color: $error; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,right,space",
            "choose",
            "Choose",
            id="merge.choose",
            tooltip="Keep the other record's value for this field",
        ),  # fmt: skip
        Binding("s", "swap", "Swap", id="merge.swap", tooltip="Swap which record survives"),
        Binding(
            "enter",
            "merge",
            "Merge",
            id="merge.confirm",
            tooltip="Merge the duplicate into the survivor (asks first)",
        ),  # fmt: skip
        Binding("escape", "close", "Back", id="merge.close", tooltip="Back without merging"),
    ]

    def __init__(self, survivor: patients.PatientDetail, duplicate: patients.PatientDetail) -> None:
        super().__init__()
        self.survivor = survivor
        self.duplicate = duplicate
        self.take: set[str] = set()
        self._merging = False

    def compose(self) -> ComposeResult:
        yield Static("", id="merge-title", markup=False)
        yield PagedList(
            (Column("Field", 18), Column("Survivor", flex=1, min_width=12), Column("", 2),
             Column("Duplicate", flex=1, min_width=12)),
            id="merge-list",
        )  # fmt: skip
        yield Static("", id="merge-moves", markup=False)
        yield Static("", id="merge-status", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        self._redraw()
        self.query_one("#merge-list", PagedList).focus()

    def _rows(self) -> list[ListRow]:
        rows = []
        for name in patients.MERGE_FIELDS:
            keep = _text(getattr(self.survivor, name, ""))
            other = _text(getattr(self.duplicate, name, ""))
            taken = name in self.take
            marker = "<" if taken else ("" if keep == other or not other else "=")
            rows.append(ListRow(
                (LABELS.get(name, name), keep, marker, other), data=name,
                cell_styles={3: "strong"} if taken else ({1: "strong"} if other != keep else {}),
                style="" if other != keep else "muted",
            ))  # fmt: skip
        return rows

    def _redraw(self) -> None:
        title = Text(no_wrap=True, end="")
        title.append(f" Keep {display(self.survivor.mrn)}", style="bold")
        title.append(f" {display(self.survivor.display_name)}  <-  merge ")
        title.append(f"{display(self.duplicate.mrn)}", style="bold")
        title.append(f" {display(self.duplicate.display_name)}")
        self.query_one("#merge-title", Static).update(title)
        listing = self.query_one("#merge-list", PagedList)
        listing.set_rows(self._rows(), keep_cursor=True)
        d = self.duplicate
        visits = len(d.upcoming) + len(d.past)
        moves = (f"Moves to the survivor: {visits} appointments, {len(d.coverages)} coverages, "
                 f"{len(d.claims)} claims (and their payments), {len(d.allergies)} allergies, "
                 f"{len(d.vitals)} vitals, {len(d.note_rows)} notes. '<' = the duplicate's "
                 "value is kept (Left/Right). Enter: merge.")  # fmt: skip
        self.query_one("#merge-moves", Static).update(moves)

    def action_choose(self) -> None:
        row = self.query_one("#merge-list", PagedList).current
        if row is None:
            return
        name = row.data
        other = _text(getattr(self.duplicate, name, ""))
        if not other or other == _text(getattr(self.survivor, name, "")):
            self.status("Nothing to choose: the duplicate has no other value for this field.")
            return
        self.take ^= {name}
        self.status("")
        self._redraw()

    def action_swap(self) -> None:
        self.survivor, self.duplicate = self.duplicate, self.survivor
        self.take.clear()
        self._redraw()

    def status(self, text: str) -> None:
        self.query_one("#merge-status", Static).update(display(text))

    def on_paged_list_selected(self, event: PagedList.Selected) -> None:
        event.stop()
        self.action_merge()

    def action_merge(self) -> None:
        if self._merging:
            return
        question = (f"Merge {self.duplicate.mrn} into {self.survivor.mrn}? Everything of "
                    f"{self.duplicate.mrn} moves; it stays on file, inactive.")  # fmt: skip
        self.app.push_screen(ConfirmScreen(question, yes="merge", no="not yet"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        self._merging = True
        actor = self.app.actor  # type: ignore[attr-defined]
        keep, drop, take = self.survivor, self.duplicate, sorted(self.take)

        def merge() -> patients.MergeResult:
            return patients.merge_patients(actor, keep.id, drop.id, keep.version, drop.version,
                                           take_from_duplicate=take)  # fmt: skip

        call_service(self, merge, on_result=self._done, on_error=self._refused,
                     on_done=self._finished, key=f"patient:{keep.id}",
                     description="merge")  # fmt: skip

    def _finished(self) -> None:
        self._merging = False

    def _done(self, result: patients.MergeResult) -> None:
        moved = sum(result.moved.values())
        self.notify(f"Merged: {moved} rows moved to {self.survivor.mrn}.", markup=False)
        self.dismiss(result.survivor_id)

    def _refused(self, error: DomainError) -> None:
        self.status(str(error))

    def action_close(self) -> None:
        self.dismiss(None)
