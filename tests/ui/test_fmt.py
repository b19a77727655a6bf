"""Screen formats: US dates, ages the way clinics say them, money that fits its column."""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db.models import CLAIM_STATUSES
from medoffice_tui.ui.panes.claims import money_cell, status_word
from medoffice_tui.ui.panes.fmt import (
    age_text,
    long_date,
    minutes_between,
    money,
    money_short,
    us_date,
    words,
)
from medoffice_tui.ui.panes.schedule import short_provider

TODAY = dt.date(2026, 11, 23)


def test_dates() -> None:
    assert long_date(TODAY) == "Mon 23 Nov 2026"
    assert us_date(dt.date(1980, 3, 4)) == "03/04/1980"
    assert us_date(None) == ""
    start = dt.datetime(2026, 11, 23, 9, 45)
    assert minutes_between(start, start + dt.timedelta(minutes=45)) == "45m"


def test_age_is_whole_years_then_months_for_babies() -> None:
    assert age_text(dt.date(1980, 11, 23), TODAY) == "46"  # birthday today
    assert age_text(dt.date(1980, 11, 24), TODAY) == "45"  # birthday tomorrow
    assert age_text(dt.date(2026, 4, 24), TODAY) == "6mo"
    assert age_text(dt.date(2025, 1, 1), TODAY) == "22mo"
    assert age_text(None, TODAY) == ""


def test_money() -> None:
    assert money(123456) == "1,234.56"
    assert money(-1200) == "-12.00"
    assert money(5) == "0.05"
    assert money_cell(99999) == "999.99"
    assert money_cell(1234567) == "12,346"  # whole dollars when cents would not fit 7 cells
    assert money_short(98000) == "$980"
    assert money_short(723000) == "$7.2k"
    assert money_short(12345600) == "$123k"
    assert money_short(250000000) == "$2.5M"


def test_words_that_fit_their_columns() -> None:
    assert words("no_show") == "no-show"
    assert status_word("rejected_payer") == "returned"  # by the payer, unprocessed
    assert status_word("partially_paid") == "part paid"
    assert all(len(status_word(s)) <= 11 for s in CLAIM_STATUSES)  # the status column
    assert short_provider("J. Rivera, MD") == "J. Rivera"
