"""Claims files (``x`` on the Claims pane): the claims queue talking to the clearinghouse.

Three lists behind Tab: the claims a clearinghouse or payer rejected, each with the
reason it gave (to fix with Enter, which opens the claim, and send again with ``r``);
the files sent and read; tomorrow's patients with their last eligibility answer.

Keys: ``e`` sends every ready claim as one 837P (checked by pyx12 first), ``i`` reads a
file or a folder (835 remittances are posted, 999/277CA move claims, 271 answers are
kept) and shows its report, ``r`` resends the highlighted rejected claim (the scrubber
must pass), ``p`` prints the ready claims on the CMS-1500, ``g`` asks the payers about
tomorrow's patients (270). Each key is shown only to a role that may use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui import clock
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.paging import Page
from medoffice_tui.services.text import display
from medoffice_tui.services.x12 import eligibility, files_view
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.claim_files_forms import (
    EligibilityForm,
    PrintForm,
    ReadForm,
    ReportScreen,
    ResendForm,
    SendForm,
    export_lines,
    report_lines,
)
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

PAGE_SIZE = 100
LISTS = ("rejected", "files", "eligibility")
TITLES = {
    "rejected": "Rejected claims to fix and send again",
    "files": "Files sent and read",
    "eligibility": "Tomorrow's patients: the last eligibility answer",
}
REJECTED_COLUMNS = (
    Column("Claim", 11),
    Column("Patient", flex=1, min_width=10),
    Column("Payer", flex=1, min_width=8, optional=True),
    Column("Status", 8),
    Column("Why", flex=3, min_width=20),
)
FILE_COLUMNS = (
    Column("When", 11),
    Column("", 4),
    Column("Kind", 5),
    Column("File", flex=2, min_width=14),
    Column("Items", 5, align="right"),
    Column("ISA13", 9, optional=True),
)
ELIGIBILITY_COLUMNS = (
    Column("Time", 5),
    Column("Patient", flex=1, min_width=10),
    Column("Payer", flex=1, min_width=8, optional=True),
    Column("Last answer", flex=3, min_width=20),
)


def rejected_row(row: files_view.RejectedRow) -> ListRow:
    return ListRow(
        cells=(row.claim_number, row.patient_name, row.payer, row.status_word, row.why),
        data=row,
        cell_styles={3: "bad"},
    )


def file_row(row: files_view.FileRow) -> ListRow:
    arrow = "sent" if row.direction == "out" else "read"
    name = row.name + (" (resend)" if row.resend else "")
    return ListRow(
        cells=(f"{row.at:%m/%d %H:%M}", arrow, row.kind, name, str(row.claims), row.interchange),
        data=row,
        style="muted" if row.direction == "in" else "",
    )


def eligibility_row(row: eligibility.DayRow) -> ListRow:
    if row.coverage_id is None:
        answer, style = "no insurance in force", "warn"
    else:
        view = row.view
        answer = view.line() if view is not None else "no 271 answer yet"
        style = {"active": "ok", "inactive": "bad"}.get(view.status if view else "", "warn")
    return ListRow(
        cells=(f"{row.start:%H:%M}", row.patient_name, row.payer, answer),
        data=row,
        cell_styles={3: style},
    )


class ClaimFilesScreen(SafeDispatch, QuietFocus, Screen[None]):
    """Claims files: send, read, resend, print, ask about eligibility."""

    TITLE = "Claims files"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="claim-files.close", tooltip="Back to the claims"),
        Binding(
            "tab",
            "next_list",
            "Next list",
            id="claim-files.next-list",
            tooltip="Rejected claims, files, tomorrow's eligibility",
        ),
        Binding(
            "e",
            "send",
            "Send 837P",
            id="claim-files.send",
            tooltip="Send every ready claim as one 837P file",
        ),
        Binding(
            "i",
            "read",
            "Read file",
            id="claim-files.read",
            tooltip="Read a file: 835, 999, 277CA or 271, and show its report",
        ),
        Binding(
            "r",
            "resend",
            "Resend",
            id="claim-files.resend",
            tooltip="Resend the rejected claim (once fixed)",
        ),
        Binding(
            "p",
            "print",
            "CMS-1500",
            id="claim-files.print",
            tooltip="Print the ready claims on the CMS-1500",
        ),
        Binding(
            "g",
            "eligibility",
            "Eligibility",
            id="claim-files.eligibility",
            tooltip="Ask about tomorrow's patients (270)",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="claim-files.reload",
            tooltip="Read the lists again",
        ),
    ]

    DEFAULT_CSS = """
    ClaimFilesScreen > PagedList { height: 1fr; }
    ClaimFilesScreen > PagedList.-hidden { display: none; }
    ClaimFilesScreen > #files-detail { height: 2; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown = "rejected"
        self.summary: files_view.Summary | None = None
        self._generation = 0
        self._rejected_after: Any | None = None
        self._files_after: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="files-title", classes="screen-title", markup=False)
        yield Static("", id="files-summary", classes="pane-status", markup=False)
        yield PagedList(
            REJECTED_COLUMNS, empty_text="No rejected claims: nothing to fix", id="files-rejected"
        )
        yield PagedList(
            FILE_COLUMNS,
            empty_text="No claims files sent or read yet",
            id="files-files",
            classes="-hidden",
        )
        yield PagedList(
            ELIGIBILITY_COLUMNS,
            empty_text="Nobody is booked tomorrow",
            id="files-eligibility",
            classes="-hidden",
        )
        yield Static("", id="files-detail", markup=False)
        yield KeyLine()

    @property
    def actor(self) -> Actor:
        return self.app.actor  # type: ignore[attr-defined,no-any-return]

    def may(self, action: str) -> bool:
        actor = getattr(self.app, "actor", None)
        return bool(actor is not None and actor.may(action))

    def list_for(self, key: str) -> PagedList:
        return self.query_one(f"#files-{key}", PagedList)

    @property
    def shown_list(self) -> PagedList:
        return self.list_for(self.shown)

    def on_mount(self) -> None:
        focus_now(self.shown_list)
        self._render_title()
        self.action_reload()

    # ------------------------------------------------------------- loading

    def action_reload(self) -> None:
        self._generation += 1
        generation, actor = self._generation, self.actor
        worker = call_service(
            self,
            lambda: (
                files_view.summary(actor, clock.today()),
                files_view.rejected_claims(actor, limit=PAGE_SIZE),
                files_view.recent_files(actor, limit=PAGE_SIZE),
            ),
            on_result=lambda loaded: self._show(generation, loaded),
            group="claim-files-load",
            exclusive=True,
            inline=True,  # indexed first pages: drawn in the key's own frame when quick
            description="claims files",
        )
        if worker is not None and self.summary is None:
            self.query_one("#files-summary", Static).update(" loading...")
        if self.shown == "eligibility":
            self._load_eligibility()

    def _show(self, generation: int, loaded: tuple[Any, Page, Page]) -> None:
        if generation != self._generation:
            return
        summary, rejected, recent = loaded
        self.summary = summary
        self.query_one("#files-summary", Static).update(f" {display(summary.line())}")
        self.list_for("rejected").set_rows(
            [rejected_row(r) for r in rejected.rows], has_more=rejected.has_more, keep_cursor=True
        )
        self._rejected_after = rejected.next_after
        self.list_for("files").set_rows(
            [file_row(r) for r in recent.rows], has_more=recent.has_more, keep_cursor=True
        )
        self._files_after = recent.next_after
        self.refresh_bindings()

    def _load_eligibility(self) -> None:
        day = clock.today() + dt.timedelta(days=1)
        call_service(
            self,
            lambda: eligibility.day_answers(day),
            on_result=lambda rows: self.list_for("eligibility").set_rows(
                [eligibility_row(r) for r in rows], keep_cursor=True
            ),
            group="claim-files-eligibility",
            exclusive=True,
            description="tomorrow's eligibility",
        )

    @on(PagedList.MoreWanted)
    def _more(self, event: PagedList.MoreWanted) -> None:
        actor = self.actor
        if event.control.id == "files-rejected" and self._rejected_after is not None:
            after = self._rejected_after
            call_service(
                self,
                lambda: files_view.rejected_claims(actor, after=after, limit=PAGE_SIZE),
                on_result=self._more_rejected,
                group="claim-files-more",
                description="more rejected claims",
            )
        elif event.control.id == "files-files" and self._files_after is not None:
            after = self._files_after
            call_service(
                self,
                lambda: files_view.recent_files(actor, after=after, limit=PAGE_SIZE),
                on_result=self._more_files,
                group="claim-files-more",
                description="more files",
            )

    def _more_rejected(self, page: Page) -> None:
        self._rejected_after = page.next_after
        self.list_for("rejected").append_rows(
            [rejected_row(r) for r in page.rows], has_more=page.has_more
        )

    def _more_files(self, page: Page) -> None:
        self._files_after = page.next_after
        self.list_for("files").append_rows([file_row(r) for r in page.rows], has_more=page.has_more)

    def _render_title(self) -> None:
        following = LISTS[(LISTS.index(self.shown) + 1) % len(LISTS)]
        self.query_one("#files-title", Static).update(
            f" Claims files: {TITLES[self.shown]}   Tab: {following}"
        )

    # ---------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("send", "resend") and not self.may("claim.submit"):
            return False
        if action == "read" and not any(
            self.may(a) for a in ("claim.submit", "payment.post", "coverage.edit")
        ):
            return False
        if action == "eligibility" and not self.may("coverage.edit"):
            return False
        if action == "print" and not self.may("claim.view"):
            return False
        if action == "resend" and (self.shown != "rejected" or self.current_rejected is None):
            return None
        if action in ("send", "print") and self.summary is not None and not self.summary.ready:
            return None
        return True

    @property
    def current_rejected(self) -> files_view.RejectedRow | None:
        row = self.list_for("rejected").current
        return row.data if row is not None else None

    @on(PagedList.Highlighted)
    def _moved(self) -> None:
        self.refresh_bindings()
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted row in full (the list cuts long reasons and answers)."""
        row = self.shown_list.current
        data = row.data if row is not None else None
        if isinstance(data, files_view.RejectedRow):
            text = f"{data.claim_number} ({data.patient_name}): {data.why}"
        elif isinstance(data, eligibility.DayRow):
            text = f"{data.patient_name}: {data.view.line() if data.view else 'no insurance'}"
        elif isinstance(data, files_view.FileRow):
            text = f"{data.name}: {data.claims} items, ISA13 {data.interchange or '-'}"
        else:
            text = ""
        detail = self.query_one("#files-detail", Static)
        width = max(self.size.width - 2, 20)
        detail.update(display(text)[: width * 2])

    @on(PagedList.Selected, "#files-rejected")
    def _open_claim(self, event: PagedList.Selected) -> None:
        row = event.row.data
        if isinstance(row, files_view.RejectedRow):
            from medoffice_tui.ui.claims.claim_screen import ClaimScreen

            self.app.push_screen(ClaimScreen(row.claim_id), lambda _r: self.action_reload())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_next_list(self) -> None:
        self.shown_list.add_class("-hidden")
        self.shown = LISTS[(LISTS.index(self.shown) + 1) % len(LISTS)]
        self.shown_list.remove_class("-hidden")
        focus_now(self.shown_list)
        self._render_title()
        if self.shown == "eligibility":
            self._load_eligibility()
        self._show_detail()
        self.refresh_bindings()

    def _report(self, title: str, lines: list[str]) -> None:
        self.app.push_screen(ReportScreen(title, lines), lambda _r: self.action_reload())

    def action_send(self) -> None:
        ready = self.summary.ready if self.summary else 0

        def sent(result: Any) -> None:
            if result is not None:
                self._report(*export_lines(result))

        self.app.push_screen(SendForm(self.actor, ready), sent)

    def action_resend(self) -> None:
        row = self.current_rejected
        if row is None:
            return

        def sent(result: Any) -> None:
            if result is not None:
                self._report(*export_lines(result))

        self.app.push_screen(
            ResendForm(self.actor, row.claim_id, row.claim_number, row.version), sent
        )

    def action_read(self) -> None:
        def read(reports: Any) -> None:
            if reports:
                self._report(*report_lines(reports))

        self.app.push_screen(ReadForm(self.actor), read)

    def action_print(self) -> None:
        def printed(result: Any) -> None:
            if result is not None:
                lines = [f"left out {n}: {why}" for n, why in result.skipped]
                self._report(result.summary(), [*lines, f"file: {result.path}"])

        self.app.push_screen(PrintForm(self.actor), printed)

    def action_eligibility(self) -> None:
        def written(result: Any) -> None:
            if result is not None:
                self.notify(display(result.summary()), markup=False)
                self.action_reload()

        self.app.push_screen(EligibilityForm(self.actor), written)


__all__ = ["ClaimFilesScreen"]
