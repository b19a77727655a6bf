"""Claims pane: the aging summary on top, and claims oldest-first, filtered by status/bucket.

Money owed gets older every day; the biller works from the oldest. The list is
keyset-paged (``service_date, id``) so a practice with 100k claims opens as fast as
one with 100.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui.services import claims
from medoffice_tui.services.claims import CLAIM_STATUSES, OPEN_CLAIM_STATUSES
from medoffice_tui.services.paging import Page
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import money, money_short, short_us_date
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

PAGE_SIZE = 100

COLUMNS = (
    Column("Svc date", 8),
    Column("Claim#", 11),
    Column("Patient", flex=3, min_width=13),
    Column("Payer", flex=2, min_width=7),
    Column("Status", 9),
    Column("Charge", 8, align="right"),
    Column("Balance", 8, align="right"),
    Column("Age", 3, align="right"),
    Column("Bucket", 6, optional=True),
    Column("File", 4, align="right"),
)
MONEY_WIDTH = 8

#: short words that fit the 9-cell status column
STATUS_WORDS = {
    "rejected_ch": "rej-CH",
    "accepted_ch": "acc-CH",
    "rejected_payer": "rej-payer",
    "partially_paid": "part-paid",
    "written_off": "writ-off",
}

STATUS_STYLE = {
    "draft": "muted",
    "ready": "info",
    "submitted": "",
    "accepted_ch": "",
    "pending": "",
    "rejected_ch": "bad",
    "rejected_payer": "bad",
    "denied": "bad",
    "appealed": "warn",
    "corrected": "warn",
    "partially_paid": "warn",
    "paid": "ok",
    "closed": "muted",
    "void": "muted",
    "written_off": "muted",
}

#: status filter cycle: every claim, every open claim, then each status
STATUS_FILTERS: tuple[str | None, ...] = (None, "open", *CLAIM_STATUSES)
BUCKET_FILTERS: tuple[str | None, ...] = (None, *claims.AGING_BUCKETS)


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", "-"))


def money_cell(cents: int) -> str:
    """Dollars and cents; whole dollars when a big amount would not fit the column."""
    text = money(cents)
    if len(text) > MONEY_WIDTH:
        text = f"{round(cents / 100):,}"
    return text


def claim_row(c: claims.ClaimRow) -> ListRow:
    days_left = c.days_left_to_file
    file_style = ""
    if days_left is not None:
        file_style = "bad" if days_left < 0 else "warn" if days_left <= 14 else ""
    return ListRow(
        cells=(
            short_us_date(c.service_date),
            c.claim_number,
            c.patient_name,
            c.payer_name,
            status_word(c.status),
            money_cell(c.total_charge_cents),
            money_cell(c.balance_cents),
            str(c.age_days),
            c.bucket,
            "" if days_left is None else str(days_left),
        ),
        data=c,
        cell_styles={4: STATUS_STYLE.get(c.status, ""), 9: file_style},
    )


AGING_SLOT = 16


def aging_text(summary: dict[str, tuple[int, int]]) -> Text:
    """``0-30 41 $9.9k   31-60 ...``: open claims and dollars per aging bucket, one line.

    Each bucket gets a fixed slot so the figures stay in place as they change.
    """
    text = Text(no_wrap=True, end="")
    for bucket in claims.AGING_BUCKETS:
        count, cents = summary.get(bucket, (0, 0))
        slot = Text(no_wrap=True, end="")
        slot.append(bucket, style="bold")
        slot.append(f" {count} {money_short(cents)}")
        slot.truncate(AGING_SLOT, pad=True)
        text.append_text(slot)
    return text


class ClaimsPane(Pane):
    """Claims by age, with status and aging-bucket filters."""

    TITLE = "Claims"
    PANE_KEY = "f4"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="claims.status-filter",
            tooltip="Status: all/open/each status",
        ),
        Binding(
            "b",
            "cycle_bucket",
            "Bucket",
            id="claims.bucket-filter",
            tooltip="Aging bucket: all/0-30../121+",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="claims.reload",
            tooltip="Reload summary and list",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.status_index = 0
        self.bucket_index = 0
        self._generation = 0
        self._next_after: Any | None = None
        self._counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="claims-aging", classes="pane-status", markup=False)
        yield Static(id="claims-filter", classes="pane-status", markup=False)
        yield PagedList(COLUMNS, empty_text="No claims match this filter", id="claims-list")

    @property
    def list(self) -> PagedList:
        return self.query_one("#claims-list", PagedList)

    @property
    def focus_target(self) -> Widget | None:
        return self.list

    @property
    def status_filter(self) -> str | None:
        return STATUS_FILTERS[self.status_index]

    @property
    def bucket_filter(self) -> str | None:
        return BUCKET_FILTERS[self.bucket_index]

    def action_cycle_status(self) -> None:
        self.status_index = (self.status_index + 1) % len(STATUS_FILTERS)
        self.reload_list()

    def action_cycle_bucket(self) -> None:
        self.bucket_index = (self.bucket_index + 1) % len(BUCKET_FILTERS)
        self.reload_list()

    def action_reload(self) -> None:
        self.reload()

    @on(PagedList.MoreWanted, "#claims-list")
    def _more_wanted(self) -> None:
        if self._next_after is not None:
            self._load_page(
                self._generation, self.status_filter, self.bucket_filter, self._next_after
            )

    @on(PagedList.Selected, "#claims-list")
    def _selected(self, event: PagedList.Selected) -> None:
        claim: claims.ClaimRow = event.row.data
        self.notify(
            display(
                f"Claim {claim.claim_number}: {status_word(claim.status)}, "
                f"balance ${money(claim.balance_cents)}"
            ),
            markup=False,
        )

    # ------------------------------------------------------------- loading

    def reload(self) -> None:
        self._load_summary()
        self.reload_list()

    def reset(self) -> None:
        super().reset()
        self.status_index = 0
        self.bucket_index = 0
        self._counts = {}
        self.list.set_rows([])

    def reload_list(self) -> None:
        self._generation += 1
        self._next_after = None
        self._render_filter(loading=True)
        self._load_page(self._generation, self.status_filter, self.bucket_filter, None)

    def _load_summary(self) -> None:
        call_service(
            self,
            lambda: (claims.aging_summary(), claims.status_counts()),
            on_result=lambda loaded: self._show_summary(*loaded),
            group="claims-summary",
            exclusive=True,
            description="claims summary",
        )

    def _show_summary(self, summary: dict[str, tuple[int, int]], counts: dict[str, int]) -> None:
        self._counts = counts
        self.query_one("#claims-aging", Static).update(aging_text(summary))
        self._render_filter()

    def _load_page(
        self, generation: int, status: str | None, bucket: str | None, after: Any | None
    ) -> None:
        call_service(
            self,
            lambda: claims.list_claims(
                status=None if status == "open" else status,
                bucket=bucket,
                open_only=status == "open",
                after=after,
                limit=PAGE_SIZE,
            ),
            on_result=lambda page: self._show_page(generation, page, after is not None),
            group="claims-list",
            exclusive=True,
            description="claims list",
        )

    def _show_page(self, generation: int, page: Page[claims.ClaimRow], more: bool) -> None:
        if generation != self._generation:
            return
        self._next_after = page.next_after
        rows = [claim_row(c) for c in page.rows]
        if more:
            self.list.append_rows(rows, has_more=page.has_more)
        else:
            self.list.set_rows(rows, has_more=page.has_more)
        self._render_filter()

    def _status_count(self, status: str | None) -> int:
        """How many claims the status filter covers (before the bucket filter)."""
        if status is None:
            return sum(self._counts.values())
        if status == "open":
            return sum(n for s, n in self._counts.items() if s in OPEN_CLAIM_STATUSES)
        return self._counts.get(status, 0)

    def _render_filter(self, loading: bool = False) -> None:
        status = self.status_filter
        text = Text(no_wrap=True, end="")
        text.append("Open A/R above", style="dim")
        text.append("  Status ", style="bold")
        text.append(status_word(status) if status else "all")
        if self._counts:
            text.append(f" ({self._status_count(status):,})")
        text.append("  Bucket ", style="bold")
        text.append(self.bucket_filter or "all")
        if loading:
            text.append("  loading...", style="dim")
        else:
            shown = self.list.row_count
            text.append(f"  {shown}{'+' if self.list.has_more else ''} shown")
        self.query_one("#claims-filter", Static).update(text)
