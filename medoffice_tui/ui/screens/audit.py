"""F8: the audit trail, for managers: who did what, newest first, filtered and paged.

``f`` filters by user, patient, dates and action; ``v`` checks the whole hash chain;
``x`` exports what the filter shows as CSV. Every read goes through
``services/audit_view.py``, which refuses anyone but a manager (and audits that).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui import files
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit_view
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.audit import ACTIONS, AuditFilter, AuditRow, ChainReport
from medoffice_tui.services.paging import Page
from medoffice_tui.ui.forms import ChoiceField, DateField, FormScreen, TextField
from medoffice_tui.ui.forms.patient_picker import PatientPickerField
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.list_pager import ListPager
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

PAGE_SIZE = 100

COLUMNS = (
    Column("When", 11),
    Column("User", 10),
    Column("Action", 14),
    Column("Record", 16, flex=1, min_width=10),
    Column("Pt#", 6, align="right"),
    Column("What", flex=2, min_width=10),
)


def audit_row(row: AuditRow) -> ListRow:
    record = row.entity + (f" #{row.entity_id}" if row.entity_id is not None else "")
    what = ", ".join(part for part in (row.fields.replace(",", " "), row.detail) if part)
    return ListRow(
        cells=(
            row.at_local.strftime("%m/%d %H:%M"),
            row.username or "?",
            ACTIONS.get(row.action, row.action),
            record,
            "" if row.patient_id is None else str(row.patient_id),
            what,
        ),
        data=row,
        style="" if row.success else "bad",
    )


class AuditFilterForm(FormScreen[AuditFilter]):
    """Which events to show: any of user, patient, from/to dates, action."""

    FORM_TITLE = "Filter the audit trail"
    SAVE_LABEL = "apply"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, current: AuditFilter) -> None:
        super().__init__()
        self.actor = actor
        self.current = current

    def compose_fields(self) -> ComposeResult:
        now = self.current
        yield TextField("username", "User", value=now.username, hint="username", max_length=40)
        yield PatientPickerField("patient_id", "Patient")
        yield DateField("since", "From", value=now.since.strftime("%m/%d/%Y") if now.since else "")
        yield DateField("until", "To", value=now.until.strftime("%m/%d/%Y") if now.until else "")
        choices = [("", "any action"), *[(key, words) for key, words in ACTIONS.items()]]
        yield ChoiceField("action", "Action", choices, value=now.action)

    def save_call(self, values: dict[str, Any]) -> Callable[[], AuditFilter]:
        since, until = values["since"], values["until"]
        if since and until and since > until:
            raise InvalidInput("'from' is after 'to'", field="until")
        filt = AuditFilter(
            username=values["username"],
            patient_id=values["patient_id"],
            since=since,
            until=until,
            action=values["action"],
        )
        actor = self.actor

        def check() -> AuditFilter:
            audit_view.list_events(actor, filt, limit=1)  # an unknown username is refused
            return filt

        return check


class ExportForm(FormScreen[int]):
    """Where to write the CSV of what the filter shows (a new file, owner-only)."""

    FORM_TITLE = "Export the audit trail as CSV"
    SAVE_LABEL = "export"

    def __init__(self, actor: Actor, filt: AuditFilter) -> None:
        super().__init__()
        self.actor = actor
        self.filt = filt

    def compose_fields(self) -> ComposeResult:
        yield TextField("path", "File", required=True, value="audit.csv", hint=".csv")

    def save_call(self, values: dict[str, Any]) -> Callable[[], int]:
        path = Path(values["path"]).expanduser()
        if path.exists():
            raise InvalidInput("that file exists already: choose a new name", field="path")
        if not path.parent.is_dir():
            raise InvalidInput("that folder does not exist", field="path")
        actor, filt = self.actor, self.filt

        def export() -> int:
            files.secure_file(path)
            with open(path, "w", encoding="utf-8", newline="") as out:
                return audit_view.export_csv(actor, out, filt)

        return export


class AuditScreen(SafeDispatch, QuietFocus, Screen[None]):
    """The trail, newest first."""

    TITLE = "Audit trail"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="audit.close", tooltip="Back to the panes"),
        Binding("f", "filter", "Filter", id="audit.filter", tooltip="User, patient, dates, action"),
        Binding("c", "clear_filter", "Clear", id="audit.clear", tooltip="Show every event"),
        Binding("v", "verify", "Verify", id="audit.verify", tooltip="Check the hash chain"),
        Binding("x", "export", "Export", id="audit.export", tooltip="Export as CSV"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="audit.reload",
            tooltip="Read the trail again",
        ),  # fmt: skip
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filt = AuditFilter()

    def compose(self) -> ComposeResult:
        yield Static(" Audit trail", id="audit-title", classes="screen-title", markup=False)
        yield Static("", id="audit-filter", classes="pane-status", markup=False)
        yield PagedList(COLUMNS, empty_text="No events match", id="audit-list")
        yield KeyLine()

    @property
    def actor(self) -> Actor:
        return self.app.actor  # type: ignore[attr-defined,no-any-return]

    @property
    def list(self) -> PagedList:
        return self.query_one("#audit-list", PagedList)

    def on_mount(self) -> None:
        # End reads the oldest page backwards, Home the newest again (ListPager)
        self.pager: ListPager[AuditRow] = ListPager(
            self,
            self.list,
            self._fetch,
            audit_row,
            page_size=PAGE_SIZE,
            on_loaded=self._show_filter,
            description="audit list",
        )
        self.list.focus()
        self.action_reload()

    def _fetch(self, **where: Any) -> Page[AuditRow]:
        return audit_view.list_events(self.actor, self.filt, **where)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self._show_filter("loading...")
        self.pager.reload()

    def _show_filter(self, extra: str = "") -> None:
        shown = f"{self.list.row_count}{'+' if self.list.has_more else ''} shown"
        text = f"Showing {self.filt.describe()}  ({extra or shown})"
        self.query_one("#audit-filter", Static).update(text)

    def action_filter(self) -> None:
        self.app.push_screen(AuditFilterForm(self.actor, self.filt), self._filtered)

    def _filtered(self, filt: AuditFilter | None) -> None:
        if filt is not None:
            self.filt = filt
            self.action_reload()

    def action_clear_filter(self) -> None:
        self.filt = AuditFilter()
        self.action_reload()

    def action_verify(self) -> None:
        actor = self.actor
        self.notify("Checking the audit chain...", markup=False)
        call_service(
            self,
            lambda: audit_view.verify(actor),
            on_result=self._verified,
            group="audit-verify",
            description="audit verify",
        )

    def _verified(self, report: ChainReport) -> None:
        self.notify(
            report.describe(),
            severity="information" if report.ok else "error",
            markup=False,
            timeout=10,
        )

    def action_export(self) -> None:
        self.app.push_screen(ExportForm(self.actor, self.filt), self._exported)

    def _exported(self, count: int | None) -> None:
        if count is not None:
            self.notify(f"Exported {count:,} events", markup=False)
            self.action_reload()
