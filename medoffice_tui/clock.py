"""The one clock: "today" and "now" in the practice's time zone.

Everything that asks what day it is goes through here, so tests and the
``--today`` option can pin the date and every date rule stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

_zone: ZoneInfo = ZoneInfo("America/Chicago")
_pinned_today: dt.date | None = None
_pinned_now: dt.datetime | None = None
_fake_monotonic: float | None = None


def set_time_zone(name: str) -> None:
    """Use the practice's IANA time zone for today()/now()."""
    global _zone
    _zone = ZoneInfo(name)


def time_zone() -> ZoneInfo:
    return _zone


def pin(today: dt.date | None = None, now: dt.datetime | None = None) -> None:
    """Freeze the clock. ``pin(today=...)`` keeps the wall-clock time of day
    but reports the pinned date; ``pin(now=...)`` freezes both.
    ``pin()`` with no arguments unfreezes."""
    global _pinned_today, _pinned_now
    _pinned_now = now.replace(tzinfo=None) if now is not None else None
    _pinned_today = today if today is not None else (now.date() if now else None)


def now() -> dt.datetime:
    """Naive local wall-clock time in the practice's zone (what the DB stores)."""
    if _pinned_now is not None:
        return _pinned_now
    real = dt.datetime.now(_zone).replace(tzinfo=None)
    if _pinned_today is not None:
        return dt.datetime.combine(_pinned_today, real.time())
    return real


def today() -> dt.date:
    if _pinned_today is not None:
        return _pinned_today
    return now().date()


def utcnow() -> dt.datetime:
    """Naive UTC, for audit timestamps that must not depend on the zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def monotonic() -> float:
    """Seconds on a clock that never goes back (idle timers). Fakeable for tests."""
    if _fake_monotonic is not None:
        return _fake_monotonic
    return time.monotonic()


def fake_monotonic(start: float | None = 0.0) -> None:
    """Freeze :func:`monotonic` at ``start`` (None: back to the real clock)."""
    global _fake_monotonic
    _fake_monotonic = start


def advance(seconds: float) -> None:
    """Move the faked monotonic clock (and a pinned ``now``) forward."""
    global _fake_monotonic, _pinned_now
    if _fake_monotonic is None:
        raise RuntimeError("clock.advance() needs clock.fake_monotonic() first")
    _fake_monotonic += seconds
    if _pinned_now is not None:
        _pinned_now += dt.timedelta(seconds=seconds)
