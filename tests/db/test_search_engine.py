"""The typo-tolerant name search (``db/engines/name_index.py``) on both engines: it finds
the intended patient first, follows every name the services write, costs a bounded
number of indexed queries whatever the practice's size or the text typed, and the
prefix ranges the exact search relies on mean the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.engines import engine_for, name_index, ranking
from medoffice_tui.db.models import NameKey, NameWord, Patient
from medoffice_tui.services import patients
from medoffice_tui.services.text import normalize, prefix_upper_bound
from tests.conftest import PG_SKIP_REASON, PG_URL, pg_schema_url

NAMES = [
    ("Smith", "John"),
    ("Smithe", "Jon"),
    ("Jones", "Smithers"),
    ("García", "María"),
    ("O'Brien", "Seán"),
    ("Nguyễn", "Ana-Sofía"),
    ("Wu", "Li"),
    ("Brown", "Anna"),
    ("de la Cruz", "Katherine"),
]


@pytest.fixture
def named(database, desk) -> dict[str, int]:
    ids = {}
    for last, first in NAMES:
        row = patients.create_patient(desk, last_name=last, first_name=first, dob="1/1/1970")
        ids[f"{last}, {first}"] = row.id
    for i in range(40):  # an unrelated crowd, half inactive
        row = patients.create_patient(
            desk, last_name=f"Crowd{i:02d}", first_name=f"Person{i:02d}", dob="2/2/1980"
        )
        if i % 2:
            patients.update_patient(desk, row.id, 1, active=False)
    return ids


def _fuzzy(database, text: str, limit: int = 50) -> list[int]:
    return engine_for(database).fuzzy_patient_ids(text, limit)


#: misspelt queries and the patient each must find first (one practice for all of them:
#: registering it is seventy audited writes, a second and a half on PostgreSQL)
FIRST_HITS = [
    ("jonh smiht", "Smith, John"),  # both words misspelt, in the other order
    ("smith john", "Smith, John"),
    ("mria garsia", "García, María"),
    ("garcai", "García, María"),
    ("obrian", "O'Brien, Seán"),
    ("o'brein sean", "O'Brien, Seán"),
    ("nguyen ana sofia", "Nguyễn, Ana-Sofía"),
    ("anna brwon", "Brown, Anna"),
    ("de la curz", "de la Cruz, Katherine"),  # one word of a multi-word last name
    ("cathryn delacruz", "de la Cruz, Katherine"),  # sounds alike: Metaphone K0RN
]


def test_fuzzy_finds_the_intended_patient_first(database, named) -> None:
    wrong = {
        query: found[:3]
        for query, best in FIRST_HITS
        if not (found := _fuzzy(database, query)) or found[0] != named[best]
    }
    assert wrong == {}


def test_fuzzy_ranks_closer_names_first(database, named) -> None:
    found = _fuzzy(database, "jonh smiht")
    assert found[:2] == [named["Smith, John"], named["Smithe, Jon"]]
    assert named["Brown, Anna"] not in found
    assert _fuzzy(database, "jonh smiht", limit=1) == [named["Smith, John"]]


def test_fuzzy_nothing_close_gives_nothing(database, named) -> None:
    queries = ["", "   ", "zzzzqx", "x", "!!", "[/]", "%", "*"]
    assert {q: found for q in queries if (found := _fuzzy(database, q))} == {}


def test_fuzzy_follows_registrations_and_renames(database, named, desk) -> None:
    smith = named["Smith, John"]
    patients.update_patient(desk, smith, 1, last_name="Kowalski")
    newcomer = patients.create_patient(desk, last_name="Wójcik", first_name="Zofia", dob="1/1/1990")
    assert _fuzzy(database, "kowalsky jhon")[0] == smith
    assert smith not in _fuzzy(database, "smiht jonh")  # the old name matches no one now
    assert _fuzzy(database, "wojcick zofia")[0] == newcomer.id


def test_rebuild_fills_the_vocabulary_from_every_name_on_file(database, fixture_writes) -> None:
    """What migration 0007 does for rows written before the vocabulary existed."""
    Patient.create(
        mrn="R1", first_name="Bartholomew", last_name="Quackenbush", dob=dt.date(1970, 1, 1),
        last_norm="quackenbush", first_norm="bartholomew",
    )  # fmt: skip
    assert _fuzzy(database, "quakenbush") == []
    assert name_index.rebuild(database) == 2
    assert len(_fuzzy(database, "quakenbush bartolomew")) == 1
    assert name_index.rebuild(database) == 0  # already known: nothing added twice
    keys = NameKey.select().join(NameWord).where(NameWord.text == "quackenbush").count()
    assert keys == len(ranking.spelling_keys("quackenbush"))


def test_inactive_patients_are_left_out_when_asked(database, named) -> None:
    everyone = name_index.fuzzy_patient_ids(database, "crowd05 person05", 5)
    active = name_index.fuzzy_patient_ids(database, "crowd05 person05", 5, active_only=True)
    inactive_id = everyone[0]
    assert not Patient.get_by_id(inactive_id).active
    assert inactive_id not in active


class _Counting:
    """Counts the statements a search sends and the rows they return."""

    def __init__(self, database) -> None:  # noqa: ANN001
        self.database, self.statements, self.rows = database, 0, 0
        self._real = database.execute_sql

    def __enter__(self) -> _Counting:
        counter = self

        def execute_sql(sql, params=None, *args, **kwargs):  # noqa: ANN001, ANN202
            cursor = counter._real(sql, params, *args, **kwargs)
            counter.statements += 1
            return _Rows(cursor, counter)

        self.database.execute_sql = execute_sql
        return self

    def __exit__(self, *exc: object) -> None:
        del self.database.execute_sql


class _Rows:
    def __init__(self, cursor, counter: _Counting) -> None:  # noqa: ANN001
        self._cursor, self._counter = cursor, counter

    def fetchall(self) -> list:
        rows = self._cursor.fetchall()
        self._counter.rows += len(rows)
        return rows

    def fetchone(self):  # noqa: ANN201
        row = self._cursor.fetchone()
        self._counter.rows += row is not None
        return row

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else as the real cursor
        return getattr(self._cursor, name)


def test_a_common_misspelt_name_reads_a_bounded_number_of_rows(
    database, desk, fixture_writes
) -> None:
    """300 Smiths: a typo of Smith reads only what the answer needs, never every Smith."""
    with database.atomic():
        rows = [
            dict(mrn=f"S{i}", first_name=f"First{i:03d}", last_name="Smith",
                 dob=dt.date(1970, 1, 1), last_norm="smith", first_norm=f"first{i:03d}")
            for i in range(300)
        ]  # fmt: skip
        Patient.insert_many(rows).execute()
        name_index.add_names(database, ["smith"] + [r["first_norm"] for r in rows])
    with _Counting(database) as seen:
        found = name_index.fuzzy_patient_ids(database, "smiht", 20)
    assert len(found) == 20
    assert seen.statements <= 2 + name_index.MAX_PATIENT_QUERIES
    assert seen.rows <= 20 * 2 + name_index.MAX_CANDIDATE_ROWS


ODD_TEXT = {
    "10k-chars": "x" * 10_000,  # a paste of 10,000 characters
    "500-words": "smith " * 500,  # hundreds of words
    "surrogate": "12\ud800",  # a lone surrogate (cannot be encoded)
    "nul": "smi\x00th",  # NUL (PostgreSQL text cannot hold it)
    "syntax": '"smith" OR * NEAR(a b) \'; DROP TABLE patient; --',
    "rtl-override": "\u202esmith",  # a right-to-left override
}


def test_any_text_gets_an_answer_in_bounded_work(database, named) -> None:
    bound = 2 * (2 * name_index.MAX_QUERY_WORDS + name_index.MAX_PATIENT_QUERIES) + 20
    for name, text in ODD_TEXT.items():
        with _Counting(database) as seen:
            found = patients.fuzzy_search_patients(text)
            page = patients.search_patients(text, close_matches=True)
        assert isinstance(found, list) and page.rows is not None, name
        assert seen.statements <= bound, (name, seen.statements)
    assert Patient.select().count() == len(NAMES) + 40


def test_the_vocabulary_is_small_beside_the_patients(database, desk) -> None:
    for i in range(30):
        patients.create_patient(desk, last_name="Smith", first_name="John", dob=f"1/{i + 1}/1970")
    assert NameWord.select().count() == 2  # "smith" and "john", once each


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
    assert normalize("O'Neil") == "o'neil"


def test_sqlite_drops_the_old_trigram_index(sqlite_database) -> None:
    """Schemas 3-6 kept an FTS5 trigram table and three triggers; 0007 removes them."""
    from medoffice_tui.db.engines.sqlite import LEGACY_SEARCH_TABLE, LEGACY_SEARCH_TRIGGERS

    engine = engine_for(sqlite_database)
    sqlite_database.execute_sql(
        f"CREATE VIRTUAL TABLE {LEGACY_SEARCH_TABLE} USING fts5(name, content='')"
    )
    sqlite_database.execute_sql(
        f"CREATE TRIGGER {LEGACY_SEARCH_TRIGGERS[0]} AFTER INSERT ON patient BEGIN SELECT 1; END"
    )
    engine.install_search_support()
    assert LEGACY_SEARCH_TABLE not in sqlite_database.get_tables()
    assert LEGACY_SEARCH_TRIGGERS[0] not in engine._trigger_names()
    assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)


@pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
def test_postgres_search_columns_sort_in_byte_order() -> None:
    from medoffice_tui.db.connection import close_database, open_database
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
        indexes = {
            r[0]
            for r in database.execute_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            ).fetchall()
        }
        assert "patient_name_trgm" not in indexes  # the old GIN index is gone
        assert {"namekey_key_word_id", "nameword_sound"} <= indexes
        close_database()
