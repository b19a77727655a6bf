"""Profiles for anything that misses a target: cProfile (stdlib), top functions."""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable
from pathlib import Path

TOP = 14


def profile_call(fn: Callable[[], object], calls: int = 30) -> str:
    """Profile ``calls`` warm calls of ``fn``; the top functions by cumulative time."""
    fn()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    return _top(pstats.Stats(prof), f"{calls} calls")


def profile_file(path: Path, title: str = "") -> str:
    """Summarise a ``python -m cProfile -o FILE`` dump: by own time, then cumulative."""
    return (
        _top(pstats.Stats(str(path)), f"{title} (by own time)".strip(), "tottime")
        + "\n\n"
        + _top(pstats.Stats(str(path)), f"{title} (by cumulative time)".strip())
    )


def _top(stats: pstats.Stats, title: str, sort: str = "cumulative") -> str:
    buf = io.StringIO()
    stats.stream = buf
    stats.strip_dirs().sort_stats(sort).print_stats(TOP)
    lines = [ln.rstrip() for ln in buf.getvalue().splitlines() if ln.strip()]
    # keep the header line with totals and the table
    keep = [ln for ln in lines if "function calls" in ln or ln.lstrip()[:1].isdigit()
            or ln.lstrip().startswith("ncalls")]  # fmt: skip
    return (title + "\n" if title else "") + "\n".join(keep)
