"""Domain errors: what the front desk is told when an action cannot be done."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors with a message fit to show a user (never PHI-free by accident:
    messages name records by id/MRN, never by patient name)."""


class InvalidInput(DomainError):
    """Input that cannot be accepted (bad date, missing field, out of range)."""


class NotFound(DomainError):
    """The record is gone (deleted or never existed)."""


class SlotTaken(DomainError):
    """The provider already has a live appointment overlapping that time."""

    def __init__(self, message: str = "that time overlaps another appointment for this provider"):
        super().__init__(message)


class StaleEdit(DomainError):
    """Another desk changed the record after it was read; nothing was overwritten."""

    def __init__(self, message: str = "someone else changed this record; reload it and try again"):
        super().__init__(message)
