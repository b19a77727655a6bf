"""The last patient record opened, per signed-in user, for "Space recalls the last patient".

Kept in memory only (never written anywhere), with the user it belongs to, so another
desk signing in on the same screen never gets the first user's patient back.
"""

from __future__ import annotations

import weakref
from typing import Any

_last: weakref.WeakKeyDictionary[Any, tuple[int, int]] = weakref.WeakKeyDictionary()


def _user(app: Any) -> int | None:
    actor = getattr(app, "actor", None)
    return getattr(actor, "user_id", None)


def remember(app: Any, patient_id: int) -> None:
    user = _user(app)
    if user is not None:
        _last[app] = (user, patient_id)


def last_opened(app: Any) -> int | None:
    """The patient the signed-in user opened last, or None."""
    found = _last.get(app)
    if found is None or found[0] != _user(app):
        return None
    return found[1]
