"""X12 text as segments, both ways: reading a file into :class:`Segment` s (with the line
and the segment number each one starts at, for messages that point at it), and writing
segments with the practice's delimiters.

Reading is forgiving about what is not X12 data: a UTF-8 byte-order mark, line breaks
after (or instead of) the segment terminator, indentation before a segment, and an ISA
whose fields are not padded to their fixed widths. The delimiters come from the ISA
itself: the element separator is its 4th character, the component separator is ISA16
and the segment terminator the character after it; the repetition separator is ISA11
from version 00501 on.

Writing cleans every value for X12 (``clean``): ASCII only (accents dropped:
``Hernández`` -> ``HERNANDEZ``), upper case, no delimiter characters, cut to the
element's maximum length. Amounts are written from integer cents (``amount``): no float
ever touches them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from medoffice_tui.errors import InvalidInput


@dataclass(frozen=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"


DEFAULT = Delimiters()


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: ``seg[1]`` is its first element (``""`` when absent)."""

    id: str
    elements: tuple[str, ...]  # elements[0] is the id
    number: int  # 1-based position in the file
    line: int  # the text line it starts on (1-based)

    def __getitem__(self, index: int) -> str:
        return self.elements[index] if 0 <= index < len(self.elements) else ""

    def component(self, index: int, part: int, delimiters: Delimiters) -> str:
        """Component ``part`` (1-based) of element ``index``."""
        pieces = self[index].split(delimiters.component)
        return pieces[part - 1] if 0 < part <= len(pieces) else ""

    def components(self, index: int, delimiters: Delimiters) -> list[str]:
        value = self[index]
        return value.split(delimiters.component) if value else []

    def where(self) -> str:
        """``segment CLP (number 23, line 23)``: how a message points at it."""
        return f"segment {self.id} (number {self.number}, line {self.line})"


class X12ReadError(InvalidInput):
    """The text is not X12 that can be read; names the segment and line at fault."""

    def __init__(self, message: str, *, segment: str = "", line: int = 0) -> None:
        where = f"{segment} at line {line}: " if segment and line else ""
        super().__init__(f"{where}{message}", field="file")
        self.segment = segment
        self.line = line


@dataclass(frozen=True)
class Document:
    delimiters: Delimiters
    segments: list[Segment]
    #: the ISA's interchange version (00501, 00401)
    version: str


_ISA_ELEMENTS = 16


def _delimiters(text: str) -> tuple[Delimiters, int]:
    """The delimiters an ISA declares, and where the ISA's terminator is."""
    if not text.startswith("ISA") or len(text) < 4:
        raise X12ReadError(
            "this is not an X12 interchange: it does not begin with an ISA segment",
            segment="ISA",
            line=1,
        )
    element = text[3]
    if element.isalnum() or element.isspace():
        raise X12ReadError("the ISA segment has no element separator", segment="ISA", line=1)
    position = 3
    for _ in range(_ISA_ELEMENTS - 1):
        position = text.find(element, position + 1)
        if position < 0:
            raise X12ReadError("the ISA segment is cut short", segment="ISA", line=1)
    # text[position] is the separator before ISA16; then ISA16, then the terminator
    if position + 2 >= len(text):
        raise X12ReadError("the ISA segment is cut short", segment="ISA", line=1)
    component = text[position + 1]
    terminator = text[position + 2]
    if terminator == "\r" and text[position + 3 : position + 4] == "\n":
        terminator = "\n"  # CR LF as the terminator: split on LF, CR is stripped
    isa = text[: position + 2].split(element)
    version = isa[12].strip() if len(isa) > 12 else ""
    repetition = isa[11].strip() if len(isa) > 11 else ""
    if version < "00501" or not repetition or repetition.isalnum():
        repetition = ""
    return Delimiters(element, component, repetition or "^", terminator), position + 2


def read(text: str) -> Document:
    """Every segment of ``text`` (a whole file), or X12ReadError naming the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    leading = len(text) - len(text.lstrip())
    lines_before = text.count("\n", 0, leading)
    text = text[leading:]
    delimiters, _ = _delimiters(text)
    segments: list[Segment] = []
    line = 1 + lines_before
    number = 0
    for chunk in text.split(delimiters.segment):
        stripped = chunk.strip()
        if stripped:
            start_line = line + chunk.count("\n", 0, len(chunk) - len(chunk.lstrip()))
            parts = stripped.split(delimiters.element)
            seg_id = parts[0].strip()
            if not re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", seg_id):
                raise X12ReadError(
                    "a segment does not start with a segment id",
                    segment=seg_id[:3] or "?",
                    line=start_line,
                )
            number += 1
            segments.append(Segment(seg_id, tuple(parts), number, start_line))
        line += chunk.count("\n")
        if delimiters.segment == "\n":
            line += 1
    if not segments:
        raise X12ReadError("the file holds no segments", segment="ISA", line=1)
    version = segments[0][12]
    return Document(delimiters, segments, version)


# ------------------------------------------------------------------ envelopes


@dataclass(frozen=True)
class Transaction:
    """One ST..SE transaction set, with the envelope around it."""

    interchange: str  # ISA13
    sender: str  # ISA06
    receiver: str  # ISA08
    group_control: str  # GS06
    functional_code: str  # GS01 (HC, HP, FA, HN, HS, HB)
    version: str  # GS08
    st_control: str  # ST02
    kind: str  # ST01
    segments: list[Segment]  # ST..SE inclusive


def transactions(document: Document) -> Iterator[Transaction]:
    """Each transaction set in file order (envelope counts are checked by
    :func:`envelope_faults`, not here)."""
    isa: Segment | None = None
    gs: Segment | None = None
    current: list[Segment] | None = None
    for seg in document.segments:
        if seg.id == "ISA":
            isa = seg
        elif seg.id == "GS":
            gs = seg
        elif seg.id == "ST":
            current = [seg]
        elif current is not None:
            current.append(seg)
            if seg.id == "SE":
                st = current[0]
                yield Transaction(
                    interchange=isa[13].strip() if isa else "",
                    sender=isa[6].strip() if isa else "",
                    receiver=isa[8].strip() if isa else "",
                    group_control=gs[6].strip() if gs else "",
                    functional_code=gs[1].strip() if gs else "",
                    version=gs[8].strip() if gs else "",
                    st_control=st[2].strip(),
                    kind=st[1].strip(),
                    segments=current,
                )
                current = None


@dataclass(frozen=True)
class Fault:
    """One thing wrong with a file, and where."""

    segment: str
    line: int
    message: str
    number: int = 0  # the segment's position in the file

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "the file"
        return f"{self.segment} at {where}: {self.message}" if self.segment else self.message


def envelope_faults(document: Document) -> list[Fault]:
    """The envelope's counts and control numbers: ISA/IEA, GS/GE, ST/SE, each closed,
    each count and control number matching. (pyx12 checks these too, for the kinds it
    has a map for; this is the check for the others, such as the 270/271.)"""
    faults: list[Fault] = []

    def add(seg: Segment, message: str) -> None:
        faults.append(Fault(seg.id, seg.line, message, seg.number))

    isa = gs = st = None
    groups = sets = count = 0
    for seg in document.segments:
        if st is not None:
            count += 1
        if seg.id == "ISA":
            if isa is not None:
                add(seg, "an interchange starts before the one before it ended (IEA missing)")
            isa, groups = seg, 0
            if not seg[13].strip().isdigit() or len(seg[13].strip()) != 9:
                add(seg, "the interchange control number (ISA13) is not 9 digits")
        elif seg.id == "GS":
            if isa is None:
                add(seg, "a functional group outside an interchange")
            if gs is not None:
                add(seg, "a group starts before the one before it ended (GE missing)")
            gs, sets = seg, 0
            groups += 1
        elif seg.id == "ST":
            if gs is None:
                add(seg, "a transaction set outside a functional group")
            if st is not None:
                add(seg, "a transaction set starts before the one before it ended (SE missing)")
            st, count = seg, 1
            sets += 1
        elif seg.id == "SE":
            if st is None:
                add(seg, "SE without its ST")
            else:
                if seg[1].strip() != str(count):
                    add(
                        seg,
                        f"SE01 says {seg[1].strip() or 'nothing'} segments, the set has {count}",
                    )
                if seg[2].strip() != st[2].strip():
                    add(seg, "SE02 does not match its ST02")
            st = None
        elif seg.id == "GE":
            if gs is None:
                add(seg, "GE without its GS")
            else:
                if st is not None:
                    add(seg, "the group ends inside a transaction set (SE missing)")
                    st = None
                if seg[1].strip() != str(sets):
                    add(seg, f"GE01 says {seg[1].strip() or 'nothing'} sets, the group has {sets}")
                if seg[2].strip() != gs[6].strip():
                    add(seg, "GE02 does not match its GS06")
            gs = None
        elif seg.id == "IEA":
            if isa is None:
                add(seg, "IEA without its ISA")
            else:
                if gs is not None:
                    add(seg, "the interchange ends inside a group (GE missing)")
                    gs = None
                if seg[1].strip() != str(groups):
                    add(seg, f"IEA01 says {seg[1].strip() or 'nothing'} groups, there are {groups}")
                if seg[2].strip() != isa[13].strip():
                    add(seg, "IEA02 does not match its ISA13")
            isa = None
        elif st is None:
            add(seg, "a segment outside any transaction set")
    last = document.segments[-1]
    if st is not None:
        add(last, "the file ends inside a transaction set (SE missing)")
    if gs is not None:
        add(last, "the file ends inside a group (GE missing)")
    if isa is not None:
        add(last, "the file ends inside an interchange (IEA missing)")
    return faults


# ------------------------------------------------------------------ writing

#: characters X12's basic and extended character sets allow in a value (delimiters removed)
_ALLOWED = re.compile(r"[^A-Z0-9 !\"&'()+,\-./;?=%@#$]")


def clean(value: object, max_length: int = 60) -> str:
    """A value fit for an X12 element: ASCII upper case, no delimiters, trimmed."""
    text = unicodedata.normalize("NFKD", str(value or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.encode("ascii", "ignore").decode("ascii").upper()
    text = _ALLOWED.sub(" ", text)
    return " ".join(text.split())[:max_length].strip()


def digits(value: object, max_length: int = 30) -> str:
    return re.sub(r"\D", "", str(value or ""))[:max_length]


def identifier(value: object, max_length: int = 30) -> str:
    """An id (member id, claim number): letters, digits and dashes, upper case."""
    text = clean(value, max_length * 2)
    return re.sub(r"[^A-Z0-9\-]", "", text)[:max_length]


def amount(cents: int) -> str:
    """Integer cents as an X12 decimal: 15000 -> ``150``, 15050 -> ``150.5``."""
    if not isinstance(cents, int):
        raise TypeError("amounts are integer cents")
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:02d}".rstrip("0")


_AMOUNT = re.compile(r"^-?(\d+)?(\.\d+)?$")


def cents(text: str, *, seg: Segment | None = None, name: str = "amount") -> int:
    """An X12 decimal as integer cents (``150.5`` -> 15050); more than 2 decimals that are
    not zeros, or anything else, is refused naming the segment and line."""
    raw = (text or "").strip()
    if not raw:
        return 0
    if not _AMOUNT.match(raw) or raw in ("-", ".", "-."):
        raise X12ReadError(
            f"{name} is not an amount", segment=seg.id if seg else "", line=seg.line if seg else 0
        )
    negative = raw.startswith("-")
    raw = raw.lstrip("-")
    whole, _, fraction = raw.partition(".")
    if len(fraction) > 2 and fraction[2:].strip("0"):
        raise X12ReadError(
            f"{name} has more than two decimals",
            segment=seg.id if seg else "",
            line=seg.line if seg else 0,
        )
    value = int(whole or "0") * 100 + int((fraction[:2] or "0").ljust(2, "0"))
    return -value if negative else value


def date8(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def read_date(text: str) -> dt.date | None:
    """CCYYMMDD (or YYMMDD) -> a date; None when empty or not a real date."""
    raw = (text or "").strip()
    try:
        if len(raw) == 8:
            return dt.datetime.strptime(raw, "%Y%m%d").date()
        if len(raw) == 6:
            return dt.datetime.strptime(raw, "%y%m%d").date()
    except ValueError:
        return None
    return None


class Writer:
    """Segments as text, counting them from each ST (for SE01)."""

    def __init__(self, delimiters: Delimiters = DEFAULT, *, newline: bool = True) -> None:
        self.delimiters = delimiters
        self._end = delimiters.segment + ("\n" if newline else "")
        self._parts: list[str] = []
        self.in_set = 0  # segments written since the last ST, ST included

    def segment(self, seg_id: str, *elements: object) -> None:
        values = ["" if e is None else str(e) for e in elements]
        while values and values[-1] == "":
            values.pop()  # trailing empty elements are left off
        self._parts.append(self.delimiters.element.join((seg_id, *values)) + self._end)
        if seg_id == "ST":
            self.in_set = 1
        else:
            self.in_set += 1

    def composite(self, *parts: object) -> str:
        values = ["" if p is None else str(p) for p in parts]
        while values and values[-1] == "":
            values.pop()
        return self.delimiters.component.join(values)

    def raw(self, text: str) -> None:
        self._parts.append(text)

    def text(self) -> str:
        return "".join(self._parts)


def isa_segment(
    writer: Writer,
    *,
    sender_qualifier: str,
    sender_id: str,
    receiver_qualifier: str,
    receiver_id: str,
    interchange: int,
    at: dt.datetime,
    usage: str,
) -> None:
    """The ISA, every field at its fixed width."""
    d = writer.delimiters
    writer.segment(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        sender_qualifier.ljust(2)[:2],
        clean(sender_id, 15).ljust(15),
        receiver_qualifier.ljust(2)[:2],
        clean(receiver_id, 15).ljust(15),
        at.strftime("%y%m%d"),
        at.strftime("%H%M"),
        d.repetition,
        "00501",
        f"{interchange:09d}",
        "0",
        usage,
        d.component,
    )


__all__ = [
    "DEFAULT",
    "Delimiters",
    "Document",
    "Fault",
    "Segment",
    "Transaction",
    "Writer",
    "X12ReadError",
    "amount",
    "cents",
    "clean",
    "date8",
    "digits",
    "envelope_faults",
    "identifier",
    "isa_segment",
    "read",
    "read_date",
    "transactions",
]
