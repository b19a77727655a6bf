"""The Stock pane's lists and forms at 80x24 on the demo practice (SVG baselines).

Both lists show the selected item's use per week as a sparkline under the list.
Regenerate after an intended change: ``pytest tests/ui/test_snapshots_stock.py
--snapshot-update``.
"""

from __future__ import annotations

from .conftest import SIZE
from .test_snapshots import _keys


def test_low_stock_with_the_sparkline(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "down"), terminal_size=SIZE)


def test_expiring_lots_with_the_sparkline(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "tab"), terminal_size=SIZE)


def test_low_stock_at_one_location(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "l", "l"), terminal_size=SIZE)


def test_receive_form(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "r"), terminal_size=SIZE)


def test_count_form_on_an_expired_lot(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "tab", "c"), terminal_size=SIZE)


def test_reorder_screen(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), run_before=_keys("f5", "o"), terminal_size=SIZE)
