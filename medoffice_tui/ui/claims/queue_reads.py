"""The claims queue's reads, apart from the pane: the filters as ``list_claims`` takes
them, the summary line's reads, and what a first show reads before it is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medoffice_tui.services import claims
from medoffice_tui.services.paging import Page


def list_query(
    status: str | None,
    *,
    bucket: str | None = None,
    payer_id: int | None = None,
    assignee_id: int | None = None,
    follow_up_due: bool = False,
    sort: str = "urgent",
) -> dict[str, Any]:
    """``claims.list_claims``'s filters for what the filter line shows ("open": every
    claim still being worked)."""
    return {
        "status": None if status == "open" else status,
        "open_only": status == "open",
        "bucket": bucket,
        "payer_id": payer_id,
        "assignee_id": assignee_id,
        "follow_up_due": follow_up_due,
        "sort": sort,
    }


def load_summary(with_lists: bool) -> tuple:
    """The aging summary and status counts, and the payers and staff to filter by when
    the pane has none yet (worker thread)."""
    lists = (claims.payers(), claims.assignable_staff()) if with_lists else None
    return claims.aging_summary(), claims.status_counts(), lists


@dataclass(frozen=True)
class FirstClaims:
    """What a first show reads before it is shown (``ClaimsPane.first_load``)."""

    summary: tuple
    page: Page[claims.ClaimRow]


def first_claims(status: str | None, first_page: int) -> FirstClaims:
    """The summary and the first page under ``status`` and the default filters (worker
    thread, before the pane's first show)."""
    return FirstClaims(
        load_summary(with_lists=True),
        claims.list_claims(limit=first_page, **list_query(status)),
    )
