"""Building a demo practice: the parts in dependency order, in one transaction.

Each part takes the shared ``BuildState`` (inputs, clock, one random stream per part)
and writes its rows; later parts read what earlier ones left there.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable

from medoffice_tui.db import models as m
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.seed import ensure_reference_rows
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.demo.audit_trail import build_audit_trail
from medoffice_tui.demo.billing import build_claims, start_claims
from medoffice_tui.demo.clinical import build_allergies_and_vitals
from medoffice_tui.demo.code_sets import build_code_sets
from medoffice_tui.demo.coverage import build_coverages
from medoffice_tui.demo.patients import build_duplicate_pair, build_patients
from medoffice_tui.demo.practice import build_practice
from medoffice_tui.demo.schedule import build_schedule
from medoffice_tui.demo.state import BuildState, ProgressFn
from medoffice_tui.demo.summary import DemoSummary
from medoffice_tui.demo.supplies import build_supplies

#: tables the parts after ``index_finished_tables`` still fill in bulk (the claims
#: the workers drew, their summary lines, the audit trail)
LATER_TABLES = (
    m.Claim, m.ClaimDiagnosis, m.ClaimLine, m.ClaimStatusEvent, m.Payment,
    m.PaymentAllocation, m.Adjustment, m.ClaimSummary, m.AuditEvent,
)  # fmt: skip


def index_finished_tables(state: BuildState) -> None:
    """Every table but ``LATER_TABLES`` is complete: let the engine build their indexes
    now (on SQLite, while the claim workers are still drawing) instead of at the end."""
    state.bulk.tables_done(
        [model._meta.table_name for model in m.ALL_MODELS if model not in LATER_TABLES]
    )


def build_audit_trail_and_claim_indexes(state: BuildState) -> None:
    """The audit trail, with the claims' indexes built while its chain is hashed (the
    hashing is Python, an index build SQLite's C: the two share the machine's cores)."""
    claims_done = [model._meta.table_name for model in LATER_TABLES if model is not m.AuditEvent]
    build_audit_trail(state, meanwhile=lambda: state.bulk.tables_done(claims_done))


#: the parts, in the order they are built: each may use what the ones before it left.
#: The claims need the patients, their coverage and the schedule; from a size up they
#: are drawn in worker processes from ``start_claims`` on, while this process builds
#: the parts they do not need, and written by ``build_claims``.
PARTS: tuple[Callable[[BuildState], None], ...] = (
    build_practice,
    build_patients,
    build_coverages,
    build_schedule,
    start_claims,
    build_allergies_and_vitals,
    build_code_sets,
    build_supplies,
    index_finished_tables,
    build_claims,
    build_audit_trail_and_claim_indexes,
    build_duplicate_pair,
)


#: what the demo builder writes as (there is no signed-in user at build time)
DEMO_WRITER = "system:demo"


def has_data() -> bool:
    """True when the database already holds a practice."""
    return m.Practice.select().exists()


def clear_all() -> None:
    """Delete every row of every table, children first, in one transaction; then put back
    what a freshly migrated practice has (roles, the system account, the chain's head).

    The audit trail is append-only in the database (migration 0012): the wipe lifts that
    guard inside this same transaction and puts it back before committing."""
    with writing_as(DEMO_WRITER), db.atomic(), engine_for().lifted_audit_guard():
        for model in reversed(m.ALL_MODELS):
            model.delete().execute()
        ensure_reference_rows(db.obj)


def build_demo(
    patients: int,
    seed: int,
    today: dt.date,
    progress: ProgressFn | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with a demo practice.

    ``patients`` below 3 is raised to 3: the three display-safety patients
    (markup-like and escape-byte names) are always present.
    """
    started = time.perf_counter()
    state = BuildState(max(3, patients), seed, today, progress or _no_progress)
    # no cyclic garbage collection while millions of row tuples pile up (each pass would
    # walk them all, and the build makes no cycles worth collecting); back on afterwards
    collecting = gc.isenabled()
    gc.disable()
    try:
        with writing_as(DEMO_WRITER), engine_for().bulk_load() as bulk:  # one transaction
            state.bulk = bulk
            for part in PARTS:
                part(state)
            engine_for().reset_sequences(
                [model._meta.table_name for model in m.ALL_MODELS if model is not m.AuditEvent]
            )
    finally:
        for done in state.after_build:
            done()
        if collecting:
            gc.enable()
    state.summary.seconds = time.perf_counter() - started
    return state.summary


def _no_progress(step: str, done: int, total: int) -> None:
    return None
