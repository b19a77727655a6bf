"""The A/R aging chart above the claims queue: per bucket, how many open claims, a bar of
what is owed, and the dollars; the bars share one scale, so the oldest money shows at a
glance. Plain text with block characters: legible in 16 colours and over SSH, and
repainted only when the figures change.

Why not a plotting widget: Textual's own ``Sparkline`` draws one unlabelled series
(no category labels, no values) and ``ProgressBar`` one value with a timer-driven
animation; textual-plotext would add plotext's canvas for five bars. What Textual's
own widgets do for bars (``Sparkline``'s renderable, ``ProgressBar``'s ``Bar``) is what
this does: block characters in a ``Widget.render``, here with eighth-cell ends.

Each bucket has a fixed slot (``SLOT`` cells and a ``GAP`` of two: five fit 78 columns),
its label and count on the first line (``0-30d 4,516``: days as the Age column writes
them; a count over 9,999 in short form, ``451k``, ``1.2M``), so nothing runs together
or is cut at any number of claims."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from medoffice_tui.ui.panes.fmt import count_short, money_short

#: eighths of a cell, for bars finer than one character
_EIGHTHS = " ▏▎▍▌▋▊▉"
SLOT = 14
GAP = 2


def bucket_label(bucket: str) -> str:
    """``0-30d``, ``121+d``: days, as the queue's Age column writes them."""
    return f"{bucket}d"


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
    for index, bucket in enumerate(buckets):
        count, cents = summary.get(bucket, (0, 0))
        gap = " " * GAP if index < len(buckets) - 1 else ""
        label = bucket_label(bucket)
        number = count_short(count)
        head = Text(no_wrap=True, end="")
        head.append(label, style="bold")
        head.append(f" {number}".ljust(SLOT - len(label)))
        heads.append_text(head)
        heads.append(gap)
        bars.append(bar(cents, biggest, SLOT - 1).ljust(SLOT), style=bar_style)
        bars.append(gap)
        sums.append(f"{money_short(cents)} owed".ljust(SLOT) + gap)
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
