"""A patient's record: demographics, insurance, allergies, vitals, visits, claims, notes.

An opaque full screen rather than a modal: over SSH a modal re-sends the screen
beneath it several times while it fades in; a plain screen paints once.

Each section takes the focus in turn (Tab / Shift+Tab; Up/Down move within a list) and
the keys act on the section that has it: ``e`` edits (the highlighted coverage or
allergy, the demographics ...), ``a`` adds, ``d`` removes, ``k`` records "no known
allergies", ``c`` marks the highlighted coverage's eligibility checked today. From
anywhere: ``v`` a set of vitals, ``b`` book an appointment, ``m`` merge with a
duplicate (manager). Every open (and every re-read after a save) is an audited view.

The parts: ``patient_text`` (the words: title, demographics, summaries),
``patient_sections`` (the list sections and their rows), ``patient_keys`` (which key
works where) and ``patient_actions`` (what the keys do); this module is the screen that
puts them together, reads the record and shows it.

Opened through :func:`open_record`, the record is read first and the screen's first
frame shows all of it (one layout pass, one paint); nothing in it takes
the focus but the demographics and the sections (the scrolling body does not, so
opening the record restyles no container on the way), and setting the record's text
repaints and lays out only what changed size.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.services import patients
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now, hold_keys, release_keys
from medoffice_tui.ui.panes.fmt import money
from medoffice_tui.ui.patient_memory import remember
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.patient_actions import RecordActions
from medoffice_tui.ui.screens.patient_keys import key_state
from medoffice_tui.ui.screens.patient_sections import (
    SECTIONS,
    Demographics,
    Section,
    allergy_rows,
    claim_rows,
    coverage_rows,
    note_rows,
    visit_rows,
    vitals_rows,
)
from medoffice_tui.ui.screens.patient_text import (
    allergy_summary,
    demographics,
    field,
    title_line,
)
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine

__all__ = ["PatientScreen", "open_record"]


class RecordBody(VerticalScroll, can_focus=False):
    """The scrolling body: it scrolls to whichever section has the focus, and never takes
    the focus itself (a focusable body would be focused first, then blurred, each a
    restyle of every section under it)."""


class PatientScreen(RecordActions, SafeDispatch, QuietFocus, Screen[None]):
    """One patient's record; Escape goes back to where it was opened from."""

    TITLE = "Patient record"
    #: the first focus goes straight to the demographics
    AUTO_FOCUS = "#patient-detail"

    DEFAULT_CSS = """
    PatientScreen Demographics { height: auto; padding: 0 1; margin-bottom: 1; }
    PatientScreen Demographics:focus { background: $boost; }
    PatientScreen .section-title { height: 1; text-style: bold underline; padding: 0 1; }
    PatientScreen #patient-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="patient.close", tooltip="Back to the list"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="patient.edit",
            tooltip="Edit this section (the highlighted coverage or allergy)",
        ),  # fmt: skip
        Binding(
            "a",
            "add",
            "Add",
            id="patient.add",
            tooltip="Add to this section: a coverage, an allergy, a note",
        ),  # fmt: skip
        Binding(
            "d",
            "remove",
            "Remove",
            id="patient.remove",
            tooltip="End the highlighted coverage / remove the allergy",
        ),  # fmt: skip
        Binding(
            "k", "nka", "NKA", id="patient.nka", tooltip="Asked: no known allergies"
        ),  # fmt: skip
        Binding(
            "c",
            "checked",
            "Elig. checked",
            id="patient.eligibility",
            tooltip="Eligibility of the highlighted coverage checked today",
        ),  # fmt: skip
        Binding("v", "vitals", "Vitals", id="patient.vitals", tooltip="Record a set of vitals"),
        Binding("b", "book", "Book", id="patient.book", tooltip="Book an appointment"),
        Binding(
            "s",
            "statement",
            "Statement",
            show=False,
            id="patient.statement",
            tooltip="Write the patient's statement (PDF: what is owed)",
        ),  # fmt: skip
        Binding(
            "m",
            "merge",
            "Merge",
            id="patient.merge",
            tooltip="Merge with a duplicate record (manager)",
        ),  # fmt: skip
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="patient.reload",
            tooltip="Read the record again",
        ),  # fmt: skip
    ]

    def __init__(self, patient_id: int, detail: patients.PatientDetail | None = None) -> None:
        """``detail``: the record already read (by :func:`open_record`), shown in the
        screen's first frame; without it the screen reads the record itself."""
        super().__init__()
        self.patient_id = patient_id
        self.detail: patients.PatientDetail | None = None
        self._first_detail = detail

    def compose(self) -> ComposeResult:
        yield Static(" Patient", id="patient-title", markup=False)
        with RecordBody(id="patient-body"):
            yield Demographics("", id="patient-detail", markup=False)
            for key, title, columns, empty in SECTIONS:
                yield Static(title, classes="section-title", id=f"title-{key}", markup=False)
                yield Section(key, columns, empty)
        yield Static("", id="patient-status", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        remember(self.app, self.patient_id)
        focus_now(self.query_one("#patient-detail"))
        detail, self._first_detail = self._first_detail, None
        if detail is not None:
            self._show(detail)  # before the first frame: one layout, one paint
        else:
            self.action_reload()

    # ------------------------------------------------------------- sections

    @property
    def section(self) -> str:
        node: Any = self.focused
        while isinstance(node, Widget) and not isinstance(node, Section | Demographics):
            node = node.parent
        return node.section if isinstance(node, Section | Demographics) else "demographics"

    def section_list(self, name: str) -> Section:
        return self.query_one(f"#sec-{name}", Section)

    def current(self, name: str) -> Any:
        row = self.section_list(name).current
        return row.data if row is not None else None

    def may(self, action: str) -> bool:
        may = getattr(self.app, "may", None)
        return bool(may and may(action))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_state(action, self.section, self.detail, self.may, self.current)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_paged_list_highlighted(self) -> None:
        self.refresh_bindings()

    # -------------------------------------------------------------- loading

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._load(self.patient_id)

    def _load(self, patient_id: int) -> None:
        actor = self.app.actor  # type: ignore[attr-defined]
        call_service(
            self,
            lambda: patients.get_patient(actor, patient_id),
            on_result=self._show,
            group="patient-detail",
            exclusive=True,
            description="patient record",
        )

    def _show(self, detail: Any) -> None:
        self.detail = detail
        today = clock.today()
        self.query_one("#patient-title", Static).update(title_line(detail, today), layout=False)
        body = Text("\n", end="").join(demographics(detail, today))
        self.query_one("#patient-detail", Static).update(body)
        allergy_empty = "Not asked yet (a: add, k: no known allergies)"
        if field(detail, "allergy_status") == "nka":
            allergy_empty = allergy_summary(detail)
        self.section_list("insurance").show(coverage_rows(field(detail, "coverages", [])))
        self.section_list("allergies").show(allergy_rows(field(detail, "allergies", [])),
                                            allergy_empty)  # fmt: skip
        self.section_list("vitals").show(vitals_rows(field(detail, "vitals", [])))
        self.section_list("visits").show(
            visit_rows(field(detail, "upcoming", []), field(detail, "past", []))
        )
        self.section_list("claims").show(claim_rows(field(detail, "claims", [])))
        balance = field(detail, "open_balance_cents", 0)
        self.query_one("#title-claims", Static).update(
            f"Claims  (open balance ${money(balance)})" if balance else "Claims", layout=False
        )
        self.section_list("notes").show(note_rows(field(detail, "note_rows", [])))
        self.refresh_bindings()

    def status(self, text: str) -> None:
        self.query_one("#patient-status", Static).update(display(text), layout=False)


def open_record(node: DOMNode, patient_id: int) -> None:
    """Read a patient's record, then show it: the screen's first frame is the whole
    record (one layout pass and one paint), not an empty record and then another full
    frame when it has been read. Keys typed meanwhile wait, then go to the record."""
    actor = node.app.actor  # type: ignore[attr-defined]
    hold_keys(node, "patient-record")

    def loaded(detail: patients.PatientDetail) -> None:
        node.app.push_screen(PatientScreen(patient_id, detail))

    call_service(
        node,
        lambda: patients.get_patient(actor, patient_id),
        on_result=loaded,
        on_done=lambda: release_keys(node, "patient-record"),
        description="patient record",
    )
