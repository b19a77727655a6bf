"""The claims-files screen's forms (send, read, resend, print, eligibility) and the
report screen that shows what reading a file did.

Each form asks only where (a folder or a file, the practice's claims-files folder by
default) and, for eligibility, which day; the service does the rest and its refusal
is shown in the form, typed values kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import cms1500
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.x12 import eligibility, export, folders, inbox
from medoffice_tui.services.x12.reports import FileRefused, FileReport
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.forms import ChoiceField, DateField, FormScreen, TextField
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList


def _where(text: str, *, new_file: bool = False) -> Path:
    """The folder or file typed (the default folders are made when missing)."""
    path = folders.ready(Path(text).expanduser())
    if path.is_dir():
        return path
    if not path.parent.is_dir():
        raise InvalidInput("that folder does not exist", field="where")
    if new_file and path.exists():
        raise InvalidInput(f"{path.name} exists already: choose a new name", field="where")
    return path


class SendForm(FormScreen[export.ExportResult]):
    """Every ready claim (that the scrubber passes) into one 837P."""

    FORM_TITLE = "Send the ready claims as one 837P file"
    SAVE_LABEL = "send"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, ready: int) -> None:
        super().__init__()
        self.actor = actor
        self.ready = ready

    def form_title(self) -> str:
        return f"Send the {self.ready} ready claims as one 837P file (checked by pyx12)"

    def compose_fields(self) -> ComposeResult:
        yield TextField(
            "where", "Folder or file", value=str(folders.outbox()), required=True, max_length=400
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], export.ExportResult]:
        where = _where(values["where"], new_file=True)
        actor = self.actor
        return lambda: export.export_837p(actor, where)


class ResendForm(FormScreen[export.ExportResult]):
    """A rejected claim, once fixed: marked ready and sent again on its own."""

    SAVE_LABEL = "resend"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, claim_id: int, claim_number: str, version: int) -> None:
        super().__init__()
        self.actor = actor
        self.claim_id = claim_id
        self.claim_number = claim_number
        self.version = version

    def form_title(self) -> str:
        return f"Resend {self.claim_number}: checked again, then sent in a new 837P"

    def compose_fields(self) -> ComposeResult:
        yield TextField(
            "where", "Folder or file", value=str(folders.outbox()), required=True, max_length=400
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], export.ExportResult]:
        where = _where(values["where"], new_file=True)
        actor, claim_id, version = self.actor, self.claim_id, self.version
        return lambda: export.resend_rejected(actor, claim_id, where, version)


def read_files(actor: Actor, where: Path) -> list[FileReport]:
    """Read every file named (a folder: each file in it); a refused one gives its report."""
    reports = []
    for path in inbox.files_in(where):
        try:
            reports.append(inbox.read_file(actor, path))
        except FileRefused as refused:
            reports.append(refused.report)
    return reports


class ReadForm(FormScreen[list[FileReport]]):
    """A file (or a folder of files) from the clearinghouse or a payer."""

    FORM_TITLE = "Read a file: 835 remittance, 999, 277CA or 271 (a folder: all of them)"
    SAVE_LABEL = "read"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose_fields(self) -> ComposeResult:
        yield TextField(
            "where", "File or folder", value=str(folders.inbox()), required=True, max_length=400
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], list[FileReport]]:
        where = folders.ready(Path(values["where"]).expanduser())
        if not where.exists():
            raise InvalidInput(f"no file or folder {where.name}", field="where")
        actor = self.actor
        return lambda: read_files(actor, where)


class PrintForm(FormScreen[cms1500.PrintResult]):
    """The ready claims on the CMS-1500 (02/12), as a PDF."""

    FORM_TITLE = "Print the ready claims on the CMS-1500 (02/12) as a PDF"
    SAVE_LABEL = "print"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, claim_id: int | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.claim_id = claim_id

    def compose_fields(self) -> ComposeResult:
        name = f"CMS1500-{clock.now():%Y%m%d-%H%M}.pdf"
        yield TextField(
            "where", "PDF file", value=str(folders.outbox() / name), required=True, max_length=400
        )
        yield ChoiceField(
            "layout",
            "Print",
            [("form", "the whole form (plain paper)"), ("data", "data only (red forms)")],
            value="form",
        )
        yield ChoiceField(
            "sent", "Then", [("no", "keep them ready"), ("yes", "mark them sent")], value="no"
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], cms1500.PrintResult]:
        target = Path(values["where"]).expanduser()
        folders.ready(target.parent)
        actor, claim = self.actor, self.claim_id
        data_only, mark_sent = values["layout"] == "data", values["sent"] == "yes"
        return lambda: cms1500.print_1500(
            actor,
            target,
            claim_ids=[claim] if claim else None,
            data_only=data_only,
            mark_sent=mark_sent,
        )


class EligibilityForm(FormScreen[eligibility.EligibilityExport]):
    """A 270 asking about one day's patients (tomorrow unless changed)."""

    FORM_TITLE = "Ask the payers about a day's patients (270 eligibility file)"
    SAVE_LABEL = "write"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose_fields(self) -> ComposeResult:
        tomorrow = clock.today() + dt.timedelta(days=1)
        yield DateField("day", "Day", value=tomorrow.strftime("%m/%d/%Y"), required=True)
        yield TextField(
            "where", "Folder or file", value=str(folders.outbox()), required=True, max_length=400
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], eligibility.EligibilityExport]:
        where = _where(values["where"], new_file=True)
        actor, day = self.actor, values["day"]
        return lambda: eligibility.export_270(actor, where, day=day)


class ReportScreen(SafeDispatch, QuietFocus, Screen[None]):
    """What reading a file (or sending one) did, line by line."""

    TITLE = "Claims file report"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="claim-report.close", tooltip="Back"),
        Binding("enter", "close", "Back", show=False, id="claim-report.done", tooltip="Back"),
    ]

    DEFAULT_CSS = """
    ReportScreen > PagedList { height: 1fr; }
    """
    SCREEN_TITLE = "Report (Esc: back)"

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.report_title = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield Static(f" {self.SCREEN_TITLE}", classes="screen-title", markup=False)
        yield PagedList(
            (Column("Report", flex=1, min_width=20),), empty_text="(empty)", id="report-lines"
        )
        yield KeyLine()

    def on_mount(self) -> None:
        import textwrap

        width = max(self.app.size.width - 2, 40)
        rows = []
        lines = [self.report_title, ""] + self.lines
        wrapped: list[str] = []
        for line in lines:
            indent = " " * (len(line) - len(line.lstrip()) + 4)
            wrapped.extend(
                textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
            )
        for line in wrapped:
            style = ""
            if line.startswith("  DIFFERENCE") or line.lstrip().startswith(
                ("fault:", "unmatched", "refused", "rejected", "error")
            ):
                style = "bad"
            elif line.lstrip().startswith(("posted", "accepted", "active", "reversed")):
                style = "ok"
            rows.append(ListRow(cells=(line,), style=style))
        report_list = self.query_one("#report-lines", PagedList)
        report_list.set_rows(rows, has_more=False)
        focus_now(report_list)

    def action_close(self) -> None:
        self.dismiss(None)


def report_lines(reports: list[FileReport]) -> tuple[str, list[str]]:
    """A title and the lines of one or more file reports."""
    if len(reports) == 1:
        return reports[0].headline(), reports[0].lines()[1:] or ["nothing else to say"]
    lines: list[str] = []
    for report in reports:
        lines.extend(report.lines())
        lines.append("")
    refused = sum(1 for r in reports if r.refused)
    title = f"{len(reports)} files read" + (f", {refused} refused" if refused else "")
    return title, lines


def export_lines(result: export.ExportResult) -> tuple[str, list[str]]:
    lines = [f"left out {s.claim_number}: {s.reason}" for s in result.skipped]
    lines.append(f"file: {result.path}")
    return result.summary(), lines


__all__ = [
    "EligibilityForm",
    "PrintForm",
    "ReadForm",
    "ReportScreen",
    "ResendForm",
    "SendForm",
    "export_lines",
    "read_files",
    "report_lines",
]
