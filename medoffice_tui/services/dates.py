"""Forgiving date entry for the front desk (US month-first), strict about what it accepts.

Accepted: ``3/4/1980``, ``3-4-80``, ``3.4.1980`` (month first), ``1980-03-04`` /
``1980/3/4`` (year first, ISO), ``03041980`` (MMDDYYYY), ``030480`` (MMDDYY) and
``19800304`` (YYYYMMDD). Anything else, an impossible day (``2/30/1980``), or an
8-digit entry that reads as a plausible date both ways raises ``InvalidInput``.

``past=True`` is for dates of birth: a two-digit year goes to the most recent
century that does not put the date in the future (``1/2/45`` -> 1945), and a
future date is refused. Messages never repeat what was typed (it may be PHI).
"""

from __future__ import annotations

import datetime as dt
import re

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput

#: earliest year taken as a real date (keeps "01021012" from reading as the year 1012)
MIN_YEAR = 1850

_SEPARATED = re.compile(r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})$")
_DIGITS = re.compile(r"^\d{6}$|^\d{8}$")


def looks_like_date(text: str) -> bool:
    """Does ``text`` have the shape of a date entry (whether or not it is a valid one)?"""
    text = text.strip()
    return bool(_SEPARATED.match(text) or _DIGITS.match(text))


def parse_date(text: str, *, past: bool = False, today: dt.date | None = None) -> dt.date:
    """Read a typed date. See the module docstring for the accepted forms."""
    today = today or clock.today()
    text = (text or "").strip()
    if not text:
        raise InvalidInput("enter a date")
    candidates = _candidates(text)
    if candidates is None:
        raise InvalidInput("not a date: use m/d/yyyy or yyyy-mm-dd")
    valid = []
    for year_text, month, day in candidates:
        year = _full_year(year_text, month, day, past=past, today=today)
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if value.year >= MIN_YEAR:
            valid.append(value)
    if not valid:
        raise InvalidInput("not a valid date")
    if len(set(valid)) > 1:
        raise InvalidInput("ambiguous date: use m/d/yyyy or yyyy-mm-dd")
    value = valid[0]
    if past and value > today:
        raise InvalidInput("that date is in the future")
    return value


def _candidates(text: str) -> list[tuple[str, int, int]] | None:
    """(year text, month, day) readings of ``text``; None when it is not date-shaped."""
    match = _SEPARATED.match(text)
    if match:
        first, _sep, middle, last = match.groups()
        if len(first) == 4:  # year first: 1980-03-04
            if len(last) > 2:
                return None
            return [(first, int(middle), int(last))]
        if len(first) > 2 or len(last) not in (2, 4):
            return None
        return [(last, int(first), int(middle))]
    if re.fullmatch(r"\d{8}", text):
        return [
            (text[4:], int(text[:2]), int(text[2:4])),  # MMDDYYYY
            (text[:4], int(text[4:6]), int(text[6:])),  # YYYYMMDD
        ]
    if re.fullmatch(r"\d{6}", text):
        return [(text[4:], int(text[:2]), int(text[2:4]))]  # MMDDYY
    return None


def _full_year(year_text: str, month: int, day: int, *, past: bool, today: dt.date) -> int:
    if len(year_text) == 4:
        return int(year_text)
    if len(year_text) != 2:
        return 0  # rejected by the caller (not a valid date)
    two = int(year_text)
    century = today.year - today.year % 100
    year = century + two
    if past:
        try:
            if dt.date(year, month, day) > today:
                year -= 100
        except ValueError:
            pass
    return year


_TIME = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*([ap])?\.?m?\.?$")


def parse_time(text: str, *, field: str | None = None) -> dt.time:
    """A typed time of day: ``9``, ``930``, ``9:30``, ``14:00``, ``2pm``, ``2:15 p``.

    A bare hour from 1 to 6 means the afternoon (nobody books 3 a.m. at a front desk);
    ``12`` is noon. Anything else raises InvalidInput.
    """
    raw = (text or "").strip().lower().replace(" ", "")
    if not raw:
        raise InvalidInput("enter a time", field=field)
    if raw in ("noon", "12n"):
        return dt.time(12, 0)
    match = _TIME.match(raw)
    if not match:
        raise InvalidInput("not a time: use 9:30, 14:00 or 2pm", field=field)
    hour_text, minute_text, half = match.groups()
    if minute_text is None and len(hour_text) > 2:  # "930" read as 9:30
        hour_text, minute_text = hour_text[:-2], hour_text[-2:]
    hour, minute = int(hour_text), int(minute_text or 0)
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    elif half is None and 1 <= hour <= 6:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput("not a time of day", field=field)
    return dt.time(hour, minute)
