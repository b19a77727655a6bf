"""National Provider Identifiers: the CMS check digit, validation and random valid NPIs."""

from __future__ import annotations

import random


def npi_check_digit(first9: str) -> str:
    """Luhn check digit for an NPI computed over the "80840" prefix (CMS rule)."""
    payload = "80840" + first9
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    return (
        len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == npi[9]
    )


def make_npi(rng: random.Random, first: str) -> str:
    """A valid NPI starting with ``first`` ("1" individual, "2" organisation)."""
    body = first + "".join(rng.choice("0123456789") for _ in range(8))
    return body + npi_check_digit(body)
