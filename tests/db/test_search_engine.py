"""Engine search support: typo-tolerant names, byte-order prefix ranges, and triggers that
survive a table rebuild (SQLite < 3.53 drops them; ``restore_after_migration`` brings them back)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from medoffice_tui.db import migrate as migrate_module
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import Patient
from medoffice_tui.services.text import normalize, prefix_upper_bound
from tests.conftest import PG_SKIP_REASON, PG_URL, pg_schema_url

NAMES = [
    ("Smith", "John"),  # 1
    ("Smithe", "Jon"),  # 2
    ("Jones", "Smithers"),  # 3
    ("García", "María"),  # 4
    ("O'Brien", "Seán"),  # 5
    ("Nguyễn", "Ana-Sofía"),  # 6
    ("Wu", "Li"),  # 7
    ("Brown", "Anna"),  # 8
]


def _add(last: str, first: str, n: int, active: bool = True) -> Patient:
    return Patient.create(
        mrn=f"M{n:05d}",
        first_name=first,
        last_name=last,
        dob=dt.date(1970, 1, 1),
        last_norm=normalize(last),
        first_norm=normalize(first),
        active=active,
    )


@pytest.fixture
def named(database, fixture_writes) -> dict[str, int]:
    with database.atomic():
        ids = {f"{last}, {first}": _add(last, first, i).id for i, (last, first) in enumerate(NAMES)}
        for i in range(60):  # unrelated crowd, so the index has something to skip
            _add(f"Crowd{i:02d}", f"Person{i:02d}", 100 + i, active=bool(i % 2))
    return ids


def _fuzzy(database, text: str, limit: int = 50) -> list[int]:
    return engine_for(database).fuzzy_patient_ids(text, limit)


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("jonh smiht", "Smith, John"),  # both words misspelt, in the other order
        ("smith john", "Smith, John"),
        ("mria garsia", "García, María"),
        ("garcai", "García, María"),
        ("obrian", "O'Brien, Seán"),
        ("o'brein sean", "O'Brien, Seán"),
        ("nguyen ana sofia", "Nguyễn, Ana-Sofía"),
        ("anna brwon", "Brown, Anna"),
    ],
)
def test_fuzzy_finds_the_intended_patient_first(
    database, named, query, best, fixture_writes
) -> None:
    found = _fuzzy(database, query)
    assert found and found[0] == named[best], (query, found)


def test_fuzzy_ranks_closer_names_first(database, named, fixture_writes) -> None:
    found = _fuzzy(database, "jonh smiht")
    assert found[:2] == [named["Smith, John"], named["Smithe, Jon"]]
    assert named["Brown, Anna"] not in found
    assert _fuzzy(database, "jonh smiht", limit=1) == [named["Smith, John"]]


@pytest.mark.parametrize("query", ["", "   ", "zzzzqx", "x", "!!"])
def test_fuzzy_nothing_close_gives_nothing(database, named, query, fixture_writes) -> None:
    assert _fuzzy(database, query) == []


def test_fuzzy_follows_inserts_updates_and_deletes(database, named, fixture_writes) -> None:
    smith = named["Smith, John"]
    with database.atomic():
        Patient.update(last_name="Kowalski", last_norm="kowalski").where(
            Patient.id == smith
        ).execute()
        newcomer = _add("Wójcik", "Zofia", 999).id
    assert smith in _fuzzy(database, "kowalsky jhon")
    assert smith not in _fuzzy(database, "smiht jonh")  # the old name is forgotten
    assert _fuzzy(database, "wojcick zofia")[0] == newcomer
    with database.atomic():
        Patient.delete().where(Patient.id == newcomer).execute()
    assert newcomer not in _fuzzy(database, "wojcick zofia")


def test_prefix_ranges_use_byte_order_on_every_engine(database, fixture_writes) -> None:
    """``last_norm >= p AND last_norm < prefix_upper_bound(p)`` means the same everywhere."""
    lasts = ["o'neil", "oneil", "o-neil", "obrien", "o neil", "oa", "o"]
    with database.atomic():
        for i, last in enumerate(lasts):
            Patient.create(
                mrn=f"P{i}",
                first_name="X",
                last_name=last,
                dob=dt.date(1980, 1, 1),
                last_norm=last,
                first_norm="x",
            )
    ordered = [p.last_norm for p in Patient.select().order_by(Patient.last_norm)]
    assert ordered == sorted(lasts)  # Python's str order is code-point (byte) order here

    def prefixed(prefix: str) -> list[str]:
        query = Patient.select().where(
            (Patient.last_norm >= prefix) & (Patient.last_norm < prefix_upper_bound(prefix))
        )
        return sorted(p.last_norm for p in query)

    assert prefixed("o'") == ["o'neil"]
    assert prefixed("o-") == ["o-neil"]
    assert prefixed("on") == ["oneil"]
    assert prefixed("o") == sorted(lasts)


REBUILD_MIGRATION = '''
def up(migrator, db):
    """Rebuild patient (SQLite 3.40 copies it to a new table) and rename someone meanwhile."""
    from peewee import TextField

    migrator.migrate(migrator.alter_column_type("patient", "notes", TextField(default="")))
    db.execute_sql("UPDATE patient SET last_norm = 'kowalski' WHERE last_norm = 'smith'")
'''


def test_table_rebuild_in_a_migration_keeps_guards_and_search(
    database, named, tmp_path, monkeypatch, fixture_writes
) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate_module.MIGRATIONS_DIR, migrations)
    (migrations / "0099_rebuild_patient.py").write_text(REBUILD_MIGRATION)
    monkeypatch.setattr(migrate_module, "MIGRATIONS_DIR", migrations)
    engine = engine_for(database)
    seen: list[tuple[set[str], list[str]]] = []
    real_restore = engine.restore_after_migration

    def spy():  # what was present before restoring, and what restore did
        before = engine.engine_objects()
        seen.append((before, real_restore()))
        return seen[-1][1]

    monkeypatch.setattr(engine, "restore_after_migration", spy)

    assert migrate_module.upgrade(database) == ["0099_rebuild_patient"]

    ((before, restored),) = seen
    if engine.name == "sqlite":
        dropped = {"patient_name_fts_insert", "patient_name_fts_update", "patient_name_fts_delete"}
        assert dropped.isdisjoint(before)  # the rebuild really dropped them
        assert set(restored) == dropped
    else:
        assert restored == []  # PostgreSQL alters in place
    assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)
    # the rename made while the triggers were gone is in the search index
    smith = named["Smith, John"]
    assert _fuzzy(database, "kowalsky jonh")[0] == smith
    assert smith not in _fuzzy(database, "smiht jonh")
    # and the restored triggers keep it in step from now on
    with database.atomic():
        Patient.update(last_norm="nowak").where(Patient.id == smith).execute()
    assert _fuzzy(database, "nowack john")[0] == smith


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_postgres_search_columns_and_trigram_index(fixture_writes) -> None:
    from medoffice_tui.db.connection import close_database, open_database
    from medoffice_tui.db.engines import engine_for
    from medoffice_tui.db.migrate import upgrade

    for url in pg_schema_url():
        database = open_database(url)
        upgrade(database)
        collations = dict(
            database.execute_sql(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = 'patient' "
                "AND column_name IN ('last_norm', 'first_norm')"
            ).fetchall()
        )
        assert collations == {"last_norm": "C", "first_norm": "C"}
        schema = engine_for(database).trgm_schema()
        assert schema is not None
        # enough rows for the planner to weigh its index choices
        database.execute_sql(
            "INSERT INTO patient (mrn, first_name, middle_name, last_name, preferred_name, dob, "
            "sex, phone_home, phone_mobile, phone_work, email, address1, address2, city, state, "
            "zip, preferred_contact, ssn_last4, notes, active, last_norm, first_norm, "
            "phone_last4, created_at, updated_at, version) "
            "SELECT 'G' || g, 'f', '', 'l', '', DATE '1980-01-01', 'U', '', '', '', '', '', '', "
            "'', '', '', 'mobile', '', '', true, md5(g::text), md5((g + 1)::text), '', "
            "now(), now(), 1 FROM generate_series(1, 10000) AS g"
        )
        database.execute_sql("ANALYZE patient")
        with database.atomic():  # rule out the table scan; the index must be able to serve
            database.execute_sql("SET LOCAL enable_seqscan = off")
            plan = "\n".join(
                r[0]
                for r in database.execute_sql(
                    f"EXPLAIN SELECT id FROM patient WHERE {engine_for(database).SEARCH_NAME} "
                    f"OPERATOR({schema}.%%) %s",
                    ("jonh smiht",),
                ).fetchall()
            )
        assert "patient_name_trgm" in plan
        close_database()
