"""What one build shares across its parts: its inputs, its clock, a random stream per part,
and what earlier parts leave for later ones (patients, provider hours, completed visits).

Deterministic: every random choice comes from ``random.Random`` seeded from ``seed``
and every date/time is computed from ``today``, so the same (patients, seed, today)
always gives the same rows on either engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from medoffice_tui.db.engines.base import BulkLoad
from medoffice_tui.demo.draws import DemoRandom
from medoffice_tui.demo.summary import DemoSummary
from medoffice_tui.demo.timeframe import NOW_TIME

#: ``progress(step, done, total)`` is called as each part is written
ProgressFn = Callable[[str, int, int], None]


@dataclass
class PatientInfo:
    """What later parts need to know about a patient (``state.patients[pid - 1]``)."""

    age: int
    last: str
    coverage_id: int = 0  # rank 1, 0 when uninsured
    payer_id: int = 0
    copay: int = 0


@dataclass
class BuildState:
    """The inputs of one build and what its parts hand on to each other."""

    n_patients: int
    seed: int
    today: dt.date
    progress: ProgressFn
    summary: DemoSummary = field(init=False)
    now: dt.datetime = field(init=False)
    patients: list[PatientInfo] = field(default_factory=list)
    #: provider id -> weekday -> (start, end) minute of the day
    hours: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    #: provider id -> (start, end) minute of the weekday lunch block
    lunch: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: the one-off meeting block: (provider id, day, start minute, end minute)
    meeting: tuple[int, dt.date, int, int] | None = None
    #: day -> [(appointment id, patient id, provider id)] of completed past visits
    completed_by_day: dict[dt.date, list[tuple[int, int, int]]] = field(default_factory=dict)
    #: run once the build's transaction has ended, committed or not (scratch files)
    after_build: list[Callable[[], None]] = field(default_factory=list)
    #: the engine's bulk load the build runs in (told which tables are done)
    bulk: BulkLoad = field(default_factory=BulkLoad)
    #: writes the claims the workers started by ``billing.start_claims`` drew
    claims_started: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self.summary = DemoSummary(seed=self.seed, today=self.today)
        self.now = dt.datetime.combine(self.today, NOW_TIME)

    def rng(self, part: str) -> DemoRandom:
        """An independent stream per part, so changing one part leaves the others alone
        (the same draws as ``random.Random``, made faster: see ``draws.DemoRandom``)."""
        return DemoRandom(f"medoffice-demo:{self.seed}:{part}")
