"""ICD-10-CM: the current CDC/CMS release in a table, looked up by code prefix and by words.

``simple-icd-10-cm`` ships the April 2026 release offline, but importing it costs
seconds and about 190 MB, so it is imported only here, only to load: its categories and
subcategories go once into ``dx_code`` (code, billable, description, release) and each
description's words into ``dx_word``; every lookup after that is an index range. The
load runs from ``medoffice codes load-icd10``, from the demo, or on first use (the first
lookup or scrub that finds the table empty loads it as the system account).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import CodeSetRelease, DxCode, DxWord
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, writes
from medoffice_tui.services.claims.code_shapes import looks_like_icd10, normalize_icd10
from medoffice_tui.services.text import normalize, prefix_upper_bound

CODE_SET = "icd10cm"
#: the release each packaged version of simple-icd-10-cm carries
RELEASES = {"1.5.0": "ICD-10-CM April 2026"}
_STOP = frozenset("a an and as at by for from in of on or the to with without".split())
_WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 4
MAX_QUERY = 60
CHUNK = 2000
#: at most this many codes per word range, and descriptions fetched per lookup
WORD_CAP = 25000
SINGLE_CAP = 400
FETCH_CAP = 800

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DxMatch:
    code: str
    billable: bool
    description: str


def release_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        packaged = version("simple-icd-10-cm")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        return "ICD-10-CM (unknown release)"
    return RELEASES.get(packaged, f"ICD-10-CM from simple-icd-10-cm {packaged}")


def words_of(description: str) -> set[str]:
    return {w[:30] for w in _WORD.findall(normalize(description)) if w not in _STOP}


def loaded_release() -> str | None:
    return (
        CodeSetRelease.select(CodeSetRelease.release)
        .where(CodeSetRelease.code_set == CODE_SET)
        .scalar()
    )


#: the source a partial load (the demo's sample) is marked with: first use loads the rest
SAMPLE_SOURCE = "demo sample"


def is_loaded() -> bool:
    return loaded_release() is not None


def is_complete() -> bool:
    """The whole release is there (not nothing, not the demo's sample)."""
    source = (
        CodeSetRelease.select(CodeSetRelease.source)
        .where(CodeSetRelease.code_set == CODE_SET)
        .scalar()
    )
    return source is not None and source != SAMPLE_SOURCE


def load_rows(progress: ProgressFn | None = None) -> tuple[list[tuple], list[tuple], str]:
    """Read the packaged release (the slow import happens here, and only here):
    (code, billable, description, release) and (word, code) tuples."""
    import simple_icd_10_cm as cm  # noqa: PLC0415 - 2-3 s and ~190 MB: only when loading

    release = release_name()
    codes: list[tuple] = []
    words: list[tuple] = []
    # categories and subcategories, once each: chapters and ranges ("C00-C96") go; a block
    # that is also a category (B20, F99) is listed twice by the package and kept once
    all_codes = list(
        dict.fromkeys(
            c for c in cm.get_all_codes(with_dots=True) if "-" not in c and not cm.is_chapter(c)
        )
    )
    total = len(all_codes)
    for index, code in enumerate(all_codes):
        description = cm.get_description(code)
        codes.append((code, cm.is_leaf(code), description[:250], release))
        words += [(w, code) for w in words_of(description)]
        if progress and index % 10000 == 0:
            progress("reading ICD-10-CM", index, total)
    if progress:
        progress("reading ICD-10-CM", total, total)
    return codes, words, release


def _insert(
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Multi-row INSERTs in chunks under the engines' parameter limits."""
    database = DxCode._meta.database
    head = f'INSERT INTO "{table}" (' + ", ".join(f'"{c}"' for c in columns) + ") VALUES "
    one = "(" + ", ".join([database.param] * len(columns)) + ")"
    per = max(1, 30000 // len(columns))
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        database.execute_sql(
            head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row]
        )
        if progress:
            progress(len(chunk))


@inside_write
def store(
    codes: list[tuple],
    words: list[tuple],
    release: str,
    progress: ProgressFn | None = None,
    source: str = "simple-icd-10-cm",
) -> int:
    """Replace the table's contents with ``codes`` and ``words`` (inside a write)."""
    DxWord.delete().execute()
    DxCode.delete().execute()
    total = len(codes) + len(words)
    done = [0]

    def step(count: int) -> None:
        done[0] += count
        if progress:
            progress("storing ICD-10-CM", done[0], total)

    _insert("dx_code", ("code", "billable", "description", "release"), codes, step)
    _insert("dx_word", ("word", "code"), words, step)
    CodeSetRelease.insert(
        code_set=CODE_SET,
        release=release,
        codes=len(codes),
        loaded_at=clock.now(),
        source=source,
    ).on_conflict(
        conflict_target=[CodeSetRelease.code_set],
        update={
            CodeSetRelease.release: release,
            CodeSetRelease.codes: len(codes),
            CodeSetRelease.loaded_at: clock.now(),
            CodeSetRelease.source: source,
        },
    ).execute()
    return len(codes)


@writes("codes.import")
def load_icd10(actor: Actor, progress: ProgressFn | None = None) -> int:
    """Load (or reload) the packaged ICD-10-CM release. Returns the number of codes."""
    codes, words, release = load_rows(progress)
    count = store(codes, words, release, progress)
    audit.record(actor, "update", "code_set", None, fields=("icd10cm",), detail=release)
    return count


_first_use = threading.Lock()


def ensure_loaded(progress: ProgressFn | None = None) -> None:
    """Load the codes if the table is empty (first use), as the system account, once;
    ``progress(stage, done, total)`` hears how far the load is (a screen shows it)."""
    if is_complete():
        return
    if audit.in_progress() and not DxCode._meta.database.in_transaction():
        return  # inside a read: the caller loads first (``detail.open_claim``)
    from medoffice_tui.services.staff import system_actor

    with _first_use:
        if not is_complete():
            load_icd10(system_actor(via="first-use"), progress)


# -------------------------------------------------------------------- lookup


def get(code: str) -> DxMatch | None:
    """The code as stored (``j069`` finds J06.9), or None when it is not in the release."""
    row = (
        DxCode.select(DxCode.code, DxCode.billable, DxCode.description)
        .where(DxCode.code == normalize_icd10(code))
        .tuples()
        .first()
    )
    return DxMatch(row[0], bool(row[1]), row[2]) if row else None


def lookup(text: str, limit: int = 8) -> list[DxMatch]:
    """Codes for what is being typed: a code prefix (``J06``, ``j06.``) or words of the
    description (``strep thr``: every word, the last one a prefix). Billable first."""
    query = (text or "").strip()[:MAX_QUERY]
    if not query:
        return []
    if looks_like_icd10(query):
        prefix = normalize_icd10(query).rstrip(".")
        if len(prefix) == 3 and query.endswith("."):
            prefix += "."
        rows = (
            DxCode.select(DxCode.code, DxCode.billable, DxCode.description)
            .where((DxCode.code >= prefix) & (DxCode.code < prefix_upper_bound(prefix)))
            .order_by(DxCode.code)
            .limit(limit)
            .tuples()
        )
        return [DxMatch(c, bool(b), d) for c, b, d in rows]
    return _by_words(query, limit)


def _word_range(word: str):  # noqa: ANN202 - a peewee query
    """Codes whose description has ``word`` (a prefix when 3 letters or more)."""
    if len(word) >= 3:
        where = (DxWord.word >= word) & (DxWord.word < prefix_upper_bound(word))
    else:
        where = DxWord.word == word
    return DxWord.select(DxWord.code).where(where)


def _by_words(query: str, limit: int) -> list[DxMatch]:
    words = _WORD.findall(normalize(query))
    words = list(dict.fromkeys(w[:30] for w in words if w not in _STOP))[:MAX_WORDS]
    if not words:
        return []
    if len(words) == 1:
        # one word: the first few hundred codes with it are plenty to choose from
        codes = {c for (c,) in _word_range(words[0]).limit(SINGLE_CAP).tuples()}
    else:
        # every word's range, intersected by the database (INTERSECT runs in its engine)
        compound = _word_range(words[0])
        for word in words[1:]:
            compound = compound & _word_range(word)
        codes = {c for (c,) in compound.limit(FETCH_CAP).tuples()}
    chosen = sorted(codes)[:FETCH_CAP]
    if not chosen:
        return []
    rows = (
        DxCode.select(DxCode.code, DxCode.billable, DxCode.description)
        .where(DxCode.code.in_(chosen))
        .tuples()
    )
    matches = [DxMatch(c, bool(b), d) for c, b, d in rows]
    matches.sort(key=lambda m: (not m.billable, len(m.description), m.code))
    return matches[:limit]
