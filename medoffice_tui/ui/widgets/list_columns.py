"""What a ``PagedList`` shows: its columns, its rows, and how a width is shared between
the columns and each cell cut or padded to its own (plain strings, never markup)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.cells import cell_len, set_cell_size

Align = Literal["left", "center", "right"]

#: semantic row/cell styles a pane may name; each is a component class in paged_list.tcss
ROW_STYLES: tuple[str, ...] = ("muted", "ok", "info", "warn", "bad", "accent", "strong")


@dataclass(frozen=True)
class Column:
    """One column: a fixed ``width``, or a ``flex`` share of the width left over."""

    title: str
    width: int = 0
    flex: int = 0
    align: Align = "left"
    min_width: int = 4
    #: dropped (width 0) when the terminal is too narrow for every column's minimum
    optional: bool = False


@dataclass(frozen=True)
class ListRow:
    """A row to show: plain display strings plus the domain object it stands for.

    ``style`` names one of :data:`ROW_STYLES` for the whole row; ``cell_styles``
    maps a column index to one for a single cell (e.g. a status word).
    """

    cells: tuple[str, ...]
    data: Any = None
    style: str = ""
    cell_styles: dict[int, str] = field(default_factory=dict)


def column_widths(columns: Sequence[Column], total: int, gap: int = 1) -> list[int]:
    """Share ``total`` cells between the columns: fixed ones first, flex ones split the rest.

    Flex columns get at least ``min_width``. When that does not fit, optional columns
    are dropped from the right (width 0) so the important ones keep their room.
    """
    shown = [True] * len(columns)

    def need(visible: list[bool]) -> int:
        cols = [c for c, v in zip(columns, visible, strict=True) if v]
        return sum(c.min_width if c.flex else c.width for c in cols) + gap * max(len(cols) - 1, 0)

    for index in reversed(range(len(columns))):
        if need(shown) <= total:
            break
        if columns[index].optional:
            shown[index] = False
    visible = [c for c, v in zip(columns, shown, strict=True) if v]
    fixed = sum(c.width for c in visible if not c.flex)
    minimums = sum(c.min_width for c in visible if c.flex)
    gaps = gap * max(len(visible) - 1, 0)
    flex_total = sum(c.flex for c in visible) or 1
    spare = max(total - fixed - gaps - minimums, 0)
    widths: list[int] = []
    given = 0
    flex_seen = 0
    for column, show in zip(columns, shown, strict=True):
        if not show:
            widths.append(0)
        elif not column.flex:
            widths.append(column.width)
        else:
            flex_seen += column.flex
            # each flex column has its minimum, then a share of what is left; cumulative
            # rounding so the shares always add up to `spare` exactly
            share = spare * flex_seen // flex_total - given
            given += share
            widths.append(column.min_width + share)
    return widths


def fit_cell(text: str, width: int, align: Align = "left") -> str:
    """``text`` cut to ``width`` cells (an ellipsis where it was cut) and padded to it,
    as ``rich.text.Text.truncate(width, overflow="ellipsis")`` then ``align`` do."""
    length = cell_len(text)
    if length > width:
        text = set_cell_size(text, width - 1) + "…"
        length = width
    excess = width - length
    if excess <= 0:
        return text
    if align == "left":
        return text + " " * excess
    if align == "right":
        return " " * excess + text
    left = excess // 2
    return " " * left + text + " " * (excess - left)
