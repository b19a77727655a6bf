"""The schedule's own refusals, so a screen can offer the way forward (overbook, reactivate).

Both are ``InvalidInput``: shown as they are, naming the field they are about, never
carrying patient data.
"""

from __future__ import annotations

from medoffice_tui.errors import InvalidInput


class NeedsOverbook(InvalidInput):
    """The time is outside the provider's hours or inside a block: only an explicit
    overbook (a confirm, a reason and a role that may overbook) can book it."""

    def __init__(self, message: str, *, may_overbook: bool, roles: str = "") -> None:
        if not may_overbook:
            message = f"{message}; overbooking needs the {roles or 'Manager'} role"
        super().__init__(message, field="start")
        self.may_overbook = may_overbook


class PatientInactive(InvalidInput):
    """The patient's record is inactive: reactivate it to book."""

    def __init__(self, message: str = "the patient's record is inactive: reactivate it to book"):
        super().__init__(message, field="patient")
