"""A Rich progress bar for long CLI work (demo build, copies, imports).

Services report progress through a plain callback ``progress(step, done, total)``
so they never import a UI library; this turns those calls into a bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

ProgressFn = Callable[[str, int, int], None]


@contextlib.contextmanager
def progress_callback(title: str, *, quiet: bool = False) -> Iterator[ProgressFn]:
    if quiet:
        yield lambda step, done, total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, int] = {}
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bar:

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(f"{title}: {step}", total=max(total, 1))
            bar.update(tasks[step], completed=done, total=max(total, 1))

        yield report
