"""The A/R aging chart above the claims queue: per bucket, how many open claims, a bar of
what is owed, and the dollars; the bars share one scale, so the oldest money shows at a
glance. Plain text with block characters: legible in 16 colours and over SSH, and
repainted only when the figures change."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from medoffice_tui.ui.panes.fmt import money_short

#: eighths of a cell, for bars finer than one character
_EIGHTHS = " ▏▎▍▌▋▊▉"
SLOT = 16


def bar(value: int, biggest: int, width: int) -> str:
    """A bar of ``value`` on a scale where ``biggest`` fills ``width`` cells."""
    if biggest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / biggest))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def chart_lines(
    summary: dict[str, tuple[int, int]], buckets: tuple[str, ...], bar_style: Style | str = ""
) -> list[Text]:
    """Three lines: bucket and count, the bar, the dollars (each bucket a fixed slot)."""
    biggest = max((cents for _n, cents in summary.values()), default=0)
    heads, bars, sums = (Text(no_wrap=True, end="") for _ in range(3))
    for bucket in buckets:
        count, cents = summary.get(bucket, (0, 0))
        head = Text(no_wrap=True, end="")
        head.append(f"{bucket} days", style="bold")
        head.append(f" {count:,}")
        head.truncate(SLOT, pad=True)
        heads.append_text(head)
        bars.append(bar(cents, biggest, SLOT - 2).ljust(SLOT), style=bar_style)
        sums.append(f"{money_short(cents)} owed".ljust(SLOT))
    return [heads, bars, sums]


class BucketChart(Widget):
    """Open claims and dollars per aging bucket, with a bar each."""

    DEFAULT_CSS = """
    BucketChart {
        height: 3;
        width: 1fr;
        & > .bucket-chart--bar { color: $accent; }
    }
    """

    COMPONENT_CLASSES = {"bucket-chart--bar"}

    def __init__(self, buckets: tuple[str, ...], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.buckets = buckets
        self.summary: dict[str, tuple[int, int]] = {}
        self._lines: list[Text] = chart_lines({}, buckets)

    def show(self, summary: dict[str, tuple[int, int]]) -> None:
        if summary == self.summary:
            return  # nothing changed: nothing to send
        self.summary = dict(summary)
        self._lines = chart_lines(summary, self.buckets)
        self.refresh()

    @property
    def plain(self) -> str:
        return "\n".join(line.plain for line in self._lines)

    def render(self) -> Text:
        style = self.get_component_rich_style("bucket-chart--bar", partial=True)
        return Text("\n", end="").join(chart_lines(self.summary, self.buckets, style))
