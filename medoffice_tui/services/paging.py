"""Keyset paging: a page of rows plus the key to fetch the next page from.

Lists never load whole tables: each pane asks for ``limit`` rows after the
last key it holds, and the query uses an index range, so page 1 and page
10,000 cost the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T] = field(default_factory=list)
    #: pass as ``after=`` to get the next page; None when this is the last page
    next_after: Any | None = None
    #: for a page read from the end: pass as ``before=`` to get the page above it;
    #: None when this page starts at the first row
    prev_before: Any | None = None

    @property
    def has_more(self) -> bool:
        return self.next_after is not None

    @property
    def has_before(self) -> bool:
        return self.prev_before is not None
