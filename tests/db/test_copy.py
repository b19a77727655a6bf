"""``medoffice db copy``: a whole practice moves between engines unchanged, or not at all."""

from __future__ import annotations

import pytest

from medoffice_tui import cli
from medoffice_tui.db import copy as copy_module
from medoffice_tui.db.connection import close_database, db, make_database, open_database
from medoffice_tui.db.copy import CopyError, copy_database, database_digest, redact_url
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import all_migrations, applied, upgrade
from medoffice_tui.db.models import ALL_MODELS, Patient, Role, SupplyItem
from medoffice_tui.db.write_guard import writing_as
from tests.db.practice_data import build_practice, dump


def _filled_sqlite(tmp_path, name: str = "source.db", patients: int = 40) -> str:
    url = f"sqlite:///{tmp_path / name}"
    database = open_database(url)
    try:
        upgrade(database)
        build_practice(patients=patients)
    finally:
        close_database()
    return url


def _with(url: str, fn):  # noqa: ANN001, ANN202 - small test helper
    database = make_database(url)
    database.connect()
    try:
        return fn(database)
    finally:
        database.close()


def _row_counts(database) -> dict[str, int]:
    return {name: len(rows) for name, rows in dump(database).items()}


def _copy_cli(source: str, target: str) -> int:
    return cli.main(["db", "copy", "--from", source, "--to", target, "--quiet"])


def test_round_trip_sqlite_postgres_sqlite(tmp_path, pg_url, capsys) -> None:
    first = _filled_sqlite(tmp_path)
    last = f"sqlite:///{tmp_path / 'back.db'}"

    assert _copy_cli(first, pg_url) == 0
    out = capsys.readouterr().out
    assert "verified" in out and "patient" in out
    assert _copy_cli(pg_url, last) == 0

    first_rows = _with(first, dump)
    assert all(first_rows.values())  # every table took part
    assert _with(last, dump) == first_rows
    digest = _with(first, database_digest)
    assert _with(pg_url, database_digest) == digest
    assert _with(last, database_digest) == digest

    # the migration history is each database's own, complete
    assert _with(pg_url, applied) == all_migrations()

    # PostgreSQL sequences continue after the copied ids
    database = open_database(pg_url)
    try:
        for model, fields in (
            (Role, {"name": "new-role"}),
            (SupplyItem, {"sku": "NEW-1", "name": "Gauze"}),
        ):
            top = model.select().order_by(model.id.desc()).first().id
            with writing_as("test:fixture"), database.atomic():
                assert model.create(**fields).id == top + 1
    finally:
        close_database()

    # the name vocabulary came across: a misspelt name still finds everyone
    def fuzzy_finds_everyone(database) -> bool:
        engine = engine_for(database)
        for patient in Patient.select().bind(database).limit(10):
            typo = f"{patient.last_norm}x {patient.first_norm}"
            if patient.id not in engine.fuzzy_patient_ids(typo, limit=100):
                return False
        return True

    assert _with(last, fuzzy_finds_everyone)


def test_copy_into_a_non_empty_target_is_refused_and_leaves_it_alone(
    tmp_path, db_url, capsys
) -> None:
    source = _filled_sqlite(tmp_path)
    other = _filled_sqlite(tmp_path, "other.db", patients=5)
    assert _copy_cli(other, db_url) == 0
    before = _with(db_url, dump)
    capsys.readouterr()

    assert _copy_cli(source, db_url) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and "Traceback" not in err
    assert _with(db_url, dump) == before


def _only_seeded(counts: dict[str, int]) -> bool:
    """What migrating an empty database leaves: roles, the system account, the chain head."""
    seeded = {"role": 4, "user": 1, "audit_head": 1}
    return all(counts[t] == seeded.get(t, 0) for t in counts)


def test_failed_copy_leaves_the_target_empty(tmp_path, db_url, monkeypatch) -> None:
    source = _filled_sqlite(tmp_path)
    real_copy_table = copy_module._copy_table

    def failing(source_db, target_db, model, *args):  # noqa: ANN001, ANN202
        if model._meta.table_name == "stock_movement":  # one of the last tables
            raise RuntimeError("disk full (simulated)")
        return real_copy_table(source_db, target_db, model, *args)

    monkeypatch.setattr(copy_module, "_copy_table", failing)
    with pytest.raises(RuntimeError, match="simulated"):
        copy_database(source, db_url, batch=7)
    assert _only_seeded(_with(db_url, _row_counts))

    monkeypatch.setattr(copy_module, "_copy_table", real_copy_table)
    report = copy_database(source, db_url, batch=7)  # the target is still usable
    assert report.checksums() == {t.table: t.checksum for t in _with(source, database_digest)}


def test_verification_mismatch_aborts_the_copy(tmp_path, db_url, monkeypatch) -> None:
    source = _filled_sqlite(tmp_path)
    real_digest = copy_module.table_digest

    def tampered(database, model, batch=5000):  # noqa: ANN001, ANN202
        result = real_digest(database, model, batch)
        if model._meta.table_name == "claim":
            return copy_module.TableCopy(result.table, result.rows, "0" * 64)
        return result

    monkeypatch.setattr(copy_module, "table_digest", tampered)
    with pytest.raises(CopyError, match="verification failed for table claim"):
        copy_database(source, db_url)
    assert _only_seeded(_with(db_url, _row_counts))


def test_progress_is_reported_per_table_in_dependency_order(tmp_path) -> None:
    source = _filled_sqlite(tmp_path, patients=12)
    calls: list[tuple[str, int, int]] = []
    bound_before = db.obj
    report = copy_database(
        source, f"sqlite:///{tmp_path / 't.db'}", progress=lambda *a: calls.append(a), batch=5
    )
    assert db.obj is bound_before  # the app's own database binding is never touched
    tables = list(dict.fromkeys(name for name, _, _ in calls))
    assert tables == [t.table for t in report.tables]
    assert len(tables) == len(ALL_MODELS)
    assert tables.index("patient") < tables.index("appointment") < tables.index("claim")
    finals = {name: (done, total) for name, done, total in calls}
    assert all(done == total for done, total in finals.values())
    assert finals["patient"] == (12, 12)
    assert report.total_rows == sum(t.rows for t in report.tables) > 12
    text = report.describe()
    assert "patient" in text and "verified" in text


def test_unusable_sources_are_clear_errors(tmp_path, capsys) -> None:
    target = f"sqlite:///{tmp_path / 't.db'}"
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(CopyError, match="not a medoffice database"):
        copy_database(empty, target)

    old = f"sqlite:///{tmp_path / 'old.db'}"
    database = open_database(old)
    upgrade(database, target="0001_initial")
    close_database()
    with pytest.raises(CopyError, match="db upgrade"):
        copy_database(old, target)

    assert _copy_cli(target, target) == 2
    assert "same database" in capsys.readouterr().err


def test_passwords_never_printed() -> None:
    assert redact_url("postgresql://app:s3cret@db.local:5432/office") == (
        "postgresql://app:***@db.local:5432/office"
    )
    assert redact_url("sqlite:////srv/office.db") == "sqlite:////srv/office.db"


def test_demo_practice_round_trip(tmp_path, pg_url, frozen_clock) -> None:
    """The generated demo practice (every table, realistic volumes) survives SQLite->PG->SQLite."""
    demo = pytest.importorskip("medoffice_tui.demo")
    from tests.conftest import FROZEN_TODAY

    first = f"sqlite:///{tmp_path / 'demo.db'}"
    database = open_database(first)
    try:
        upgrade(database)
        demo.build_demo(patients=100, seed=11, today=FROZEN_TODAY)
    finally:
        close_database()
    last = f"sqlite:///{tmp_path / 'demo-back.db'}"
    to_pg = copy_database(first, pg_url)
    back = copy_database(pg_url, last)

    assert to_pg.checksums() == back.checksums()
    assert to_pg.total_rows > 1000
    assert _with(last, dump) == _with(first, dump)
