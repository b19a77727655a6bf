"""Claims pane (F4): the work queue, opening on what needs work.

At the top, what the practice is owed and how old it is: open claims and dollars per
aging bucket with a bar each (``ui/claims/bucket_chart.py``), read from the summary the
write path keeps (the same cost at a million claims as at a thousand). Below, the open
claims, most urgent first: those not yet with a payer by the days left before its
filing limit, then the rest oldest first; paid and closed claims are behind the status
filter. The filter line fits 80 columns (a second line when payer and owner filters
are on) and ends with the list's position.

Keys (one each): ``s`` status (open, all, then each), ``b`` aging bucket, ``i`` payer
(insurer), ``m`` owner (anyone, mine, nobody, then each biller), ``u`` follow-up due,
``o`` order (most urgent, oldest, largest balance, payer). Enter opens the claim; ``c`` lists the
completed visits without a claim to enter their charges; the claim keys (ready,
status, post, $ patient payment, write off, assign, follow-up, note, edit, balance) act
on the highlighted claim. Every list is keyset paged: nothing loads all rows. The
queue is fed by a :class:`~medoffice_tui.ui.widgets.list_pager.ListPager`: End reads
the last page of the same order directly (``list_claims(from_end=True)``), Up climbs
the pages above it (``before=``), Home goes back to the first page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget

from medoffice_tui.services import claims
from medoffice_tui.services.claims import CLAIM_STATUSES, OPEN_CLAIM_STATUSES
from medoffice_tui.services.paging import Page
from medoffice_tui.ui.claims.actions import ClaimActions, ClaimRef, claim_bindings
from medoffice_tui.ui.claims.bucket_chart import BucketChart
from medoffice_tui.ui.claims.queue_reads import FirstClaims, first_claims, list_query, load_summary
from medoffice_tui.ui.claims.rows import COLUMNS, ClaimsList, claim_row, initials, money_cell
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import money
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.day_grid import TextLine
from medoffice_tui.ui.widgets.list_pager import ListPager
from medoffice_tui.ui.widgets.paged_list import PagedList

PAGE_SIZE = 100
#: the first page, and End's last: two screenfuls, read inline with the key (100 rows
#: took 5-8 ms, past the inline budget, and went to a worker: End and Home were 28 ms)
FIRST_PAGE = 40

#: status filter cycle: the open claims (where the pane opens), every claim, each status
STATUS_FILTERS: tuple[str | None, ...] = ("open", None, *CLAIM_STATUSES)
BUCKET_FILTERS: tuple[str | None, ...] = (None, *claims.AGING_BUCKETS)
__all__ = ["ClaimsPane", "money_cell", "status_word"]

SORT_WORDS = {
    "urgent": "urgent first",
    "age": "oldest first",
    "amount": "largest first",
    "payer": "by payer",
}
#: room kept at the filter line's right end for the list's position (``1234/1300+``)
POSITION_WIDTH = 11
PAYER_WORDS = 22


def status_word(status: str) -> str:
    return claims.status_word(status)


class FilterLine(Widget):
    """The filter line, one or two lines: it repaints itself when its text changes and
    asks for a layout only when its height does (``Static.update`` asks for a layout
    pass of the whole screen every time: on the pane's first show the summary and the
    first page each re-laid the screen out and drew the list again)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._text = Text("", end="")

    def show(self, text: Text, lines: int) -> None:
        self.styles.height = lines  # a layout only when the number of lines changed
        if text.plain != self._text.plain or text.spans != self._text.spans:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text


class ClaimsPane(ClaimActions, Pane):
    """The claims work queue, its aging chart and its filters."""

    TITLE = "Claims"
    PANE_KEY = "f4"

    DEFAULT_CSS = f"""
    ClaimsPane #claims-status-row {{ height: auto; }}
    ClaimsPane #claims-position {{ width: {POSITION_WIDTH}; }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="claims.status-filter",
            tooltip="Status: open, all, then each status",
        ),
        Binding(
            "b",
            "cycle_bucket",
            "Age",
            id="claims.bucket-filter",
            tooltip="Aging bucket: all, 0-30, 31-60, 61-90, 91-120, 121+",
        ),
        Binding(
            "i",
            "cycle_payer",
            "Payer",
            show=False,
            id="claims.payer-filter",
            tooltip="Payer (insurer): all, then each",
        ),
        Binding(
            "m",
            "cycle_owner",
            "Owner",
            show=False,
            id="claims.owner-filter",
            tooltip="Owner: anyone, mine, nobody, then each biller",
        ),
        Binding(
            "u",
            "toggle_follow_up",
            "Due",
            show=False,
            id="claims.follow-up-due",
            tooltip="Only claims whose follow-up date has come",
        ),
        Binding(
            "o",
            "cycle_sort",
            "Order",
            id="claims.sort",
            tooltip="Order: most urgent (nearest filing limit), oldest, largest balance, payer",
        ),
        Binding(
            "c",
            "visits",
            "Charges",
            id="claims.charges",
            tooltip="Completed visits without a claim: enter their charges",
        ),
        Binding(
            "x",
            "claim_files",
            "Files",
            id="claims.files",
            tooltip="Claims files: send 837P, read 835/999/277CA/271, CMS-1500, eligibility",
        ),
        *claim_bindings("claims"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="claims.reload",
            tooltip="Reload the chart and the list",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.status_index = 0
        self.bucket_index = 0
        self.payer_index = 0  # 0: every payer, then self._payers[i - 1]
        self.owner_index = 0  # 0: anyone, 1: mine, 2: nobody, then self._staff[i - 3]
        self.follow_up_due = False
        self.sort = "urgent"
        self._payers: list[tuple[int, str]] = []
        self._staff: list[claims.history.StaffChoice] = []
        self.pager: ListPager[claims.ClaimRow] | None = None
        self._counts: dict[str, int] = {}
        self._summary: dict[str, tuple[int, int]] = {}
        self._loading = False

    def compose(self) -> ComposeResult:
        yield BucketChart(claims.AGING_BUCKETS, id="claims-chart")
        with Horizontal(id="claims-status-row"):
            yield FilterLine(id="claims-filter", classes="pane-status")
            yield TextLine(id="claims-position")
        claims_list = ClaimsList(
            COLUMNS, empty_text="No claims match this filter", id="claims-list"
        )
        claims_list.on_cursor = lambda _moved: self._cursor_moved()  # in the cursor's frame
        # the first page, the next ones, End's last page read backwards, the pages above
        self.pager = ListPager(
            self,
            claims_list,
            self._fetch_for(),
            claim_row,
            page_size=PAGE_SIZE,
            first_page=FIRST_PAGE,
            on_loaded=self._list_loaded,
            group="claims-list",
            description="claims list",
            read_ahead=True,  # End and Home in the key's frame
        )
        yield claims_list

    @property
    def list(self) -> PagedList:
        return self.query_one("#claims-list", PagedList)

    @property
    def focus_target(self) -> Widget | None:
        return self.list

    # ---------------------------------------------------------------- filters

    @property
    def status_filter(self) -> str | None:
        return STATUS_FILTERS[self.status_index]

    @property
    def bucket_filter(self) -> str | None:
        return BUCKET_FILTERS[self.bucket_index]

    @property
    def payer_filter(self) -> tuple[int, str] | None:
        if self.payer_index == 0 or self.payer_index > len(self._payers):
            return None
        return self._payers[self.payer_index - 1]

    @property
    def owner_filter(self) -> tuple[int, str] | None:
        """(assignee id or UNASSIGNED, words) or None for anyone."""
        if self.owner_index == 1:
            return (self.actor.user_id, "mine")
        if self.owner_index == 2:
            return (claims.UNASSIGNED, "nobody")
        if self.owner_index >= 3 and self.owner_index - 3 < len(self._staff):
            staff = self._staff[self.owner_index - 3]
            return (staff.id, staff.username)
        return None

    def action_cycle_status(self) -> None:
        self.status_index = (self.status_index + 1) % len(STATUS_FILTERS)
        self.reload_list()

    def action_cycle_bucket(self) -> None:
        self.bucket_index = (self.bucket_index + 1) % len(BUCKET_FILTERS)
        self.reload_list()

    def action_cycle_payer(self) -> None:
        self.payer_index = (self.payer_index + 1) % (len(self._payers) + 1)
        self.reload_list()

    def action_cycle_owner(self) -> None:
        self.owner_index = (self.owner_index + 1) % (len(self._staff) + 3)
        self.reload_list()

    def action_toggle_follow_up(self) -> None:
        self.follow_up_due = not self.follow_up_due
        self.reload_list()

    def action_cycle_sort(self) -> None:
        order = claims.SORTS
        self.sort = order[(order.index(self.sort) + 1) % len(order)]
        self.reload_list()

    def action_reload(self) -> None:
        self.reload()

    def action_visits(self) -> None:
        from medoffice_tui.ui.claims.visits import VisitsToBillScreen

        self.app.push_screen(VisitsToBillScreen(), lambda _r: self.reload())

    def action_claim_files(self) -> None:
        from medoffice_tui.ui.screens.claim_files import ClaimFilesScreen

        self.app.push_screen(ClaimFilesScreen(), lambda _r: self.reload())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "visits":
            return True if self.may("charge.enter") else False
        return self.claim_action_allowed(action)

    @on(PagedList.Highlighted, "#claims-list")
    def _cursor_moved(self) -> None:
        # the list has refreshed the screen's bindings already (PagedList._highlighted):
        # a second refresh would rebuild the key line twice per cursor move
        self._render_position()

    @on(PagedList.Selected, "#claims-list")
    def _selected(self, event: PagedList.Selected) -> None:
        from medoffice_tui.ui.claims.claim_screen import ClaimScreen

        claim: claims.ClaimRow = event.row.data
        self.app.push_screen(ClaimScreen(claim.id), lambda _r: self.claim_changed(claim.id))

    # ClaimActions
    def current_claim(self) -> ClaimRef | None:
        row = self.list.current
        if row is None or not isinstance(row.data, claims.ClaimRow):
            return None
        c: claims.ClaimRow = row.data
        return ClaimRef(
            c.id,
            c.claim_number,
            c.version,
            c.status,
            c.patient_id,
            c.patient_name,
            c.balance_cents,
            c.assignee_id,
        )

    def claim_changed(self, claim_id: int) -> None:
        """Repaint the claim's row (and the chart, whose figures may have moved)."""
        self._load_summary()
        if self.pager is not None:
            self.pager.forget_pages()  # the pages kept for End and Home hold its old row

        def show(row: claims.ClaimRow | None) -> None:
            index = self.list.index_where(lambda d: getattr(d, "id", None) == claim_id)
            if index is not None and row is not None:
                self.list.replace_row(index, claim_row(row))
                self.refresh_bindings()

        call_service(
            self,
            lambda: claims.get_claim_row(claim_id),
            on_result=show,
            group="claims-row",
            description="claim row",
        )

    # ---------------------------------------------------------------- loading

    @classmethod
    def first_load(cls) -> object | None:
        """The summary and the first page under the filters a first show has."""
        return first_claims(STATUS_FILTERS[0], FIRST_PAGE)

    def reload(self) -> None:
        first, self.prefetched = self.prefetched, None
        if isinstance(first, FirstClaims) and self._query() == list_query(STATUS_FILTERS[0]):
            self._show_summary(*first.summary)
            if self.pager is not None:
                self.pager.fetch = self._fetch_for()
                self.pager.show_first(first.page)
            return
        self._load_summary()
        self.reload_list()

    def reset(self) -> None:
        super().reset()
        self.status_index = self.bucket_index = self.payer_index = self.owner_index = 0
        self.follow_up_due = False
        self.sort = "urgent"
        self._counts = {}
        self.workers.cancel_group(self, "claims-list")  # an answer for the last user
        if self.pager is not None:
            self.pager.forget_pages()  # nor the pages kept for End and Home
        self.list.set_rows([])

    def reload_list(self) -> None:
        self._render_filter(loading=True)
        if self.pager is not None:
            self.pager.fetch = self._fetch_for()
            self.pager.reload()

    def _load_summary(self) -> None:
        with_lists = not self._payers
        call_service(
            self,
            lambda: load_summary(with_lists),
            on_result=lambda loaded: self._show_summary(*loaded),
            group="claims-summary",
            exclusive=True,
            description="claims summary",
        )

    def _show_summary(
        self, summary: dict[str, tuple[int, int]], counts: dict[str, int], lists: tuple | None
    ) -> None:
        if lists is not None:
            self._payers, self._staff = lists
        self._counts = counts
        self._summary = summary
        self.query_one("#claims-chart", BucketChart).show(summary)
        self._render_filter()

    def _query(self) -> dict[str, Any]:
        owner = self.owner_filter
        payer = self.payer_filter
        return list_query(
            self.status_filter,
            bucket=self.bucket_filter,
            payer_id=payer[0] if payer else None,
            assignee_id=owner[0] if owner else None,
            follow_up_due=self.follow_up_due,
            sort=self.sort,
        )

    def _fetch_for(self) -> Callable[..., Page[claims.ClaimRow]]:
        """The pager's read under the filters and order shown now: one page by
        ``after``, ``before``, ``from_end`` and ``limit``. Set anew on each reload, so a
        page asked for under the old filters reads under them (its key is theirs)."""
        return partial(claims.list_claims, **self._query())

    def _list_loaded(self) -> None:
        self._render_filter()
        self.refresh_bindings()

    def _status_count(self, status: str | None) -> int:
        """How many claims the status filter covers (before the other filters)."""
        if status is None:
            return sum(self._counts.values())
        if status == "open":
            return sum(n for s, n in self._counts.items() if s in OPEN_CLAIM_STATUSES)
        return self._counts.get(status, 0)

    def filter_parts(self) -> list[list[tuple[str, str]]]:
        """The filter line's parts, each a list of (text, style): what is owed, the
        status filter, the bucket, payer, owner, follow-up and the order."""
        status = self.status_filter
        parts: list[list[tuple[str, str]]] = []
        if self._summary:
            owed = sum(cents for _n, cents in self._summary.values())
            parts.append([(f"Owed ${money(owed)}", "bold")])
        word = status_word(status) if status and status != "open" else status or "all"
        count = f" ({self._status_count(status):,})" if self._counts else ""
        parts.append([("Status ", "bold"), (f"{word}{count}", "")])
        parts.append([("Bucket ", "bold"), (self.bucket_filter or "all", "")])
        payer = self.payer_filter
        if payer is not None:
            name = payer[1] if len(payer[1]) <= PAYER_WORDS else payer[1][: PAYER_WORDS - 1] + "…"
            parts.append([("Payer ", "bold"), (name, "")])
        owner = self.owner_filter
        if owner is not None:
            who = owner[1]
            if self.owner_index >= 3:
                staff = self._staff[self.owner_index - 3]
                who = initials(getattr(staff, "full_name", ""), staff.username)
            parts.append([("Owner ", "bold"), (who, "")])
        if self.follow_up_due:
            parts.append([("follow-up due", "bold")])
        parts.append([(SORT_WORDS[self.sort] if not self.follow_up_due else "most overdue", "")])
        return parts

    def _render_filter(self, loading: bool = False) -> None:
        """One line when it fits beside the position, else a second line for the rest."""
        widget = self.query_one("#claims-filter", FilterLine)
        room = (widget.size.width or max(self.size.width, 80) - POSITION_WIDTH) - 1
        lines: list[Text] = [Text(no_wrap=True, overflow="ellipsis", end="")]
        for part in self.filter_parts():
            length = sum(len(t) for t, _s in part)
            line = lines[-1]
            if line.plain and len(line.plain) + 2 + length > room and len(lines) < 2:
                lines.append(Text(no_wrap=True, overflow="ellipsis", end=""))
                line = lines[-1]
            if line.plain:
                line.append("  ")
            for text, style in part:
                line.append(text, style=style)
        widget.show(Text("\n", end="").join(lines), len(lines))
        self._loading = loading
        self._render_position()

    def _render_position(self) -> None:
        listing = self.list
        if self._loading:
            where = "loading..."
        else:
            where = listing.position() or f"{listing.row_count:,} shown"
        self.query_one("#claims-position", TextLine).set_text(
            Text(where.rjust(POSITION_WIDTH), style="dim")
        )
