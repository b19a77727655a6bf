"""Upgrading keeps every row, installs every engine object, and is safe with many processes."""

from __future__ import annotations

import multiprocessing

import pytest
from playhouse.schema_diff import diff_models

from medoffice_tui.db.connection import close_database, make_database, open_database
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import all_migrations, applied, pending, runner, upgrade
from medoffice_tui.db.models import ALL_MODELS, Patient
from tests.db.practice_data import build_practice, dump_columns
from tests.db.workers import upgrade_worker


def _same_at_float4(a: object, b: object) -> bool:
    """Version 1 kept PostgreSQL floats in 4-byte REAL; 0003 widens them to double.

    The stored value is kept exactly, but read back as a 4-byte float it prints
    shorter, so floats are compared at float4 precision (6 significant digits).
    """
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and f"{a:.6g}" == f"{b:.6g}"
    return a == b


#: what later migrations rewrite on purpose: 0005 drops role.permissions and chains
#: the audit rows that existed before the chain did
REWRITTEN = {("role", "permissions"), ("audit_event", "prev_hash"), ("audit_event", "hash")}


def test_upgrade_from_version_1_keeps_every_row(db_url: str, frozen_clock) -> None:
    from medoffice_tui.services.audit import verify_chain

    database = open_database(db_url)
    try:
        assert upgrade(database, target="0001_initial") == ["0001_initial"]
        assert pending(database) == all_migrations()[1:]
        counts = build_practice(patients=25)
        assert all(counts.values()), counts  # every table has rows
        before = dump_columns(database)

        done = upgrade(database)

        assert done == all_migrations()[1:]
        assert pending(database) == []
        after = dump_columns(database)
        for table, rows in before.items():
            for row_id, row in rows.items():
                kept = after[table][row_id]  # every row is still there
                for column, value in row.items():
                    if (table, column) in REWRITTEN:
                        continue
                    assert _same_at_float4(kept[column], value), (table, row_id, column)
        # the trail that was there is now one intact chain
        assert verify_chain().ok
        engine = engine_for(database)
        assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)
        # the search index was filled from rows that existed before it
        someone = Patient.select().order_by(Patient.id).first()
        typo = someone.last_norm[:-2] + someone.last_norm[-1:]  # drop one letter
        assert someone.id in engine.fuzzy_patient_ids(typo, limit=100)
    finally:
        close_database()


def test_schema_matches_models_but_for_engine_objects(database) -> None:
    diff = diff_models(database, ALL_MODELS)
    assert not diff.create_tables and not diff.add_columns and not diff.drop_columns
    assert not diff.add_indexes
    engine_only = {index.name for index in diff.drop_indexes}
    assert engine_only <= set(engine_for(database).ENGINE_OBJECTS)


def test_upgrade_twice_is_a_no_op(database) -> None:
    assert upgrade(database) == []
    assert applied(database) == all_migrations()


def _history(database) -> list[str]:
    history = runner(database).History
    with history.bind_ctx(database):
        return [row.name for row in history.select().order_by(history.id)]


@pytest.mark.slow
def test_simultaneous_upgrades_apply_each_migration_once(db_url: str) -> None:
    """Two processes start ``upgrade`` together on an empty database: both succeed."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(2)
    with ctx.Pool(2) as pool:
        results = pool.starmap(upgrade_worker, [(db_url, barrier), (db_url, barrier)])
    statuses = [status for status, _ in results]
    assert statuses == ["ok", "ok"], statuses
    applied_by = sorted(done for _, done in results)
    assert applied_by == [[], all_migrations()]  # one did the work, the other found none

    database = make_database(db_url)
    database.connect()
    try:
        assert _history(database) == all_migrations()
        engine = engine_for(database)
        assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)
    finally:
        database.close()
