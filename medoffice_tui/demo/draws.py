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
