"""Random draws shared by every part of the demo."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Any

_CUMULATIVE: dict[tuple, list[float]] = {}


def weighted(rng: random.Random, options: Sequence, weights: tuple) -> Any:
    """``rng.choices(options, weights)[0]`` (same draw), with the running sums cached:
    the demo makes millions of weighted picks from a few fixed weight tuples."""
    cumulative = _CUMULATIVE.get(weights)
    if cumulative is None:
        cumulative = _CUMULATIVE[weights] = list(itertools.accumulate(weights))
    return options[bisect.bisect(cumulative, rng.random() * cumulative[-1], 0, len(options) - 1)]


class DemoRandom(random.Random):
    """``random.Random`` with the picks the demo makes millions of (``choice``,
    ``randrange``, ``randint``, ``uniform``) done in one call instead of three or four.

    The same seed gives exactly the same draws as ``random.Random``: each is the
    standard library's own recipe (``_randbelow`` by ``getrandbits``, ``a + (b - a) *
    random()``), without the argument checks the demo never needs (a step, non-integer
    bounds). An empty range still raises, as it does there.
    """

    def _below(self, n: int) -> int:
        if n <= 0:
            raise ValueError("empty range")
        k = n.bit_length()
        getrandbits = self.getrandbits
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return r

    def choice(self, seq: Sequence) -> Any:
        n = len(seq)
        if not n:
            raise IndexError("cannot choose from an empty sequence")
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return seq[r]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if step != 1:
            return super().randrange(start, stop, step)
        if stop is None:
            return self._below(start)
        return start + self._below(stop - start)

    def randint(self, a: int, b: int) -> int:
        n = b - a + 1
        if n <= 0:
            raise ValueError("empty range")
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return a + r

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random()
