"""The shared date-entry module's forgiving day entry (``dates.parse_day``)."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import dates

TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("t", TODAY),
        ("Today", TODAY),
        ("tomorrow", dt.date(2026, 11, 24)),
        ("tmrw", dt.date(2026, 11, 24)),
        ("yesterday", dt.date(2026, 11, 22)),
        ("tue", dt.date(2026, 11, 24)),
        ("Tuesday", dt.date(2026, 11, 24)),
        ("mon", TODAY),  # today is a Monday: "mon" is today
        ("sun", dt.date(2026, 11, 29)),
        ("next tue", dt.date(2026, 12, 1)),  # that weekday of next week
        ("next mon", dt.date(2026, 11, 30)),
        ("this fri", dt.date(2026, 11, 27)),
        ("last fri", dt.date(2026, 11, 20)),
        ("+2w", dt.date(2026, 12, 7)),
        ("+3", dt.date(2026, 11, 26)),
        ("+3d", dt.date(2026, 11, 26)),
        ("-1w", dt.date(2026, 11, 16)),
        ("+1m", dt.date(2026, 12, 23)),
        ("t+3", dt.date(2026, 11, 26)),
        ("3/4", dt.date(2027, 3, 4)),  # the nearest March 4th
        ("11/20", dt.date(2026, 11, 20)),
        ("12/1", dt.date(2026, 12, 1)),
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("12/1/2026", dt.date(2026, 12, 1)),
        ("12/1/26", dt.date(2026, 12, 1)),
        ("12012026", dt.date(2026, 12, 1)),
        ("dec 1", dt.date(2026, 12, 1)),
        ("1 Dec 2027", dt.date(2027, 12, 1)),
        ("December 3rd", dt.date(2026, 12, 3)),
    ],
)
def test_forgiving_day_entry(text, expected):
    assert dates.parse_day(text, today=TODAY) == expected


def test_future_and_past_modes():
    assert dates.parse_day("11/20", future=True, today=TODAY) == dt.date(2027, 11, 20)
    assert dates.parse_day("12/1", past=True, today=TODAY) == dt.date(2025, 12, 1)
    assert dates.parse_day("tue", past=True, today=TODAY) == dt.date(2026, 11, 17)
    for text in ("yesterday", "-1w", "2026-11-01", "last fri"):
        with pytest.raises(InvalidInput, match="passed"):
            dates.parse_day(text, future=True, today=TODAY)
    with pytest.raises(InvalidInput, match="future"):
        dates.parse_day("+1d", past=True, today=TODAY)
    with pytest.raises(ValueError):
        dates.parse_day("t", past=True, future=True, today=TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a day"),
        ("15", "bare number is ambiguous"),
        ("1430", "bare number is ambiguous"),
        ("someday", "not a day"),
        ("next someday", "not a day"),
        ("2/30", "not a valid date"),
        ("13/1", "not a valid date"),
        ("2/30/2026", "not a valid date"),
    ],
)
def test_unreadable_or_ambiguous_days_say_so_without_echoing(text, message):
    with pytest.raises(InvalidInput, match=message) as info:
        dates.parse_day(text, today=TODAY, field="day")
    assert info.value.field == "day"
    if text:
        assert text not in str(info.value)


def test_the_old_entry_points_still_work():
    assert dates.parse_date("3/4/1980", past=True, today=TODAY) == dt.date(1980, 3, 4)
    assert dates.looks_like_date("3/4/80") and not dates.looks_like_date("tue")
    assert dates.parse_time("930") == dt.time(9, 30)
