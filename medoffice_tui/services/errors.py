"""Moved: the domain errors live in ``medoffice_tui.errors`` (below ``db/``).

Kept only until the last importers outside the package are updated.
"""

from medoffice_tui.errors import *  # noqa: F403
from medoffice_tui.errors import DomainError, InvalidInput, NotFound, SlotTaken, StaleEdit

__all__ = ["DomainError", "InvalidInput", "NotFound", "SlotTaken", "StaleEdit"]
