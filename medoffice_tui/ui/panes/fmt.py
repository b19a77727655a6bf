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


def money_short(cents: int) -> str:
    """``$980``, ``$12.3k``, ``$1.2M``: for the one-line aging summary."""
    dollars = cents / 100
    if abs(dollars) >= 1_000_000:
        return f"${dollars / 1_000_000:.1f}M"
    if abs(dollars) >= 10_000:
        return f"${dollars / 1000:.0f}k"
    if abs(dollars) >= 1000:
        return f"${dollars / 1000:.1f}k"
    return f"${dollars:.0f}"


def words(status: str) -> str:
    """``no_show`` -> ``no-show``."""
    return status.replace("_", "-")
