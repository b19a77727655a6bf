"""Feeding a PagedList from a keyset-paged service read, End and Home included.

A screen with a long list (the audit trail, the claims queue) gives the pager its list,
a ``fetch`` that reads one page and a function that turns a row into a ``ListRow``;
the pager answers the list's wishes itself:

- the first page on :meth:`ListPager.reload` (a new filter, Ctrl+R), of ``first_page``
  rows (a screenful and some, read in the key's frame), later pages of ``page_size``;
- the next page as the cursor nears the end (``MoreWanted``);
- End with more rows to come: the *last* page, read backwards (``EndWanted``), then
  the pages above it as the cursor climbs (``EarlierWanted``); Home goes back to the
  first page (``StartWanted``).

With ``read_ahead`` the pager also reads the last page on a worker once the first page
has been shown and the desk has paused (``READ_AHEAD_DELAY_S``), and keeps both: End
and Home then show them in the key's frame, with no read. Both belong to the snapshot
the first page was read in; every reload (a new filter, Ctrl+R, another desk's change
seen by the pane) drops them and reads afresh.

``fetch(after=..., before=..., from_end=..., limit=...)`` is a service read returning a
:class:`~medoffice_tui.services.paging.Page`: ``after`` continues below a page,
``from_end`` reads the last page, ``before`` the page above one read from the end.
A service that cannot read backwards passes ``reverse=False``: End then pages down
to the true end, a page at a time. Every answer carries a generation, so one that a
newer request replaced is dropped; reads run ``inline`` (shown in the key's frame when
SQLite answers within 3 ms) and ``exclusive`` (a newer read cancels an older one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual.dom import DOMNode

from medoffice_tui.services.paging import Page
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import ListRow, PagedList

T = TypeVar("T")

#: how long a freshly shown list must be left alone before its last page is read ahead
#: (a burst of filter keys starts no read it would throw away; one already running when
#: the next key comes is stopped in the database)
READ_AHEAD_DELAY_S = 0.05


class ListPager(Generic[T]):
    """Keeps one PagedList fed (see the module docstring)."""

    def __init__(
        self,
        owner: DOMNode,
        listing: PagedList,
        fetch: Callable[..., Page[T]],
        to_row: Callable[[T], ListRow],
        *,
        page_size: int = 100,
        first_page: int | None = None,
        reverse: bool = True,
        on_loaded: Callable[[], Any] | None = None,
        group: str = "",
        description: str = "list",
        read_ahead: bool = False,
    ) -> None:
        self.owner = owner
        self.listing = listing
        self.fetch = fetch
        self.to_row = to_row
        self.page_size = page_size
        #: rows read for the first page and End's last page (a screenful and some): small
        #: enough to answer inline, in the key's frame; the rest come as the cursor moves
        self.first_page = min(first_page or page_size, page_size)
        self.reverse = reverse
        self.on_loaded = on_loaded
        self.group = group or f"pager-{listing.id or id(listing)}"
        self.description = description
        self.loading = False
        self._generation = 0
        self._next_after: Any | None = None
        self._prev_before: Any | None = None
        self._walking_to_end = False
        self.read_ahead = read_ahead and reverse
        #: the first and last pages of the snapshot being shown (``read_ahead``)
        self._first: Page[T] | None = None
        self._last: Page[T] | None = None
        self._snapshot = 0
        listing.pager = self

    # -------------------------------------------------------- what the list asks

    def reload(self) -> None:
        """The first page (a new filter, or Ctrl+R)."""
        self._new_snapshot()
        self._read(self._generation, "first")

    def show_first(self, page: Page[T]) -> None:
        """A first page read already (a pane's ``first_load``), as :meth:`reload` shows its."""
        self._new_snapshot()
        self._show(self._generation, "first", page)

    def _new_snapshot(self) -> None:
        self._generation += 1
        self._snapshot += 1
        self.forget_pages()
        self._next_after = self._prev_before = None
        self._walking_to_end = False

    def more(self) -> None:
        if self._next_after is not None:
            self._read(self._generation, "next", after=self._next_after)

    def to_end(self) -> None:
        if not self.reverse:
            self._walking_to_end = True  # page down until the end, then go there
            self.more()
            return
        self._generation += 1
        self._next_after = None  # the MoreWanted that moving to the last row posts is moot
        if self._last is not None:
            self._show(self._generation, "last", self._last)
            return
        self._read(self._generation, "last", from_end=True)

    def earlier(self) -> None:
        if self._prev_before is not None:
            self._read(self._generation, "above", before=self._prev_before)

    def to_start(self) -> None:
        if self._first is None:
            self.reload()
            return
        self._generation += 1
        self._next_after = self._prev_before = None
        self._walking_to_end = False
        self._show(self._generation, "first", self._first)

    def forget_pages(self) -> None:
        """A row shown was changed in place (the owner repainted it): End and Home read
        again instead of showing the pages kept from before the change."""
        self._first = self._last = None
        if self.read_ahead:
            self.owner.workers.cancel_group(self.owner, self._ahead_group)

    @property
    def _ahead_group(self) -> str:
        return f"{self.group}-ahead"

    def _read_last_ahead(self, snapshot: int) -> None:
        """The last page of this snapshot, on a worker after a pause (``read_ahead``)."""
        fetch, limit = self.fetch, self.first_page

        def keep(page: Page[T]) -> None:
            if snapshot == self._snapshot and self._last is None:
                self._last = page

        call_service(
            self.owner,
            lambda: fetch(limit=limit, from_end=True),
            on_result=keep,
            group=self._ahead_group,
            exclusive=True,
            delay=READ_AHEAD_DELAY_S,
            interruptible=True,
            description=f"{self.description} (its last page, read ahead)",
        )

    # ------------------------------------------------------------- internals

    def _read(self, generation: int, kind: str, **where: Any) -> None:
        fetch = self.fetch
        limit = self.first_page if kind in ("first", "last") else self.page_size
        self.loading = True
        call_service(
            self.owner,
            lambda: fetch(limit=limit, **where),
            on_result=lambda page: self._show(generation, kind, page),
            on_done=self._done,
            group=self.group,
            exclusive=kind in ("first", "last"),
            inline=True,
            description=self.description,
        )

    def _done(self) -> None:
        self.loading = False

    def _show(self, generation: int, kind: str, page: Page[T]) -> None:
        if generation != self._generation:
            return
        rows = [self.to_row(item) for item in page.rows]
        listing = self.listing
        if kind == "above":
            self._prev_before = page.prev_before
            listing.prepend_rows(rows, has_before=page.has_before)
        elif kind == "last":
            self._next_after, self._prev_before = None, page.prev_before
            listing.set_rows(rows, has_before=page.has_before, cursor_at_end=True)
            if self.read_ahead and generation == self._generation:
                self._last = page
        elif kind == "next":
            self._next_after = page.next_after
            listing.append_rows(rows, has_more=page.has_more)
            if self._walking_to_end:
                if page.has_more:
                    self.more()
                else:
                    self._walking_to_end = False
                    listing.move_cursor(listing.row_count - 1)
        else:
            self._next_after = page.next_after
            listing.set_rows(rows, has_more=page.has_more)
            if self.read_ahead and self._first is None:
                self._first = page
                if page.has_more and self._last is None:
                    self._read_last_ahead(self._snapshot)
        if self.on_loaded is not None:
            self.on_loaded()
