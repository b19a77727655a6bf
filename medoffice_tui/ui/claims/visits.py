"""Completed visits without a claim, newest first: Enter (or c) enters the visit's charges."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui.services import claims
from medoffice_tui.ui.claims.actions import open_charge_form
from medoffice_tui.ui.panes.fmt import hhmm, short_us_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

COLUMNS = (
    Column("Seen", 8),
    Column("At", 5),
    Column("Patient", flex=3, min_width=12),
    Column("Provider", flex=2, min_width=10),
    Column("Reason", flex=2, min_width=8, optional=True),
)


class VisitsToBillScreen(SafeDispatch, QuietFocus, Screen[None]):
    TITLE = "Visits to bill"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="visits.close", tooltip="Back to the queue"),
        Binding(
            "c",
            "charges",
            "Charges",
            id="visits.charges",
            tooltip="Enter the visit's charges (Enter does too)",
        ),
        Binding("ctrl+r", "reload", "Reload", show=False, id="visits.reload", tooltip="Reload"),
    ]

    DEFAULT_CSS = """
    VisitsToBillScreen #visits-title { height: 1; background: $panel; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._next: Any = None

    def compose(self) -> ComposeResult:
        yield Static(
            " Completed visits without a claim (newest first)", id="visits-title", markup=False
        )
        yield PagedList(COLUMNS, empty_text="Every completed visit has its claim", id="visits-list")
        yield KeyLine()

    @property
    def list(self) -> PagedList:
        return self.query_one("#visits-list", PagedList)

    def on_mount(self) -> None:
        self.list.focus()
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        call_service(
            self,
            lambda: claims.visits_to_bill(limit=100),
            on_result=lambda page: self._show(page, False),
            group="visits",
            exclusive=True,
        )

    def _show(self, page: Any, more: bool) -> None:
        rows = [
            ListRow(
                (
                    short_us_date(v.start.date()),
                    hhmm(v.start),
                    v.patient_name,
                    v.provider_name,
                    v.reason,
                ),
                data=v,
            )
            for v in page.rows
        ]
        self._next = page.next_after
        if more:
            self.list.append_rows(rows, has_more=page.has_more)
        else:
            self.list.set_rows(rows, has_more=page.has_more)

    @on(PagedList.MoreWanted, "#visits-list")
    def _more(self) -> None:
        after = self._next
        if after is not None:
            call_service(
                self,
                lambda: claims.visits_to_bill(after=after, limit=100),
                on_result=lambda page: self._show(page, True),
                group="visits",
            )

    @on(PagedList.Selected, "#visits-list")
    def _selected(self) -> None:
        self.action_charges()

    def action_charges(self) -> None:
        row = self.list.current
        if row is None:
            return
        open_charge_form(
            self, appointment_id=row.data.appointment_id, then=lambda _cid: self.action_reload()
        )
