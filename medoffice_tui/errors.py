"""Domain errors: what the front desk is told when an action cannot be done.

This module sits below ``db/`` and ``services/`` (it imports nothing of the app), so
storage, rules, the CLI and the screens all raise and catch the same classes.

Every message is written to be shown to a user as it is. It never carries patient
data: records are named by id or MRN, never by a patient's name, date of birth or
phone, and typed input is not repeated back (it may be any of those).

``field`` names the input a message is about (``"dob"``, ``"member_id"``), so a form
can mark that field and put the cursor there; the rule itself stays in the service.
"""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A refusal with a message fit to show a user, optionally about one input field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """Input that cannot be accepted (bad date, missing field, out of range)."""


class NotFound(DomainError):
    """The record is gone (deleted or never existed)."""


class SlotTaken(DomainError):
    """The time is no longer free: the provider (or the patient) is already booked then."""

    def __init__(
        self,
        message: str = "that time overlaps another appointment for this provider",
        *,
        field: str | None = "start",
        taken_by: str = "",
    ) -> None:
        if taken_by:
            message = f"{message} (booked by {taken_by})"
        super().__init__(message, field=field)
        self.taken_by = taken_by


class StaleEdit(DomainError):
    """Another desk changed the record after it was read; nothing was overwritten.

    ``changed_by`` (a staff member's name) and ``changed_fields`` (field names, never
    values) say what happened, so the desk can re-apply its own values knowingly.
    """

    def __init__(
        self,
        message: str = "someone else changed this record; reload it and try again",
        *,
        changed_by: str = "",
        changed_fields: Iterable[str] = (),
        field: str | None = None,
    ) -> None:
        fields = tuple(changed_fields)
        if changed_by or fields:
            who = changed_by or "another desk"
            what = f" ({', '.join(f.replace('_', ' ') for f in fields)})" if fields else ""
            message = f"{who} changed this record{what} after you opened it; nothing was saved"
        super().__init__(message, field=field)
        self.changed_by = changed_by
        self.changed_fields = fields


class PermissionDenied(DomainError):
    """The signed-in user's role may not do this. The refusal is audited."""

    def __init__(self, action: str, label: str, roles: Iterable[str]) -> None:
        self.action = action
        self.roles = tuple(roles)
        needed = " or ".join(self.roles) if self.roles else "a role that no one has"
        super().__init__(f"{label} needs the {needed} role")


class SignInFailed(DomainError):
    """Wrong username or password (deliberately not saying which)."""

    def __init__(self, message: str = "wrong username or password") -> None:
        super().__init__(message, field="password")


class AccountLocked(SignInFailed):
    """Too many failed sign-ins, or a disabled account."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ActorRequired(RuntimeError):
    """A service write was called without a signed-in user (a programming error)."""
