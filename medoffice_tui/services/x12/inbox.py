"""Files in, whatever they are: an 835, 999, 277CA or 271 is recognised by its first
transaction set (ST01) and read by its own reader; anything else is refused by name.
Used by the claims-files screen (one "read a file" key) and ``claims-files import``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.x12 import acks, eligibility, remit, segments
from medoffice_tui.services.x12.reports import FileRefused, FileReport
from medoffice_tui.services.x12.segments import Fault, X12ReadError

ProgressFn = Callable[[str, int, int], None]

#: ST01 (and, for 277, GS08) -> kind
KINDS = {"835": "835", "999": "999", "277": "277CA", "271": "271"}


def kind_of(text: str) -> str:
    """The kind of an incoming X12 file (835, 999, 277CA, 271), or "" when it is none."""
    try:
        document = segments.read(text)
    except X12ReadError:
        return ""
    first = next((s for s in document.segments if s.id == "ST"), None)
    return KINDS.get(first[1].strip(), "") if first is not None else ""


def read_file(
    actor: Actor, source: str | os.PathLike[str], progress: ProgressFn | None = None
) -> FileReport:
    """Read one file of any kind the app takes in (see the module doc)."""
    name, text = remit.read_source(source)
    kind = kind_of(text)
    if kind == "835":
        return remit.import_835(actor, text=text, name=name, progress=progress)
    if kind == "999":
        return acks.import_999(actor, text=text, name=name, progress=progress)
    if kind == "277CA":
        return acks.import_277ca(actor, text=text, name=name, progress=progress)
    if kind == "271":
        return eligibility.import_271(actor, text=text, name=name, progress=progress)
    try:
        document = segments.read(text)
    except X12ReadError as error:
        message = str(error).split(": ", 1)[-1]
        raise FileRefused(
            FileReport(name, "?", None, faults=(Fault(error.segment, error.line, message),))
        ) from None
    st = next((s for s in document.segments if s.id == "ST"), None)
    what = f"a {st[1].strip()} transaction set" if st is not None else "no transaction set"
    raise FileRefused(
        FileReport(
            name,
            "?",
            None,
            faults=(
                Fault(
                    "ST",
                    st.line if st else 1,
                    f"{what}: this app reads 835, 999, 277CA and 271 files",
                ),
            ),
        )
    )


def files_in(source: str | os.PathLike[str]) -> list[Path]:
    """The file named, or every file in the folder named (not hidden, by name)."""
    path = Path(source).expanduser()
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if not found:
            raise InvalidInput("that folder holds no files", field="file")
        return found
    if not path.is_file():
        raise InvalidInput(f"no file {path.name}", field="file")
    return [path]


__all__ = ["KINDS", "files_in", "kind_of", "read_file"]
