"""Small statistics and timing helpers: medians and p95s over repeated runs."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from typing import Any


def percentile(samples: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0..100), like numpy's default."""
    if not samples:
        return math.nan
    data = sorted(samples)
    if len(data) == 1:
        return float(data[0])
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return float(data[lo] + (data[hi] - data[lo]) * (pos - lo))


def summarize(samples: Sequence[float]) -> dict[str, Any]:
    """median, p95, min, max and n of some samples (NaN-free)."""
    clean = [float(s) for s in samples if s is not None and not math.isnan(s)]
    if not clean:
        return {"n": 0, "median": None, "p95": None, "min": None, "max": None}
    return {
        "n": len(clean),
        "median": percentile(clean, 50),
        "p95": percentile(clean, 95),
        "min": min(clean),
        "max": max(clean),
    }


def time_calls(
    fn: Callable[[], object],
    *,
    repeat: int = 50,
    warmup: int = 3,
    budget_s: float = 2.0,
    min_repeat: int = 5,
) -> list[float]:
    """Time ``fn()`` one call at a time, warm: a list of milliseconds.

    Stops after ``repeat`` calls or ``budget_s`` seconds (but never before
    ``min_repeat``), so a slow path cannot eat the whole run.
    """
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # timeit does the same: a collection is not the path's cost
    try:
        started = time.perf_counter()
        for i in range(repeat):
            t0 = time.perf_counter_ns()
            fn()
            samples.append((time.perf_counter_ns() - t0) / 1e6)
            if i + 1 >= min_repeat and time.perf_counter() - started > budget_s:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer() and (value == 0 or abs(value) >= 100):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"
