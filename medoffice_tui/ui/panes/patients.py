"""Patients pane: type a name, MRN, DOB or phone; results follow each keystroke.

Results: exact matches first, then names starting with what was typed, then (after the
last of those) names spelt close to it, marked ``~``; each row shows DOB, age, MRN,
phone, the next appointment and the allergy state (``!`` allergies on file, ``NKA``,
``?`` not asked).

Each keystroke's first page is read right there on the UI thread when SQLite answers
it within the inline budget (an indexed prefix, MRN, DOB or phone search: about a
millisecond), so its rows are drawn in the frame of the key, with no worker round trip
and no wait, however fast the keys come. A search past that budget (a misspelt name) is
stopped and run on a worker, interrupted in the database if a newer key replaces it;
while a first page takes longer than ``SEARCH_DELAY_S`` to come, keys typed faster than
that apart wait that long first, so a fast typist's next key cancels a search before it
starts. Later pages arrive a page at a time (keyset ``after``) on a worker.

Of a burst typed faster than the pane reads it ("smi" in one packet), only the text
the box holds when its change is read is searched: the older texts would be replaced
before they were drawn.

A new page that shows the same rows as the one on screen (typing "smit" then "smith")
repaints nothing; one whose rows differ in place repaints only the lines that changed.

Type-ahead: Down and Enter typed before the results of what was typed have arrived are
remembered and applied to those results, so "smi", Down, Enter opens the first "smi"
patient however fast it was typed, never a row of an older search. Space in an empty box
recalls the last patient opened; ``n`` (in the results) or Ctrl+N registers a patient.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from medoffice_tui import clock
from medoffice_tui.services import patients
from medoffice_tui.services.paging import Page
from medoffice_tui.ui.focus import focus_now, hold_keys, release_keys
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import age_text, us_date
from medoffice_tui.ui.patient_memory import last_opened
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList
from medoffice_tui.ui.widgets.plain_input import PlainInput

SEARCH_DELAY_S = 0.1
PAGE_SIZE = 50
#: rows in a new query's first page: a screen of rows at 80x24 and some to move into
FIRST_PAGE_SIZE = 30

COLUMNS = (
    Column("Name", flex=1, min_width=14),
    Column("DOB", 10),
    Column("Age", 4, align="right"),
    Column("MRN", 8),
    Column("Phone", 14, optional=True),
    Column("Next", 8, optional=True),
    Column("Alg", 3),
)

HINT = "Find by: smi · smith, jo · s1234 · MRN · 3/4/1980 · phone last 4"
CLOSE_HINT = "No exact match. Did you mean (~):"
ALLERGY_FLAGS = {"listed": "!", "nka": "NKA", "unknown": "?"}


def patient_row(p: patients.PatientRow) -> ListRow:
    close = p.match == patients.MATCH_CLOSE
    upcoming = p.next_appointment
    nxt = ""
    if upcoming is not None:
        nxt = (
            upcoming.strftime("%H:%M")
            if upcoming.date() == clock.today()
            else (upcoming.strftime("%m/%d/%y"))
        )
    flag = ALLERGY_FLAGS.get(p.allergy_status, "")
    return ListRow(
        cells=(
            ("~ " if close else "") + p.display_name,
            us_date(p.dob) if p.dob else "unreadable",
            age_text(p.dob, clock.today()),
            p.mrn,
            p.phone,
            nxt,
            flag,
        ),
        data=p,
        style="muted" if not p.active else ("info" if close else ""),
        cell_styles={6: "bad"} if flag == "!" else {},
    )


class PatientSearchInput(PlainInput):
    """The search box: Space in it while empty recalls the last patient opened."""

    class RecallLast(Message):
        """Space was pressed in the empty box."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space" and not self.value:
            event.stop()
            event.prevent_default()
            self.post_message(self.RecallLast())
            return
        await super()._on_key(event)


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
            "ctrl+n,n",
            "register",
            "Register",
            id="patients.register",
            tooltip="Register a new patient (n in the results, Ctrl+N anywhere)",
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
        self._shown_generation = -1
        self._next_after: Any | None = None
        self._last_keystroke_at = 0.0
        #: did the last first page take longer than SEARCH_DELAY_S to come (a slow search)?
        self._slow = False
        self._hint = HINT
        #: what Down / Enter typed ahead of the results asked for: "", "focus", "submit", "open"
        self._intent = ""
        self.include_inactive = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="patients-search-row"):
            yield Label("Find ", id="patients-search-label")
            yield PatientSearchInput(
                placeholder="name, MRN, DOB or phone", id="patient-search", compact=True
            )
        yield Static(HINT, id="patients-hint", classes="pane-status", markup=False)
        yield PagedList(COLUMNS, empty_text="Type to search", id="patients-list")

    def on_mount(self) -> None:
        # nothing here follows the cursor (the key line does, through the list itself):
        # a cursor move posts no message to bubble up through the pane, screen and app
        self.list.on_cursor = lambda _moved: None

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
        self._intent = ""
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "register" and not self.may("patient.create"):
            return False
        return True

    @property
    def results_current(self) -> bool:
        """Do the rows on screen answer what is in the box now?"""
        return self._shown_generation == self._generation

    # ------------------------------------------------------------- actions

    def action_focus_results(self) -> None:
        if not self.results_current and self._query:
            self._intent = "focus"  # the results are on their way: go there when they come
            return
        if self.list.row_count:
            focus_now(self.list)

    def action_focus_search(self) -> None:
        focus_now(self.search_box)

    def action_clear_search(self) -> None:
        self.search_box.value = ""
        self._intent = ""
        focus_now(self.search_box)

    def action_register(self) -> None:
        """The registration form (it needs the payer list: keys typed meanwhile wait)."""
        if not self.may("patient.create"):
            return
        from medoffice_tui.ui.screens.registration import RegistrationForm

        hold_keys(self, "registration")

        def loaded(payers: list[patients.PayerChoice]) -> None:
            self.app.push_screen(RegistrationForm(payers), self._registered)

        call_service(self, patients.list_payers, on_result=loaded,
                     on_done=lambda: release_keys(self, "registration"),
                     description="payer list")  # fmt: skip

    def _registered(self, result: Any) -> None:
        patient_id = getattr(result, "id", None) or (
            result[1] if isinstance(result, tuple) and result[0] == "open" else None
        )
        if isinstance(patient_id, int):
            self._open(patient_id)

    def action_toggle_inactive(self) -> None:
        self.include_inactive = not self.include_inactive
        self._set_hint(HINT)
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def on_key(self, event: events.Key) -> None:
        """Typing while in the results goes on with the search (no need to go back first);
        ``n`` there registers a patient."""
        if event.is_printable and event.character and self.list.has_focus:
            if event.character == "n":
                return  # the pane's binding takes it
            event.stop()
            event.prevent_default()
            box = self.search_box
            focus_now(box)
            box.cursor_position = len(box.value)
            box.insert_text_at_cursor(event.character)

    @on(PagedList.AboveTop, "#patients-list")
    def _back_to_search(self) -> None:
        focus_now(self.search_box)

    @on(PatientSearchInput.RecallLast)
    def _recall_last(self) -> None:
        patient_id = last_opened(self.app)
        if patient_id is None:
            self.notify("No patient opened yet in this session.", markup=False)
            return
        self._open(patient_id)

    @on(Input.Changed, "#patient-search")
    def _query_changed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            # keys typed in one burst: the box already holds a later key, whose own
            # Changed comes next; searching this older text would only be thrown away
            return
        self._query = event.value.strip()
        self._intent = ""
        # An indexed search answers inline, at once, whatever the typing speed. Only while
        # searches are slow (the last went to a worker) do keys typed faster than
        # SEARCH_DELAY_S apart wait, each cancelling the one before it.
        now = time.monotonic()
        burst = now - self._last_keystroke_at < SEARCH_DELAY_S
        self._last_keystroke_at = now
        self.reload(delay=SEARCH_DELAY_S if burst and self._slow else 0.0)

    @on(Input.Submitted, "#patient-search")
    def _query_submitted(self) -> None:
        """Enter in the box: open the patient if exactly one matched, else go to the list.
        Typed before the results came: Down then Enter opens the first result; Enter alone
        does what it would have done with them."""
        if not self.results_current and self._query:
            self._intent = "open" if self._intent == "focus" else "submit"
            return
        self._submit()

    def _submit(self) -> None:
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
        self._open(event.row.data.id)

    def _open(self, patient_id: int) -> None:
        from medoffice_tui.ui.screens.patient import open_record

        open_record(self, patient_id)

    # ------------------------------------------------------------- loading

    def reload(self, delay: float = 0.0) -> None:
        self._generation += 1
        self._next_after = None
        if not self._query:
            self.workers.cancel_group(self, "patient-search")
            self.list.empty_text = "Type to search"
            self.list.set_rows([])
            self._shown_generation = self._generation
            return
        self._search(self._generation, self._query, None, delay)

    def _search(self, generation: int, query: str, after: Any | None, delay: float) -> None:
        inactive = self.include_inactive
        # a new query's first page is what fits on the screen and a little more (quick
        # enough to read inline); the pages after it, read as the cursor nears the end,
        # are whole pages
        limit = PAGE_SIZE if after is not None else FIRST_PAGE_SIZE
        asked = time.monotonic()

        def search() -> Page[patients.PatientRow]:
            return patients.search_patients(
                query, limit=limit, after=after, include_inactive=inactive,
                close_matches="auto", details=True,
            )  # fmt: skip

        def answered(page: Page[patients.PatientRow]) -> None:
            if after is None:
                self._slow = time.monotonic() - asked > SEARCH_DELAY_S
            self._show_page(generation, page, after is not None)

        call_service(
            self,
            search,
            on_result=answered,
            group="patient-search",
            exclusive=True,
            delay=delay,
            interruptible=True,
            # the first page of a new query: on the UI thread when it is quick (see above)
            inline=after is None,
            description="patient search",
        )

    def _set_hint(self, text: str) -> None:
        """The line under the box: repainted only when its words change (one line, same
        size: never a layout pass)."""
        text += "  (+inactive)" if self.include_inactive else ""
        if text != self._hint:
            self._hint = text
            self.query_one("#patients-hint", Static).update(text, layout=False)

    def _set_rows(self, rows: list[ListRow], has_more: bool) -> None:
        """Show a new query's first page, repainting only the lines that differ from what
        the list shows (the cursor at the top either way)."""
        shown = self.list
        if (
            rows
            and shown.row_count == len(rows)
            and shown.has_more == has_more
            and shown.cursor_row == 0
            and shown.paging_idle  # a page of the old query still asked for: start anew
            and not shown.has_before
            and int(shown.scroll_offset.y) == 0
            and (not has_more or len(rows) > shown.page_rows + 1)
        ):
            for index, (old, new) in enumerate(zip(shown.rows, rows, strict=True)):
                if old != new:
                    shown.replace_row(index, new)
            return
        shown.set_rows(rows, has_more=has_more)

    def _show_page(self, generation: int, page: Page[patients.PatientRow], more: bool) -> None:
        if generation != self._generation:
            return  # an answer to a query the desk has already changed
        self._next_after = page.next_after
        rows = [patient_row(p) for p in page.rows]
        if more:
            self.list.append_rows(rows, has_more=page.has_more)
            return
        all_close = bool(page.rows) and all(p.match == patients.MATCH_CLOSE for p in page.rows)
        self._set_hint(CLOSE_HINT if all_close else HINT)
        self.list.empty_text = "No patient matches that"
        self._set_rows(rows, page.has_more)
        self._shown_generation = generation
        intent, self._intent = self._intent, ""
        if intent == "focus":
            self.action_focus_results()
        elif intent == "submit":
            self._submit()
        elif intent == "open" and self.list.row_count:
            focus_now(self.list)
            self.list.move_cursor(0)
            self.list.action_select()
