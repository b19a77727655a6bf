"""When the demo happens: its "now", its schedule window, and datetime helpers.

Every date and time is computed from the ``today`` argument; the "now" of the
demo is ``today`` at ``NOW_TIME``.
"""

from __future__ import annotations

import datetime as dt

#: the demo's "now" on ``today``: the morning clinic is under way
NOW_TIME = dt.time(10, 30)
#: schedule window around today, in days
WINDOW_DAYS = 14


def day_at(day: dt.date, minutes: int) -> dt.datetime:
    """``day`` at ``minutes`` after midnight."""
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minutes)


def in_office_hours(t: dt.datetime) -> dt.datetime:
    """Squeeze a time of day into 07:00-19:00, keeping order: billing staff work days."""
    seconds = (t.hour * 3600 + t.minute * 60 + t.second) // 2
    return dt.datetime(t.year, t.month, t.day, 7) + dt.timedelta(seconds=seconds)


def minute_of_day(t: dt.time) -> int:
    return t.hour * 60 + t.minute
