"""The first use of the ICD-10-CM code set, said on screen: the release loads into the
database once per practice (about 20 s here: reading the packaged release, then storing
98,000 codes and their words), and a screen that waits for it says so, with how far
it is, instead of "loading..."."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from medoffice_tui.services.claims import codes_icd

T = TypeVar("T")

FIRST_USE = "Loading the ICD-10-CM code set, first use only (about 20 s)..."
_ready: list[bool] = []  # set once this process has seen the whole release in place


def known_ready() -> bool:
    """Has this process seen the code set loaded? (Until then a lookup must not be
    interrupted by the next key: it may be the first-use load itself.)"""
    return bool(_ready)


def progress_words(stage: str, done: int, total: int) -> str:
    """``Loading the ICD-10-CM code set, first use only ...: storing 45%``."""
    percent = done * 100 // total if total else 0
    step = stage.replace(" ICD-10-CM", "")
    return f"{FIRST_USE} {step} {percent}%"


def with_codes(node: Any, call: Callable[[], T], show: Callable[[str], Any]) -> Callable[[], T]:
    """``call`` (to run on a worker), preceded when the code set is not loaded yet by
    the load itself, telling ``show`` (on the UI thread) what is happening."""
    app = node.app

    def run() -> T:
        if not codes_icd.is_complete():
            app.call_from_thread(show, FIRST_USE)
            said: list[str] = []

            def progress(stage: str, done: int, total: int) -> None:
                words = progress_words(stage, done, total)
                if not said or said[-1] != words:  # a repaint only when the figure moves
                    said.append(words)
                    app.call_from_thread(show, words)

            codes_icd.ensure_loaded(progress)
        _ready.append(True)
        return call()

    return run
