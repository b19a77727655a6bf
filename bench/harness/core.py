"""The run context, the result record and the figure registry.

A figure is one function ``fn(ctx)`` registered with ``@figure("name")``; it
measures something and calls ``ctx.add(...)``. Adding a measurement to the
bench is adding one such function (or one entry to a list a figure walks,
like ``bench.figures.service_paths.PATHS`` or ``bench.drivers.concurrency.WORKLOADS``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "bench" / "out"
TODAY = dt.date(2026, 11, 23)
SEED = 7
PY = sys.executable


@dataclass
class Result:
    """One figure: median/p95 of some samples, beside its floor from the same run."""

    figure: str
    name: str
    unit: str
    stats: dict[str, Any]
    size: int | None = None
    floor: dict[str, Any] | None = None  # {"name": ..., "median": ..., "p95": ...}
    target: str | None = None
    ok: bool | None = None  # None: no target, or could not be judged
    note: str = ""
    #: secondary statistics, e.g. {"first_byte": {...}} for a keystroke
    aux: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class DemoDb:
    size: int
    path: Path
    build_s: float | None
    file_bytes: int
    cached: bool


@dataclass
class Ctx:
    args: argparse.Namespace
    sizes: list[int]
    repeat: int
    dbs: dict[int, DemoDb] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    @property
    def largest(self) -> int:
        return max(self.sizes)

    def add(self, result: Result) -> Result:
        self.results.append(result)
        return result

    def log(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[bench {elapsed:6.1f}s] {message}", flush=True)


@dataclass
class Figure:
    name: str
    fn: Callable[[Ctx], None]
    doc: str
    order: int


FIGURES: list[Figure] = []


def figure(name: str, order: int = 50) -> Callable[[Callable[[Ctx], None]], Callable[[Ctx], None]]:
    """Register ``fn(ctx)`` as a figure; figures run by ``order``, then registration."""

    def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        doc = " ".join((fn.__doc__ or name).split())
        FIGURES.append(Figure(name, fn, doc, order))
        FIGURES.sort(key=lambda f: f.order)
        return fn

    return register


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or floor in (None, 0):
        return None
    return value / floor
