"""Patients pane: type a name, MRN, DOB or phone; results follow each keystroke.

The first keystroke after a pause searches at once; keys typed faster than ~100 ms
apart each start an exclusive search that waits first, so a fast typist's next key
cancels it before it touches the database and "smith" costs one query, not five.
Results arrive a page at a time (keyset ``after``) as the cursor nears the end.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from medoffice_tui import clock
from medoffice_tui.services import patients
from medoffice_tui.services.paging import Page
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import age_text, us_date
from medoffice_tui.ui.screens.patient import PatientScreen
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList
from medoffice_tui.ui.widgets.plain_input import PlainInput

SEARCH_DELAY_S = 0.1
PAGE_SIZE = 50

COLUMNS = (
    Column("Name", flex=1, min_width=16),
    Column("DOB", 10),
    Column("Age", 4, align="right"),
    Column("Sex", 3),
    Column("MRN", 9),
    Column("Phone", 14),
)

HINT = "Find by: smi · smith, jo · s1234 · MRN · 3/4/1980 · phone last 4"


def patient_row(p: patients.PatientRow) -> ListRow:
    return ListRow(
        cells=(
            p.display_name,
            us_date(p.dob) if p.dob else "unreadable",
            age_text(p.dob, clock.today()),
            p.sex,
            p.mrn,
            p.phone,
        ),
        data=p,
        style="" if p.active else "muted",
    )


class PatientSearchInput(PlainInput):
    """The search box (its own class so the stylesheet and tests can find it)."""


class PatientsPane(Pane):
    """Live patient search and the way into a patient's record."""

    TITLE = "Patients"
    PANE_KEY = "f3"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "focus_results",
            "To results",
            show=False,
            id="patients.to-results",
            tooltip="From search box into results",
        ),
        Binding(
            "ctrl+f",
            "focus_search",
            "Search",
            id="patients.search",
            tooltip="Back to the search box",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear",
            id="patients.clear",
            tooltip="Clear the search",
        ),
        Binding(
            "ctrl+t",
            "toggle_inactive",
            "Inactive",
            id="patients.inactive",
            tooltip="Show/hide inactive patients",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="patients.reload",
            tooltip="Run the search again",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._query = ""
        self._generation = 0
        self._next_after: Any | None = None
        self._last_keystroke_at = 0.0
        self.include_inactive = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="patients-search-row"):
            yield Label("Find ", id="patients-search-label")
            yield PatientSearchInput(
                placeholder="name, MRN, DOB or phone", id="patient-search", compact=True
            )
        yield Static(HINT, id="patients-hint", classes="pane-status", markup=False)
        yield PagedList(COLUMNS, empty_text="Type to search", id="patients-list")

    @property
    def search_box(self) -> PatientSearchInput:
        return self.query_one("#patient-search", PatientSearchInput)

    @property
    def list(self) -> PagedList:
        return self.query_one("#patients-list", PagedList)

    @property
    def focus_target(self) -> Widget | None:
        return self.search_box

    def activate(self) -> None:
        self._loaded = True  # nothing to load until something is typed
        super().activate()

    def reset(self) -> None:
        super().reset()
        self.search_box.value = ""
        self._query = ""
        self.reload()

    # ------------------------------------------------------------- actions

    def action_focus_results(self) -> None:
        if self.list.row_count:
            focus_now(self.list)

    def action_focus_search(self) -> None:
        focus_now(self.search_box)

    def action_clear_search(self) -> None:
        self.search_box.value = ""
        focus_now(self.search_box)

    def action_toggle_inactive(self) -> None:
        self.include_inactive = not self.include_inactive
        extra = "  (+inactive)" if self.include_inactive else ""
        self.query_one("#patients-hint", Static).update(HINT + extra)
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def on_key(self, event: events.Key) -> None:
        """Typing while in the results goes on with the search (no need to go back first)."""
        if event.is_printable and event.character and self.list.has_focus:
            event.stop()
            event.prevent_default()
            box = self.search_box
            focus_now(box)
            box.cursor_position = len(box.value)
            box.insert_text_at_cursor(event.character)

    @on(PagedList.AboveTop, "#patients-list")
    def _back_to_search(self) -> None:
        focus_now(self.search_box)

    @on(Input.Changed, "#patient-search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query = event.value.strip()
        # Leading-edge debounce: the first keystroke after a pause searches at once;
        # keystrokes typed faster than SEARCH_DELAY_S apart wait, and each cancels the last.
        now = time.monotonic()
        burst = now - self._last_keystroke_at < SEARCH_DELAY_S
        self._last_keystroke_at = now
        self.reload(delay=SEARCH_DELAY_S if burst else 0.0)

    @on(Input.Submitted, "#patient-search")
    def _query_submitted(self) -> None:
        """Enter in the box: open the patient if exactly one matched, else go to the list."""
        if self.list.row_count == 1 and not self.list.has_more:
            self.list.action_select()
        else:
            self.action_focus_results()

    @on(PagedList.MoreWanted, "#patients-list")
    def _more_wanted(self) -> None:
        if self._next_after is not None:
            self._search(self._generation, self._query, self._next_after, 0.0)

    @on(PagedList.Selected, "#patients-list")
    def _open_patient(self, event: PagedList.Selected) -> None:
        self.app.push_screen(PatientScreen(event.row.data.id))

    # ------------------------------------------------------------- loading

    def reload(self, delay: float = 0.0) -> None:
        self._generation += 1
        self._next_after = None
        if not self._query:
            self.workers.cancel_group(self, "patient-search")
            self.list.empty_text = "Type to search"
            self.list.set_rows([])
            return
        self._search(self._generation, self._query, None, delay)

    def _search(self, generation: int, query: str, after: Any | None, delay: float) -> None:
        inactive = self.include_inactive

        def search() -> tuple[Page[patients.PatientRow], bool]:
            page = patients.search_patients(
                query, limit=PAGE_SIZE, after=after, include_inactive=inactive
            )
            if after is None and not page.rows:
                # nothing starts with that: offer names close to it despite typos
                close = patients.fuzzy_search_patients(query, include_inactive=inactive)
                return Page(close), bool(close)
            return page, False

        call_service(
            self,
            search,
            on_result=lambda found: self._show_page(generation, found[0], after is not None,
                                                    found[1]),  # fmt: skip
            group="patient-search",
            exclusive=True,
            delay=delay,
            interruptible=True,
            description="patient search",
        )

    def _show_page(
        self,
        generation: int,
        page: Page[patients.PatientRow],
        more: bool,
        guessed: bool = False,
    ) -> None:
        if generation != self._generation:
            return  # an answer to a query the desk has already changed
        self._next_after = page.next_after
        rows = [patient_row(p) for p in page.rows]
        hint = self.query_one("#patients-hint", Static)
        extra = "  (+inactive)" if self.include_inactive else ""
        hint.update(("No exact match. Did you mean:" if guessed else HINT) + extra)
        if more:
            self.list.append_rows(rows, has_more=page.has_more)
        else:
            self.list.empty_text = "No patient matches that"
            self.list.set_rows(rows, has_more=page.has_more)
