"""When providers work: weekly hours, blocks (lunch, meetings, time off), and one day's view.

Times are naive local wall time in the practice's zone, as the schedule stores them,
so a provider who works 8:00-17:00 works 8:00-17:00 on the days the clocks change
too. Recurring blocks are RFC 5545 rules (``FREQ=WEEKLY;BYDAY=MO,TU``) expanded with
dateutil on naive wall times, which keeps a 12:00 lunch at 12:00 across DST.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.rrule import rrulebase, rrulestr

from medoffice_tui.db.models import ProviderBlock, ProviderHours
from medoffice_tui.services.schedule.rows import (
    AppointmentRow,
    ProviderColumn,
    day_appointment_rows,
    providers_for,
    with_undo,
)

Span = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class BlockRow:
    provider_id: int
    start: dt.datetime
    end: dt.datetime
    kind: str
    note: str

    @property
    def label(self) -> str:
        """``Lunch``, ``Meeting: Quality committee``: what the grid shows."""
        words = [self.kind.capitalize()]
        if self.note and self.note.lower() != self.kind.lower():
            words.append(self.note)
        return ": ".join(words)


@dataclass(frozen=True)
class DayView:
    day: dt.date
    providers: list[ProviderColumn]
    appointments: list[AppointmentRow]  # sorted by (start, provider sort order)
    blocks: list[BlockRow]  # recurring blocks expanded for that day
    hours: dict[int, list[Span]]  # provider_id -> working spans


def day_view(
    day: dt.date, provider_ids: Sequence[int] | None = None, include_cancelled: bool = False
) -> DayView:
    """One day for the given providers (default: every active one), in five reads:
    providers, appointments, what each could undo, blocks, hours."""
    providers = providers_for(provider_ids)
    ids = [p.id for p in providers]
    order = {pid: n for n, pid in enumerate(ids)}
    day_start = dt.datetime.combine(day, dt.time())
    day_end = day_start + dt.timedelta(days=1)
    if not ids:
        return DayView(day, [], [], [], {})
    rows = day_appointment_rows(day_start, day_end, ids, include_cancelled)
    appointments = with_undo(rows, (day_start, day_end))
    appointments.sort(key=lambda a: (a.start, order[a.provider_id], a.id))
    return DayView(
        day=day,
        providers=providers,
        appointments=appointments,
        blocks=blocks_between(ids, day_start, day_end, order),
        hours=hours_on(ids, day.weekday()),
    )


def hours_on(ids: Sequence[int], weekday: int) -> dict[int, list[Span]]:
    """provider_id -> that weekday's working spans, earliest first."""
    week = weekly_hours(ids, weekdays=(weekday,))
    return {pid: week[pid].get(weekday, []) for pid in ids}


def weekly_hours(
    ids: Sequence[int], weekdays: Sequence[int] | None = None
) -> dict[int, dict[int, list[Span]]]:
    """provider_id -> weekday -> working spans, in one read."""
    hours: dict[int, dict[int, list[Span]]] = {pid: {} for pid in ids}
    if not ids:
        return hours
    query = ProviderHours.select(
        ProviderHours.provider,
        ProviderHours.weekday,
        ProviderHours.start_time,
        ProviderHours.end_time,
    ).where(ProviderHours.provider.in_(list(ids)))
    if weekdays is not None:
        query = query.where(ProviderHours.weekday.in_(list(weekdays)))
    query = query.order_by(ProviderHours.provider, ProviderHours.weekday, ProviderHours.start_time)
    for pid, weekday, start, end in query.tuples():
        hours[pid].setdefault(weekday, []).append((start, end))
    return hours


def blocks_between(
    ids: Sequence[int],
    window_start: dt.datetime,
    window_end: dt.datetime,
    order: dict[int, int] | None = None,
) -> list[BlockRow]:
    """One-off blocks touching the window, plus every recurring block's occurrences in it."""
    if not ids:
        return []
    one_off = (
        ProviderBlock.rrule.is_null()
        & (ProviderBlock.start < window_end)
        & (ProviderBlock.end > window_start)
    )
    recurring = (
        ProviderBlock.rrule.is_null(False)
        & (ProviderBlock.start < window_end)
        & (ProviderBlock.until.is_null() | (ProviderBlock.until >= window_start.date()))
    )
    query = (
        ProviderBlock.select(
            ProviderBlock.provider,
            ProviderBlock.start,
            ProviderBlock.end,
            ProviderBlock.kind,
            ProviderBlock.note,
            ProviderBlock.rrule,
            ProviderBlock.until,
        )  # fmt: skip
        .where(ProviderBlock.provider.in_(list(ids)) & (one_off | recurring))
        .tuples()
    )
    order = order or {pid: n for n, pid in enumerate(ids)}
    blocks = []
    for pid, start, end, kind, note, rule, until in query:
        for occ_start, occ_end in occurrences(start, end, rule, until, window_start, window_end):
            blocks.append(BlockRow(pid, occ_start, occ_end, kind, note))
    blocks.sort(key=lambda b: (b.start, order.get(b.provider_id, 0), b.end))
    return blocks


@functools.lru_cache(maxsize=512)
def _recurrence(rule: str, start: dt.datetime) -> rrulebase | None:
    """The parsed rule, kept between day views with dateutil's occurrence cache on:
    a weekday lunch block started years ago is otherwise re-walked from its first
    day on every page of the schedule (15 ms for 20 providers; cached: about 1 ms)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    try:
        return rrulestr(text, dtstart=start, cache=True)
    except (ValueError, TypeError):
        return None


def occurrences(
    start: dt.datetime,
    end: dt.datetime,
    rule: str | None,
    until: dt.date | None,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Where one block (repeating or not) falls inside the window."""
    if not rule:
        return [(start, end)] if start < window_end and end > window_start else []
    length = end - start
    recurrence = _recurrence(rule, start)
    if recurrence is None:
        return []  # an unreadable rule blocks nothing rather than breaking the day
    found = []
    # an occurrence that began before the window may still run into it
    for occ in recurrence.between(window_start - length, window_end, inc=True):
        if until is not None and occ.date() > until:
            break
        occ_end = occ + length
        if occ < window_end and occ_end > window_start:
            found.append((occ, occ_end))
    return found


def spans_on(hours: dict[int, list[Span]], day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """A weekday's working spans as date-times on ``day``."""
    return [
        (dt.datetime.combine(day, start), dt.datetime.combine(day, end))
        for start, end in hours.get(day.weekday(), [])
    ]


def within_hours(
    start: dt.datetime, end: dt.datetime, spans: Sequence[tuple[dt.datetime, dt.datetime]]
) -> bool:
    """Does [start, end) lie inside the working spans (touching spans count as one)?"""
    at = start
    for span_start, span_end in sorted(spans):
        if span_start <= at < span_end:
            at = span_end
            if at >= end:
                return True
    return False
