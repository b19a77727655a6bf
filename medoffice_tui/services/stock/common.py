"""Checks every stock write shares: whole quantities, reasons, lot numbers, expiry dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import dates

#: the most units one movement may carry (a typo guard: 10000 boxes is a slip)
MAX_QUANTITY = 100_000
REASON_MAX = 200
LOT_MAX = 40

#: what a desk types for "this has no expiry date"
NO_EXPIRY_WORDS = frozenset({"none", "no", "n/a", "na", "-", "no expiry", "never"})

_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")


class ExpiredStockNeeded(InvalidInput):
    """A use that only expired lots could cover: the desk must ask for them knowingly."""

    def __init__(self, usable: int, expired: int, wanted: int) -> None:
        super().__init__(
            f"only {usable} in date on hand; {wanted - usable} more would come from expired "
            f"lots ({expired} expired on hand)",
            field="quantity",
        )
        self.usable = usable
        self.expired = expired
        self.wanted = wanted


def quantity(value: Any, *, field: str = "quantity", allow_zero: bool = False) -> int:
    """A whole number of units above zero (or zero, for a count)."""
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not re.fullmatch(r"\d+", text):
            raise InvalidInput("enter a whole number of units", field=field)
        value = int(text)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput("enter a whole number of units", field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput(
            "the quantity must be 0 or more" if allow_zero else "the quantity must be above zero",
            field=field,
        )
    if value > MAX_QUANTITY:
        raise InvalidInput(f"the quantity is more than {MAX_QUANTITY:,} units", field=field)
    return value


def reason(text: str | None, *, field: str = "reason") -> str:
    """Free text on a movement: one line, at most 200 characters."""
    cleaned = " ".join((text or "").split())
    if len(cleaned) > REASON_MAX:
        raise InvalidInput(f"the reason is longer than {REASON_MAX} characters", field=field)
    return cleaned


def lot_number(text: str | None) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise InvalidInput("the lot number is required", field="lot_number")
    if len(cleaned) > LOT_MAX:
        raise InvalidInput(
            f"the lot number is longer than {LOT_MAX} characters", field="lot_number"
        )
    return cleaned


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise InvalidInput("not a month: use 6/2027 or 6/30/2027", field="expires_on")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_expiry(text: str | None) -> dt.date | None:
    """An expiry date as printed on a box, forgivingly.

    ``6/30/2027`` and every form ``services/dates.py`` takes; a month and year alone
    (``6/2027``, ``06/27``, ``2027-06``) means the last day of that month, as
    manufacturers mean it; ``none`` / empty is no expiry date (None).
    """
    raw = " ".join((text or "").split()).lower().removeprefix("exp").strip(" :")
    if not raw or raw in NO_EXPIRY_WORDS:
        return None
    match = _MONTH_YEAR.match(raw)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
        return _month_end(year + 2000 if year < 100 else year, month)
    match = _YEAR_MONTH.match(raw)
    if match:
        return _month_end(int(match.group(1)), int(match.group(2)))
    try:
        return dates.parse_date(raw)
    except InvalidInput:
        raise InvalidInput(
            "not an expiry date: use 6/30/2027, 6/2027, or 'none'", field="expires_on"
        ) from None


def today() -> dt.date:
    return clock.today()
