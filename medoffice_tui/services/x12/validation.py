"""Checking a file with pyx12, an independent validator (its 5010 maps: 837P X222A1, 835
X221A1, 999 X231A1, 277CA X214), through its Python API.

``x12n_document`` returns True or False and writes every error it found as JSON: those
errors become :class:`~medoffice_tui.services.x12.segments.Fault` s, each with the
segment and the line. pyx12 is imported here only, when a file is checked (it takes
a tenth of a second and ~10 MB), never at app start. Its log messages are kept out of
the terminal and out of every log (they can quote values).

Fault messages never carry the file's values (a bad date of birth, a member id, a name
inside a segment pyx12 quotes): pyx12's text is cut to the element and the kind of
error; envelope messages keep their control numbers and counts.

pyx12 has no 5010 map for the 270/271 (X279A1): :func:`has_map` says so, and the
eligibility files are checked by :func:`~medoffice_tui.services.x12.segments.envelope_faults`
and their own structure checks instead.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field

from medoffice_tui.services.x12.segments import Fault

#: GS08 versions pyx12 4.0.0 has 5010 maps for
PYX12_MAPS = {"005010X222A1", "005010X221A1", "005010X231A1", "005010X231", "005010X214"}

#: 999 IK4 / pyx12 element error codes, in plain words
ELEMENT_ERRORS = {
    "1": "required element missing",
    "2": "conditional element missing",
    "3": "too many elements",
    "4": "value too short",
    "5": "value too long",
    "6": "invalid character",
    "7": "not a valid code",
    "8": "not a valid date",
    "9": "not a valid time",
    "10": "element not used here",
    "12": "too many repetitions",
    "13": "too many components",
}
#: 999 IK3 / pyx12 segment error codes
SEGMENT_ERRORS = {
    "1": "segment not recognised here",
    "2": "unexpected segment",
    "3": "required segment missing",
    "4": "loop occurs too many times",
    "5": "segment occurs too many times",
    "6": "segment not in this transaction set",
    "7": "segment out of order",
    "8": "segment has element errors",
}


@dataclass(frozen=True)
class Validation:
    ok: bool
    faults: tuple[Fault, ...] = ()
    #: False: pyx12 has no map for this file's version (see ``version``)
    checked: bool = True
    version: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def first(self) -> Fault | None:
        return self.faults[0] if self.faults else None


def has_map(version: str) -> bool:
    return version.strip() in PYX12_MAPS


_QUOTED = re.compile(r'"([^"]{1,80})"')
_REF = re.compile(r"\(([A-Z][A-Z0-9]{1,2}\d{2}(?:-\d{2})?)\)")


def safe_message(err_code: str, text: str, *, level: str) -> str:
    """pyx12's message without the values it quotes."""
    text = " ".join(str(text or "").split())
    if level in ("ISA", "GS", "ST"):
        # envelope messages: control numbers and counts, no patient data; drop any segment
        text = re.sub(r"\b[A-Z][A-Z0-9]{1,2}\*\S*", "", text)
        return re.sub(r"\([^)]*\)", "", text).strip()[:200]
    names = _QUOTED.findall(text)
    refs = _REF.findall(text)
    words = (ELEMENT_ERRORS if level == "element" else SEGMENT_ERRORS).get(str(err_code), "")
    if not words:
        words = "not valid here"
    name = names[0] if names else ""
    ref = refs[0] if refs else ""
    if level == "element":
        where = " ".join(p for p in (name, f"({ref})" if ref else "") if p)
        return f"{where}: {words}" if where else words
    if str(err_code) == "3" and name:
        return f"required segment missing: {name}"
    return f"{words}: {name}" if name else words


def _faults_from_json(doc: dict) -> list[Fault]:
    faults: list[Fault] = []
    for isa in doc.get("interchanges", []):
        for err in isa.get("errors", []):
            faults.append(
                Fault(
                    "ISA",
                    int(isa.get("cur_line") or 0),
                    safe_message(err["err_cde"], err["err_str"], level="ISA"),
                )
            )
        for gs in isa.get("groups", []):
            for err in gs.get("errors", []):
                faults.append(
                    Fault(
                        "GS",
                        int(gs.get("cur_line") or 0),
                        safe_message(err["err_cde"], err["err_str"], level="GS"),
                    )
                )
            for st in gs.get("transactions", []):
                for err in st.get("errors", []):
                    faults.append(
                        Fault(
                            "ST",
                            int(st.get("cur_line") or 0),
                            safe_message(err["err_cde"], err["err_str"], level="ST"),
                        )
                    )
                for seg in st.get("segments", []):
                    seg_id, line = str(seg.get("seg_id") or "?"), int(seg.get("cur_line") or 0)
                    for err in seg.get("errors", []):
                        faults.append(
                            Fault(
                                seg_id,
                                line,
                                safe_message(err["err_cde"], err["err_str"], level="segment"),
                            )
                        )
                    for ele in seg.get("elements", []):
                        for err in ele.get("errors", []):
                            faults.append(
                                Fault(
                                    seg_id,
                                    line,
                                    safe_message(err["err_cde"], err["err_str"], level="element"),
                                )
                            )
    return faults


def _quiet_pyx12() -> None:
    logger = logging.getLogger("pyx12")
    if not getattr(logger, "_medoffice_quiet", False):
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        logger.setLevel(logging.CRITICAL + 1)
        logger._medoffice_quiet = True  # type: ignore[attr-defined]


def _version_of(text: str) -> str:
    match = re.search(r"GS.[^~\n]*", text[:2000])
    if not match:
        return ""
    line = match.group(0)
    element = line[2]
    parts = line.split(element)
    return parts[8].strip().rstrip("~") if len(parts) > 8 else ""


def validate_text(text: str, *, line_of: dict[int, int] | None = None) -> Validation:
    """Check ``text`` (a whole file) with pyx12. ``line_of`` maps pyx12's segment numbers
    to text lines (from :func:`segments.read`), so each fault names the real line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    version = _version_of(text)
    if version and not has_map(version):
        return Validation(
            ok=False,
            faults=(Fault("GS", 0, f"pyx12 has no map for version {version}"),),
            checked=False,
            version=version,
        )
    _quiet_pyx12()
    import pyx12.error_handler  # noqa: F401 - lazily, only when a file is checked
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    out_json = io.StringIO()
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=io.StringIO(),
            fd_html=None,
            fd_xmldoc=None,
            fd_json=out_json,
        )
    except pyx12.errors.EngineError:
        return Validation(
            ok=False,
            faults=(Fault("GS", 0, f"pyx12 cannot read version {version or '(none)'}"),),
            checked=False,
            version=version,
        )
    except (pyx12.errors.X12Error, UnicodeError, ValueError, IndexError, KeyError):
        return Validation(
            ok=False,
            faults=(Fault("ISA", 1, "pyx12 cannot read this file as X12"),),
            version=version,
        )
    try:
        doc = json.loads(out_json.getvalue() or "{}")
    except ValueError:
        doc = {}
    faults = _faults_from_json(doc)
    if line_of:
        faults = [Fault(f.segment, line_of.get(f.line, f.line), f.message, f.line) for f in faults]
    if not ok and not faults:
        faults = [Fault("ISA", 1, "pyx12 found the file not valid")]
    return Validation(ok=bool(ok) and not faults, faults=tuple(faults), version=version)


__all__ = [
    "ELEMENT_ERRORS",
    "PYX12_MAPS",
    "SEGMENT_ERRORS",
    "Validation",
    "has_map",
    "safe_message",
    "validate_text",
]
