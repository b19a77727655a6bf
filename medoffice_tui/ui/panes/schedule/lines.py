"""The pane's two text lines: the day's counts above, the row under the cursor below."""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from medoffice_tui import clock
from medoffice_tui.services import schedule
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.fmt import long_date, words
from medoffice_tui.ui.widgets.day_grid import TextLine, short_provider


class StatusLines:
    """Mixin of ``SchedulePane``: the status and detail lines."""

    def _render_status(self, loading: bool = False) -> None:
        filt = self.provider_filter
        who = "All providers" if filt is None else short_provider(filt.name)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(long_date(self.day), style="bold")
        if self.day == clock.today():
            line.append(" (today)")
        line.append(f"  {display(who)}  ")
        if loading:
            line.append("loading...", style="dim")
        else:
            shown = [a for a in self._appointments.values() if a.status != "cancelled"]
            if filt is not None:
                shown = [a for a in shown if a.provider_id == filt.id]
            counts = Counter(a.status for a in shown)
            booked = counts["booked"] + counts["confirmed"]
            here = counts["arrived"] + counts["roomed"]
            line.append(
                f"{len(shown)}: {booked} booked {here} in "
                f"{counts['completed']} done {counts['no_show']} no-show"
            )
        self.query_one("#schedule-status", TextLine).set_text(line)

    def _render_detail(self) -> None:
        row = self._current()
        data = row.data if row is not None else None
        text = ""
        if isinstance(data, schedule.GridCell) and data.kind == "continued":
            data = data.appointment
        if isinstance(data, schedule.AppointmentRow):
            a = self._appointments.get(data.id, data)
            parts = [f"{a.start:%H:%M}-{a.end:%H:%M} {a.patient_name} (MRN {a.mrn})"]
            if not a.patient_active:
                parts.insert(0, "! record inactive")
            if a.reason:
                parts.append(a.reason)
            if a.overbooked:
                parts.append(f"overbook: {a.overbook_reason}")
            if a.reminder_outcome:
                parts.append(f"call: {schedule.OUTCOME_WORDS.get(a.reminder_outcome, '')}")
            if a.undo_to:
                parts.append(f"u: back to {words(a.undo_to)}")
            text = " · ".join(parts)
        elif isinstance(data, schedule.GridCell):
            if data.kind == "free":
                text = f"Free {data.start:%H:%M}-{data.end:%H:%M}: Enter or b books it"
            elif data.kind == "off":
                text = "Outside the provider's hours: only an overbook (manager)"
            elif data.block is not None:
                b = data.block
                text = f"{b.label} {b.start:%H:%M}-{b.end:%H:%M}: only an overbook (manager)"
        elif isinstance(data, schedule.BlockRow):
            text = f"{data.label} {data.start:%H:%M}-{data.end:%H:%M}"
        self.query_one("#schedule-detail", TextLine).set_text(text)
