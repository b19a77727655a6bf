"""Profiles for anything that misses a target: cProfile (stdlib), top functions.

An app's main thread spends most of its wall time idle in ``epoll`` or waiting on
locks (and, for a profile that runs to exit, joining worker threads), so the
listings drop those waits and rank what is left: the time the thread was busy.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path

TOP = 14
#: functions that are waiting, not working
_IDLE = ("poll", "select", "acquire", "sleep", "wait", "_wait_for_tstate_lock", "join")


def profile_call(fn: Callable[[], object], calls: int = 30) -> str:
    """Profile ``calls`` warm calls of ``fn``; the top functions by own and cumulative time."""
    fn()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    stats = pstats.Stats(prof)
    return _top(stats, f"{calls} calls", by="tottime") + "\n\n" + _top(stats, "", by="cumtime")


def profile_file(path: Path, title: str = "") -> str:
    """Summarise a ``python -m cProfile -o FILE`` dump: busy time by own and cumulative time."""
    stats = pstats.Stats(str(path))
    return _top(stats, title, by="tottime") + "\n\n" + _top(stats, "", by="cumtime")


def _label(key: tuple[str, int, str]) -> str:
    filename, line, func = key
    if filename == "~":
        return func
    parts = Path(filename).parts
    short = "/".join(parts[-2:]) if len(parts) >= 2 else filename
    return f"{short}:{line}({func})"


def _is_idle(key: tuple[str, int, str]) -> bool:
    return any(word in key[2] for word in _IDLE)


def _is_plumbing(key: tuple[str, int, str]) -> bool:
    label = _label(key)
    return "importlib" in label or "asyncio/" in label or "_contextvars" in label \
        or "builtins.exec" in label or "runpy" in label  # fmt: skip


def _top(stats: pstats.Stats, title: str, *, by: str, skip: int = 0) -> str:
    """The TOP busiest functions (idle waits excluded), ``by`` own or cumulative time.

    ``skip`` drops the outermost frames of a cumulative listing."""
    entries = stats.stats  # type: ignore[attr-defined]
    idle = sum(tt for key, (_, _, tt, _, _) in entries.items() if _is_idle(key))
    total = stats.total_tt  # type: ignore[attr-defined]
    busy = max(total - idle, 1e-9)
    rows = []
    for key, (_cc, nc, tt, ct, _callers) in entries.items():
        if _is_idle(key):
            continue
        if by == "cumtime" and (ct > busy * 1.01 or _is_plumbing(key)):
            continue  # frames that contain idle waits, and the event loop / import machinery
        rows.append((tt if by == "tottime" else ct, nc, tt, ct, key))
    rows.sort(key=lambda r: r[0], reverse=True)
    rows = rows[skip : skip + TOP]
    head = (f"{title}: " if title else "") + (
        f"busy {busy:.3f} s of {total:.3f} s profiled (idle waits {idle:.3f} s excluded); "
        f"top by {'own' if by == 'tottime' else 'cumulative'} time"
    )
    lines = [head, f"{'calls':>9} {'own s':>8} {'cum s':>8}  function"]
    for _, nc, tt, ct, key in rows:
        lines.append(f"{nc:>9} {tt:8.3f} {ct:8.3f}  {_label(key)}")
    return "\n".join(lines)


def per_call_ms(path: Path, names: tuple[str, ...]) -> dict[str, tuple[int, float]]:
    """For each function name: (calls, mean cumulative ms per call) in a profile dump."""
    entries = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    out: dict[str, tuple[int, float]] = {}
    for (_file, _line, func), (_cc, nc, _tt, ct, _callers) in entries.items():
        if func in names and nc:
            calls, total = out.get(func, (0, 0.0))
            out[func] = (calls + nc, total + ct * 1000.0)
    return {k: (n, total / n) for k, (n, total) in out.items()}


def cumulative_ms(path: Path, wanted: dict[str, tuple[str, str]]) -> dict[str, tuple[int, float]]:
    """For each label -> (file suffix, function): (calls, total cumulative ms), from a dump.

    Under cProfile everything runs slower (roughly 1.5-2x), so these are proportions,
    not wall times."""
    entries = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    out: dict[str, tuple[int, float]] = {}
    for label, (suffix, func) in wanted.items():
        calls, total = 0, 0.0
        for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in entries.items():
            if name == func and filename.endswith(suffix):
                calls, total = calls + nc, total + ct * 1000.0
        out[label] = (calls, total)
    return out
