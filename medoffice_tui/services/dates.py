"""Forgiving date entry for the front desk (US month-first), strict about what it accepts.

Accepted: ``3/4/1980``, ``3-4-80``, ``3.4.1980`` (month first), ``1980-03-04`` /
``1980/3/4`` (year first, ISO), ``03041980`` (MMDDYYYY), ``030480`` (MMDDYY) and
``19800304`` (YYYYMMDD). Anything else, an impossible day (``2/30/1980``), or an
8-digit entry that reads as a plausible date both ways raises ``InvalidInput``.

``past=True`` is for dates of birth: a two-digit year goes to the most recent
century that does not put the date in the future (``1/2/45`` -> 1945), and a
future date is refused. Messages never repeat what was typed (it may be PHI).

:func:`parse_day` is the forgiving entry for a day on the schedule: all of the above
plus ``t`` / ``today``, ``tomorrow``, ``yesterday``, a weekday (``tue``: the next one,
today included), ``next tue`` (that day of next week), ``this tue`` / ``last tue``,
offsets (``+2w``, ``-3d``, ``+1m``, ``t+3``), a day without a year (``3/4``, ``dec 1``)
and ``future=True`` / ``past=True`` modes. A bare number is refused as ambiguous.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dateutil.relativedelta import relativedelta

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


# ------------------------------------------------------------------ day entry

#: what every "not a day" message suggests (never the typed text: it may be PHI)
DAY_FORMS = "12/1, 2026-12-01, t, tomorrow, tue, next tue or +2w"

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("mo", "mon", "monday"),
            ("tu", "tue", "tues", "tuesday"),
            ("we", "wed", "weds", "wednesday"),
            ("th", "thu", "thur", "thurs", "thursday"),
            ("fr", "fri", "friday"),
            ("sa", "sat", "saturday"),
            ("su", "sun", "sunday"),
        )
    )
    for name in names
}
_MONTHS = {
    name: index
    for index in range(1, 13)
    for name in {calendar.month_abbr[index].lower(), calendar.month_name[index].lower()}
}
_MONTHS["sept"] = 9
_WORDS = {
    "t": 0,
    "today": 0,
    "tod": 0,
    "now": 0,
    "tomorrow": 1,
    "tom": 1,
    "tmrw": 1,
    "tmw": 1,
    "yesterday": -1,
    "yest": -1,
}
_OFFSET = re.compile(r"^(?:t(?:oday)?)?\s*([+-])\s*(\d{1,3})\s*([dwmy]?)$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{2}|\d{4}))?$")
_DAY_NAMED_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{2}|\d{4}))?$")


def parse_day(
    text: str,
    *,
    future: bool = False,
    past: bool = False,
    today: dt.date | None = None,
    field: str | None = None,
) -> dt.date:
    """A day typed the way a front desk says it (see the module docstring).

    ``future=True`` refuses a day before today and reads a day without a year as its
    next occurrence (``3/4`` in November is next March); ``past=True`` the reverse.
    Otherwise a day without a year is the occurrence nearest today. Raises
    ``InvalidInput`` (naming ``field``) for anything unreadable or ambiguous.
    """
    if future and past:
        raise ValueError("a day cannot be both future-only and past-only")
    today = today or clock.today()
    raw = " ".join((text or "").strip().lower().split())
    if not raw:
        raise InvalidInput("enter a day", field=field)
    value = _read_day(raw, today=today, future=future, past=past, field=field)
    if future and value < today:
        raise InvalidInput("that day has passed: enter today or a later day", field=field)
    if past and value > today:
        raise InvalidInput("that day is in the future", field=field)
    return value


def _read_day(raw: str, *, today: dt.date, future: bool, past: bool, field: str | None) -> dt.date:
    if raw in _WORDS:
        return today + dt.timedelta(days=_WORDS[raw])
    offset = _OFFSET.match(raw)
    if offset:
        sign, amount, unit = offset.groups()
        count = int(amount) * (1 if sign == "+" else -1)
        step = {
            "": relativedelta(days=count),
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
            "y": relativedelta(years=count),
        }[unit]
        return today + step
    words = raw.split(" ")
    if len(words) <= 2 and words[-1] in _WEEKDAYS:
        return _weekday(words, today, past=past, field=field)
    if raw.isdigit() and len(raw) <= 4:
        raise InvalidInput(f"a bare number is ambiguous: use {DAY_FORMS}", field=field)
    yearless = _yearless(raw)
    if yearless is not None:
        month, day, year_text = yearless
        if year_text is not None:
            return _full_date(year_text, month, day, past=past, today=today, field=field)
        return _nearest(month, day, today, future=future, past=past, field=field)
    try:
        return parse_date(raw, past=past, today=today)
    except InvalidInput as error:
        if candidates_for(raw) is None:
            raise InvalidInput(f"not a day: use {DAY_FORMS}", field=field) from None
        raise InvalidInput(error.message, field=field) from None


def candidates_for(text: str) -> list[tuple[str, int, int]] | None:
    """(year text, month, day) readings of a full date entry; None when not date-shaped."""
    return _candidates(text)


def _weekday(words: list[str], today: dt.date, *, past: bool, field: str | None) -> dt.date:
    target = _WEEKDAYS[words[-1]]
    qualifier = words[0] if len(words) == 2 else ""
    monday = today - dt.timedelta(days=today.weekday())
    if qualifier == "next":  # that weekday in next week (weeks start on Monday)
        return monday + dt.timedelta(days=7 + target)
    if qualifier == "this":
        return monday + dt.timedelta(days=target)
    if qualifier == "last":  # that weekday in last week
        return monday + dt.timedelta(days=target - 7)
    if qualifier:
        raise InvalidInput(f"not a day: use {DAY_FORMS}", field=field)
    ahead = (target - today.weekday()) % 7
    if past:
        return today - dt.timedelta(days=(today.weekday() - target) % 7)
    return today + dt.timedelta(days=ahead)


def _yearless(raw: str) -> tuple[int, int, str | None] | None:
    """(month, day, year text or None) for ``3/4``, ``dec 1``, ``1 dec 2026``."""
    match = _MONTH_DAY.match(raw)
    if match:
        return int(match.group(1)), int(match.group(2)), None
    match = _NAMED_MONTH.match(raw)
    if match and match.group(1) in _MONTHS:
        return _MONTHS[match.group(1)], int(match.group(2)), match.group(3)
    match = _DAY_NAMED_MONTH.match(raw)
    if match and match.group(2) in _MONTHS:
        return _MONTHS[match.group(2)], int(match.group(1)), match.group(3)
    return None


def _full_date(
    year_text: str, month: int, day: int, *, past: bool, today: dt.date, field: str | None
) -> dt.date:
    year = _full_year(year_text, month, day, past=past, today=today)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidInput("not a valid date", field=field) from None


def _nearest(
    month: int, day: int, today: dt.date, *, future: bool, past: bool, field: str | None
) -> dt.date:
    """The occurrence of month/day nearest today, or the next / the last one."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue  # 2/29 exists only in leap years
    if not found:
        raise InvalidInput("not a valid date", field=field)
    if future:
        return min((d for d in found if d >= today), default=found[-1])
    if past:
        return max((d for d in found if d <= today), default=found[0])
    return min(found, key=lambda d: (abs((d - today).days), d < today))
