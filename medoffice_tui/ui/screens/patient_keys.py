"""Which of the record's keys work where: each key's sections and permission, and
whether it applies to what the section has highlighted now (the key line shows only
the keys that do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: what each key needs: (sections it works in, or None for anywhere; the permission)
KEY_RULES: dict[str, tuple[frozenset[str] | None, str]] = {
    "edit": (
        frozenset({"demographics", "insurance", "allergies", "vitals", "notes", "visits"}),
        "",
    ),  # fmt: skip
    "add": (frozenset({"insurance", "allergies", "vitals", "notes", "visits"}), ""),
    "remove": (frozenset({"insurance", "allergies"}), ""),
    "nka": (frozenset({"allergies"}), "allergy.edit"),
    "checked": (frozenset({"insurance"}), "coverage.edit"),
    "vitals": (None, "vitals.record"),
    "book": (None, "appointment.book"),
    "merge": (None, "patient.merge"),
}
SECTION_PERMISSION = {
    "demographics": "patient.edit",
    "insurance": "coverage.edit",
    "allergies": "allergy.edit",
    "vitals": "vitals.record",
    "notes": "patient.note",
    "visits": "appointment.book",
}


def key_state(
    action: str,
    section: str,
    detail: Any,
    may: Callable[[str], bool],
    current: Callable[[str], Any],
) -> bool | None:
    """``check_action``'s answer for ``action`` in ``section``: True (shown and works),
    None (shown, greyed out) or False (not a key here: left off the key line)."""
    rule = KEY_RULES.get(action)
    if rule is None:
        return True
    sections, permission = rule
    permission = permission or SECTION_PERMISSION.get(section, "")
    if permission and not may(permission):
        return False
    if detail is not None and detail.merged_into and action != "book":
        return None  # a merged record is read only
    if sections is not None and section not in sections:
        return False  # not a key of this section: left off the key line
    if action == "remove" and current(section) is None:
        return None
    if (
        action == "nka"
        and detail is not None
        and (detail.allergies or detail.allergy_status == "nka")
    ):
        return None
    if action == "checked" and current("insurance") is None:
        return None
    return True
