"""Typo-tolerant name search that costs the same at 10,000 patients as at a million.

The misspelt name is never matched against ``patient`` itself. Every distinct name part
(``last_norm`` / ``first_norm`` value) is one row of ``name_word``, with its spelling
keys in ``name_key`` (the word with one letter deleted: see ``ranking.spelling_keys``)
and a sound-alike key. A query word is looked up by its own keys and sound key (two
indexed queries on a vocabulary that grows with the number of *different* names, not
with the patients), the candidate words are scored, and only then are patients fetched,
by equality on the indexed name columns, best candidate first, a few rows at a time.

Portable SQL only: both engines run exactly this and the shared ranking, so they give
the same answer in the same order. Raw text never reaches the SQL: only the normalised
letters and digits, as bound parameters.

The vocabulary is kept by whoever writes a patient's name (``add_names``: the patient
services, the demo builder, imports) and rebuilt from ``patient`` by migration 0007
(``rebuild``). A word whose last patient was renamed stays; it matches no one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from peewee import Database

from medoffice_tui.db.engines import ranking

#: most words of a query that are looked up (each is one more lookup)
MAX_QUERY_WORDS = 4
#: most characters of the typed text considered at all
MAX_QUERY_CHARS = 120
#: best candidate words kept per query word
WORDS_PER_QUERY_WORD = 8
#: most candidate rows read from the vocabulary per query word
MAX_CANDIDATE_ROWS = 400
#: most patient lookups one fuzzy search makes
MAX_PATIENT_QUERIES = 24
#: words per INSERT when the vocabulary grows
_BATCH = 200


def _params(database: Database, count: int) -> str:
    return ", ".join([database.param] * count)


def query_words(text: str) -> list[str]:
    """The words of a typed name worth looking up (letters/digits, at least 2 of them)."""
    words = []
    for raw in text[:MAX_QUERY_CHARS].replace(",", " ").split():
        word = ranking.compact(raw)[: ranking.KEY_LENGTH]
        if len(word) >= 2 and word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def candidate_words(database: Database, word: str) -> list[tuple[str, float]]:
    """Vocabulary entries close to one query word: ``(name part, closeness)``, best first."""
    keys = sorted(ranking.query_keys(word))
    sound = ranking.sound_key(word)
    p = database.param
    sql = (
        f"SELECT w.text FROM name_key k JOIN name_word w ON w.id = k.word_id "
        f"WHERE k.key IN ({_params(database, len(keys))})"
    )
    params: list[object] = list(keys)
    if sound:
        sql += f" UNION SELECT text FROM name_word WHERE sound = {p}"
        params.append(sound)
    rows = database.execute_sql(f"{sql} LIMIT {MAX_CANDIDATE_ROWS}", params).fetchall()
    scored = []
    for (text,) in rows:
        best = max(ranking.closeness(word, w) for w in ranking.part_words(text))
        if ranking.sound_key(text) == sound and sound:
            best = max(best, 0.7)  # sounds the same: close, whatever the spelling
        if best >= ranking.WORD_MIN_CLOSENESS:
            scored.append((text, best))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:WORDS_PER_QUERY_WORD]


def fuzzy_patient_ids(
    database: Database, text: str, limit: int = 50, *, active_only: bool = False
) -> list[int]:
    """Patients whose name is close to ``text`` despite typos, best first (see the module
    docstring). Bounded work whatever is typed: at most ``MAX_QUERY_WORDS`` words, two
    vocabulary lookups each, then at most ``MAX_PATIENT_QUERIES`` indexed fetches."""
    words = query_words(text)
    if not words or limit <= 0:
        return []
    candidates = [candidate_words(database, word) for word in words]
    pool: dict[int, tuple[str, str]] = {}
    budget = [MAX_PATIENT_QUERIES]
    active = f" AND active = {database.param}" if active_only else ""

    def fetch(where: str, params: Sequence[object], order: str) -> None:
        if budget[0] <= 0 or len(pool) >= limit:
            return
        budget[0] -= 1
        sql = (
            f"SELECT id, last_norm, first_norm FROM patient WHERE {where}{active} "
            f"ORDER BY {order} LIMIT {int(limit)}"
        )
        args = [*params, True] if active_only else list(params)
        for pid, last, first in database.execute_sql(sql, args).fetchall():
            pool.setdefault(pid, (last, first))

    p = database.param
    if len(words) > 1:
        pairs = []
        for i in range(len(words)):
            for j in range(i + 1, len(words)):
                for a, ca in candidates[i]:
                    for b, cb in candidates[j]:
                        pairs.append((-(ca + cb), a, b))
        pairs.sort()
        for _, a, b in pairs:
            fetch(
                f"last_norm IN ({p}, {p}) AND first_norm IN ({p}, {p})",
                (a, b, a, b),
                "last_norm, first_norm, id",
            )
    singles = sorted(
        ((-closeness, part) for found in candidates for part, closeness in found),
    )
    for _, part in singles:
        fetch(f"last_norm = {p}", (part,), "last_norm, first_norm, id")
        fetch(f"first_norm = {p}", (part,), "first_norm, last_norm, id")
    scored = []
    for pid, (last, first) in pool.items():
        score = ranking.words_score(words, ranking.part_words(last or "", first or ""))
        if score >= ranking.FUZZY_MIN_SCORE:
            scored.append((-score, last or "", first or "", pid))
    scored.sort()
    return [pid for *_, pid in scored[:limit]]


# ------------------------------------------------------------------ upkeep


def add_names(database: Database, parts: Iterable[str]) -> int:
    """Make sure every name part (a ``last_norm``/``first_norm`` value) is in the
    vocabulary, inside the caller's transaction. Returns how many were new."""
    wanted = sorted({p for p in parts if p and ranking.compact(p)})
    added = 0
    for start in range(0, len(wanted), _BATCH):
        added += _add_batch(database, wanted[start : start + _BATCH])
    return added


def _add_batch(database: Database, texts: list[str]) -> int:
    p = database.param
    known = {
        row[0]
        for row in database.execute_sql(
            f"SELECT text FROM name_word WHERE text IN ({_params(database, len(texts))})", texts
        ).fetchall()
    }
    new = [t for t in texts if t not in known]
    if not new:
        return 0
    insert = "INSERT INTO name_word (text, sound) VALUES " + ", ".join([f"({p}, {p})"] * len(new))
    params: list[object] = []
    for text in new:
        params += [text, ranking.sound_key(text)]
    database.execute_sql(insert + _ignore_conflicts(database, "text"), params)
    ids = database.execute_sql(
        f"SELECT id, text FROM name_word WHERE text IN ({_params(database, len(new))})", new
    ).fetchall()
    rows: list[tuple[str, int]] = []
    for word_id, text in ids:
        rows += [(key, word_id) for key in sorted(ranking.spelling_keys(text))]
    for start in range(0, len(rows), 400):
        chunk = rows[start : start + 400]
        database.execute_sql(
            "INSERT INTO name_key (key, word_id) VALUES "
            + ", ".join([f"({p}, {p})"] * len(chunk))
            + _ignore_conflicts(database, "key, word_id"),
            [value for row in chunk for value in row],
        )
    return len(new)


def _ignore_conflicts(database: Database, columns: str) -> str:
    """``ON CONFLICT (...) DO NOTHING``: another desk may add the same word at once
    (SQLite and PostgreSQL both take this spelling)."""
    return f" ON CONFLICT ({columns}) DO NOTHING"


def rebuild(database: Database, progress: Callable[[int, int], None] | None = None) -> int:
    """Add every name part on file to the vocabulary (migration 0007, repairs)."""
    rows = database.execute_sql(
        "SELECT DISTINCT last_norm FROM patient UNION SELECT DISTINCT first_norm FROM patient"
    ).fetchall()
    parts = [r[0] for r in rows if r[0]]
    added = 0
    for start in range(0, len(parts), 2000):
        added += add_names(database, parts[start : start + 2000])
        if progress is not None:
            progress(min(start + 2000, len(parts)), len(parts))
    return added
