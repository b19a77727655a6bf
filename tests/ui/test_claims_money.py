"""Money on the claims screens is exact: whole dollars and short forms are rounded half
up with integers (a float's 0.49999 never shows), negatives keep their sign."""

from __future__ import annotations

import pytest

from medoffice_tui.ui.claims.rows import money_cell
from medoffice_tui.ui.panes.fmt import count_short, half_up, money, money_dollars, money_short


@pytest.mark.parametrize(
    "cents, text",
    [
        (0, "$0"),
        (49, "$0"),
        (50, "$1"),
        (99_949, "$999"),
        (99_950, "$1.0k"),
        (994_999, "$9.9k"),  # $9,949.99: just under the half
        (995_000, "$10k"),  # $9,950.00: the half goes up, to the next unit
        (1_005_000, "$10k"),
        (1_234_550, "$12k"),
        (99_950_000, "$1.0M"),
        (123_456_789_01, "$123.5M"),
        (-125_050, "-$1.3k"),
    ],
)
def test_money_short_rounds_half_up_with_integers(cents: int, text: str) -> None:
    assert money_short(cents) == text


@pytest.mark.parametrize(
    "cents, cell",
    [
        (27_000, "270.00"),
        (99_999, "999.99"),
        (123_450, "1,235"),  # $1,234.50: the half goes up (float round() gives 1,234)
        (123_449, "1,234"),
        (250, "2.50"),
        (1_234_567_850, "12,345,679"),
        (-12_345, "-123"),
    ],
)
def test_money_cells_are_exact(cents: int, cell: str) -> None:
    assert money_cell(cents) == cell


def test_whole_dollars_and_helpers() -> None:
    assert half_up(250, 100) == 3 and half_up(249, 100) == 2
    assert money_dollars(-150) == "-2" and money_dollars(150) == "2"
    assert money(1_427_350_24) == "1,427,350.24"
    assert [count_short(n) for n in (4_516, 9_999, 10_000, 451_499, 999_500, 1_250_000)] == [
        "4,516",
        "9,999",
        "10k",
        "451k",
        "1.0M",
        "1.3M",
    ]
