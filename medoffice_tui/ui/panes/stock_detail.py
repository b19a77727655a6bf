"""Two lines under the Stock pane's list: the selected item or lot, and its use per week.

The sparkline is Textual's own: one bar per week for the last twelve weeks (the last
bar ends today), beside the 30- and 90-day daily rates days of supply comes from.

The two text parts are ``TextLine``s: a cursor move changes the detail line, and
``Static.update`` would ask for a layout pass of the whole screen each time (a Down
in the list then cost a full layout); a line of fixed height needs only its repaint.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from medoffice_tui.services import stock
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.widgets.day_grid import TextLine


def rate(units: int, days: int) -> str:
    per_day = units / days
    return f"{per_day:.1f}" if per_day < 10 else f"{per_day:.0f}"


class StockDetail(Vertical):
    """What the cursor is on, in words, and how fast it goes."""

    DEFAULT_CSS = """
    StockDetail { height: 2; }
    StockDetail > #stock-detail-line { height: 1; width: 1fr; }
    StockDetail > Horizontal { height: 1; }
    StockDetail #stock-spark-label { width: auto; color: $text-muted; }
    StockDetail #stock-spark { width: 12; height: 1; margin-right: 1; }
    StockDetail #stock-usage { width: 1fr; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield TextLine(id="stock-detail-line")
        with Horizontal():
            yield Static("use/wk ", id="stock-spark-label", markup=False)
            yield Sparkline([], min_color="ansi_cyan", max_color="ansi_cyan", id="stock-spark")
            yield TextLine(id="stock-usage")

    def clear(self, text: str = "") -> None:
        self.query_one("#stock-detail-line", TextLine).set_text(text)
        self.query_one("#stock-spark", Sparkline).data = []
        self.query_one("#stock-usage", TextLine).set_text("")

    def show_item(self, row: stock.StockRow) -> None:
        parts = [row.name]
        if row.transfer_from:
            parts.append(f"transfer from {row.transfer_from} ({row.transfer_units} there)")
        if row.location:
            parts.append(row.location)
        if row.vendor:
            parts.append(row.vendor)
        if row.on_order:
            parts.append(f"{row.on_order} on order")
        if row.nearest_expiry:
            parts.append(f"next expiry {us_date(row.nearest_expiry)}")
        self.query_one("#stock-detail-line", TextLine).set_text(" · ".join(parts))

    def show_lot(self, lot: stock.LotRow) -> None:
        when = "EXPIRED" if lot.expired else f"{lot.days_left}d left"
        text = f"{lot.name} · lot {lot.lot_number} · {lot.location} · {lot.quantity} · {when}"
        self.query_one("#stock-detail-line", TextLine).set_text(text)

    def show_usage(self, series: stock.UsageSeries, on_hand: int | None = None) -> None:
        self.query_one("#stock-spark", Sparkline).data = list(series.weeks)
        parts = [f"30d {rate(series.used_30, 30)}/day", f"90d {rate(series.used_90, 90)}/day"]
        if on_hand is not None:
            days = stock.days_of_supply(on_hand, series.used_30, series.used_90)
            parts.append("no use in 90 days" if days is None else f"{days} days of supply")
        self.query_one("#stock-usage", TextLine).set_text(" · ".join(parts))
