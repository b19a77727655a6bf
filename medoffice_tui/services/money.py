"""Money typed at the desk, kept exact: whole cents in integers, Decimal in between.

Never a float: ``0.1 + 0.2`` is not ``0.3`` in binary, and a claim total must equal
the sum of its lines to the cent.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from medoffice_tui.errors import InvalidInput

#: the largest amount the desk can type (a typo guard, not an accounting limit)
MAX_CENTS = 10_000_000_00

_MONEY = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d{0,2})?$|^-?\d+(\.\d{0,2})?$|^-?\.\d{1,2}$")


def parse_money(text: str, *, field: str | None = None, allow_negative: bool = False) -> int:
    """``12``, ``12.5``, ``$1,234.56`` -> cents. More than two decimals is refused."""
    raw = (text or "").strip().replace("$", "").replace(" ", "")
    if not raw:
        raise InvalidInput("enter an amount", field=field)
    if not _MONEY.match(raw):
        raise InvalidInput("not an amount: use 12.50 (two decimals at most)", field=field)
    try:
        amount = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise InvalidInput("not an amount", field=field) from None
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents < 0 and not allow_negative:
        raise InvalidInput("the amount cannot be negative", field=field)
    if abs(cents) > MAX_CENTS:
        raise InvalidInput("that amount is too large", field=field)
    return cents


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_money(cents: int) -> str:
    """``1,234.56`` (negative: ``-12.00``)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"
