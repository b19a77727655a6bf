"""The typo-tolerant name ranking both engines share, so they agree on the order.

A name is compared word by word: each query word is paired with the closest word of
the stored name (in any order, so "jonh smiht" matches "Smith, John"), closeness being
``1 - edit distance / longer length`` (Damerau-Levenshtein: a swap of two neighbours
is one typo), and the score is the mean closeness. Candidates come from the name
vocabulary (``name_index.py``); this module only scores them, and the spelling keys
that vocabulary is indexed by are made here too.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: minimum shared score (0..1) for a fuzzy name match to be returned
FUZZY_MIN_SCORE = 0.6
#: a vocabulary word closer than this to a query word is a candidate
WORD_MIN_CLOSENESS = 0.5
#: longest word (letters and digits) a spelling key is made from; longer ones are cut
KEY_LENGTH = 24
#: a query word this long or longer also tries two deletions (more typos forgiven)
TWO_DELETES_FROM = 6

_WORD = re.compile(r"[a-z0-9]+")


def name_words(text: str) -> list[str]:
    """The alphanumeric words of a (normalised) name: "o'brien-smith" -> o, brien, smith."""
    return _WORD.findall(text.lower())


def compact(text: str) -> str:
    """A name part as one run of letters and digits ("de la cruz" -> "delacruz")."""
    return "".join(name_words(text))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def spelling_keys(text: str) -> set[str]:
    """The keys a stored name part is indexed by: its compact form, every form of it with
    one letter deleted, and the same for each word of a name of several words.

    Two spellings one edit apart (a letter dropped, added, changed or two swapped) always
    share a key (the symmetric-delete idea), so a typo is found by one indexed lookup.
    """
    keys: set[str] = set()
    tokens = name_words(text)
    parts = [compact(text)[:KEY_LENGTH]]
    if len(tokens) > 1:
        parts += [w[:KEY_LENGTH] for w in tokens if len(w) >= 3]
    for part in parts:
        if part:
            keys.add(part)
            if len(part) > 1:
                keys |= _deletes(part)
    return {k for k in keys if k}


def query_keys(word: str) -> set[str]:
    """The keys one typed word is looked up by (one deletion; two for long words)."""
    word = compact(word)[:KEY_LENGTH]
    if not word:
        return set()
    keys = {word} | (_deletes(word) if len(word) > 1 else set())
    if len(word) >= TWO_DELETES_FROM:
        for shorter in list(keys):
            keys |= _deletes(shorter)
    return {k for k in keys if k}


def sound_key(text: str) -> str:
    """A sound-alike key (Metaphone) of a name part: "Katherine" and "Cathryn" share K0RN."""
    import jellyfish

    word = compact(text)
    return jellyfish.metaphone(word)[:16] if word else ""


@lru_cache(maxsize=4096)
def closeness(query_word: str, word: str) -> float:
    """1.0 for the same word, falling by one edit's share of the longer word per typo."""
    import jellyfish

    if not query_word or not word:
        return 0.0
    if query_word == word:
        return 1.0
    distance = jellyfish.damerau_levenshtein_distance(query_word, word)
    return max(0.0, 1.0 - distance / max(len(query_word), len(word)))


def part_words(*parts: str) -> list[str]:
    """Every word a stored name can be matched on: its words and each part run together."""
    words: list[str] = []
    for part in parts:
        words += name_words(part)
        whole = compact(part)
        if whole and whole not in words:
            words.append(whole)
    return words


def name_score(query_words: list[str], name: str) -> float:
    """How well a stored name ("last first", or any text) matches the query words, 0..1.

    Each query word is paired with the closest word of the name (in any order); the
    score is the mean closeness.
    """
    words = part_words(*name.split(" ")) if name else []
    return words_score(query_words, words)


def words_score(query_words: list[str], words: list[str]) -> float:
    if not query_words or not words:
        return 0.0
    total = 0.0
    for q in query_words:
        total += max(closeness(q, w) for w in words)
    return total / len(query_words)
