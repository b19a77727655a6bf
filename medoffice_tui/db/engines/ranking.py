"""The typo-tolerant name ranking both engines share, so they agree on the order.

Each engine finds candidates through its own trigram index; this module scores them
the same way on both (edit distance per word, words in any order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: minimum shared score (0..1) for a fuzzy name match to be returned
FUZZY_MIN_SCORE = 0.6
#: how many trigram candidates an engine hands to the shared ranking
FUZZY_POOL = 500

_WORD = re.compile(r"[a-z0-9]+")


def name_words(text: str) -> list[str]:
    """The alphanumeric words of a (normalised) name, as trigram indexes see them."""
    return _WORD.findall(text.lower())


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of two neighbours counts as one typo."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def name_score(query_words: list[str], name: str) -> float:
    """How well a stored name matches the query words, 0..1.

    Each query word is paired with the closest word of the name (in any order,
    so "jonh smiht" matches "smith john"); the score is the mean closeness.
    """
    words = name_words(name)
    if not query_words or not words:
        return 0.0
    total = 0.0
    for q in query_words:
        best = 0.0
        for w in words:
            closeness = 1.0 - _edit_distance(q, w) / max(len(q), len(w))
            best = max(best, closeness)
        total += best
    return total / len(query_words)


def rank_name_candidates(text: str, candidates: Iterable[tuple[int, str]], limit: int) -> list[int]:
    """Order ``(patient_id, "last first")`` candidates best first, dropping poor matches."""
    query_words = name_words(text)
    scored = []
    for patient_id, name in candidates:
        score = name_score(query_words, name)
        if score >= FUZZY_MIN_SCORE:
            scored.append((-score, patient_id))
    scored.sort()
    return [patient_id for _, patient_id in scored[:limit]]
