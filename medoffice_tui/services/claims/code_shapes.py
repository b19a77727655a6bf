"""What a code looks like, before any table is asked: ICD-10-CM, HCPCS, CPT, modifiers, NPI.

CPT is the AMA's (licensed): it is checked by shape only, and its descriptions come
from the practice's own fee schedule. The NPI check digit is Luhn over "80840" + the
first nine digits (the CMS rule: computed as if the card-issuer prefix were there).
"""

from __future__ import annotations

import re

ICD10_SHAPE = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
HCPCS_SHAPE = re.compile(r"^[A-V]\d{4}$")
CPT_SHAPE = re.compile(r"^\d{4}[0-9FTU]$")
MODIFIER_SHAPE = re.compile(r"^[A-Z0-9]{2}$")
#: a code being typed: a letter, a digit, then up to five more (with or without the dot)
ICD10_TYPED = re.compile(r"^[A-TV-Z][0-9][0-9A-Z]?\.?[0-9A-Z]{0,4}$")


def normalize_icd10(text: str) -> str:
    """``j069`` / ``J06.9`` -> ``J06.9``: upper case, the dot after the third character."""
    code = text.strip().upper().replace(" ", "")
    bare = code.replace(".", "")
    if len(bare) > 3:
        return f"{bare[:3]}.{bare[3:]}"
    return bare


def looks_like_icd10(text: str) -> bool:
    return bool(ICD10_TYPED.match(text.strip().upper()))


def procedure_kind(code: str) -> str | None:
    """ "CPT", "HCPCS" or None (neither shape)."""
    if CPT_SHAPE.match(code):
        return "CPT"
    if HCPCS_SHAPE.match(code):
        return "HCPCS"
    return None


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def npi_valid(npi: str | None) -> bool:
    """Ten digits, starting 1 or 2, with a Luhn check digit over "80840" + the NPI."""
    text = (npi or "").strip()
    return len(text) == 10 and text.isdigit() and text[0] in "12" and _luhn_ok("80840" + text)


def zip_plus4(zip_code: str | None) -> bool:
    """ZIP+4 (``62701-1234`` or nine digits), as the 837P wants for the billing provider."""
    digits = (zip_code or "").replace("-", "").strip()
    return len(digits) == 9 and digits.isdigit()


_PO_BOX = re.compile(r"\b(p\.?\s*o\.?\s*box|post\s+office\s+box|box\s+\d+)\b", re.I)


def is_po_box(address: str | None) -> bool:
    return bool(_PO_BOX.search(address or ""))
