"""How dates, money and ages look on screen (US front desk conventions)."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date) -> str:
    """``Mon 23 Nov 2026``: unambiguous, and the weekday matters at a front desk."""
    return day.strftime("%a %d %b %Y")


def us_date(day: dt.date | None) -> str:
    """``03/04/1980``: the form US staff read and type for birth dates."""
    return day.strftime("%m/%d/%Y") if day else ""


def short_us_date(day: dt.date | None) -> str:
    return day.strftime("%m/%d/%y") if day else ""


def hhmm(moment: dt.datetime | dt.time) -> str:
    return moment.strftime("%H:%M")


def minutes_between(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes}m"


def age_years(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def age_text(dob: dt.date | None, today: dt.date) -> str:
    """Whole years, or months for babies (``7mo``), as clinics say it."""
    if dob is None:
        return ""
    years = age_years(dob, today)
    if years >= 2:
        return str(years)
    months = (today.year - dob.year) * 12 + today.month - dob.month - (today.day < dob.day)
    return f"{max(months, 0)}mo"


def money(cents: int) -> str:
    """``1,234.56`` (negative: ``-12.00``); the column header says it is dollars."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"


def half_up(amount: int, unit: int) -> int:
    """``amount`` (>= 0) in whole ``unit``s, halves rounded up: integers only, so a
    display never shows a float's 0.49999 (``half_up(250, 100) == 3``)."""
    return (2 * amount + unit) // (2 * unit)


def money_dollars(cents: int) -> str:
    """Whole dollars, halves rounded away from zero: ``1,235`` for 1,234.50."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{half_up(abs(cents), 100):,}"


def money_short(cents: int) -> str:
    """``$980``, ``$1.5k``, ``$12k``, ``$1.2M``: for the aging chart and summary line.

    Integer arithmetic only (half up at each unit), never float."""
    sign = "-" if cents < 0 else ""
    amount = abs(cents)
    dollars = half_up(amount, 100)
    if dollars < 1000:
        return f"{sign}${dollars}"
    tenths_k = half_up(amount, 10_000)  # $100 steps
    if tenths_k < 100:
        return f"{sign}${tenths_k // 10}.{tenths_k % 10}k"
    thousands = half_up(amount, 100_000)
    if thousands < 1000:
        return f"{sign}${thousands}k"
    tenths_m = half_up(amount, 10_000_000)  # $100,000 steps
    return f"{sign}${tenths_m // 10:,}.{tenths_m % 10}M"


def count_short(count: int) -> str:
    """``4,516``, ``45k``, ``451k``, ``1.2M``: at most 5 characters below a billion."""
    if count < 10_000:
        return f"{count:,}"
    thousands = half_up(count, 1000)
    if thousands < 1000:
        return f"{thousands}k"
    tenths_m = half_up(count, 100_000)
    return f"{tenths_m // 10}.{tenths_m % 10}M" if tenths_m < 100 else f"{half_up(count, 10**6)}M"


def words(status: str) -> str:
    """``no_show`` -> ``no-show``."""
    return status.replace("_", "-")
