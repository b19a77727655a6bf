"""Text helpers shared by search and display: normalising names, safe display text."""

from __future__ import annotations

import re
import unicodedata

_NORM_DROP = re.compile(r"[^a-z0-9 '\-]")
_SPACES = re.compile(r"\s+")
# C0/C1 control characters and DEL; tabs/newlines are shown as spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation other than ' and -: the search key.

    ``"  O'Brién-Smith "`` -> ``"o'brien-smith"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NORM_DROP.sub("", ascii_only.lower())).strip()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``
    (for index range scans: ``col >= p AND col < prefix_upper_bound(p)``)."""
    if not prefix:
        raise ValueError("empty prefix")
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def display(text: str | None) -> str:
    """Database text made safe to put on a terminal: control bytes become '?'.

    Markup safety is the UI's job (it renders with ``rich.text.Text``, never markup);
    this only removes bytes that would move the cursor or change terminal state.
    """
    if not text:
        return ""
    return _CONTROL.sub("?", text)


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def parse_phone(text: str, *, field: str | None = None) -> str:
    """A US phone number typed any way, as ``(312) 555-0147``; blank stays blank.

    Takes 10 digits, or 11 starting with 1; an extension after ``x`` is kept
    (``(312) 555-0147 x12``). Anything else raises InvalidInput.
    """
    from medoffice_tui.errors import InvalidInput

    raw = (text or "").strip()
    if not raw:
        return ""
    main, _, ext = raw.lower().partition("x")
    number = digits(main)
    if len(number) == 11 and number.startswith("1"):
        number = number[1:]
    if len(number) != 10 or number[0] in "01":
        raise InvalidInput("a phone number has 10 digits, e.g. 312-555-0147", field=field)
    ext_digits = digits(ext)
    shown = f"({number[:3]}) {number[3:6]}-{number[6:]}"
    return f"{shown} x{ext_digits}" if ext_digits else shown
